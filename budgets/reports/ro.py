"""Output (RO) achievement figures: per RO, per satker and RO, per province and RO, as of a month,
from the reports that count (approved, or approved and submitted with ``basis=submitted``).

Each satker's figures on one RO (a "cell") come from a fixed number of queries whatever the data
size (targets, the month's RO rows, adjustments, the RO's budget lines, their realization, the
holidays for the due dates), then are summed here: a few thousand rows a year nationally. The
rules (volume to date, achievement, pagu-weighted physical progress, the gap flag) are
budgets/output_rules.py's; nothing here re-states them.

- target: the sum of the satkers' OutputVolumeTarget of the year;
- volume: each satker's ``volume_to_date`` over its months up to the cut-off, plus the
  adjustments recorded in its reports up to the cut-off (whatever month they correct), summed
  over satkers;
- physical progress: a satker's latest reported progress of the RO up to the cut-off; across
  satkers or ROs weighted by the RO's pagu (``weighted_progress``);
- financial progress: realization of the RO's budget lines in the counted months / their
  effective pagu;
- timeliness: the satker's ROs with a target, for every month up to the cut-off whose report is
  past its due date, against those reported in a report submitted by its due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from budgets import output_rules
from budgets.calendar import report_due_date
from budgets.models import (
    BudgetLine,
    ComponentRealization,
    Holiday,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputVolumeTarget,
    Realization,
)
from budgets.reports.queries import BASIS_STATUSES, RealizationFilter, SatkerInfo, satkers_of
from core.reporting.spec import ReportResult

RO_CODE_PARTS = 3
# The RO report's rows down to a level: per RO, then per province and RO, then per satker and RO.
LEVELS = {"ro": _("RO"), "province": _("Provinsi"), "satker": _("Satker")}


@dataclass(frozen=True)
class RoInfo:
    code: str  # kegiatan.KRO.RO
    name: str
    unit: str
    cumulative: bool


def ro_code_q(code: str, path: str = "") -> Q:
    """The RO of a full code (``6503.RBS.001``); a malformed code matches nothing."""
    prefix = f"{path}__" if path else ""
    parts = code.split(".")
    if len(parts) != RO_CODE_PARTS or not all(parts):
        return Q(pk__in=[])
    activity, output_class, ro = parts
    return Q(**{f"{prefix}output_class__activity__code": activity, f"{prefix}output_class__code": output_class,
                f"{prefix}code": ro})  # fmt: skip


def ro_choices() -> list[tuple[str, str]]:
    """Every RO as (full code, code and name), for the report's filter."""
    return [(info.code, f"{info.code} {info.name}") for info in outputs_of(None).values()]


def outputs_of(ro: str | None) -> dict[int, RoInfo]:
    """The ROs by primary key (one, when ``ro`` names it), in code order."""
    outputs = Output.objects.all() if ro is None else Output.objects.filter(ro_code_q(ro))
    rows = outputs.order_by("output_class__activity__code", "output_class__code", "code").values_list(
        "pk", "output_class__activity__code", "output_class__code", "code", "name", "unit", "cumulative"
    )
    return {pk: RoInfo(f"{activity}.{kro}.{code}", name, unit, cumulative)
            for pk, activity, kro, code, name, unit, cumulative in rows}  # fmt: skip


@dataclass(slots=True)
class Cell:
    """One satker's figures on one RO (``volume`` and ``on_time`` once every row is read)."""

    target: Decimal | None = None  # None: no target in the year
    monthly: dict[int, Decimal] = field(default_factory=dict)  # month -> the month's volume
    adjustments: list[Decimal] = field(default_factory=list)
    progress: Decimal | None = None  # of the latest month reported
    progress_month: int = 0
    on_time_months: set[int] = field(default_factory=set)
    pagu: int = 0
    blokir: int = 0
    realisasi: int = 0
    volume: Decimal = Decimal(0)
    on_time: int = 0  # due months reported in a report sent on time

    def finish(self, *, cumulative: bool, due_months: set[int]) -> None:
        self.volume = output_rules.volume_to_date(
            cumulative=cumulative, monthly=self.monthly.values(), adjustments=self.adjustments
        )
        self.on_time = len(self.on_time_months & due_months)


