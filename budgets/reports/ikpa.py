"""The national IKPA ranking (/reports/ikpa/): one row per satker with every indicator, its
composite and category as of a month, and the directorate's value built from the satkers'
values (the mean of their composites, never a composite of national sums).

The formulas are budgets/ikpa/rules.py's and the inputs budgets/ikpa/compute.py's; this module
adds what only the reports layer reads: the RO timeliness and achievement of ``ro_cells``.
Figures are estimates: the official IKPA is the treasury's (OM-SPAN).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from budgets import output_rules
from budgets.calendar import as_of_month
from budgets.ikpa import rules
from budgets.ikpa.compute import OutputFigures, OutputInputs, SatkerIkpa, ikpa_by_month
from budgets.models import FiscalYear
from budgets.reports.queries import BASIS_STATUSES, RealizationFilter, SatkerInfo, satkers_of
from budgets.reports.ro import RoFigures, ro_cells
from core.reporting.spec import ReportResult

# The columns of the indicators, in the treasury's order, then the composite.
INDICATOR_COLUMNS = (*rules.INDICATORS, "nilai")


def ikpa_month(filters: RealizationFilter, today: date) -> int:
    """The month the report stands at: the one asked for, else the year's as-of month."""
    return filters.month or as_of_month(filters.year, today)


def ro_outputs(figures: RoFigures) -> OutputInputs:
    """(satker, month) -> RO timeliness (ROs reported on time / ROs due, due months up to the
    month) and achievement (pagu-weighted, each RO capped at 100), from the cells of ``ro_cells``
    read up to the latest month asked. An earlier month is read from the same cells: its months'
    volumes and on-time reports (the adjustments, recorded without the month they correct, count
    in every month)."""
    by_satker: dict[int, list[tuple[Any, Any]]] = {}
    for (satker_id, output_id), entry in figures.cells.items():
        if entry.target is not None:
            by_satker.setdefault(satker_id, []).append((figures.outputs[output_id], entry))

    def outputs(satker_id: int, month: int) -> OutputFigures:
        cells = by_satker.get(satker_id, [])
        if not cells:
            return (None, None)
        due = {m for m in figures.due_months if m <= month}
        on_time = sum(len(entry.on_time_months & due) for _info, entry in cells)
        timeliness = output_rules.percent(on_time, len(due) * len(cells))
        achievements = []
        for info, entry in cells:
            volume = output_rules.volume_to_date(
                cumulative=info.cumulative,
                monthly=[v for m, v in entry.monthly.items() if m <= month],
                adjustments=entry.adjustments,
            )
            achievements.append((entry.pagu - entry.blokir, output_rules.achievement(volume, entry.target)))
        return (timeliness, rules.output_achievement(achievements))

    return outputs


def satker_ikpa(
    filters: RealizationFilter,
    fiscal_year: FiscalYear,
    today: date,
    months: list[int] | None = None,
    ikpa: rules.YearRules | None = None,
) -> tuple[dict[int, SatkerInfo], dict[int, dict[int, SatkerIkpa]]]:
    """The filter's satkers and, per satker, its IKPA per month of ``months`` (default: the
    report's month): the RO figures read once, up to the latest month."""
    months = months or [ikpa_month(filters, today)]
    satkers = satkers_of(filters)
    latest = max(months)
    # Timeliness and achievement only: the cells' realization (financial progress) is not read.
    figures = ro_cells(replace(filters, month=latest), satkers, ro=None, today=today, realization=False)
    values = ikpa_by_month(
        fiscal_year, list(satkers), months, statuses=BASIS_STATUSES[filters.basis],
        outputs=ro_outputs(figures), ikpa=ikpa,
    )  # fmt: skip
    return satkers, values


def imported_note(ikpa: SatkerIkpa) -> str:
    """Which values came from the treasury: "kontraktual: import 05, dispensasi: admin 02"."""
    return ", ".join(f"{key}: {source} {month:02d}" for key, (_value, month, source) in sorted(ikpa.imported.items()))


def ikpa_report(filters: RealizationFilter, *, fiscal_year: FiscalYear, today: date) -> ReportResult:
    """Satkers ranked by their IKPA estimate as of the month; totals: the directorate's value
    (the mean of the satkers' composites) and the mean of each indicator."""
    month = ikpa_month(filters, today)
    satkers, by_satker = satker_ikpa(filters, fiscal_year, today, [month])
    rows = []
    for satker_id, info in satkers.items():
        ikpa = by_satker[satker_id][month]
        rows.append({
            "satker": info.code, "satker_name": info.name, "province": info.province,
            "province_name": info.province_name, **ikpa.values, "nilai": ikpa.nilai, "kategori": ikpa.kategori,
            "diimpor": imported_note(ikpa),
        })  # fmt: skip
    rows.sort(key=lambda row: (row["nilai"] is None, -(row["nilai"] or 0), row["satker"]))
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row["nilai"] != previous:
            rank, previous = position, row["nilai"]
        row["rank"] = rank if row["nilai"] is not None else None
    totals: dict[str, Any] = {key: rules.mean(row[key] for row in rows) for key in INDICATOR_COLUMNS}
    totals["kategori"] = rules.category(totals["nilai"])
    totals["satkers"] = sum(1 for row in rows if row["nilai"] is not None)
    totals["month"] = month
    return ReportResult("ikpa", rows, totals, {"month": month}, {"month": month})
