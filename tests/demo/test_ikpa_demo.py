"""The demo's IKPA figures from OM-SPAN (demo/ikpa.py): every demo satker, every month of 2022 and
2023, four indicators each, marked as imported (a demo upload per year), plausible and the same on
every load."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from budgets.models import BudgetLine, IkpaTreasuryFigure
from demo.ikpa import demo_figures
from imports.models import Upload


def test_the_figures_are_deterministic_and_plausible() -> None:
    assert demo_figures("170019", 2023) == demo_figures("170019", 2023)
    assert demo_figures("170019", 2023) != demo_figures("170019", 2022)
    values = [demo_figures(f"{n:02d}0019", 2023) for n in range(11, 50)]
    performance = [v for year in values for month in year.values() for k, v in month.items() if k != "dispensasi"]
    assert all(Decimal(0) <= v <= Decimal(100) and v == v.quantize(Decimal("0.01")) for v in performance)
    assert sum(v >= 90 for v in performance) / len(performance) > 0.85  # mostly 90-100 ...
    assert any(v < 90 for v in performance)  # ... with a few lower
    december = Counter(year[12]["dispensasi"] for year in values)
    assert december[Decimal(100)] > len(values) * 0.8  # most satkers without a dispensation


@pytest.mark.django_db
def test_every_demo_satker_month_of_2023_has_the_four_imported_figures(demo_data: str) -> None:
    assert "Nilai IKPA OM-SPAN TA 2023" in demo_data
    satkers = set(BudgetLine.objects.filter(fiscal_year__year=2023).values_list("satker__code", flat=True))
    figures = IkpaTreasuryFigure.objects.filter(fiscal_year__year=2023)
    per_satker_month = Counter(figures.values_list("satker__code", "month"))
    assert set(per_satker_month) == {(code, month) for code in satkers for month in range(1, 13)}
    assert set(per_satker_month.values()) == {4}
    upload = Upload.objects.get(kind="ikpa", original_name="monitoring-ikpa-2023-demo.xlsx")
    assert upload.status == Upload.Status.IMPORTED
    assert set(figures.values_list("source", "upload", "entered_by__username")) == {("import", upload.pk, "admin")}
    assert figures.filter(satker__code="170019", month=1).first().history.count() == 1
    assert IkpaTreasuryFigure.objects.filter(fiscal_year__year=2022).count() == len(
        set(BudgetLine.objects.filter(fiscal_year__year=2022).values_list("satker", flat=True))) * 12 * 4  # fmt: skip