@dataclass
class RoFigures:
    """The cells of a filter, with what their rows need."""

    outputs: dict[int, RoInfo]
    satkers: dict[int, SatkerInfo]
    cells: dict[tuple[int, int], Cell]  # (satker pk, output pk) -> its cell
    due_months: list[int]  # months up to the cut-off whose report is past its due date


def ro_cells(
    filters: RealizationFilter, satkers: dict[int, SatkerInfo], *, ro: str | None, today: date, realization: bool = True
) -> RoFigures:
    """Every satker's figures on every RO it has a target, a budget line or a reported row of.
    Without ``realization`` the cells' ``realisasi`` stays 0 (their financial progress is not
    read): for IKPA, which reads only timeliness and achievement."""
    outputs = outputs_of(ro)
    cutoff = filters.month or 12
    cells: dict[tuple[int, int], Cell] = {}
    if not satkers or not outputs:
        return RoFigures(outputs, satkers, cells, [])
    fiscal_year_id, ids = next(iter(satkers.values())).fiscal_year_id, list(satkers)
    only = {"output_id__in": list(outputs)} if ro else {}
    statuses = BASIS_STATUSES[filters.basis]
    counted_statuses = {str(status) for status in statuses}

    def cell(satker_id: int, output_id: int) -> Cell:
        entry = cells.get((satker_id, output_id))
        if entry is None:
            entry = cells[(satker_id, output_id)] = Cell()
        return entry

    targets = OutputVolumeTarget.objects.filter(fiscal_year_id=fiscal_year_id, satker_id__in=ids, **only)
    for satker_id, output_id, volume in targets.order_by().values_list("satker_id", "output_id", "volume"):
        cell(satker_id, output_id).target = volume

    # The RO rows that count, and those of reports sent on time whatever their review (timeliness
    # is about sending): one read of both, of the year's rows only (their own year, read from its
    # covering index; the report's year too, so that only that year's reports are joined).
    rows = OutputAchievement.objects.filter(
        Q(report__status__in=statuses) | Q(report__submitted_on_time=True), fiscal_year_id=fiscal_year_id,
        report__fiscal_year_id=fiscal_year_id, report__satker_id__in=ids, report__month__lte=cutoff, **only,
    )  # fmt: skip
    for satker_id, output_id, month, volume, progress, on_time, status in rows.order_by().values_list(
        "report__satker_id", "output_id", "report__month", "volume", "physical_progress",
        "report__submitted_on_time", "report__status",
    ):  # fmt: skip
        entry = cell(satker_id, output_id)
        if on_time:
            entry.on_time_months.add(month)
        if status in counted_statuses:
            entry.monthly[month] = volume
            if month > entry.progress_month:
                entry.progress, entry.progress_month = progress, month

    adjustments = OutputAdjustment.objects.filter(
        report__fiscal_year_id=fiscal_year_id, report__satker_id__in=ids, report__status__in=statuses,
        report__month__lte=cutoff, **only,
    )  # fmt: skip
    for satker_id, output_id, volume in adjustments.order_by().values_list("report__satker_id", "output_id", "volume"):
        cell(satker_id, output_id).adjustments.append(volume)

    # Realization per RO from the per-component sums (budgets/realization_summary.py: read from
    # the year's covering index, where realization rows would be read for every year): a
    # component's realization belongs to the RO of its lines. Where a satker's component has lines
    # under several ROs (or none), those lines' realization is read row by row, in one more query.
    lines = BudgetLine.objects.filter(fiscal_year_id=fiscal_year_id, satker_id__in=ids)
    ro_of_component: dict[tuple[int, int], set[int | None]] = {}
    for satker_id, component_id, output_id, pagu, blokir in (
        lines.order_by().values_list("satker_id", "component_id", "output_id").annotate(Sum("pagu"), Sum("blokir"))
    ):
        ro_of_component.setdefault((satker_id, component_id), set()).add(output_id)
        if output_id in outputs:
            entry = cell(satker_id, output_id)
            entry.pagu += int(pagu or 0)
            entry.blokir += int(blokir or 0)
    split = [pair for pair, ros in ro_of_component.items() if len(ros) > 1]
    # The report's year is named too, so that only that year's reports are joined.
    counted_reports = {"report__fiscal_year_id": fiscal_year_id, "report__satker_id__in": ids,
                       "report__status__in": statuses, "report__month__lte": cutoff}  # fmt: skip
    per_component = ComponentRealization.objects.filter(fiscal_year_id=fiscal_year_id, **counted_reports)
    for satker_id, component_id, amount in (
        per_component.order_by().values_list("report__satker_id", "component_id").annotate(Sum("amount"))
        if realization else []
    ):  # fmt: skip
        ros = ro_of_component.get((satker_id, component_id), set())
        if len(ros) == 1 and (output_id := next(iter(ros))) in outputs:
            cell(satker_id, output_id).realisasi += int(amount or 0)
    if split and realization:
        of_split = Q()
        for satker_id, component_id in split:
            of_split |= Q(line__satker_id=satker_id, line__component_id=component_id)
        rows_of_split = Realization.objects.filter(of_split, line__output_id__in=list(outputs), **counted_reports)
        for satker_id, output_id, amount in (
            rows_of_split.order_by().values_list("report__satker_id", "line__output_id").annotate(Sum("amount"))
        ):
            cell(satker_id, output_id).realisasi += int(amount or 0)

    holidays = Holiday.objects.filter(date__year__in=[filters.year, filters.year + 1]).values_list("date", flat=True)
    holidays = list(holidays)
    due_months = [month for month in range(1, cutoff + 1) if report_due_date(filters.year, month, holidays) < today]
    due = set(due_months)
    for (_satker_id, output_id), entry in cells.items():
        entry.finish(cumulative=outputs[output_id].cumulative, due_months=due)
    return RoFigures(outputs, satkers, cells, due_months)


