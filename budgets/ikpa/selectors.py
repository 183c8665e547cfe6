"""Reads of the IKPA figures the treasury publishes (imported from OM-SPAN or typed by the admin)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from budgets.models import FiscalYear, IkpaTreasuryFigure

# indicator key -> (value, the month it was published for, source "import" / "admin")
TreasuryValue = tuple[Decimal, int, str]


def treasury_figures(
    satker_ids: Iterable[int], fiscal_year: FiscalYear, month: int
) -> dict[int, dict[str, TreasuryValue]]:
    """Per satker, per imported indicator, the latest figure with month <= ``month`` (the
    treasury's figure of a month holds until the next one). One query."""
    found: dict[int, dict[str, TreasuryValue]] = {}
    rows = (
        IkpaTreasuryFigure.objects.filter(satker_id__in=list(satker_ids), fiscal_year=fiscal_year, month__lte=month)
        .order_by("month")
        .values_list("satker_id", "indicator", "value", "month", "source")
    )
    for satker_id, indicator, value, of_month, source in rows:
        found.setdefault(satker_id, {})[indicator] = (value, of_month, source)  # later months overwrite
    return found
