"""The month-end rule (a month's report is submitted from the day after it ends; December earlier
with an admin's year-end closing), the separation of duties (nobody decides on a report they
submitted or wrote entries of, for every role that may review or reopen) and the submitter's
withdrawal of a submission no reviewer has started on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.roles import PROFILES, Can
from budgets.calendar import following_month
from budgets.models import MonthlyReport, Realization, ReportTransition, YearEndClosing
from budgets.services import realization_set, report_approve, report_reopen, report_return, report_submit
from budgets.services.duties import DutyConflict, conflict_of_duty
from budgets.services.editability import submit_lock
from budgets.services.monthly_report import report_review_start, report_withdraw
from programs.records.services import new_entrepreneur_create
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.on_day import pretend_today

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


@contextmanager
def at_day(day: date, hour: int = 9) -> Iterator[None]:
    """The clock on ``day`` (every ``timezone.now``/``localdate`` of the services and views). In
    January the whole run is on 16 February (tests/conftest.py), so a month has ended."""
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, hour))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        pretend_today(patch, day)
        yield


def enter(dipa, satker, month: int, by, amount: int = 1_000_000) -> MonthlyReport:
    return realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=month,
                           amounts={dipa.ovop.pk: amount}, expected_version=None, by=by)  # fmt: skip


# --- Month end ---------------------------------------------------------------------------------


def test_submit_lock_opens_the_day_after_the_month_ends(dipa) -> None:
    year = dipa.fiscal_year
    refused = submit_lock(fiscal_year=year, month=11, today=date(year.year, 11, 30))
    assert refused == (
        f"Laporan November {year.year} baru dapat diajukan mulai 1 Desember {year.year}, setelah bulannya berakhir."
    )
    assert submit_lock(fiscal_year=year, month=11, today=date(year.year, 12, 1)) is None
    december = submit_lock(fiscal_year=year, month=12, today=date(year.year, 12, 31))
    assert december == (
        f"Laporan Desember {year.year} baru dapat diajukan mulai 1 Januari {year.year + 1}, setelah bulannya berakhir."
    )
    assert submit_lock(fiscal_year=year, month=12, today=date(year.year + 1, 1, 1)) is None


def test_year_end_closing_lets_december_in_from_its_day_and_no_other_month(dipa, admin_user) -> None:
    year = dipa.fiscal_year
    YearEndClosing.objects.create(fiscal_year=year, allowed_from=date(year.year, 12, 18), created_by=admin_user,
                                  reason="Penutupan buku sebelum cuti bersama")  # fmt: skip
    assert "Penutupan buku" in submit_lock(fiscal_year=year, month=12, today=date(year.year, 12, 17))
    assert submit_lock(fiscal_year=year, month=12, today=date(year.year, 12, 18)) is None
    assert submit_lock(fiscal_year=year, month=11, today=date(year.year, 11, 20)) is not None


def test_year_end_closing_must_be_in_december_with_a_reason(dipa, admin_user) -> None:
    closing = YearEndClosing(fiscal_year=dipa.fiscal_year, allowed_from=date(dipa.fiscal_year.year, 11, 30),
                             reason="  ", created_by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        closing.full_clean()
    assert set(refused.value.message_dict) == {"allowed_from", "reason"}


def test_running_month_is_saved_but_not_submitted(officer, satker, dipa, today) -> None:
    report = enter(dipa, satker, today.month, officer)
    assert report.status == Status.DRAFT and report.realizations.get().amount == 1_000_000
    with pytest.raises(ValidationError, match="baru dapat diajukan mulai"):
        report_submit(report=report, by=officer)
    report.refresh_from_db()
    assert report.status == Status.DRAFT and not report.transitions.exists() and report.submitted_at is None


def test_running_month_submitted_the_day_after_it_ends(officer, satker, dipa, today) -> None:
    report = enter(dipa, satker, today.month, officer)
    with at_day(date(*following_month(today.year, today.month), 1)):
        report = report_submit(report=report, by=officer)
    assert report.status == Status.SUBMITTED and report.submitted_on_time


def test_december_early_only_with_a_year_end_closing(officer, admin_user, satker, dipa) -> None:
    year = dipa.fiscal_year.year
    with at_day(date(year, 12, 20)):
        report = enter(dipa, satker, 12, officer)
        with pytest.raises(ValidationError, match="setelah bulannya berakhir"):
            report_submit(report=report, by=officer)
        YearEndClosing.objects.create(fiscal_year=dipa.fiscal_year, allowed_from=date(year, 12, 19),
                                      reason="Tutup tahun", created_by=admin_user)  # fmt: skip
        assert report_submit(report=report, by=officer).status == Status.SUBMITTED


def test_entry_page_hides_submit_of_the_running_month_and_refuses_it(officer, satker, dipa, today) -> None:
    client = client_for(officer)
    url = reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, today.month])
    page = client.get(url).content.decode()
    assert "baru dapat diajukan mulai" in page and 'value="submit"' not in page
    data = {"version": 0, f"line_{dipa.ovop.pk}": "5.000.000", "action": "submit"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "baru dapat diajukan mulai" in refused.content.decode()
    assert not Realization.objects.exists() and not MonthlyReport.objects.filter(status=Status.SUBMITTED).exists()
    # Saving the draft stays allowed.
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert Realization.objects.get().amount == 5_000_000


def test_report_page_and_submit_view_refuse_the_running_month(officer, satker, dipa, today) -> None:
    report = enter(dipa, satker, today.month, officer)
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "baru dapat diajukan mulai" in page and reverse("budgets:report-submit", args=[report.pk]) not in page
    response = client.post(reverse("budgets:report-submit", args=[report.pk]), follow=True)
    assert "baru dapat diajukan mulai" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_past_month_submitted_from_the_entry_page(officer, satker, dipa, today) -> None:
    if today.month == 1:
        pytest.skip("no month of this year has ended")
    url = reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, today.month - 1])
    client_for(officer).post(url, {"version": 0, f"line_{dipa.ovop.pk}": "1.000", "action": "submit"})
    assert MonthlyReport.objects.get(month=today.month - 1).status == Status.SUBMITTED


# --- Separation of duties ----------------------------------------------------------------------

DECIDING_ROLES = [role for role, profile in PROFILES.items() if {Can.REVIEW, Can.REOPEN} & profile.capabilities]


def taking_part(role: str, how: str, officer, satker, dipa):
    """A user of ``role`` who submitted the report or wrote one of its entries. A role that may
    not write does it as it would have before a change of role (the rows the services write)."""
    user = UserFactory(username=f"{role.lower()}-{how}", role=role)
    writes = Can.WRITE in PROFILES[role].capabilities
    report = enter(dipa, satker, 1, user if how == "edited" and writes else officer)
    if how == "edited" and not writes:
        row = report.realizations.get()
        row.amount, row._history_user = 2_000_000, user
        row.save()
    if how == "submitted" and not writes:
        ReportTransition.objects.create(report=report, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=user)
        MonthlyReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    else:
        report_submit(report=report, by=user if how == "submitted" else officer)
    report.refresh_from_db()
    return user, report


def history_of(report: MonthlyReport) -> tuple:
    report.refresh_from_db()
    return (report.status, report.version, report.transitions.count(), report.history.count())


@pytest.mark.parametrize("how", ["submitted", "edited"])
@pytest.mark.parametrize("role", DECIDING_ROLES)
def test_nobody_decides_on_a_report_they_took_part_in(role, how, officer, reviewer, satker, dipa) -> None:
    user, report = taking_part(role, how, officer, satker, dipa)
    assert conflict_of_duty(user, report)
    capabilities = PROFILES[role].capabilities
    before = history_of(report)
    if Can.REVIEW in capabilities:
        with pytest.raises(DutyConflict, match="minta reviewer lain"):
            report_approve(report=report, by=user)
        with pytest.raises(DutyConflict, match="minta reviewer lain"):
            report_return(report=report, by=user, comment="Periksa lagi")
        assert history_of(report) == before
        for step, data in [("approve", {"note": ""}), ("return", {"comment": "Periksa"})]:
            response = client_for(user).post(reverse(f"budgets:report-{step}", args=[report.pk]), data, follow=True)
            assert "minta reviewer lain" in response.content.decode()
        page = client_for(user).get(reverse("budgets:report-detail", args=[report.pk]))
        assert "minta reviewer lain" in page.content.decode() and not page.context["can_review"]
        assert history_of(report) == before and report.review_started_at is None
    # A different reviewer approves; the user may not reopen it either.
    report_approve(report=report, by=reviewer)
    approved = history_of(report)
    if Can.REOPEN in capabilities:
        with pytest.raises(DutyConflict, match="minta reviewer lain"):
            report_reopen(report=report, by=user, reason="Salah akun")
        response = client_for(user).post(reverse("budgets:report-reopen", args=[report.pk]), {"reason": "Salah"},
                                         follow=True)  # fmt: skip
        assert "minta reviewer lain" in response.content.decode()
        assert not response.context["can_reopen"]
    else:
        with pytest.raises(PermissionDenied):
            report_reopen(report=report, by=user, reason="Salah akun")
    assert history_of(report) == approved


def test_deciding_roles_are_found_in_the_role_table() -> None:
    assert {"ADMIN", "REVIEWER"} <= set(DECIDING_ROLES)


def test_an_admin_who_did_not_take_part_decides(officer, reviewer, admin_user, satker, dipa) -> None:
    report = report_submit(report=enter(dipa, satker, 1, officer), by=officer)
    assert conflict_of_duty(admin_user, report) is None
    report = report_return(report=report, by=admin_user, comment="Lengkapi SP2D")
    report = report_approve(report=report_submit(report=report, by=officer), by=reviewer)
    assert report_reopen(report=report, by=admin_user, reason="Koreksi").status == Status.RETURNED


def test_programme_records_of_the_report_count_as_its_entries(admin_user, officer, satker, dipa, regency) -> None:
    new_entrepreneur_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, name="Usaha Kopi",
                            regency=regency, business_type="Kopi bubuk", by=admin_user)  # fmt: skip
    report = report_submit(report=MonthlyReport.objects.get(satker=satker, month=1), by=officer)
    assert "mengubah data laporan ini" in conflict_of_duty(admin_user, report)
    with pytest.raises(DutyConflict):
        report_approve(report=report, by=admin_user)


def test_review_page_queries_do_not_depend_on_the_history(officer, admin_user, satker, dipa,
                                                          django_assert_max_num_queries) -> None:  # fmt: skip
    report = report_submit(report=enter(dipa, satker, 1, officer), by=officer)
    client = client_for(admin_user)
    url = reverse("budgets:report-detail", args=[report.pk])
    client.get(url)  # the first opening records the start of the review
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    for amount in range(2, 12):
        enter(dipa, satker, 2, officer, amount)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- Withdrawal --------------------------------------------------------------------------------


def test_submitter_withdraws_before_review_starts(officer, reviewer, satker, dipa) -> None:
    reviewer.email = "reviewer@kemenperin.go.id"
    reviewer.save()
    UserFactory(username="head-17", role="HEAD", province=satker.province, email="kadis@disperin.bengkuluprov.go.id")
    report = report_submit(report=enter(dipa, satker, 1, officer), by=officer)
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert reverse("budgets:report-withdraw", args=[report.pk]) in page
    assert client.get(reverse("budgets:report-withdraw", args=[report.pk])).status_code == 405
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("budgets:report-withdraw", args=[report.pk]), follow=True)
    assert "Pengajuan ditarik" in response.content.decode()
    # The head, told of the submission (the reviewers are told only once the head verifies), is
    # told it no longer awaits him.
    assert [(m.to, "ditarik kembali" in m.subject) for m in mail.outbox] == [
        (["kadis@disperin.bengkuluprov.go.id"], True)
    ]
    report.refresh_from_db()
    assert (report.status, report.submitted_at, report.submitted_on_time) == (Status.DRAFT, None, None)
    last = report.transitions.order_by("at", "pk").last()
    assert (last.from_status, last.to_status, last.by, last.comment) == (
        Status.SUBMITTED, Status.DRAFT, officer, "Ditarik kembali oleh pengaju."
    )  # fmt: skip
    # Entries may be changed again and the month resubmitted.
    report = enter(dipa, satker, 1, officer, 3_000_000)
    assert report_submit(report=report, by=officer).status == Status.SUBMITTED


def test_withdraw_refused_once_a_reviewer_opened_the_report(officer, reviewer, satker, dipa) -> None:
    report = report_submit(report=enter(dipa, satker, 1, officer), by=officer)
    assert client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk])).status_code == 200
    report.refresh_from_db()
    assert (report.review_started_by, report.review_started_at is not None) == (reviewer, True)
    before = history_of(report)
    with pytest.raises(ValidationError, match="sudah mulai ditinjau oleh reviewer"):
        report_withdraw(report=report, by=officer)
    page = client_for(officer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert reverse("budgets:report-withdraw", args=[report.pk]) not in page
    response = client_for(officer).post(reverse("budgets:report-withdraw", args=[report.pk]), follow=True)
    assert "sudah mulai ditinjau" in response.content.decode()
    assert history_of(report) == before


def test_review_start_only_by_a_reviewer_without_a_conflict(officer, viewer, admin_user, reviewer, satker,
                                                            dipa) -> None:  # fmt: skip
    report = enter(dipa, satker, 1, admin_user)
    report = report_submit(report=report, by=officer)
    for user in (officer, viewer, admin_user):  # admin_user wrote an entry
        client_for(user).get(reverse("budgets:report-detail", args=[report.pk]))
    report.refresh_from_db()
    assert report.review_started_at is None
    with pytest.raises(DutyConflict):
        report_review_start(report=report, by=admin_user)
    assert report_review_start(report=report, by=reviewer)
    # Returned and resubmitted: a new submission the submitter may withdraw again.
    report = report_return(report=report, by=reviewer, comment="Perbaiki")
    assert report.review_started_at is None
    on_time = report.submitted_on_time
    report = report_withdraw(report=report_submit(report=report, by=officer), by=officer)
    assert (report.status, report.submitted_on_time) == (Status.DRAFT, on_time)  # judged on the first


def test_only_the_submitting_side_withdraws(officer, other_officer, reviewer, satker, dipa) -> None:
    report = report_submit(report=enter(dipa, satker, 1, officer), by=officer)
    for user in (other_officer, reviewer):
        with pytest.raises(PermissionDenied):
            report_withdraw(report=report, by=user)
    assert client_for(reviewer).post(reverse("budgets:report-withdraw", args=[report.pk])).status_code == 403


def test_admin_records_a_year_end_closing_with_its_author(admin_user, dipa) -> None:
    client = client_for(admin_user)
    url = reverse("admin:budgets_yearendclosing_add")
    year = dipa.fiscal_year.year
    data = {"fiscal_year": dipa.fiscal_year.pk, "allowed_from": f"{year}-12-15", "reason": "  "}
    refused = client.post(url, data)
    assert refused.status_code == 200 and not YearEndClosing.objects.exists()
    assert client.post(url, {**data, "reason": "Tutup buku sebelum cuti bersama"}).status_code == 302
    closing = YearEndClosing.objects.get()
    assert (closing.created_by, closing.allowed_from) == (admin_user, date(year, 12, 15))
    assert closing.history.get().history_user == admin_user
