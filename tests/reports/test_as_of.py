"""Figures "as of" one month: the default cut-off is the last completed month, a month still
running does not move a province up the ranking, and each province's reporting completeness is
shown beside its figures (issue 17, findings 2 and 4)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.calendar import as_of_month, report_due_date
from budgets.models import MonthlyReport, SatkerAuthority
from budgets.reports.queries import RealizationFilter, province_ranking
from budgets.reports.yardstick import yardstick
from tests.conftest import client_for
from tests.writes import add_realization

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


def report(dipa, satker, month: int, status: str) -> MonthlyReport:
    return MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=month, status=status,
                                        due_date=report_due_date(dipa.fiscal_year.year, month, []))  # fmt: skip


@pytest.fixture
def year_in_december(dipa, satker, other_satker, central_satker):
    """Bengkulu (170019) and Aceh (110019) as TP provinces. Bengkulu has January-November approved
    at 1 M a month and, on 7 December, a December report of 100 M approved before the month ended;
    Aceh has January-October approved at 3 M a month and November still awaiting review."""
    for unit, authority in ((satker, "TP"), (other_satker, "TP"), (central_satker, "KP")):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority=authority)
    for month in range(1, 12):
        add_realization(report=report(dipa, satker, month, Status.APPROVED), line=dipa.ovop, amount=1_000_000)
    add_realization(report=report(dipa, satker, 12, Status.APPROVED), line=dipa.travel, amount=100_000_000)
    for month in range(1, 11):
        add_realization(report=report(dipa, other_satker, month, Status.APPROVED), line=dipa.other_line,
                        amount=3_000_000)  # fmt: skip
    report(dipa, other_satker, 11, Status.SUBMITTED)
    return date(dipa.fiscal_year.year, 12, 7)


def test_the_default_cut_off_is_the_last_completed_month() -> None:
    assert as_of_month(2026, date(2026, 12, 7)) == 11
    assert as_of_month(2022, date(2026, 12, 7)) == 12
    assert as_of_month(2026, date(2026, 1, 15)) == 1  # nothing has ended yet: January, with 0 months expected


def test_a_month_still_running_does_not_lift_a_province(dipa, year_in_december) -> None:
    today = year_in_december
    year = dipa.fiscal_year.year
    as_of = province_ranking(RealizationFilter(year=year, month=as_of_month(year, today)), today=today)
    rows = {row["province"]: row for row in as_of.rows}
    # Bengkulu: 11 M of 170 M effective (its December report is after the cut-off); Aceh: 30 M of 80 M.
    assert (rows["17"]["realisasi"], rows["17"]["persen"]) == (11_000_000, Decimal("6.47"))
    assert (rows["11"]["rank"], rows["17"]["rank"]) == (1, 2)
    # Had December counted, Bengkulu would lead on a month the others cannot report yet.
    whole = province_ranking(RealizationFilter(year=year, month=12), today=today)
    assert {row["province"]: row["rank"] for row in whole.rows} == {"17": 1, "11": 2}


def test_each_province_shows_its_reporting_completeness(dipa, year_in_december) -> None:
    today = year_in_december
    year = dipa.fiscal_year.year
    ranking = province_ranking(RealizationFilter(year=year, month=11), today=today)
    rows = {row["province"]: row for row in ranking.rows}
    assert (rows["17"]["months_approved"], rows["17"]["months_expected"], rows["17"]["reporting_complete"]) == (
        11, 11, True
    )  # fmt: skip
    assert (rows["11"]["months_approved"], rows["11"]["months_expected"], rows["11"]["reporting_complete"]) == (
        10, 11, False
    )  # fmt: skip
    assert ranking.totals["provinces_incomplete"] == 1
    assert rows["11"]["rank"] is not None  # marked, and ranked on what it has


def test_central_units_stand_apart_from_their_province(dipa, year_in_december, central_satker) -> None:
    line = dipa.ovop.__class__.objects.create(satker=central_satker, fiscal_year=dipa.fiscal_year,
                                              component=dipa.ovop.component, account=dipa.ovop.account,
                                              pagu=500_000_000)  # fmt: skip
    add_realization(report=report(dipa, central_satker, 1, Status.APPROVED), line=line, amount=400_000_000)
    today = year_in_december
    ranking = province_ranking(RealizationFilter(year=dipa.fiscal_year.year, month=11), today=today)
    bengkulu = next(row for row in ranking.rows if row["province"] == "17")
    assert bengkulu["pagu_efektif"] == 170_000_000  # the central unit in Bengkulu's fixture province is not in it
    assert (ranking.totals["central_pagu_efektif"], ranking.totals["central_realisasi"]) == (500_000_000, 400_000_000)
    assert ranking.params["authority"] == "TP"


def test_reports_state_the_month_they_stand_at(reviewer, dipa, year_in_december) -> None:
    today = timezone.localdate()
    client = client_for(reviewer)
    for name in ("realization", "provinces", "satkers", "monthly", "submissions"):
        data = json.loads(client.get(reverse(f"reports:{name}"), {"format": "json"}).content)
        assert data["params"]["month"] == as_of_month(today.year, today), name
    asked = json.loads(client.get(reverse("reports:provinces"), {"format": "json", "month": 3}).content)
    assert asked["params"]["month"] == 3


def test_the_yardstick_is_the_quarters_target_until_the_year_ends(dipa) -> None:
    fiscal_year = dipa.fiscal_year
    assert yardstick(fiscal_year, 2) is None
    assert (yardstick(fiscal_year, 5).value, yardstick(fiscal_year, 5).quarter) == (fiscal_year.target_q1, 1)
    assert (yardstick(fiscal_year, 11).value, yardstick(fiscal_year, 11).quarter) == (fiscal_year.target_q3, 3)
    assert (yardstick(fiscal_year, 12).value, yardstick(fiscal_year, 12).quarter) == (
        fiscal_year.below_average_threshold, None
    )  # fmt: skip
