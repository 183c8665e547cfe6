"""The figures of the quarterly and year-end report, and /reports/quarterly/ (CONTRACT).

Nothing here computes a figure of its own: absorption is the realization report's (approved
monthly reports up to the quarter's last month against the effective pagu, pagu - blokir:
budgets.reports.queries.realization_by_satker), physical and financial progress per RO are the
RO report's (budgets.reports.ro.ro_cells / figures_of), the target, the due date and the
obstacle rules are budgets/quarterly_rules.py's. Every function reads many satkers in a fixed
number of queries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from budgets import output_rules, quarterly_rules
from budgets.calendar import month_end
from budgets.models import FiscalYear, Holiday, MonthlyReport, Obstacle, QuarterlyReport, Satker
from budgets.models.quarterly import ROMAN
from budgets.reports.queries import RealizationFilter, realization_by_satker, satkers_of
from budgets.reports.ro import figures_of, ro_cells
from core.reporting.spec import ReportResult

Status = MonthlyReport.Status


@dataclass
class QuarterFigures:
    """One satker's figures for one quarter (or the year-end report, at the fourth quarter)."""

    year: int
    period: int
    year_end: bool
    months: list[int]  # the months whose approved reports the report rests on
    month_status: dict[int, str | None]  # month -> its monthly report's status (None: no report)
    pagu: int = 0
    blokir: int = 0
    pagu_efektif: int = 0
    realisasi: int = 0  # cumulative to the quarter's end, approved monthly reports
    absorption: Decimal | None = None  # realisasi / pagu_efektif, %
    absorption_target: Decimal = Decimal(0)
    physical_progress: Decimal | None = None  # all ROs, weighted by pagu
    financial_progress: Decimal | None = None  # all ROs
    # Per RO: ro, ro_name, unit, target, volume, achievement, physical_progress,
    # financial_progress, gap (financial - physical, points), gap_flag, lags (physical behind > 20).
    ro_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def months_not_approved(self) -> list[int]:
        return [month for month in self.months if self.month_status.get(month) != Status.APPROVED]

    @property
    def label(self) -> str:
        if self.year_end:
            return str(self.year)
        return f"TW {ROMAN[self.period]} {self.year}"

    def obstacle_reasons(self) -> list[str]:
        """Why an obstacle must be reported (budgets.quarterly_rules.obstacle_reasons)."""
        return quarterly_rules.obstacle_reasons(
            absorption=self.absorption, target=self.absorption_target, ro_rows=self.ro_rows, label=self.label
        )


DECIMALS = ("absorption", "absorption_target", "physical_progress", "financial_progress")
RO_DECIMALS = ("target", "volume", "achievement", "physical_progress", "financial_progress", "gap")


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def figures_snapshot(figures: QuarterFigures) -> dict[str, Any]:
    """The figures as JSON (Decimals as strings), to be kept with the report when it is signed."""
    data = asdict(figures)
    data["month_status"] = {str(month): status for month, status in figures.month_status.items()}
    for key in DECIMALS:
        data[key] = None if data[key] is None else str(data[key])
    data["ro_rows"] = [{key: str(value) if isinstance(value, Decimal) else value for key, value in row.items()}
                       for row in figures.ro_rows]  # fmt: skip
    return data


def figures_from_snapshot(data: dict[str, Any]) -> QuarterFigures:
    values = {**data, "month_status": {int(month): status for month, status in data["month_status"].items()}}
    for key in DECIMALS:
        values[key] = _decimal(values[key])
    if values["absorption_target"] is None:
        values["absorption_target"] = Decimal(0)
    values["ro_rows"] = [{**row, **{key: _decimal(row.get(key)) for key in RO_DECIMALS}} for row in data["ro_rows"]]
    return QuarterFigures(**values)


