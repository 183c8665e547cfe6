"""IKPA's capaian output from the RO figures (budgets/reports/ikpa.py ``ro_outputs`` over
``ro_cells``), on the RO report's hand-built year (tests/reports/test_ro_report.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from budgets.ikpa import rules
from budgets.ikpa.year_rules import year_rules
from budgets.models import FiscalYear
from budgets.reports.ikpa import ro_outputs
from budgets.reports.queries import RealizationFilter, satkers_of
from budgets.reports.ro import ro_cells
from tests.reports.test_ro_report import ro_year  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_timeliness_and_capped_pagu_weighted_achievement(ro_year, satker, other_satker, today) -> None:  # noqa: F811
    """Bengkulu, as of March (all three months past due): ROs wub (target 100, effective pagu 90 jt)
    and docs (cumulative, target 4, pagu 50 jt); reports of January and February on time, March late.
        timeliness = (2 + 2) on time / (3 months x 2 ROs) = 66.67
        wub volume 10 + 20 + 5, corrected by -2 in March = 33 -> 33 %; docs: largest month 3 -> 75 %
        achievement = (33 x 90 + 75 x 50) / 140 = 6720 / 140 = 48
        capaian output (share 50) = (66.67 x 50 + 48 x 50) / 100 = 57.335 -> 57.34
    As of February: timeliness 4 / 4 = 100; wub 10 + 20 - 2 = 28 % (an adjustment is recorded
    without the month it corrects: it counts in every month read), docs 75 %:
        (28 x 90 + 75 x 50) / 140 = 6270 / 140 = 44.79
    Aceh as of March: on time in January and February (submitted counts for timeliness) -> 2 / 3
    = 66.67; volume of the approved months 5 + 10 = 15 of 50 -> 30 %."""
    filters = RealizationFilter(year=ro_year.year, month=3)
    outputs = ro_outputs(ro_cells(filters, satkers_of(filters), ro=None, today=today))
    assert outputs(satker.pk, 3) == (D("66.67"), D("48.00"))
    assert outputs(satker.pk, 2) == (D("100.00"), D("44.79"))
    assert outputs(other_satker.pk, 3) == (D("66.67"), D("30.00"))
    ikpa = year_rules(FiscalYear.objects.get(year=ro_year.year))
    assert rules.output_score(*outputs(satker.pk, 3), ikpa) == D("57.34")
