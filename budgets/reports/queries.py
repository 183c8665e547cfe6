"""Realization reports: each report is one function that returns rows (dicts with the
CONTRACT's keys) plus totals, from a fixed number of GROUP BY queries (one per source table and
grouping, merged here: a few thousand lines a year group in milliseconds, where per-row
correlated subqueries took fifteen to twenty-five times longer). Renderers (HTML, XLSX, CSV,
JSON) live in ``core/reporting/files.py`` and never compute figures themselves.

Percentages are Decimal with two decimals, rounded half up as the directorate publishes them;
money is whole rupiah.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import BigIntegerField, Count, F, FilteredRelation, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast

from budgets.calendar import as_of_month, last_completed_month, last_started_month, quarter_of
from budgets.ikpa import rules as ikpa_rules
from budgets.ikpa.compute import SatkerIkpa, ikpa_of_satkers
from budgets.ikpa.rules import YearRules
from budgets.ikpa.year_rules import year_rules
from budgets.models import (
    Authority,
    BudgetComponent,
    BudgetLine,
    ComponentRealization,
    FiscalYear,
    MonthlyReport,
    RpdPlan,
    Satker,
    SatkerAuthority,
)
from core.formats import MONTH_CHOICES
from core.reporting.spec import APPROVED_BASIS, ReportResult, percent

Status = MonthlyReport.Status
BASIS_STATUSES = {
    # Official figures count approved reports; "submitted" adds those awaiting the head's
    # verification or the directorate's review.
    APPROVED_BASIS: [Status.APPROVED],
    "submitted": [Status.APPROVED, Status.VERIFIED, Status.SUBMITTED],
}


@dataclass(frozen=True)
class RealizationFilter:
    year: int
    month: int | None = None  # as of the end of this month (cumulative); None = whole year
    authority: str | None = None  # KP / DK / TP; None = all of the directorate's satkers
    basis: str = APPROVED_BASIS
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


# --- The building blocks: the filter's satkers, then every sum in one UNION ALL query ---------

FIGURES = ("pagu", "blokir", "pagu_efektif", "rpd", "realisasi")
BIG = BigIntegerField()
# Built once: Django checks each new expression's arguments against its signature (deconstructible).
# Typed NULLs: in a UNION, PostgreSQL types an untyped NULL column as text.
NO_KEY = Cast(Value(None), output_field=BIG)
NO_UNIT = Cast(Value(None), output_field=BIG)
ZERO = Value(0, output_field=BIG)


@dataclass(frozen=True)
class SatkerInfo:
    code: str
    name: str
    province: str  # BPS code
    province_name: str
    authority: str  # of the filter's year
    fiscal_year_id: int
    is_central: bool  # one of the directorate's central units (in DKI Jakarta, never the province's)


SATKER_INFO = ("satker_id", "satker__code", "satker__name", "satker__province__bps_code", "satker__province__name",
               "authority", "fiscal_year_id", "satker__is_central")  # fmt: skip


def satkers_of(filters: RealizationFilter) -> dict[int, SatkerInfo]:
    """The filter's satkers by primary key, with what the rows show and their authority."""
    rows = _authority_rows(filters).order_by().values_list(*SATKER_INFO)
    return {pk: SatkerInfo(*info) for pk, *info in rows}


def _authority_rows(filters: RealizationFilter) -> QuerySet[SatkerAuthority]:
    """The year's authority rows of the filter's satkers: the filter itself (what satker_q()
    asks through the satker), read directly, with no subquery of satkers to plan and compile."""
    rows = SatkerAuthority.objects.filter(fiscal_year__year=filters.year)
    if filters.authority:
        rows = rows.filter(authority=filters.authority)
    if filters.province:
        rows = rows.filter(satker__province__bps_code=filters.province)
    if filters.satkers is not None:
        rows = rows.filter(satker__in=filters.satkers.values("pk"))
    return rows


class Sums(NamedTuple):  # a tuple: hundreds per report, built faster than a dataclass
    """The sums of one satker, or of one component or month (by the query's grouping)."""

    satker: int | None  # None in rows of a component or month, and when satkers are summed together
    key: int | None  # component id or month; None in a satker's (or the total's) rows
    lines: int  # number of budget lines (> 0: the satker has a DIPA in the year)
    pagu: int
    blokir: int
    realisasi: int
    rpd: int


