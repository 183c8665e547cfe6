"""The submissions report's rows: one per satker with a DIPA and month started, the months
without a report filled in wherever they fall (before, between and after the reports, and for a
satker with no report at all), in satker then month order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from budgets.calendar import report_due_date
from budgets.models import MonthlyReport, SatkerAuthority
from budgets.reports.queries import RealizationFilter, submissions_report
from tests.factories import SatkerFactory

pytestmark = pytest.mark.django_db


def report(satker, fiscal_year, month: int, status: str, *, on_time: bool | None, stored_due: date | None = None):
    due = stored_due or report_due_date(fiscal_year.year, month, [])
    submitted = None
    if on_time is not None:
        day = due - timedelta(days=1) if on_time else due + timedelta(days=3)
        submitted = timezone.make_aware(datetime(day.year, day.month, day.day, 9, 30))
    return MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=month, status=status,
                                        due_date=due, submitted_at=submitted, submitted_on_time=on_time)  # fmt: skip


def test_months_without_a_report_are_filled_in_wherever_they_fall(dipa, satker, other_satker, province) -> None:
    year = dipa.fiscal_year
    for each in (satker, other_satker):
        SatkerAuthority.objects.create(satker=each, fiscal_year=year, authority="DK")
    # A satker with an authority but no DIPA: no reports are expected of it.
    SatkerAuthority.objects.create(satker=SatkerFactory(province=province, code="170099"), fiscal_year=year,
                                   authority="DK")  # fmt: skip
    report(satker, year, 2, "APPROVED", on_time=True)
    report(satker, year, 5, "SUBMITTED", on_time=False)
    report(satker, year, 6, "DRAFT", on_time=None, stored_due=date(year.year, 7, 31))
    # Early in January of the next year: December's report is not due yet.
    today = date(year.year + 1, 1, 2)

    result = submissions_report(RealizationFilter(year=year.year), fiscal_year=year, today=today)

    keys = [(row["satker"], row["month"]) for row in result.rows]
    assert keys == [(code, month) for code in ("110019", "170019") for month in range(1, 13)]
    aceh = result.rows[:12]  # no report at all: every month missing, December still pending
    assert {row["status"] for row in aceh} == {"MISSING"}
    assert [row["timeliness"] for row in aceh] == ["missing"] * 11 + ["pending"]
    assert aceh[0]["satker_name"] == "Dinas Perindustrian Provinsi Aceh" and aceh[0]["province"] == "11"
    assert [row["due_date"] for row in aceh] == [report_due_date(year.year, m, []) for m in range(1, 13)]
    bengkulu = {row["month"]: row for row in result.rows[12:]}
    assert [bengkulu[m]["status"] for m in range(1, 13)] == (
        ["MISSING", "APPROVED", "MISSING", "MISSING", "SUBMITTED", "DRAFT"] + ["MISSING"] * 6
    )
    assert bengkulu[2]["timeliness"] == "on_time" and bengkulu[2]["submitted_at"] is not None
    assert bengkulu[5]["timeliness"] == "late"
    assert bengkulu[6]["due_date"] == date(year.year, 7, 31)  # the stored due date, not the calendar's
    assert bengkulu[6]["timeliness"] == "missing" and bengkulu[6]["submitted_at"] is None
    assert bengkulu[1]["province_name"] == "Bengkulu"
    assert result.totals == {"on_time": 1, "late": 1, "missing": 20, "pending": 2, "satkers": 2}


def test_a_month_filter_and_the_current_year_stop_at_the_month(dipa, satker, other_satker) -> None:
    year = dipa.fiscal_year
    for each in (satker, other_satker):
        SatkerAuthority.objects.create(satker=each, fiscal_year=year, authority="DK")
    report(satker, year, 3, "APPROVED", on_time=True)
    report(satker, year, 4, "APPROVED", on_time=True)  # after the filter's month: left out
    later = date(year.year + 1, 6, 1)

    result = submissions_report(RealizationFilter(year=year.year, month=3, province="17"), fiscal_year=year,
                                today=later)  # fmt: skip
    assert [(row["satker"], row["month"], row["status"]) for row in result.rows] == [
        ("170019", 1, "MISSING"), ("170019", 2, "MISSING"), ("170019", 3, "APPROVED"),
    ]  # fmt: skip
    in_april = date(year.year, 4, 20)  # the year's months so far: January to April
    result = submissions_report(RealizationFilter(year=year.year), fiscal_year=year, today=in_april)
    assert [row["month"] for row in result.rows if row["satker"] == "170019"] == [1, 2, 3, 4]
    assert result.extra == {"months": 4}