def quarter_figures(
    fiscal_year: FiscalYear, period: int, satkers: QuerySet[Satker], *, year_end: bool = False, today: date
) -> dict[int, QuarterFigures]:
    """Figures per satker pk of ``satkers`` (those with an authority in the year), in a fixed
    number of queries whatever their number."""
    months = quarterly_rules.quarter_months(period, year_end=year_end)
    filters = RealizationFilter(year=fiscal_year.year, month=quarterly_rules.last_month(period), satkers=satkers)
    infos = satkers_of(filters)
    target = quarterly_rules.absorption_target(fiscal_year, period)
    figures = {
        pk: QuarterFigures(fiscal_year.year, period, year_end, months, dict.fromkeys(months), absorption_target=target)
        for pk in infos
    }
    if not infos:
        return figures
    for pk, month, status in MonthlyReport.objects.filter(
        fiscal_year=fiscal_year, satker_id__in=list(infos), month__in=months
    ).values_list("satker_id", "month", "status"):
        figures[pk].month_status[month] = status
    codes = {info.code: pk for pk, info in infos.items()}
    for row in realization_by_satker(filters):
        entry = figures[codes[row["satker"]]]
        entry.pagu, entry.blokir, entry.pagu_efektif = row["pagu"], row["blokir"], row["pagu_efektif"]
        entry.realisasi, entry.absorption = row["realisasi"], row["persen"]
    ro = ro_cells(filters, infos, ro=None, today=today)
    order = {pk: index for index, pk in enumerate(ro.outputs)}
    per_satker: dict[int, list] = {}
    for (satker_id, output_id), cell in sorted(ro.cells.items(), key=lambda item: order[item[0][1]]):
        info = ro.outputs[output_id]
        per_satker.setdefault(satker_id, []).append((info, cell))
        one = figures_of([(info, cell)], ro.due_months, one_ro=True)
        gap = quarterly_rules.gap_points(one["physical_progress"], one["financial_progress"])
        figures[satker_id].ro_rows.append({
            "ro": info.code, "ro_name": info.name, "unit": info.unit, "target": one["target"],
            "volume": one["volume"], "achievement": one["achievement"], "physical_progress": one["physical_progress"],
            "financial_progress": one["financial_progress"], "pagu_efektif": one["pagu_efektif"],
            "realisasi": one["realisasi"], "gap": gap, "gap_flag": one["gap_flag"],
            "lags": quarterly_rules.physical_lags(one["physical_progress"], one["financial_progress"]),
        })  # fmt: skip
    for satker_id, cells in per_satker.items():
        together = figures_of(cells, ro.due_months, one_ro=False)
        figures[satker_id].physical_progress = together["physical_progress"]
        figures[satker_id].financial_progress = together["financial_progress"]
    return figures


def report_figures(report: QuarterlyReport, *, today: date, live: bool = False) -> QuarterFigures:
    """The figures of one quarterly report (the page, the PDF, the submission's checks): as the
    head signed them once verified, else (or with ``live``) from the monthly reports now."""
    if report.signed_figures and not live:
        return figures_from_snapshot(report.signed_figures)
    return satker_quarter_figures(
        satker=report.satker, fiscal_year=report.fiscal_year, period=report.period, year_end=report.is_year_end,
        today=today,
    )  # fmt: skip


def quarterly_report_of(satker: Satker, fiscal_year: FiscalYear, q: str | int) -> QuarterlyReport | None:
    """The satker's report of ``q`` (``1``-``4`` or ``year-end``) in the year, with what its page
    and its PDF show (satker, province, year, who submitted and verified, the delegation)."""
    period, year_end = quarterly_rules.period_of(q)
    kind = QuarterlyReport.Kind.YEAR_END if year_end else QuarterlyReport.Kind.QUARTER
    return (
        QuarterlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, kind=kind, period=period)
        .select_related("satker__province", "fiscal_year", "submitted_by", "verified_by", "verified_under__head")
        .first()
    )


def report_obstacles(report: QuarterlyReport) -> list[Obstacle]:
    """The obstacles the report names (first reported in it or carried into it), oldest first."""
    return list(report.obstacles.select_related("opened_in__fiscal_year").order_by("pk"))


def satker_quarter_figures(
    *, satker: Satker, fiscal_year: FiscalYear, period: int, year_end: bool = False, today: date
) -> QuarterFigures:
    """One satker's figures; a satker without an authority in the year has none (zeros)."""
    figures = quarter_figures(fiscal_year, period, Satker.objects.filter(pk=satker.pk), year_end=year_end,
                              today=today)  # fmt: skip
    if satker.pk in figures:
        return figures[satker.pk]
    months = quarterly_rules.quarter_months(period, year_end=year_end)
    statuses = dict(
        MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, month__in=months).values_list(
            "month", "status"
        )
    )
    return QuarterFigures(fiscal_year.year, period, year_end, months, {m: statuses.get(m) for m in months},
                          absorption_target=quarterly_rules.absorption_target(fiscal_year, period))  # fmt: skip


# --- /reports/quarterly/ -----------------------------------------------------------------------


