"""Realization reports: each report is one function that returns rows (dicts with the
CONTRACT's keys) plus totals, from a fixed number of GROUP BY queries (one per source table and
grouping, merged here: a few thousand lines a year group in milliseconds, where per-row
correlated subqueries took fifteen to twenty-five times longer). Renderers (HTML, XLSX, CSV,
JSON) live in ``budgets/report_formats.py`` and never compute figures themselves.

Percentages are Decimal with two decimals, rounded half up as the directorate publishes them;
money is whole rupiah.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from budgets.calendar import last_started_month, quarter_of
from budgets.models import (
    Authority,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Province,
    Realization,
    RpdPlan,
    Satker,
    SatkerAuthority,
)
from budgets.models.execution import MONTH_CHOICES

Status = MonthlyReport.Status
BASIS_STATUSES = {
    # Official figures count approved reports; "submitted" adds those awaiting review.
    "approved": [Status.APPROVED],
    "submitted": [Status.APPROVED, Status.SUBMITTED],
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RealizationFilter:
    year: int
    month: int | None = None  # as of the end of this month (cumulative); None = whole year
    authority: str | None = None  # KP / DK / TP; None = all of the directorate's satkers
    basis: str = "approved"
    province: str | None = None  # BPS code
    component: str | None = None  # component code
    # Below province level an officer sees only their own satkers: the view passes the
    # satkers the scoping helper allows; None = no restriction (province-level reports).
    satkers: QuerySet[Satker] | None = field(default=None, compare=False)

    def satker_q(self, path: str = "") -> Q:
        """Satkers of the year (those with an authority that year), optionally of one authority."""
        prefix = f"{path}__" if path else ""
        q = Q(**{f"{prefix}authorities__fiscal_year__year": self.year})
        if self.authority:
            q &= Q(**{f"{prefix}authorities__authority": self.authority})
        if self.province:
            q &= Q(**{f"{prefix}province__bps_code": self.province})
        return q


@dataclass
class ReportResult:
    name: str
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    """A percentage with two decimals (half up), as the directorate publishes them."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- The building blocks: what counts, for a filter --------------------------------------


def _satkers(filters: RealizationFilter) -> QuerySet[Satker]:
    satkers = Satker.objects.filter(filters.satker_q())
    if filters.satkers is not None:
        satkers = satkers.filter(pk__in=filters.satkers.values("pk"))
    return satkers


def _reporting_satkers(filters: RealizationFilter) -> QuerySet[Satker]:
    """Satkers of the filter that have a DIPA (budget lines) in the year: a satker or province
    without budget has no percentage to rank."""
    lines = BudgetLine.objects.filter(fiscal_year__year=filters.year)
    if filters.component:
        lines = lines.filter(component__code=filters.component)
    return _satkers(filters).filter(pk__in=lines.values("satker"))


def _lines(filters: RealizationFilter) -> QuerySet[BudgetLine]:
    lines = BudgetLine.objects.filter(fiscal_year__year=filters.year, satker__in=_satkers(filters))
    if filters.component:
        lines = lines.filter(component__code=filters.component)
    return lines


def _realizations(filters: RealizationFilter) -> QuerySet[Realization]:
    realizations = Realization.objects.filter(
        report__fiscal_year__year=filters.year,
        report__status__in=BASIS_STATUSES[filters.basis],
        report__satker__in=_satkers(filters),
    )
    if filters.month:
        realizations = realizations.filter(report__month__lte=filters.month)
    if filters.component:
        realizations = realizations.filter(line__component__code=filters.component)
    return realizations


def _rpd(filters: RealizationFilter) -> QuerySet[RpdPlan] | None:
    """The RPD that counts, or None when it does not apply (RPD is planned per spending type,
    so it cannot be split by component)."""
    if filters.component:
        return None
    plans = RpdPlan.objects.filter(fiscal_year__year=filters.year, satker__in=_satkers(filters))
    if filters.month:
        plans = plans.filter(month__lte=filters.month)
    return plans


def _sums_by(queryset: QuerySet, group: str, **sums: Sum) -> dict[Any, dict[str, int]]:
    """{value of ``group``: {name: sum}} in one GROUP BY query (the ordering cleared, so that a
    model's default ordering does not split the groups)."""
    return {row.pop(group): row for row in queryset.order_by().values(group).annotate(**sums)}