def figures_of(cells: list[tuple[RoInfo, Cell]], due_months: list[int], *, one_ro: bool) -> dict[str, Any]:
    """The figures of some cells: of one RO (``one_ro``: target, volume and achievement add up)
    or of several (their units differ: only progress, money and timeliness add up)."""
    pagu = blokir = realisasi = due = on_time = 0
    target: Decimal | None = None
    volume = Decimal(0)
    for _info, entry in cells:
        pagu += entry.pagu
        blokir += entry.blokir
        realisasi += entry.realisasi
        volume += entry.volume
        if entry.target is not None:
            target = entry.target if target is None else target + entry.target
            due += len(due_months)
            on_time += entry.on_time
    if len(cells) == 1:
        physical = cells[0][1].progress
    else:
        physical = output_rules.weighted_progress((entry.pagu, entry.progress) for _info, entry in cells)
    financial = output_rules.percent(realisasi, pagu - blokir)
    figures: dict[str, Any] = {"target": None, "volume": None, "achievement": None}
    if one_ro:
        figures = {"target": target, "volume": volume, "achievement": output_rules.achievement(volume, target)}
    return {
        **figures,
        "physical_progress": physical,
        "financial_progress": financial,
        "gap_flag": output_rules.gap_flag(physical, financial),
        "pagu_efektif": pagu - blokir,
        "realisasi": realisasi,
        "ro_due": due,
        "ro_on_time": on_time,
        "timeliness": output_rules.percent(on_time, due),
    }


def _ro_keys(info: RoInfo) -> dict[str, Any]:
    return {"ro": info.code, "ro_name": info.name, "unit": info.unit}