SUM_COLUMNS = ("sum_lines", "sum_pagu", "sum_blokir", "sum_realisasi", "sum_rpd")


def _part(queryset: QuerySet, unit: Any, key: Any, **sums: Any) -> QuerySet:
    """One part of the union: the same columns in the same order whatever the table (aliases
    that no model field has: an annotation may not shadow a field)."""
    columns = {column: sums.get(column[4:], ZERO) for column in SUM_COLUMNS}
    return queryset.order_by().values(unit=unit, part_key=key).annotate(**columns)


def sums_by_satker(
    filters: RealizationFilter, satkers: dict[int, SatkerInfo], by: str | None = None, *, per_satker: bool = True
) -> list[Sums]:
    """Budget lines (count, pagu, blokir), realization and RPD of each of ``satkers``
    (``per_satker=False``: of all of them together), in one UNION ALL query of GROUP BYs.
    ``by="month"``: per month instead (lines have none: the DIPA is annual); ``by="component"``:
    also, in rows of their own, per budget component (RPD has none: it is planned per spending
    type). RPD is left out with a component filter.

    Realization is read from its summaries (budgets/realization_summary.py): each report's total,
    or its sums per component where components matter: 500 or 5.500 rows a year nationally
    instead of 12.000 realization rows joined to their lines. The fiscal year is given by its
    key, not its year, so that PostgreSQL estimates the rows well."""
    if not satkers:
        return []
    fiscal_year_id, ids = next(iter(satkers.values())).fiscal_year_id, list(satkers)
    lines = BudgetLine.objects.filter(fiscal_year_id=fiscal_year_id, satker_id__any=ids)
    plans = RpdPlan.objects.filter(fiscal_year_id=fiscal_year_id, satker_id__any=ids)
    if filters.month:
        plans = plans.filter(month__lte=filters.month)
    if filters.component:
        lines = lines.filter(component__code=filters.component)

    def realized(per_component: bool) -> tuple[QuerySet, str]:
        """The realization sums that count, and the path to their report's fields. Through the
        report in one join (a subquery of reports made PostgreSQL join them twice)."""
        if per_component or filters.component:
            sums, path = ComponentRealization.objects.filter(fiscal_year_id=fiscal_year_id), "report__"
            if filters.component:
                sums = sums.filter(component__code=filters.component)
        else:
            sums, path = MonthlyReport.objects.filter(fiscal_year_id=fiscal_year_id), ""
        sums = sums.filter(**{f"{path}satker_id__any": ids, f"{path}status__in": BASIS_STATUSES[filters.basis]})
        if filters.month:
            sums = sums.filter(**{f"{path}month__lte": filters.month})
        return sums, path

    def amount(path: str) -> Sum:
        return Sum("amount") if path else Sum("realized_total")

    def unit(field: str) -> Any:
        return F(field) if per_satker and by != "month" else NO_UNIT

    reports, path = realized(False)
    by_month = by == "month"
    parts = [
        _part(lines, unit("satker_id"), NO_KEY, lines=Count("pk"), pagu=Sum("pagu"), blokir=Sum("blokir")),
        _part(reports, unit(f"{path}satker_id"), F(f"{path}month") if by_month else NO_KEY, realisasi=amount(path)),
    ]
    if not filters.component:
        parts.append(_part(plans, unit("satker_id"), F("month") if by_month else NO_KEY, rpd=Sum("amount")))
    if by == "component":  # by key: joining the components for their code was a lookup per sum
        per_component, path = realized(True)
        parts += [
            _part(lines, NO_UNIT, F("component_id"), lines=Count("pk"), pagu=Sum("pagu"), blokir=Sum("blokir")),
            _part(per_component, NO_UNIT, F("component_id"), realisasi=amount(path)),
        ]
    return [
        Sums(row[0], row[1], *(int(value or 0) for value in row[2:]))
        for row in parts[0].union(*parts[1:], all=True).values_list("unit", "part_key", *SUM_COLUMNS)
    ]