def quarterly_report(
    filters: RealizationFilter, *, fiscal_year: FiscalYear, quarter: int | str | None, today: date
) -> ReportResult:
    """One row per provincial satker of the filter (its scope) with a DIPA in the year: its report of the
    quarter (``quarter`` 1-4, or ``"year-end"``; None: the year's last completed quarter), status
    (``MISSING`` without one), due date, timeliness, effective pagu and realization to the quarter's
    end (whole rupiah, totalled), absorption against the target, physical
    progress and the obstacles open at the quarter's end among those its report names."""
    if quarter is None:
        quarter = quarterly_rules.last_completed_quarter(fiscal_year.year, today)
    year_end = quarter == quarterly_rules.YEAR_END
    period = 4 if year_end else int(quarter)
    kind = QuarterlyReport.Kind.YEAR_END if year_end else QuarterlyReport.Kind.QUARTER
    # The provinces' satkers: the directorate's central units make no quarterly DK/TP report.
    satkers = (Satker.objects.all() if filters.satkers is None else filters.satkers).filter(is_central=False)
    if filters.province:
        satkers = satkers.filter(province__bps_code=filters.province)
    if filters.authority:
        satkers = satkers.filter(authorities__fiscal_year=fiscal_year, authorities__authority=filters.authority)
    figures = quarter_figures(fiscal_year, period, satkers, year_end=year_end, today=today)
    infos = satkers_of(RealizationFilter(year=fiscal_year.year, satkers=satkers))
    reports, signed = {}, {}
    for satker_id, status, due_date, on_time, pk, snapshot in QuarterlyReport.objects.filter(
        fiscal_year=fiscal_year, kind=kind, period=period, satker_id__in=list(infos)
    ).values_list("satker_id", "status", "due_date", "sent_on_time", "pk", "signed_figures"):
        reports[satker_id] = (status, due_date, on_time, pk)
        if snapshot:  # a verified report: the figures its head signed, as on its page and PDF
            signed[satker_id] = figures_from_snapshot(snapshot)
    # Open at the quarter's end: reported in the quarter's report and not closed by that day.
    quarter_end = month_end(fiscal_year.year, quarterly_rules.last_month(period))
    open_counts = dict(
        Obstacle.objects.filter(reported_in__pk__in=[report[3] for report in reports.values()])
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=quarter_end))
        .order_by()
        .values("satker_id")
        .annotate(open=Count("pk", distinct=True))
        .values_list("satker_id", "open")
    )
    holidays = list(Holiday.objects.filter(date__year__in=[fiscal_year.year, fiscal_year.year + 1])
                    .values_list("date", flat=True))  # fmt: skip
    default_due = quarterly_rules.quarter_due_date(fiscal_year.year, period, holidays)
    rows = []
    counts = {"approved": 0, "missing": 0, "late": 0}
    shown: list[QuarterFigures] = []
    for pk, info in sorted(infos.items(), key=lambda item: item[1].code):
        entry = figures.get(pk)
        if entry is None or not entry.pagu:
            continue  # no DIPA in the year: no report expected
        entry = signed.get(pk, entry)
        shown.append(entry)
        status, due_date, on_time, _report = reports.get(pk, ("MISSING", default_due, None, None))
        counts["approved"] += status == Status.APPROVED
        counts["missing"] += status == "MISSING"
        counts["late"] += on_time is False
        rows.append({
            "satker": info.code, "satker_name": info.name, "province": info.province,
            "province_name": info.province_name, "quarter": quarterly_rules.YEAR_END if year_end else period,
            "status": status, "due_date": due_date, "sent_on_time": on_time, "pagu_efektif": entry.pagu_efektif,
            "realisasi": entry.realisasi, "absorption": entry.absorption,
            "absorption_target": entry.absorption_target, "physical_progress": entry.physical_progress,
            "obstacles_open": open_counts.get(pk, 0),
        })  # fmt: skip
    pagu_efektif, realisasi = sum(e.pagu_efektif for e in shown), sum(e.realisasi for e in shown)
    absorption = output_rules.percent(realisasi, pagu_efektif)
    totals = {"satkers": len(rows), **counts, "pagu_efektif": pagu_efektif, "realisasi": realisasi,
              "absorption": absorption,
              "obstacles_open": sum(row["obstacles_open"] for row in rows)}  # fmt: skip
    return ReportResult("quarterly", rows, totals, {}, {"quarter": rows[0]["quarter"] if rows else quarter})