def ro_report(filters: RealizationFilter, *, ro: str | None, level: str | None = None, today: date) -> ReportResult:
    """Rows per RO over the filter's satkers (``level`` "ro"), per province and RO (provincial
    satkers: central units are never a province's), and per satker and RO, down to ``level``.
    The first two are province-level aggregates any role reads; satker rows only for the satkers
    ``filters.satkers`` allows (an officer's own province). Without ``level``: with a province
    asked for, down to its satkers; else the RO rows only (the provinces' rows, a few hundred, and
    the whole country's satker rows are asked for with ``level=province`` or ``level=satker``:
    exports to work on, too long a page to read). Totals: all ROs together (target, volume and
    achievement only with one RO asked for: units differ)."""
    if level is None:
        level = "satker" if filters.province is not None else "ro"
    everyone = satkers_of(replace(filters, satkers=None))
    visible = everyone if filters.satkers is None or level != "satker" else satkers_of(filters)
    figures = ro_cells(filters, everyone, ro=ro, today=today)
    outputs, due_months = figures.outputs, figures.due_months
    by_ro: dict[int, list[tuple[RoInfo, Cell]]] = {}
    by_province: dict[tuple[str, int], list[tuple[RoInfo, Cell]]] = {}
    satker_rows = []
    for (satker_id, output_id), entry in figures.cells.items():
        info, satker = outputs[output_id], everyone[satker_id]
        by_ro.setdefault(output_id, []).append((info, entry))
        if not satker.is_central:
            by_province.setdefault((satker.province, output_id), []).append((info, entry))
        if level == "satker" and satker_id in visible:
            satker_rows.append({
                "level": "satker", **_ro_keys(info), "province": satker.province,
                "province_name": satker.province_name, "satker": satker.code, "satker_name": satker.name,
                **figures_of([(info, entry)], due_months, one_ro=True),
            })  # fmt: skip
    order = {pk: index for index, pk in enumerate(outputs)}
    province_names = {info.province: info.province_name for info in everyone.values()}
    rows = [{"level": "ro", **_ro_keys(outputs[pk]), **figures_of(by_ro[pk], due_months, one_ro=True)}
            for pk in sorted(by_ro, key=order.__getitem__)]  # fmt: skip
    rows += [] if level == "ro" else [
        {"level": "province", **_ro_keys(outputs[pk]), "province": province, "province_name": province_names[province],
         **figures_of(cells, due_months, one_ro=True)}
        for (province, pk), cells in sorted(by_province.items(), key=lambda item: (order[item[0][1]], item[0][0]))
    ]  # fmt: skip
    rows += sorted(satker_rows, key=lambda row: (row["ro"], row["satker"]))
    every_cell = [pair for cells in by_ro.values() for pair in cells]
    totals = figures_of(every_cell, due_months, one_ro=len(outputs) == 1)
    totals["gap_flags"] = sum(1 for row in rows if row["level"] == "ro" and row["gap_flag"])
    return ReportResult("ro", rows, totals, {"due_months": len(due_months)}, {"ro": ro, "level": level})


def ro_progress_by_province(filters: RealizationFilter, *, today: date) -> list[dict[str, Any]]:
    """Physical against financial progress of every RO together, per province (provincial
    satkers), for the dashboard."""
    satkers = satkers_of(filters)
    figures = ro_cells(filters, satkers, ro=None, today=today)
    by_province: dict[str, list[tuple[RoInfo, Cell]]] = {}
    for (satker_id, output_id), entry in figures.cells.items():
        satker = satkers[satker_id]
        if not satker.is_central:
            by_province.setdefault(satker.province, []).append((figures.outputs[output_id], entry))
    names = {info.province: info.province_name for info in satkers.values()}
    return [{"province": code, "province_name": names[code], **figures_of(cells, figures.due_months, one_ro=False)}
            for code, cells in sorted(by_province.items())]  # fmt: skip


def ro_of_satkers(filters: RealizationFilter, *, today: date) -> list[dict[str, Any]]:
    """The RO rows of the filter's satkers (a satker's year page: ``filters.satkers`` is that one
    satker): each RO's target, volume, achievement and progress."""
    figures = ro_cells(filters, satkers_of(filters), ro=None, today=today)
    order = {pk: index for index, pk in enumerate(figures.outputs)}
    rows = []
    for (_satker, output_id), entry in sorted(figures.cells.items(), key=lambda item: order[item[0][1]]):
        info = figures.outputs[output_id]
        rows.append({**_ro_keys(info), **figures_of([(info, entry)], figures.due_months, one_ro=True)})
    return rows