def _figures(pagu: int, blokir: int, rpd: int | None, realisasi: int) -> dict[str, Any]:
    return {"pagu": pagu, "blokir": blokir, "pagu_efektif": pagu - blokir, "rpd": rpd, "realisasi": realisasi,
            "persen": percent(realisasi, pagu - blokir)}  # fmt: skip


def _rolled_up(sums: Iterable[Sums], group: Callable[[Sums], Any], *, with_rpd: bool) -> dict[Any, dict[str, Any]]:
    """Figures per ``group(sums)`` (skipping None), summed here: a few hundred rows at most."""
    totals: dict[Any, list[int]] = {}
    for row in sums:
        key = group(row)
        if key is None:
            continue
        total = totals.setdefault(key, [0, 0, 0, 0, 0])
        for index, value in enumerate((row.lines, row.pagu, row.blokir, row.rpd, row.realisasi)):
            total[index] += value
    return {key: {"lines": lines, **_figures(pagu, blokir, rpd if with_rpd else None, realisasi)}
            for key, (lines, pagu, blokir, rpd, realisasi) in totals.items()}  # fmt: skip


def _total(sums: Iterable[Sums], *, with_rpd: bool) -> dict[str, Any]:
    figures = _rolled_up(sums, lambda row: "all", with_rpd=with_rpd).get("all")
    if figures is None:
        return _figures(0, 0, 0 if with_rpd else None, 0)
    figures.pop("lines")
    return figures


def _public(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key in (*FIGURES, "persen")}


def realization_total(filters: RealizationFilter) -> dict[str, Any]:
    """The totals of the filtered satkers: pagu, blokir, pagu_efektif, rpd, realisasi, persen."""
    return _total(sums_by_satker(filters, satkers_of(filters), per_satker=False), with_rpd=not filters.component)


def _province_rows(satkers: dict[int, SatkerInfo], sums: list[Sums], with_rpd: bool) -> list[dict[str, Any]]:
    """One row per province that has satkers with a DIPA in the year (and authority)."""
    by_province = _rolled_up(sums, lambda row: satkers[row.satker].province, with_rpd=with_rpd)
    names = {info.province: info.province_name for info in satkers.values()}
    return [{"province": code, "province_name": names[code], **_public(figures)}
            for code, figures in sorted(by_province.items()) if figures["lines"]]  # fmt: skip


def _satker_rows(satkers: dict[int, SatkerInfo], sums: list[Sums], with_rpd: bool) -> list[dict[str, Any]]:
    """One row per satker with a DIPA in the year."""
    by_satker = _rolled_up(sums, lambda row: row.satker, with_rpd=with_rpd)
    rows = [{"satker": satkers[pk].code, "satker_name": satkers[pk].name, "province": satkers[pk].province,
             "province_name": satkers[pk].province_name, **_public(figures)}
            for pk, figures in by_satker.items() if figures["lines"]]  # fmt: skip
    return sorted(rows, key=lambda row: row["satker"])


def realization_by_province(filters: RealizationFilter) -> list[dict[str, Any]]:
    satkers = satkers_of(filters)
    return _province_rows(satkers, sums_by_satker(filters, satkers), not filters.component)


def realization_by_satker(filters: RealizationFilter) -> list[dict[str, Any]]:
    satkers = satkers_of(filters)
    return _satker_rows(satkers, sums_by_satker(filters, satkers), not filters.component)


# --- The reports of CONTRACT ---------------------------------------------------------------


def national_summary(filters: RealizationFilter) -> ReportResult:
    """Pagu, blokir, effective pagu, RPD, realization and % for the year (or as of a month),
    split by authority and by component; totals are the whole filter."""
    satkers = satkers_of(filters)
    sums = sums_by_satker(filters, satkers, by="component")
    per_satker = [row for row in sums if row.key is None]
    with_rpd = not filters.component
    by_authority = _rolled_up(per_satker, lambda row: satkers[row.satker].authority, with_rpd=with_rpd)
    rows = []
    for authority in [filters.authority] if filters.authority else Authority.values:
        figures = by_authority.get(authority)
        if figures and figures["pagu"]:
            rows.append({"group": "authority", "key": authority, "name": Authority(authority).label,
                         **_public(figures)})  # fmt: skip
    by_component = _rolled_up((row for row in sums if row.key is not None), lambda row: row.key, with_rpd=False)
    components = BudgetComponent.objects.filter(pk__in=list(by_component)).order_by("code")
    for pk, code, name in components.values_list("pk", "code", "name"):
        if by_component[pk]["lines"]:
            rows.append({"group": "component", "key": code, "name": name, **_public(by_component[pk])})
    return ReportResult("realization", rows, _total(per_satker, with_rpd=with_rpd))


