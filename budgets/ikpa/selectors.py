"""Reads of the IKPA figures the treasury publishes (imported from OM-SPAN or typed by the admin)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from budgets.models import FiscalYear, IkpaTreasuryFigure, IkpaTreasuryPublished
from budgets.models.ikpa_published import PUBLISHED_VALUES

# indicator key -> (value, the month it was published for, source "import" / "admin")
TreasuryValue = tuple[Decimal, int, str]


# (month, value, source) of one indicator's figures, in month order
FigureRows = list[tuple[int, Decimal, str]]


def figure_rows(satker_ids: Iterable[int], fiscal_year: FiscalYear, month: int) -> dict[int, dict[str, FigureRows]]:
    """Per satker and indicator, its figures of months up to ``month`` in month order. One query."""
    rows = (
        IkpaTreasuryFigure.objects.filter(satker_id__in=list(satker_ids), fiscal_year=fiscal_year, month__lte=month)
        .order_by("month")
        .values_list("satker_id", "indicator", "month", "value", "source")
    )
    found: dict[int, dict[str, FigureRows]] = {}
    for satker_id, indicator, of_month, value, source in rows:
        found.setdefault(satker_id, {}).setdefault(indicator, []).append((of_month, value, source))
    return found


def latest_figures(figures: dict[str, FigureRows], month: int) -> dict[str, TreasuryValue]:
    """The figure of each indicator that holds at ``month``: the latest published up to it (the
    treasury's figure of a month holds until the next one)."""
    latest: dict[str, TreasuryValue] = {}
    for indicator, rows in figures.items():
        held = [(value, of_month, source) for of_month, value, source in rows if of_month <= month]
        if held:
            latest[indicator] = held[-1]
    return latest


def treasury_figures(
    satker_ids: Iterable[int], fiscal_year: FiscalYear, month: int
) -> dict[int, dict[str, TreasuryValue]]:
    """Per satker, per imported indicator, the latest figure with month <= ``month``. One query."""
    return {
        satker_id: latest_figures(figures, month)
        for satker_id, figures in figure_rows(satker_ids, fiscal_year, month).items()
    }


def treasury_published(
    satker_ids: Iterable[int], fiscal_year: FiscalYear, month: int
) -> dict[int, tuple[int, dict[str, Decimal | None]]]:
    """Per satker, the treasury's own IKPA values (OM-SPAN's Monitoring IKPA: revisi, deviasi,
    penyerapan, capaian_output, nilai_akhir) of the latest month <= ``month`` that has them, with
    that month: for display beside the product's estimate ("the official value is the
    treasury's"), never an input of the computation. One query."""
    found: dict[int, tuple[int, dict[str, Decimal | None]]] = {}
    rows = (
        IkpaTreasuryPublished.objects.filter(satker_id__in=list(satker_ids), fiscal_year=fiscal_year, month__lte=month)
        .order_by("month")
        .values_list("satker_id", "month", *PUBLISHED_VALUES)
    )
    for satker_id, of_month, *values in rows:
        found[satker_id] = (of_month, dict(zip(PUBLISHED_VALUES, values, strict=True)))  # later months overwrite
    return found
