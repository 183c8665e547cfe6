"""The late-report ledger (budgets/ledger.py): which reports are late or missing, how late, the
escalation stage in working days (holidays count as the due date counts them), the page's
scope, and the reminders sent once per stage."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from budgets import ledger
from budgets.models import BudgetLine, EscalationStage, LateReminder, Satker, TimelinessStep
from budgets.notifications import send_due_reminders
from core.models import Notification
from tests.budgets.ledger_world import JANUARY_DUE, head_of, holiday, make_year, sent_report
from tests.conftest import client_for
from tests.factories import SatkerFactory

pytestmark = pytest.mark.django_db
Stage = EscalationStage


@pytest.fixture
def year(satker, other_satker):
    return make_year(satker, other_satker)


def rows_of(fiscal_year, satker, today):
    (entry,) = ledger.satker_ledgers(fiscal_year, Satker.objects.filter(pk=satker.pk), today)
    return entry.rows


def test_nothing_is_late_on_the_due_date(year, satker) -> None:
    assert rows_of(year, satker, JANUARY_DUE) == []


def test_a_missing_report_is_the_operators_from_the_day_after_its_due_date(year, satker) -> None:
    (row,) = rows_of(year, satker, date(2025, 2, 8))  # a Saturday: no working day yet
    assert (row.missing, row.days_late, row.working_days_late, row.stage) == (True, 1, 0, Stage.OPERATOR)
    assert row.report.period == "2025-01" and row.report.due_date == JANUARY_DUE


def test_stages_count_working_days_and_skip_holidays(year, satker) -> None:
    assert rows_of(year, satker, date(2025, 2, 13))[0].stage == Stage.OPERATOR  # 4 working days
    assert rows_of(year, satker, date(2025, 2, 14))[0].stage == Stage.HEAD  # the 5th
    assert rows_of(year, satker, date(2025, 2, 21))[0].stage == Stage.DIRECTORATE  # the 10th
    holiday(date(2025, 2, 12))
    assert rows_of(year, satker, date(2025, 2, 14))[0].stage == Stage.OPERATOR  # the holiday is no working day
    assert rows_of(year, satker, date(2025, 2, 17))[0].stage == Stage.HEAD
    assert rows_of(year, satker, date(2025, 2, 21))[0].stage == Stage.HEAD
    (row,) = rows_of(year, satker, date(2025, 2, 24))
    assert (row.stage, row.days_late, row.working_days_late) == (Stage.DIRECTORATE, 17, 10)


def test_thresholds_are_named() -> None:
    assert (ledger.HEAD_STAGE_WORKING_DAYS, ledger.DIRECTORATE_STAGE_WORKING_DAYS) == (5, 10)


def test_a_report_sent_late_stays_in_the_ledger_with_its_days_late(year, satker) -> None:
    sent_report(satker, year, 1, date(2025, 2, 11), on_time=False)
    (row,) = rows_of(year, satker, date(2025, 3, 1))
    assert (row.missing, row.days_late, row.stages_due) == (False, 4, ())  # sent: no reminder owed


def test_a_report_sent_on_time_is_not_in_the_ledger(year, satker) -> None:
    sent_report(satker, year, 1, date(2025, 2, 5), on_time=True)
    assert rows_of(year, satker, date(2025, 3, 1)) == []


def test_when_the_head_sends_a_submitted_report_awaits_him(satker, other_satker) -> None:
    fiscal_year = make_year(satker, other_satker, step=TimelinessStep.VERIFICATION)
    sent_report(satker, fiscal_year, 1, date(2025, 2, 5), on_time=True)  # submitted, not verified
    (row,) = rows_of(fiscal_year, satker, date(2025, 2, 24))
    assert row.missing and row.report.awaiting_head
    assert row.stages_due == (Stage.HEAD, Stage.DIRECTORATE)  # the operator did his part


def test_report_sources_are_a_list_to_extend(year, satker) -> None:
    assert [source.key for source in ledger.REPORT_SOURCES] == ["monthly", "quarterly"]
    assert (
        rows_of(year, satker, date(2025, 2, 8))
        and ledger.satker_ledgers(year, Satker.objects.filter(pk=satker.pk), date(2025, 2, 8), sources=[])[0].rows == []
    )


def test_the_quarterly_and_year_end_reports_are_in_the_ledger(year, satker, officer, central_satker) -> None:
    """TW I 2025 is due on the 5th working day of April (7 April 2025): missing from the day
    after; a submitted one awaits the head (the year judges at verification); central units
    make none."""
    from budgets.models import QuarterlyReport

    assert [r.report.kind for r in rows_of(year, satker, date(2025, 4, 7))] == ["monthly"] * 2
    quarterly = [r for r in rows_of(year, satker, date(2025, 4, 8)) if r.report.kind == "quarterly"]
    assert [(r.report.period, r.report.period_label, r.missing) for r in quarterly] == [("2025-1", "TW I 2025", True)]
    assert quarterly[0].report.path == reverse("budgets:quarterly-detail", args=[satker.code, 2025, "1"])
    FiscalYear = type(year)
    FiscalYear.objects.filter(pk=year.pk).update(timeliness_step=TimelinessStep.VERIFICATION)
    year.refresh_from_db()
    QuarterlyReport.objects.create(satker=satker, fiscal_year=year, period=1, status="SUBMITTED",
                                   due_date=date(2025, 4, 7))  # fmt: skip
    (first,) = [r for r in rows_of(year, satker, date(2025, 4, 20)) if r.report.kind == "quarterly"]
    assert first.missing and first.report.awaiting_head
    everything = [r.report.period for r in rows_of(year, satker, date(2026, 3, 1)) if r.report.kind == "quarterly"]
    assert everything == ["2025-1", "2025-2", "2025-3", "2025-4", "2025-year-end"]
    BudgetLine.objects.create(satker=central_satker, fiscal_year=year, component=BudgetLine.objects.first().component,
                              account=BudgetLine.objects.first().account, pagu=1)  # fmt: skip
    assert not [r for r in rows_of(year, central_satker, date(2026, 3, 1)) if r.report.kind == "quarterly"]


# -- The page -----------------------------------------------------------------------------------


def test_the_directorate_sees_every_satker(year, satker, other_satker, reviewer, today) -> None:
    response = client_for(reviewer).get(reverse("budgets:ledger"), {"year": 2025})
    assert response.status_code == 200
    listed = [entry.satker for entry, _proposals in response.context["ledgers"]]
    assert listed == [other_satker, satker]  # by code
    # The whole of 2025 is past due: 12 months, 4 quarters and the year-end report.
    assert all(entry.missing == 17 for entry, _ in response.context["ledgers"])


def test_an_officer_sees_only_their_provinces_ledger(year, satker, other_satker, officer) -> None:
    response = client_for(officer).get(reverse("budgets:ledger"), {"year": 2025})
    assert [entry.satker for entry, _ in response.context["ledgers"]] == [satker]
    assert other_satker.code not in response.content.decode()
    assert response.context["propose_form"] is None


def test_the_year_parameter_is_strict(year, reviewer) -> None:
    client = client_for(reviewer)
    assert client.get(reverse("budgets:ledger"), {"year": "20x5"}).status_code == 400
    assert client.get(reverse("budgets:ledger"), {"year": "1999"}).status_code == 404


def test_the_page_costs_the_same_queries_however_many_satkers(year, reviewer, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("budgets:ledger"), {"year": 2025})
    line = BudgetLine.objects.first()
    for n in range(5):
        unit = SatkerFactory(province=line.satker.province, code=f"17{n:04d}")
        BudgetLine.objects.create(satker=unit, fiscal_year=year, component=line.component, account=line.account, pagu=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("budgets:ledger"), {"year": 2025})


# -- Escalating reminders -----------------------------------------------------------------------


@pytest.fixture
def people(officer, reviewer, province):
    officer.email, reviewer.email = "petugas@disperin.bengkuluprov.go.id", "reviewer@kemenperin.go.id"
    officer.save()
    reviewer.save()
    return {"officer": officer, "reviewer": reviewer, "head": head_of(province)}


def sent_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [address]]


def test_each_stage_is_sent_once_to_its_people(year, satker, other_satker, people) -> None:
    holiday(date(2025, 2, 12))
    officer, head = "petugas@disperin.bengkuluprov.go.id", "kadis@disperin.bengkuluprov.go.id"
    reviewer = "reviewer@kemenperin.go.id"
    send_due_reminders(date(2025, 2, 10))
    assert len(sent_to(officer)) == 1 and "Pengingat" in sent_to(officer)[0]
    assert sent_to(head) == [] and sent_to(reviewer) == []
    send_due_reminders(date(2025, 2, 11))  # again the next day: nothing new
    assert len(sent_to(officer)) == 1
    send_due_reminders(date(2025, 2, 14))  # 4 working days (the 12th is a holiday): still the operator's
    assert sent_to(head) == []
    send_due_reminders(date(2025, 2, 17))
    assert len(sent_to(head)) == 1 and "Kepala Dinas" in sent_to(head)[0] and len(sent_to(officer)) == 1
    send_due_reminders(date(2025, 2, 24))
    assert len(sent_to(reviewer)) == 2  # Bengkulu's and Aceh's satkers on the directorate's list
    assert all("Daftar direktorat" in subject for subject in sent_to(reviewer))
    send_due_reminders(date(2025, 2, 25))
    assert (len(sent_to(officer)), len(sent_to(head)), len(sent_to(reviewer))) == (1, 1, 2)
    stages = set(LateReminder.objects.filter(satker=satker).values_list("period", "stage"))
    assert stages == {("2025-01", "OPERATOR"), ("2025-01", "HEAD"), ("2025-01", "DIRECTORATE")}
    # The same messages are in their inboxes, linked to the ledger.
    assert Notification.objects.filter(recipient=people["head"]).count() == 1
    assert Notification.objects.get(recipient=people["head"]).url == reverse("budgets:ledger") + "?year=2025"


def test_a_first_run_long_after_catches_up_in_order_once(year, satker, people) -> None:
    send_due_reminders(date(2025, 3, 3))
    officer, head = "petugas@disperin.bengkuluprov.go.id", "kadis@disperin.bengkuluprov.go.id"
    assert len(sent_to(officer)) == 1 and len(sent_to(head)) == 1
    assert "2025-01" in mail.outbox[0].body
    call_command("send_reminders", date=date(2025, 3, 3), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(sent_to(officer)) == 1 and len(sent_to(head)) == 1


def test_a_late_report_sent_since_is_not_reminded(year, satker, people) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent_report(satker, year, 1, date(2025, 2, 10), on_time=False)
    send_due_reminders(date(2025, 2, 20))
    assert sent_to("petugas@disperin.bengkuluprov.go.id") == []