def provincial_authority_of(satkers: Iterable[SatkerInfo]) -> str | None:
    """The authority the year's money reached the provinces by (DK until 2023, TP from 2024), read
    from the satkers rather than the calendar: the most common among provincial satkers."""
    counts: dict[str, int] = {}
    for info in satkers:
        if not info.is_central and info.authority != Authority.KP:
            counts[info.authority] = counts.get(info.authority, 0) + 1
    return min(counts, key=lambda authority: (-counts[authority], authority)) if counts else None


def approved_months(filters: RealizationFilter, satker_ids: Iterable[int]) -> dict[int, set[int]]:
    """The months up to the filter's month whose report each satker has had approved."""
    months: dict[int, set[int]] = {}
    reports = MonthlyReport.objects.filter(
        fiscal_year__year=filters.year, satker_id__in=list(satker_ids), status=Status.APPROVED,
        month__lte=filters.month or 12,
    )  # fmt: skip
    for satker_id, month in reports.values_list("satker_id", "month"):
        months.setdefault(satker_id, set()).add(month)
    return months


def average_of(values: Iterable[Decimal | None]) -> Decimal | None:
    """The plain mean of percentages (each province counts once, whatever its pagu)."""
    shown = [value for value in values if value is not None]
    if not shown:
        return None
    return (sum(shown) / len(shown)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranked_satkers(
    filters: RealizationFilter,
) -> tuple[dict[int, SatkerInfo], dict[int, SatkerInfo], str | None]:
    """The satkers the province ranking ranks (the provincial satkers of one authority: the one
    asked for, else the year's provincial authority), the central units it shows apart, and
    that authority."""
    everyone = satkers_of(replace(filters, authority=None))
    authority = filters.authority or provincial_authority_of(everyone.values())
    ranked = {pk: info for pk, info in everyone.items() if not info.is_central and info.authority == authority}
    central = {pk: info for pk, info in everyone.items()
               if info.is_central and filters.authority in (None, info.authority)}  # fmt: skip
    return ranked, central, authority


def month_approved_everywhere(year: int, *, today: date) -> int:
    """The last month M of the year (0: none) whose reports, and those of every month before it,
    every ranked satker of every province has had approved by ``today``: the cut-off of the
    public figures, so that every province is counted over the same months."""
    ranked, _central, _authority = ranked_satkers(RealizationFilter(year=year))
    last = last_completed_month(year, today)
    if not ranked or not last:
        return 0
    approved = approved_months(RealizationFilter(year=year, month=last), ranked)
    month = 0
    while month < last and all(month + 1 in approved.get(pk, set()) for pk in ranked):
        month += 1
    return month


def province_ranking(filters: RealizationFilter, *, today: date) -> ReportResult:
    """Provinces by realization % as of the filter's month: rank (equal % share a rank), the top
    five, and each province's reporting completeness (``months_approved`` of ``months_expected``:
    a province that has not had every ended month approved is marked, still ranked on what it
    has). Only provincial satkers of one authority are ranked: the one asked for, else the year's
    provincial authority. The directorate's central units are never DKI Jakarta's: their
    figures come apart (``central_*`` in the totals), outside the ranking.

    Two averages, each named: ``average_weighted`` (total realization / total effective pagu of
    the rows, the figure the directorate calls "rata-rata": ``below_average`` and
    ``above_average`` compare with it) and ``average_unweighted`` (the mean of the provinces'
    percentages: ``below_average_unweighted`` counts the provinces under it)."""
    ranked, central, authority = ranked_satkers(filters)
    with_rpd = not filters.component
    sums = sums_by_satker(filters, {**ranked, **central})
    ranked_sums = [row for row in sums if row.satker in ranked]
    rows = _province_rows(ranked, ranked_sums, with_rpd)
    totals = _total(ranked_sums, with_rpd=with_rpd)
    weighted = totals["persen"]
    unweighted = average_of(row["persen"] for row in rows)

    expected = min(filters.month or 12, last_completed_month(filters.year, today))
    approved = approved_months(filters, ranked)
    satkers_in: dict[str, list[int]] = {}
    for pk, info in ranked.items():
        satkers_in.setdefault(info.province, []).append(pk)

    ordered = sorted(rows, key=lambda row: (row["persen"] is None, -(row["persen"] or 0), row["province"]))
    previous, rank = None, 0
    for position, row in enumerate(ordered, start=1):
        if row["persen"] != previous:
            rank, previous = position, row["persen"]
        row["rank"] = rank if row["persen"] is not None else None
        row["top_five"] = row["rank"] is not None and row["rank"] <= 5
        row["below_average"] = row["persen"] is not None and weighted is not None and row["persen"] < weighted
        # A month counts when every satker of the province has had it approved.
        months = set.intersection(*(approved.get(pk, set()) for pk in satkers_in[row["province"]]))
        row["months_approved"] = len(months)
        row["months_expected"] = expected
        row["reporting_complete"] = len(months) >= expected
    above = sum(1 for row in ordered if row["persen"] is not None and weighted is not None and row["persen"] > weighted)
    central_figures = _total([row for row in sums if row.satker in central], with_rpd=with_rpd)
    totals.update({
        "average_weighted": weighted,
        "average_unweighted": unweighted,
        "above_average": above,
        "below_average": sum(row["below_average"] for row in ordered),
        "below_average_unweighted": sum(1 for row in ordered if row["persen"] is not None
                                        and unweighted is not None and row["persen"] < unweighted),
        "months_expected": expected,
        "provinces_incomplete": sum(not row["reporting_complete"] for row in ordered),
        "central_pagu_efektif": central_figures["pagu_efektif"],
        "central_realisasi": central_figures["realisasi"],
        "central_persen": central_figures["persen"],
    })  # fmt: skip
    return ReportResult(
        "provinces", ordered, totals, {"average": weighted, "above_average": above}, {"authority": authority}
    )


def satker_report(filters: RealizationFilter, *, below: Decimal | None, threshold: Decimal) -> ReportResult:
    """One row per satker; each flagged when under the year's threshold; ``below`` keeps only
    the satkers under that percentage."""
    satkers = satkers_of(filters)
    sums = sums_by_satker(filters, satkers)
    rows = _satker_rows(satkers, sums, not filters.component)
    for row in rows:
        row["below_threshold"] = row["persen"] is not None and row["persen"] < threshold
    if below is not None:
        rows = [row for row in rows if row["persen"] is not None and row["persen"] < below]
    totals = _total(sums, with_rpd=not filters.component)
    totals["below_threshold"] = sum(row["below_threshold"] for row in rows)
    return ReportResult("satkers", rows, totals, {"threshold": threshold, "below": below}, {"threshold": threshold})


def monthly_report(
    filters: RealizationFilter, *, fiscal_year: FiscalYear, ikpa: bool = True, today: date | None = None
) -> ReportResult:
    """Month by month: RPD and realization, both cumulative; cumulative absorption against the
    directorate's quarterly targets; and IKPA's page III deviation and absorption the treasury's
    way (budgets/ikpa/rules.py), from the satkers' own values, never from the sums of the rows:
    ``deviasi`` / ``skor_deviasi`` the mean over satkers of each satker's month deviation (per
    spending type) and its score; at each quarter's end ``skor_penyerapan_ikpa``, the mean of the
    satkers' absorption scores against IKPA's targets per spending type (``target_ikpa``), shown
    apart from the directorate's ``target_serapan``. ``ikpa=False``: the money columns only (the
    dashboard's S-curve). Without a month asked, the IKPA columns stop at the year's as-of month
    (``today``): a month not yet reported is no deviation to average."""
    whole_year = replace(filters, month=None)
    satkers = satkers_of(whole_year)
    sums = sums_by_satker(whole_year, satkers, by="month", per_satker=False)
    by_month: dict[int, int] = {}
    planned: dict[int, int] = {}
    for row in sums:
        if row.key is not None:
            by_month[row.key] = by_month.get(row.key, 0) + row.realisasi
            planned[row.key] = planned.get(row.key, 0) + row.rpd
    totals = _total(sums, with_rpd=not filters.component)
    targets = {3: fiscal_year.target_q1, 6: fiscal_year.target_q2, 9: fiscal_year.target_q3, 12: fiscal_year.target_q4}
    last_month = filters.month or 12
    # RPD is planned per spending type, not per component: no deviation with a component filter.
    ikpa_month = filters.month or (as_of_month(filters.year, today) if today else 12)
    values, ikpa_year = (
        _ikpa_of(satkers, fiscal_year, ikpa_month, filters.basis) if ikpa and not filters.component else (None, None)
    )
    rows, rpd_cumulative, real_cumulative = [], 0, 0
    for month, _label in MONTH_CHOICES[:last_month]:
        rpd, real = planned.get(month, 0), by_month.get(month, 0)
        rpd_cumulative += rpd
        real_cumulative += real
        quarter_end = month % 3 == 0
        rows.append(
            {
                "month": month,
                "quarter": quarter_of(month),
                "rpd": rpd,
                "realisasi": real,
                "rpd_kumulatif": rpd_cumulative,
                "realisasi_kumulatif": real_cumulative,
                "deviasi": ikpa_rules.mean(v.month_deviations.get(month) for v in values) if values else None,
                "skor_deviasi": ikpa_rules.mean(v.month_scores.get(month) for v in values) if values else None,
                "serapan": percent(real_cumulative, totals["pagu_efektif"]),
                "target_serapan": targets.get(month),
                "target_tercapai": (
                    None
                    if month not in targets or not totals["pagu_efektif"]
                    else percent(real_cumulative, totals["pagu_efektif"]) >= targets[month]
                ),
                "skor_penyerapan_ikpa": (
                    ikpa_rules.mean(v.quarter_scores.get(month // 3) for v in values)
                    if values and quarter_end and month <= ikpa_month
                    else None
                ),
                "target_ikpa": _ikpa_targets(ikpa_year, month // 3) if ikpa_year and quarter_end else None,
            }
        )
    summary = {
        "rpd": rows[-1]["rpd_kumulatif"] if rows else 0,
        "realisasi": rows[-1]["realisasi_kumulatif"] if rows else 0,
        "pagu_efektif": totals["pagu_efektif"],
        "persen": rows[-1]["serapan"] if rows else None,
        # The directorate's page III value: the mean of the satkers' indicators (each the mean of
        # its months), as /reports/ikpa/ shows it.
        "skor_deviasi": ikpa_rules.mean(v.values[ikpa_rules.DEVIASI] for v in values) if values else None,
    }
    return ReportResult("monthly", rows, summary)


def _ikpa_of(
    satkers: dict[int, SatkerInfo], fiscal_year: FiscalYear, month: int, basis: str
) -> tuple[list[SatkerIkpa], YearRules]:
    """The IKPA as of ``month`` of the satkers with a DIPA, and the year's rules."""
    rules_of_year = year_rules(fiscal_year)
    found = ikpa_of_satkers(fiscal_year, list(satkers), month, statuses=BASIS_STATUSES[basis], ikpa=rules_of_year)
    return [value for value in found.values() if value.month_scores or value.quarter_scores], rules_of_year


def _ikpa_targets(rules_of_year: YearRules, quarter: int) -> str | None:
    """IKPA's cumulative absorption targets (%) of a quarter per spending type: "51: 75, 52: 70"."""
    targets = rules_of_year.absorption_targets.get(quarter, {})
    return ", ".join(f"{code}: {target.normalize():f}" for code, target in sorted(targets.items())) or None


def timeliness(submitted_on_time: bool | None, due: date | None, today: date) -> str:
    """on_time / late / missing (due date passed without a submission) / pending."""
    if submitted_on_time is not None:
        return "on_time" if submitted_on_time else "late"
    if due is not None and due < today:
        return "missing"
    return "pending"


def submissions_report(filters: RealizationFilter, *, fiscal_year: FiscalYear, today: date) -> ReportResult:
    """Satker x month: the report's status and whether it came on time. One row per satker and
    month that has started (HTML shows them as a matrix). Plain values, not model instances:
    five hundred rows a year nationally, read in one query."""
    from budgets.calendar import report_due_date
    from budgets.models import Holiday

    last_month = min(last_started_month(filters.year, today), filters.month or 12)
    # The filter's satkers with a DIPA (budget lines) in the year: a satker without budget has
    # no reports to expect. Each with its reports of the year, by a LEFT JOIN (a satker without
    # any report still comes, once, with empty report columns).
    lines = BudgetLine.objects.filter(fiscal_year_id=fiscal_year.pk)
    if filters.component:
        lines = lines.filter(component__code=filters.component)
    # One filter() call: the year and the authority must hold for the same authority row. The
    # satkers with lines by ``IN (subquery)``, not EXISTS with an outer reference: the same
    # semi-join for PostgreSQL, a third less for Django to build and compile.
    of_year = {"authorities__fiscal_year_id": fiscal_year.pk, "pk__in": lines.values("satker_id")}
    if filters.authority:
        of_year["authorities__authority"] = filters.authority
    satkers = Satker.objects.filter(**of_year)
    if filters.province:
        satkers = satkers.filter(province__bps_code=filters.province)
    if filters.satkers is not None:
        satkers = satkers.filter(pk__in=filters.satkers.values("pk"))
    reports_of_year = Q(reports__fiscal_year_id=fiscal_year.pk, reports__month__lte=last_month)
    fetched = (
        satkers.annotate(report=FilteredRelation("reports", condition=reports_of_year))
        .order_by("code", "report__month")
        .values_list("pk", "code", "name", "province__bps_code", "province__name", "report__month",
                     "report__status", "report__due_date", "report__submitted_at", "report__submitted_on_time")
    )  # fmt: skip
    due: dict[int, date] = {}

    def due_date_of(month: int) -> date:
        """The due date of a month without a report (the holidays read once, and only then)."""
        if not due:
            holidays = list(
                Holiday.objects.filter(date__year__in=[filters.year, filters.year + 1]).values_list("date", flat=True)
            )
            due.update({m: report_due_date(filters.year, m, holidays) for m in range(1, last_month + 1)})
        return due[month]

    # One pass over the rows (by satker, then month): a report's row is made as it comes, the
    # months without one are filled in between (rare: they have a function of their own). Five
    # hundred rows nationally, where grouping them per satker first took a tenth of the report.
    rows: list[dict[str, Any]] = []
    counts = {"on_time": 0, "late": 0, "missing": 0, "pending": 0}

    def without_report(satker: tuple, months: range) -> None:
        code, name, province, province_name = satker
        for month in months:
            due_date = due_date_of(month)
            kind = timeliness(None, due_date, today)
            counts[kind] += 1
            rows.append({"satker": code, "satker_name": name, "province": province, "province_name": province_name,
                         "month": month, "status": "MISSING", "due_date": due_date, "submitted_at": None,
                         "timeliness": kind})  # fmt: skip

    current: tuple | None = None  # (pk, code, name, province, province_name) of the satker being read
    satker_count, next_month = 0, 1
    for pk, code, name, province, province_name, month, status, due_date, submitted_at, on_time in fetched:
        if current is None or current[0] != pk:
            if current is not None:
                without_report(current[1:], range(next_month, last_month + 1))
            current, satker_count, next_month = (pk, code, name, province, province_name), satker_count + 1, 1
        if month is None:  # a satker without any report of the year
            continue
        without_report(current[1:], range(next_month, month))
        next_month = month + 1
        due_date = due_date or due_date_of(month)
        kind = timeliness(on_time, due_date, today)
        counts[kind] += 1
        rows.append({"satker": code, "satker_name": name, "province": province, "province_name": province_name,
                     "month": month, "status": status, "due_date": due_date, "submitted_at": submitted_at,
                     "timeliness": kind})  # fmt: skip
    if current is not None:
        without_report(current[1:], range(next_month, last_month + 1))
    return ReportResult("submissions", rows, {**counts, "satkers": satker_count}, {"months": last_month})