@dataclass(frozen=True)
class Grouping:
    """How budget lines, realizations and RPD reach the rows' model."""

    line: str
    realization: str
    rpd: str | None


BY_PROVINCE = Grouping("satker__province", "report__satker__province", "satker__province")
BY_SATKER = Grouping("satker", "report__satker", "satker")
BY_COMPONENT = Grouping("component", "line__component", None)

FIGURES = ("pagu", "blokir", "pagu_efektif", "rpd", "realisasi")


def _figures(pagu: int, blokir: int, rpd: int | None, realisasi: int) -> dict[str, Any]:
    return {"pagu": pagu, "blokir": blokir, "pagu_efektif": pagu - blokir, "rpd": rpd, "realisasi": realisasi,
            "persen": percent(realisasi, pagu - blokir)}  # fmt: skip


def figures_by(filters: RealizationFilter, grouping: Grouping) -> dict[Any, dict[str, Any]]:
    """Pagu, blokir, pagu_efektif, rpd, realisasi and persen of every group (its primary key) that
    has any of them: one GROUP BY query per source table (lines, realization, RPD), whatever the
    number of groups, merged here. RPD is None where it does not apply (by component, or with a
    component filter: RPD is planned per spending type)."""
    lines = _sums_by(_lines(filters), grouping.line, pagu=Sum("pagu"), blokir=Sum("blokir"))
    realized = _sums_by(_realizations(filters), grouping.realization, realisasi=Sum("amount"))
    plans = _rpd(filters) if grouping.rpd else None
    planned = _sums_by(plans, grouping.rpd, rpd=Sum("amount")) if plans is not None else None
    figures = {}
    for key in lines.keys() | realized.keys() | (planned.keys() if planned is not None else set()):
        line = lines.get(key, {})
        figures[key] = _figures(
            line.get("pagu", 0),
            line.get("blokir", 0),
            None if planned is None else planned.get(key, {}).get("rpd", 0),
            realized.get(key, {}).get("realisasi", 0),
        )
    return figures


def _total_of(figures: dict[Any, dict[str, Any]], *, with_rpd: bool) -> dict[str, Any]:
    """The sum of the groups' figures (every group of the filter: the filter's total)."""

    def total(key: str) -> int:
        return sum(row[key] for row in figures.values())

    return _figures(total("pagu"), total("blokir"), total("rpd") if with_rpd else None, total("realisasi"))


def _rows(
    units: QuerySet, keys: dict[str, str], figures: dict[Any, dict[str, Any]], *, with_rpd: bool
) -> list[dict[str, Any]]:
    """One row per unit, with the CONTRACT's keys (``keys`` maps each key to its lookup, renamed
    because names like ``province`` are fields of the models themselves) and its figures (zero
    when it has none)."""
    empty = _figures(0, 0, 0 if with_rpd else None, 0)
    rows = []
    for values in units.values("pk", *keys.values()):
        row = {key: values[lookup] for key, lookup in keys.items()}
        row.update(figures.get(values["pk"], empty))
        rows.append(row)
    return rows


def realization_total(filters: RealizationFilter) -> dict[str, Any]:
    """The totals of the filtered satkers: pagu, blokir, pagu_efektif, rpd, realisasi, persen."""
    return _total_of(figures_by(filters, BY_SATKER), with_rpd=not filters.component)


def realization_by_province(filters: RealizationFilter) -> list[dict[str, Any]]:
    """One row per province that has satkers with a DIPA in the year (and authority)."""
    return _province_rows(filters, figures_by(filters, BY_PROVINCE))


