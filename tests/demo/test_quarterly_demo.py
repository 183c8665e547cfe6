"""The quarterly reports of load_demo_data (demo/quarterly.py): every provincial satker's four
quarters and year-end report in 2022 and 2023, most approved, a few late, obstacles of several
categories where the rules ask for them, some carried over and closed later; the figures are the
services'."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from budgets.models import Obstacle, QuarterlyReport
from budgets.reports.quarterly import report_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data: str) -> str:
    return demo_data


def test_past_years_have_every_quarter_and_the_year_end(demo) -> None:
    assert "Laporan triwulan TA 2022:" in demo
    for year in (2022, 2023):
        reports = QuarterlyReport.objects.filter(fiscal_year__year=year)
        per_satker = reports.values("satker").annotate(n=Count("pk")).values_list("n", flat=True)
        assert set(per_satker) == {5}
        assert reports.filter(kind="YEAR_END").count() == len(per_satker)
        approved = reports.filter(status="APPROVED").count()
        assert approved / reports.count() > 0.9
        assert 0 < reports.filter(sent_on_time=False).count() < reports.count() * 0.2


def test_obstacles_where_the_rules_ask_and_carried_then_closed(demo) -> None:
    today = timezone.localdate()
    assert Obstacle.objects.values("category").distinct().count() >= 4
    carried = Obstacle.objects.annotate(n=Count("reported_in")).filter(n__gt=1)
    assert carried.filter(status="CLOSED").exists()
    assert Obstacle.objects.filter(status="CLOSED", resolved=False).exists()
    assert Obstacle.objects.filter(status="CLOSED", resolved=True).exists()
    for report in QuarterlyReport.objects.filter(fiscal_year__year=2023, status="APPROVED").select_related(
        "satker", "fiscal_year"
    )[:40]:
        figures = report_figures(report, today=today)
        assert not figures.months_not_approved
        if figures.obstacle_reasons():
            assert report.obstacles.exists(), report
