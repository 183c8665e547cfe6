"""The dashboard and its narrative quote the same figures, as of the same month, and hold the
satkers against the yardstick of that month (issue 17, findings 4 and 5), on the demo data."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from budgets.calendar import as_of_month
from budgets.models import FiscalYear
from budgets.reports.yardstick import yardstick
from core.formats import format_percent
from tests.conftest import client_for
from tests.writes import outputs_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data: str) -> None:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end)."""


def home(username: str, **query: object):
    user = get_user_model().objects.get(username=username)
    return client_for(user).get(reverse("dashboard:home"), query)


@pytest.mark.parametrize("year", [2022, None])  # a closed year and the running one
def test_the_kpi_and_the_narrative_quote_one_ranking(demo, year) -> None:
    response = home("reviewer", **({"year": year} if year else {}))
    dashboard = response.context["dashboard"]
    narrative = " ".join(response.context["narrative"])
    above = re.search(r"Sebanyak (\d+) provinsi mencatat realisasi [a-z ]+ di atas rata-rata tertimbang \(([\d,]+ %)",
                      narrative)  # fmt: skip
    assert above, narrative
    assert int(above.group(1)) == dashboard.above_average
    assert above.group(2) == format_percent(dashboard.average, "id")
    assert format_percent(dashboard.average_unweighted, "id") in narrative


def test_the_running_year_stands_at_the_last_completed_month(demo) -> None:
    today = timezone.localdate()
    response = home("reviewer")
    dashboard = response.context["dashboard"]
    fiscal_year = FiscalYear.objects.get(year=today.year)
    month = as_of_month(today.year, today)
    assert dashboard.month == month
    assert {row["months_expected"] for row in dashboard.ranking.rows} == {min(month, today.month - 1)}
    measure = yardstick(fiscal_year, month)
    page = response.content.decode()
    if measure is None:
        assert "belum ada triwulan yang berakhir" in page
        return
    # Mid-year the satkers are held against the last ended quarter's target, never the year-end threshold.
    assert measure.quarter is not None
    target = format_percent(measure.value, "id")
    assert f"Satker di bawah target penyerapan TW {measure.quarter_numeral} ({target})" in page
    assert all(row["persen"] < measure.value for row in dashboard.below_threshold)


def test_a_closed_year_holds_satkers_against_its_threshold(demo) -> None:
    page = home("reviewer", year=2023).content.decode()
    assert "Satker di bawah ambang tahun 2023 (90,00 %)" in page
    page = home("reviewer", year=2022).content.decode()
    assert "Satker di bawah ambang tahun 2022 (91,20 %)" in page


def test_the_narratives_outputs_stand_at_the_same_month(demo) -> None:
    """A running month's record, even in a report approved early, is not in the figures as of the
    last completed month (the realization's cut-off)."""
    from budgets.calendar import report_due_date
    from budgets.models import MonthlyReport, Regency, Satker
    from dashboard.figures import as_of, programme_figures
    from programs.models import NewEntrepreneur

    today = timezone.localdate()
    fiscal_year = FiscalYear.objects.get(year=today.year)
    cut_off = as_of(fiscal_year, today)
    before = programme_figures(year=today.year, authority="TP", as_of=cut_off).directorate["wub"]
    satker = Satker.objects.get(code="170019")
    report, _ = MonthlyReport.objects.update_or_create(
        satker=satker, fiscal_year=fiscal_year, month=today.month,
        defaults={"status": MonthlyReport.Status.APPROVED, "due_date": report_due_date(today.year, today.month)},
    )  # fmt: skip
    NewEntrepreneur.objects.create(satker=satker, fiscal_year=fiscal_year, month=today.month, report=report,
                                   name="Wirausaha Desember", business_type="Kuliner",
                                   regency=Regency.objects.filter(province=satker.province).first())  # fmt: skip
    outputs_written([report])
    assert programme_figures(year=today.year, authority="TP", as_of=cut_off).directorate["wub"] == before
    assert programme_figures(year=today.year, authority="TP", as_of=None).directorate["wub"] == before + 1
