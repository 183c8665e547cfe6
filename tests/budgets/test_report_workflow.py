"""The month's report: submit, return with a comment, fix and resubmit, approve, lock, reopen;
each step per role, with e-mail to whoever must act."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from budgets.models import MonthlyReport, Realization, ReportTransition
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


@pytest.fixture
def mailboxes(officer, reviewer, other_officer, head):
    for user, address in [(officer, "petugas@disperin.bengkuluprov.go.id"), (reviewer, "reviewer@kemenperin.go.id"),
                          (other_officer, "petugas@disperin.acehprov.go.id"),
                          (head, "kadis@disperin.bengkuluprov.go.id")]:  # fmt: skip
        user.email = address
        user.save()


def enter(client, satker, dipa, amount: str, month: int = 1, action: str = "save"):
    report = MonthlyReport.objects.filter(satker=satker, fiscal_year=dipa.fiscal_year, month=month).first()
    # E-mail goes out on commit; the test's transaction never commits, so run those callbacks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, month]),
            {"version": report.version if report else 0, f"line_{dipa.ovop.pk}": amount, "action": action},
        )


def act(client, report, step: str, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(f"budgets:report-{step}", args=[report.pk]), data)


def test_full_cycle_submit_return_fix_resubmit_approve(officer, head, reviewer, satker, dipa, mailboxes) -> None:
    officer_client, head_client, reviewer_client = client_for(officer), client_for(head), client_for(reviewer)
    enter(officer_client, satker, dipa, "10.000.000")
    report = MonthlyReport.objects.get(satker=satker, month=1)

    assert act(officer_client, report, "submit").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["kadis@disperin.bengkuluprov.go.id"]]
    assert "Laporan diajukan" in mail.outbox[0].subject
    assert act(head_client, report, "verify").status_code == 302
    assert mail.outbox[-1].to == ["reviewer@kemenperin.go.id"]

    # The queue shows it to the reviewer by default.
    queue = reviewer_client.get(reverse("budgets:report-list"))
    assert [row.record.pk for row in queue.context["table"].page.object_list] == [report.pk]

    # Returning needs a comment.
    refused = act(reviewer_client, report, "return", comment="   ")
    assert refused.status_code == 200
    assert "Bidang ini tidak boleh kosong" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == Status.VERIFIED
    assert (
        act(reviewer_client, report, "return", comment="Akun 521211 belum termasuk SP2D tanggal 28.").status_code == 302
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    # The operator and the head who signed it are told, with the reviewer's comment.
    returned = mail.outbox[-2:]
    assert [m.to for m in returned] == [["kadis@disperin.bengkuluprov.go.id"], ["petugas@disperin.bengkuluprov.go.id"]]
    assert all("SP2D tanggal 28" in m.body for m in returned)

    # The officer sees the comment on the report and on the grid, fixes and resubmits.
    assert "SP2D tanggal 28" in officer_client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    grid = officer_client.get(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]))
    assert "SP2D tanggal 28" in grid.content.decode()
    assert enter(officer_client, satker, dipa, "12.500.000", action="submit").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert act(head_client, report, "verify").status_code == 302

    # The reviewer sees what changed since the previous submission, then approves.
    page = reviewer_client.get(reverse("budgets:report-detail", args=[report.pk]))
    changes = page.context["changes"]
    assert [(c["line"].pk, c["before"], c["after"]) for c in changes] == [(dipa.ovop.pk, 10_000_000, 12_500_000)]
    assert act(reviewer_client, report, "approve", note="").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.approved_at is not None
    assert "disetujui" in mail.outbox[-1].subject
    steps = list(report.transitions.values_list("from_status", "to_status"))
    assert steps == [("DRAFT", "SUBMITTED"), ("SUBMITTED", "VERIFIED"), ("VERIFIED", "RETURNED"),
                     ("RETURNED", "SUBMITTED"), ("SUBMITTED", "VERIFIED"), ("VERIFIED", "APPROVED")]  # fmt: skip

    # Approved is locked for the officer.
    response = enter(officer_client, satker, dipa, "1")
    assert "terkunci" in response.content.decode()
    assert Realization.objects.get(report=report).amount == 12_500_000


def test_timeliness_is_judged_when_the_report_is_first_sent(officer, head, reviewer, satker, dipa, today) -> None:
    """Sent = verified by the head (the year's default timeliness step)."""
    client, head_client = client_for(officer), client_for(head)
    enter(client, satker, dipa, "1.000")
    report = MonthlyReport.objects.get(satker=satker, month=1)
    MonthlyReport.objects.filter(pk=report.pk).update(due_date=today - timedelta(days=1))
    act(client, report, "submit")
    act(head_client, report, "verify")
    report.refresh_from_db()
    assert report.submitted_on_time is False
    act(client_for(reviewer), report, "return", comment="Perbaiki.")
    MonthlyReport.objects.filter(pk=report.pk).update(due_date=today + timedelta(days=10))
    act(client, report, "submit")
    act(head_client, report, "verify")
    report.refresh_from_db()
    assert report.submitted_on_time is False  # still late: the first sending was


def test_on_time_submission(officer, head, satker, dipa, today) -> None:
    client = client_for(officer)
    enter(client, satker, dipa, "1.000")
    report = MonthlyReport.objects.get(satker=satker, month=1)
    MonthlyReport.objects.filter(pk=report.pk).update(due_date=today)
    act(client, report, "submit")
    act(client_for(head), report, "verify")
    report.refresh_from_db()
    assert report.submitted_on_time is True


@pytest.fixture
def submitted(officer, satker, dipa) -> MonthlyReport:
    client = client_for(officer)
    enter(client, satker, dipa, "1.000.000", action="submit")
    return MonthlyReport.objects.get(satker=satker, month=1)


@pytest.mark.parametrize("persona", ["officer", "viewer"])
def test_only_reviewers_and_admins_approve_or_return(persona, submitted, request) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert act(client, submitted, "approve").status_code == 403
    assert act(client, submitted, "return", comment="x").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.transitions.count() == 1


def test_admin_may_approve(admin_user, head, submitted) -> None:
    act(client_for(head), submitted, "verify")
    assert act(client_for(admin_user), submitted, "approve").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


def test_other_province_officer_gets_404_on_every_step(other_officer, submitted) -> None:
    client = client_for(other_officer)
    assert client.get(reverse("budgets:report-detail", args=[submitted.pk])).status_code == 404
    for step in ("submit", "approve", "return", "reopen"):
        assert act(client, submitted, step, comment="x", reason="x").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_transition_from_the_wrong_state_is_refused_clearly(officer, reviewer, submitted) -> None:
    client = client_for(officer)
    response = act(client, submitted, "submit", follow=True)
    response = client.get(reverse("budgets:report-detail", args=[submitted.pk]))
    act(client, submitted, "submit")
    messages = [str(m) for m in client.get(reverse("budgets:report-detail", args=[submitted.pk])).context["messages"]]
    assert any("tidak dapat dilakukan" in m for m in messages)
    assert submitted.transitions.count() == 1
    assert response.status_code == 200


def test_admin_reopens_an_approved_report_with_a_reason(admin_user, reviewer, head, officer, submitted) -> None:
    act(client_for(head), submitted, "verify")
    act(client_for(reviewer), submitted, "approve")
    assert act(client_for(reviewer), submitted, "reopen", reason="Salah akun").status_code == 403
    admin = client_for(admin_user)
    refused = act(admin, submitted, "reopen", reason="")
    assert refused.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert act(admin, submitted, "reopen", reason="Koreksi SP2D setelah rekonsiliasi").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    last = ReportTransition.objects.filter(report=submitted).latest("at", "pk")
    assert (last.from_status, last.by, "rekonsiliasi" in last.comment) == ("APPROVED", admin_user, True)
    # Officers can edit again.
    page = client_for(officer).get(reverse("budgets:realization-entry", args=[submitted.satker.code,
                                                                           submitted.fiscal_year.year, 1]))  # fmt: skip
    assert "rekonsiliasi" in page.content.decode()


def test_officers_queue_lists_only_their_province(officer, other_officer, satker, other_satker, dipa) -> None:
    enter(client_for(officer), satker, dipa, "1.000", action="submit")
    client_for(other_officer).post(
        reverse("budgets:realization-entry", args=[other_satker.code, dipa.fiscal_year.year, 1]),
        {"version": 0, f"line_{dipa.other_line.pk}": "2.000", "action": "submit"},
    )
    assert MonthlyReport.objects.count() == 2
    listed = client_for(officer).get(reverse("budgets:report-list")).context["table"].page.object_list
    assert [row.record.satker for row in listed] == [satker]


def test_reminders_email_officers_of_satkers_with_overdue_reports(officer, satker, dipa, mailboxes, today) -> None:
    from django.core.management import call_command

    if today.month < 3:
        pytest.skip("needs a past month whose due date has passed this year")
    enter(client_for(officer), satker, dipa, "1.000", action="submit")  # January handed in
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    bengkulu = [m for m in mail.outbox if m.to == ["petugas@disperin.bengkuluprov.go.id"] and "Pengingat" in m.subject]
    assert len(bengkulu) == 1
    assert f"{dipa.fiscal_year.year}-01" not in bengkulu[0].body
    assert f"{dipa.fiscal_year.year}-02" in bengkulu[0].body
    # Aceh's officer gets one too (nothing submitted), but no one is told about a month not yet due.
    aceh = [m for m in mail.outbox if m.to == ["petugas@disperin.acehprov.go.id"]]
    assert len(aceh) == 1
    assert f"{dipa.fiscal_year.year}-{today.month:02d}" not in aceh[0].body


def test_a_new_user_with_no_email_does_not_break_notifications(satker, dipa) -> None:
    officer = UserFactory(role="OFFICER", province=satker.province, email="")
    enter(client_for(officer), satker, dipa, "1.000", action="submit")
    assert MonthlyReport.objects.get(satker=satker, month=1).status == Status.SUBMITTED


def test_emails_are_in_indonesian_whatever_the_senders_interface_language(officer, reviewer, satker, dipa,
                                                                          mailboxes, today) -> None:  # fmt: skip
    """The officer reads the e-mail, not the reviewer who switched to English: e-mails are sent in
    the site's language (the recipients' own language is not stored)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.formats import date_format

    from budgets.calendar import report_due_date
    from budgets.notifications import send_due_reminders

    officer_client, reviewer_client = client_for(officer), client_for(reviewer)
    for client in (officer_client, reviewer_client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    enter(officer_client, satker, dipa, "1.000", action="submit")
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert "Laporan diajukan" in mail.outbox[-1].subject and "Januari" in mail.outbox[-1].subject
    act(reviewer_client, report, "return", comment="Lengkapi bukti SP2D.")
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.SUBMITTED  # the head's step, not theirs
    head_client = client_for(MonthlyReport.objects.get(pk=report.pk).satker.province.users.get(role="HEAD"))
    head_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    act(head_client, report, "return", comment="Lengkapi bukti SP2D.")
    returned = mail.outbox[-1]
    assert "Laporan dikembalikan" in returned.subject and "Januari" in returned.subject
    assert "Komentar reviewer" in returned.body and "returned" not in returned.body.lower()

    with translation.override("en"):  # e.g. the daily reminders run under an English locale
        send_due_reminders(date(today.year + 1, 3, 1))
    reminder = next(m for m in mail.outbox if "Pengingat" in m.subject and m.to == [officer.email])
    assert "melewati batas waktu" in reminder.body
    with translation.override("id"):
        due = date_format(report_due_date(today.year, 1, []), "j F Y")
    assert f"{today.year}-01 (batas {due})" in reminder.body  # e.g. "batas 8 Januari 2026"