def _province_rows(filters: RealizationFilter, figures: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    provinces = Province.objects.filter(pk__in=_reporting_satkers(filters).values("province")).order_by("bps_code")
    return _rows(provinces, {"province": "bps_code", "province_name": "name"}, figures,
                 with_rpd=not filters.component)  # fmt: skip


def realization_by_satker(filters: RealizationFilter) -> list[dict[str, Any]]:
    return _satker_rows(filters, figures_by(filters, BY_SATKER))


def _satker_rows(filters: RealizationFilter, figures: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    satkers = Satker.objects.filter(pk__in=_reporting_satkers(filters).values("pk")).order_by("code")
    return _rows(
        satkers,
        {"satker": "code", "satker_name": "name", "province": "province__bps_code", "province_name": "province__name"},
        figures,
        with_rpd=not filters.component,
    )


# --- The reports of CONTRACT ---------------------------------------------------------------


def national_summary(filters: RealizationFilter) -> ReportResult:
    """Pagu, blokir, effective pagu, RPD, realization and % for the year (or as of a month),
    split by authority and by component; totals are the whole filter."""
    by_satker = figures_by(filters, BY_SATKER)
    authority_of = dict(
        SatkerAuthority.objects.filter(fiscal_year__year=filters.year, satker__in=by_satker.keys()).values_list(
            "satker", "authority"
        )
    )
    with_rpd = not filters.component
    rows = []
    for authority in [filters.authority] if filters.authority else Authority.values:
        figures = _total_of({pk: row for pk, row in by_satker.items() if authority_of.get(pk) == authority},
                            with_rpd=with_rpd)  # fmt: skip
        if figures["pagu"]:
            rows.append({"group": "authority", "key": authority, "name": Authority(authority).label, **figures})
    components = BudgetComponent.objects.filter(pk__in=_lines(filters).values("component")).order_by("code")
    for row in _rows(components, {"key": "code", "name": "name"}, figures_by(filters, BY_COMPONENT), with_rpd=False):
        rows.append({"group": "component", **row})
    return ReportResult("realization", rows, _total_of(by_satker, with_rpd=with_rpd))


def province_ranking(filters: RealizationFilter) -> ReportResult:
    """Provinces by realization %: rank (equal % share a rank), the top five, and whether each is
    below the average of the rows shown (their total realization over their total effective
    pagu, the figure the directorate publishes as the average)."""
    by_province = figures_by(filters, BY_PROVINCE)
    rows = _province_rows(filters, by_province)
    totals = _total_of(by_province, with_rpd=not filters.component)
    average = totals["persen"]
    ordered = sorted(rows, key=lambda row: (row["persen"] is None, -(row["persen"] or 0), row["province"]))
    previous, rank = None, 0
    for position, row in enumerate(ordered, start=1):
        if row["persen"] != previous:
            rank, previous = position, row["persen"]
        row["rank"] = rank if row["persen"] is not None else None
        row["top_five"] = row["rank"] is not None and row["rank"] <= 5
        row["below_average"] = row["persen"] is not None and average is not None and row["persen"] < average
    above = sum(1 for row in ordered if row["persen"] is not None and average is not None and row["persen"] > average)
    totals.update({"above_average": above, "below_average": sum(row["below_average"] for row in ordered)})
    return ReportResult("provinces", ordered, totals, {"average": average, "above_average": above})


def satker_report(filters: RealizationFilter, *, below: Decimal | None, threshold: Decimal) -> ReportResult:
    """One row per satker; each flagged when under the year's threshold; ``below`` keeps only
    the satkers under that percentage."""
    by_satker = figures_by(filters, BY_SATKER)
    rows = _satker_rows(filters, by_satker)
    for row in rows:
        row["below_threshold"] = row["persen"] is not None and row["persen"] < threshold
    if below is not None:
        rows = [row for row in rows if row["persen"] is not None and row["persen"] < below]
    totals = _total_of(by_satker, with_rpd=not filters.component)
    totals["below_threshold"] = sum(row["below_threshold"] for row in rows)
    return ReportResult("satkers", rows, totals, {"threshold": threshold, "below": below})


def deviation_score(deviation: Decimal | None, fiscal_year: FiscalYear) -> Decimal | None:
    """DIPA page III score of a month: full within the tolerance, then the year's linear penalty."""
    if deviation is None:
        return None
    if deviation <= fiscal_year.deviation_tolerance:
        return HUNDRED
    score = HUNDRED - (deviation - fiscal_year.deviation_tolerance) * fiscal_year.deviation_penalty
    return max(score, Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def monthly_report(filters: RealizationFilter, *, fiscal_year: FiscalYear) -> ReportResult:
    """Month by month: RPD and realization, both cumulative; the monthly deviation
    |realization - RPD| / RPD and its page III score; cumulative absorption against the
    year's quarterly targets at each quarter's end."""
    by_month = dict(
        _realizations(replace(filters, month=None))
        .values("report__month")
        .annotate(total=Sum("amount"))
        .values_list("report__month", "total")
    )
    rpd_plans = _rpd(replace(filters, month=None))
    planned = (
        dict(rpd_plans.values("month").annotate(total=Sum("amount")).values_list("month", "total"))
        if rpd_plans is not None
        else {}
    )
    totals = realization_total(replace(filters, month=None))
    targets = {3: fiscal_year.target_q1, 6: fiscal_year.target_q2, 9: fiscal_year.target_q3, 12: fiscal_year.target_q4}
    rows, rpd_cumulative, real_cumulative = [], 0, 0
    for month, _label in MONTH_CHOICES[: filters.month or 12]:
        rpd, real = planned.get(month, 0), by_month.get(month, 0)
        rpd_cumulative += rpd
        real_cumulative += real
        deviation = (Decimal(abs(real - rpd)) * HUNDRED / Decimal(rpd)).quantize(Decimal("0.01")) if rpd else None
        rows.append(
            {
                "month": month,
                "quarter": quarter_of(month),
                "rpd": rpd,
                "realisasi": real,
                "rpd_kumulatif": rpd_cumulative,
                "realisasi_kumulatif": real_cumulative,
                "deviasi": deviation,
                "skor_deviasi": deviation_score(deviation, fiscal_year),
                "serapan": percent(real_cumulative, totals["pagu_efektif"]),
                "target_serapan": targets.get(month),
                "target_tercapai": (
                    None
                    if month not in targets or not totals["pagu_efektif"]
                    else percent(real_cumulative, totals["pagu_efektif"]) >= targets[month]
                ),
            }
        )
    scores = [row["skor_deviasi"] for row in rows if row["skor_deviasi"] is not None]
    summary = {
        "rpd": rows[-1]["rpd_kumulatif"] if rows else 0,
        "realisasi": rows[-1]["realisasi_kumulatif"] if rows else 0,
        "pagu_efektif": totals["pagu_efektif"],
        "persen": rows[-1]["serapan"] if rows else None,
        "skor_deviasi": (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None,
    }
    return ReportResult("monthly", rows, summary)


def timeliness(report: MonthlyReport | None, due: date | None, today: date) -> str:
    """on_time / late / missing (due date passed without a submission) / pending."""
    if report is not None and report.submitted_on_time is not None:
        return "on_time" if report.submitted_on_time else "late"
    if due is not None and due < today:
        return "missing"
    return "pending"


def submissions_report(filters: RealizationFilter, *, today: date) -> ReportResult:
    """Satker x month: the report's status and whether it came on time. One row per satker and
    month that has started (HTML shows them as a matrix)."""
    from budgets.calendar import report_due_date
    from budgets.models import Holiday

    satkers = list(
        Satker.objects.filter(pk__in=_reporting_satkers(filters).values("pk"))
        .select_related("province")
        .order_by("code")
    )
    reports = {
        (r.satker_id, r.month): r
        for r in MonthlyReport.objects.filter(fiscal_year__year=filters.year, satker__in=[s.pk for s in satkers])
    }
    last_month = min(last_started_month(filters.year, today), filters.month or 12)
    holidays = list(
        Holiday.objects.filter(date__year__in=[filters.year, filters.year + 1]).values_list("date", flat=True)
    )
    due = {month: report_due_date(filters.year, month, holidays) for month in range(1, last_month + 1)}
    rows, counts = [], {"on_time": 0, "late": 0, "missing": 0, "pending": 0}
    for satker in satkers:
        for month in range(1, last_month + 1):
            report = reports.get((satker.pk, month))
            status = timeliness(report, report.due_date if report else due[month], today)
            counts[status] += 1
            rows.append(
                {
                    "satker": satker.code,
                    "satker_name": satker.name,
                    "province": satker.province.bps_code,
                    "province_name": satker.province.name,
                    "month": month,
                    "status": report.status if report else "MISSING",
                    "due_date": report.due_date if report else due[month],
                    "submitted_at": report.submitted_at if report else None,
                    "timeliness": status,
                }
            )
    return ReportResult("submissions", rows, {**counts, "satkers": len(satkers)}, {"months": last_month})
