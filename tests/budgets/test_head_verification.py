"""The two-level monthly workflow: the officer submits, the Kepala Dinas (or the acting head of a
recorded delegation) verifies and signs, the directorate approves; either reviewer returns, and a
directorate return needs the head's verification again. Every step by every role, separation of
duties, timeliness at the step the year names, the central units without a head, the queues."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation
from budgets.models import MonthlyReport, ReportTransition, TimelinessStep
from budgets.services import report_approve, report_return, report_submit, report_verify
from budgets.services.duties import DutyConflict
from tests.budgets.test_report_workflow import act, enter
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


@pytest.fixture
def submitted(officer, satker, dipa) -> MonthlyReport:
    client = client_for(officer)
    enter(client, satker, dipa, "10.000.000")
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=dipa.fiscal_year, month=1)
    assert act(client, report, "submit").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    return report


@pytest.fixture
def emails(officer, head, reviewer, other_head) -> None:
    for user in (officer, head, reviewer, other_head):
        user.email = f"{user.username}@example.go.id"
        user.save()


def test_operator_submits_head_verifies_directorate_approves(submitted, head, reviewer, officer) -> None:
    report = submitted
    # The directorate cannot approve before the head has verified.
    refused = client_for(reviewer).post(reverse("budgets:report-approve", args=[report.pk]), follow=True)
    assert "berstatus Diajukan" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert act(client_for(head), report, "verify", note="Sudah sesuai SP2D.").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.VERIFIED
    assert report.verified_by == head and report.verified_at is not None and report.verified_under is None
    assert report.is_locked
    # The officer cannot withdraw nor submit again; the head cannot verify twice.
    with pytest.raises((ValidationError, PermissionDenied)):
        report_verify(report=report, by=head)
    assert act(client_for(reviewer), report, "approve").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    steps = list(report.transitions.values_list("to_status", "by__username"))
    assert steps == [("SUBMITTED", officer.username), ("VERIFIED", head.username), ("APPROVED", reviewer.username)]


def test_head_returns_to_the_officer(submitted, head, officer) -> None:
    assert act(client_for(head), submitted, "return", comment="Lampirkan SP2D tanggal 28.").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED and submitted.verified_by is None
    page = client_for(officer).get(reverse("budgets:report-detail", args=[submitted.pk])).content.decode()
    assert "Lampirkan SP2D tanggal 28." in page


def test_directorate_return_goes_to_the_officer_and_needs_the_head_again(
    submitted, head, reviewer, officer, satker, dipa
) -> None:
    report_verify(report=submitted, by=head)
    report = report_return(report=MonthlyReport.objects.get(pk=submitted.pk), by=reviewer, comment="Akun 521211 salah.")
    assert report.status == Status.RETURNED and report.verified_at is None and report.verified_by is None
    officer_client = client_for(officer)
    assert enter(officer_client, satker, dipa, "12.000.000", action="submit").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        report_approve(report=report, by=reviewer)
    report_verify(report=report, by=head)
    report_approve(report=MonthlyReport.objects.get(pk=report.pk), by=reviewer)
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.APPROVED
    assert list(ReportTransition.objects.filter(report=report).values_list("to_status", flat=True)) == [
        "SUBMITTED",
        "VERIFIED",
        "RETURNED",
        "SUBMITTED",
        "VERIFIED",
        "APPROVED",
    ]


@pytest.mark.parametrize("who", ["officer", "reviewer", "viewer", "admin_user"])
def test_only_the_provinces_head_verifies(submitted, who, request) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        report_verify(report=submitted, by=user)
    assert act(client_for(user), submitted, "verify").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_another_provinces_head_neither_sees_nor_verifies(submitted, other_head) -> None:
    with pytest.raises(PermissionDenied):
        report_verify(report=submitted, by=other_head)
    client = client_for(other_head)
    assert client.get(reverse("budgets:report-detail", args=[submitted.pk])).status_code == 404
    assert act(client, submitted, "verify").status_code == 404


@pytest.mark.parametrize("who", ["officer", "head", "viewer"])
def test_only_the_directorate_approves_or_returns_a_verified_report(submitted, head, who, request) -> None:
    report = report_verify(report=submitted, by=head)
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert act(client, report, "approve").status_code == 403
    # The head decides another step of this report: back to it with where it stands (below).
    assert act(client, report, "return", comment="x").status_code == (302 if who == "head" else 403)
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.VERIFIED


def test_the_head_cannot_return_a_verified_report_nor_reviewers_a_submitted_one(submitted, head, reviewer) -> None:
    """Refused with where the report stands, not as a stranger: both decide a step of it."""
    with pytest.raises(ValidationError, match="menunggu keputusan Anda: statusnya kini Diajukan"):
        report_return(report=submitted, by=reviewer, comment="Terlalu cepat.")
    report_verify(report=submitted, by=head)
    with pytest.raises(ValidationError, match="statusnya kini Diverifikasi"):
        report_return(report=MonthlyReport.objects.get(pk=submitted.pk), by=head, comment="Saya berubah pikiran.")
    assert MonthlyReport.objects.get(pk=submitted.pk).status == Status.VERIFIED


def test_a_return_of_a_report_that_moved_on_meanwhile_says_so(submitted, head, reviewer, officer) -> None:
    """Two reviewers open the same verified report; one returns it and the satker sends it again
    (back with the head) before the other posts a return: the second is sent back to the report
    with its status, not shown a 403 page, and nothing changes."""
    report_verify(report=submitted, by=head)
    report_return(report=MonthlyReport.objects.get(pk=submitted.pk), by=reviewer, comment="Periksa lagi.")
    report_submit(report=MonthlyReport.objects.get(pk=submitted.pk), by=officer)
    transitions = ReportTransition.objects.filter(report=submitted).count()
    client = client_for(reviewer)
    answer = act(client, submitted, "return", comment="Mohon periksa kembali.")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("budgets:report-detail", args=[submitted.pk])
    page = client.get(answer["Location"])
    assert "tidak sedang menunggu keputusan Anda: statusnya kini Diajukan" in page.content.decode()
    assert MonthlyReport.objects.get(pk=submitted.pk).status == Status.SUBMITTED
    assert ReportTransition.objects.filter(report=submitted).count() == transitions
    # Someone who decides no step of this province's reports is still refused outright.
    assert act(client_for(officer), submitted, "return", comment="x").status_code == 403


def test_withdrawal_is_possible_until_the_head_opens_the_report(submitted, head, officer) -> None:
    head_client = client_for(head)
    assert head_client.get(reverse("budgets:report-detail", args=[submitted.pk])).context["can_verify"]
    submitted.refresh_from_db()
    assert submitted.review_started_by == head
    refused = act(client_for(officer), submitted, "withdraw")
    assert refused.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


class TestDelegation:
    @pytest.fixture
    def deputy(self, province):
        """The secretary of the Dinas, who has a province account and prepared nothing."""
        return UserFactory(username="sekdis-17", role="OFFICER", province=province, first_name="Sekretaris Dinas")

    def delegate(self, head, deputy, start: date, end: date, kind: str = Delegation.Kind.PLH) -> Delegation:
        delegation = Delegation(head=head, acting=deputy, kind=kind, starts_on=start, ends_on=end, decree="800/12/2026")
        delegation.full_clean()
        delegation.save()
        return delegation

    def test_the_acting_head_verifies_during_the_period_and_is_recorded(self, submitted, head, deputy) -> None:
        today = timezone.localdate()
        delegation = self.delegate(head, deputy, today - timedelta(days=2), today + timedelta(days=2))
        page = client_for(deputy).get(reverse("budgets:report-detail", args=[submitted.pk]))
        assert page.context["can_verify"]
        report = report_verify(report=submitted, by=deputy)
        assert report.verified_by == deputy and report.verified_under == delegation
        detail = client_for(head).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
        assert "Plh (Pelaksana Harian)" in detail

    def test_outside_the_period_the_acting_head_may_not(self, submitted, head, deputy) -> None:
        today = timezone.localdate()
        self.delegate(head, deputy, today - timedelta(days=20), today - timedelta(days=1))
        with pytest.raises(PermissionDenied):
            report_verify(report=submitted, by=deputy)
        assert not client_for(deputy).get(reverse("budgets:report-detail", args=[submitted.pk])).context["can_verify"]

    def test_an_acting_officer_who_submitted_the_report_may_not_verify_it(self, submitted, head, officer) -> None:
        today = timezone.localdate()
        self.delegate(head, officer, today, today + timedelta(days=5), kind=Delegation.Kind.PLT)
        with pytest.raises(DutyConflict):
            report_verify(report=submitted, by=officer)
        page = client_for(officer).get(reverse("budgets:report-detail", args=[submitted.pk]))
        assert not page.context["can_verify"] and page.context["duty_conflict"]

    def test_a_delegation_names_an_account_of_the_same_province_once_at_a_time(
        self, head, deputy, other_officer
    ) -> None:
        today = timezone.localdate()
        with pytest.raises(ValidationError) as refused:
            self.delegate(head, other_officer, today, today)
        assert "provinsi yang sama" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            self.delegate(head, head, today, today)
        assert "dirinya sendiri" in str(refused.value)
        self.delegate(head, deputy, today, today + timedelta(days=3))
        with pytest.raises(ValidationError) as refused:
            self.delegate(head, deputy, today + timedelta(days=2), today + timedelta(days=9))
        assert "bertumpang tindih" in str(refused.value)
        with pytest.raises(ValidationError):
            self.delegate(head, deputy, today + timedelta(days=9), today + timedelta(days=5))

    def test_the_head_records_and_ends_a_delegation_on_its_page(self, head, deputy, other_officer, officer) -> None:
        client, url = client_for(head), reverse("accounts:delegations")
        page = client.get(url)
        choices = {user.username for user in page.context["form"].fields["acting"].queryset}
        assert choices == {deputy.username, officer.username}  # the province's accounts, not the head's own
        today = timezone.localdate()
        data = {"acting": deputy.pk, "kind": "PLT", "starts_on": today.isoformat(),
                "ends_on": (today + timedelta(days=7)).isoformat(), "decree": "800/45/Disperin/2026"}  # fmt: skip
        refused = client.post(url, {**data, "acting": other_officer.pk})
        assert refused.status_code == 200 and not Delegation.objects.exists()
        assert client.post(url, data).status_code == 302
        delegation = Delegation.objects.get()
        assert (delegation.head, delegation.acting, delegation.created_by) == (head, deputy, head)
        assert "800/45/Disperin/2026" in client.get(url).content.decode()
        assert client.post(url, {"end": delegation.pk}).status_code == 302
        delegation.refresh_from_db()
        assert delegation.ends_on == today
        assert client_for(officer).get(url).status_code == 403


class TestTimeliness:
    def test_judged_at_the_heads_verification_by_default(self, officer, head, satker, dipa, monkeypatch) -> None:
        enter(client_for(officer), satker, dipa, "1.000.000")
        report = MonthlyReport.objects.get(satker=satker, month=1)
        report = report_submit(report=report, by=officer)
        assert report.submitted_on_time is None  # not sent yet: the head has not verified
        late = report.due_date + timedelta(days=3)
        monkeypatch.setattr(timezone, "localdate", lambda *args: late)
        report = report_verify(report=MonthlyReport.objects.get(pk=report.pk), by=head)
        assert report.submitted_on_time is False

    def test_a_year_may_judge_at_the_officers_submission(self, officer, head, satker, dipa, monkeypatch) -> None:
        dipa.fiscal_year.timeliness_step = TimelinessStep.SUBMISSION
        dipa.fiscal_year.save()
        enter(client_for(officer), satker, dipa, "1.000.000")
        report = report_submit(report=MonthlyReport.objects.get(satker=satker, month=1), by=officer)
        assert report.submitted_on_time is (timezone.localdate() <= report.due_date)
        judged = report.submitted_on_time
        monkeypatch.setattr(timezone, "localdate", lambda *args: report.due_date + timedelta(days=30))
        assert report_verify(report=MonthlyReport.objects.get(pk=report.pk), by=head).submitted_on_time is judged


def test_a_central_units_report_goes_straight_to_the_directorate(
    central_satker, province, admin_user, reviewer, fiscal_year
) -> None:
    head_of_dki_like = UserFactory(username="head-x", role="HEAD", province=province)
    report = MonthlyReport.objects.create(
        satker=central_satker, fiscal_year=fiscal_year, month=1, status=Status.SUBMITTED,
        due_date=date(fiscal_year.year, 2, 7),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        report_verify(report=report, by=head_of_dki_like)
    queue = client_for(reviewer).get(reverse("budgets:report-list"))
    assert report.pk in [row.record.pk for row in queue.context["table"].page.object_list]
    report_approve(report=report, by=reviewer)
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.APPROVED


def test_the_queues(submitted, head, reviewer, officer) -> None:
    head_queue = client_for(head).get(reverse("budgets:report-list"))
    assert [row.record.pk for row in head_queue.context["table"].page.object_list] == [submitted.pk]
    directorate_queue = client_for(reviewer).get(reverse("budgets:report-list"))
    assert submitted.pk not in [row.record.pk for row in directorate_queue.context["table"].page.object_list]
    report_verify(report=submitted, by=head)
    directorate_queue = client_for(reviewer).get(reverse("budgets:report-list"))
    assert submitted.pk in [row.record.pk for row in directorate_queue.context["table"].page.object_list]
    head_queue = client_for(head).get(reverse("budgets:report-list"))
    assert not head_queue.context["table"].page.object_list


def test_who_is_emailed_at_each_step(officer, head, reviewer, satker, dipa, emails) -> None:
    officer_client = client_for(officer)
    enter(officer_client, satker, dipa, "1.000.000")
    report = MonthlyReport.objects.get(satker=satker, month=1)
    act(officer_client, report, "submit")
    assert mail.outbox[-1].to == [head.email]
    assert reviewer.email not in {address for message in mail.outbox for address in message.to}
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_verify(report=MonthlyReport.objects.get(pk=report.pk), by=head)
    assert mail.outbox[-1].to == [reviewer.email]
    assert "diverifikasi" in mail.outbox[-1].subject
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_return(report=MonthlyReport.objects.get(pk=report.pk), by=reviewer, comment="Periksa akun 521211.")
    returned = [message for message in mail.outbox if "dikembalikan" in message.subject]
    assert {address for message in returned for address in message.to} == {officer.email, head.email}
