"""Each report's query count does not depend on the number of provinces, satkers, lines or
reports: measured at two data sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import BudgetLine, MonthlyReport, Province, SatkerAuthority
from reports.catalog import REPORTS
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory
from tests.writes import add_realization

pytestmark = pytest.mark.django_db


def add_provinces(dipa, count: int, start: int) -> None:
    """``count`` more provinces, each with a satker, two lines, an approved report and realization."""
    for index in range(start, start + count):
        code = f"{20 + index:02d}"
        province = ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-Q{index}")
        satker = SatkerFactory(province=province, code=f"{code}0019")
        SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
        report = MonthlyReport.objects.create(
            satker=satker,
            fiscal_year=dipa.fiscal_year,
            month=1,
            due_date="2026-02-06",
            status="APPROVED",
            submitted_on_time=True,
        )
        for template in (dipa.ovop, dipa.travel):
            line = BudgetLine.objects.create(
                satker=satker,
                fiscal_year=dipa.fiscal_year,
                component=template.component,
                account=template.account,
                pagu=10_000_000,
            )
            add_realization(report=report, line=line, amount=1_000_000)


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("fmt", ["json", "html", "xlsx"])
def test_report_query_count_is_constant(name, fmt, reviewer, dipa, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    url = reverse(f"reports:{name}")
    params = {"year": dipa.fiscal_year.year, "format": fmt}
    add_provinces(dipa, 2, 0)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url, params).status_code == 200
    add_provinces(dipa, 15, 2)
    assert Province.objects.count() >= 17
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, params).status_code == 200
