"""The reviewer's cockpit (issue 23): each monthly report of the review queue with the figures a
reviewer decides on, as annotations of the queue's queryset, so that every column sorts and the
"clean" filter works in the database before paging. The page costs its one query for the rows,
plus one for the active evidence rules, whatever the number of reports.

The rules are the existing ones, asked of their homes: effective pagu (``selectors.effective_pagu``),
absorption (``core.reporting.spec.percent``), the RPD deviation (``ikpa.rules.type_deviation``: the
queue's column is the month's whole realization against its whole RPD, a reviewer's first look; the
review page shows it per spending type and the month's IKPA deviation and score, ``ikpa.rules``),
RO physical progress weighted by the RO's pagu (``output_rules.weighted_progress``: the same sum,
written as SQL here so that the column sorts), evidence completeness (``evidence_rules``) and open
data-quality flags (``quality.open_flags_count``). The ``*_order`` annotations only sort; the
figures shown are computed from the annotated sums by those helpers (``figures``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce, NullIf

from budgets.evidence_rules import Completeness, evidence_count_expressions
from budgets.ikpa import rules
from budgets.ikpa.year_rules import year_rules
from budgets.models import BudgetLine, LineComment, MonthlyReport, RpdPlan, SpendingType
from budgets.output_rules import CENT
from budgets.quality import open_flags_count
from budgets.selectors import effective_pagu
from core.reporting.spec import percent

SAME_SATKER_YEAR = {"satker": OuterRef("satker_id"), "fiscal_year": OuterRef("fiscal_year_id")}


def _satker_year_sum(rows: QuerySet, value: Any, output_field: Any = None) -> Coalesce:
    """The sum of ``value`` over ``rows`` (already limited to the outer report's satker-year)."""
    output_field = output_field or BigIntegerField()
    summed = rows.order_by().values("satker").annotate(total=Sum(value, output_field=output_field)).values("total")
    return Coalesce(Subquery(summed, output_field=output_field), Value(0), output_field=output_field)


def _ratio(part: Any, whole: Any) -> Any:
    """part / whole as a float for sorting only (NULL without a whole)."""
    return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), Value(0.0))


def with_cockpit_figures(reports: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    """The queue's reports with: ``realized_total`` (stored: the month's realization), ``cumulative``
    (realization of the year up to the month, every report of the satker-year), ``pagu_efektif``,
    ``rpd_month``, ``previous_month`` (the previous month's realization) and ``change``,
    ``ro_weighted``/``ro_pagu`` (RO progress times pagu, and the pagu of the ROs), ``open_flags``,
    ``open_threads`` (comment threads not resolved), ``evidence_records``/``evidence_met`` and
    ``is_clean``; plus the ``*_order`` keys of the computed percentages."""
    same_year_reports = MonthlyReport.objects.filter(**SAME_SATKER_YEAR)
    lines = BudgetLine.objects.filter(**SAME_SATKER_YEAR)
    previous = same_year_reports.filter(month=OuterRef("month") - 1).values("realized_total")[:1]
    threads = (
        LineComment.objects.filter(report=OuterRef("pk"), thread__isnull=True, resolved_at__isnull=True)
        .order_by()
        .values("report")
        .annotate(count=Count("pk"))
        .values("count")
    )
    progress = DecimalField(max_digits=30, decimal_places=4)
    records, met = evidence_count_expressions()
    reports = reports.annotate(
        cumulative=_satker_year_sum(same_year_reports.filter(month__lte=OuterRef("month")), "realized_total"),
        pagu_efektif=_satker_year_sum(lines, effective_pagu()),
        rpd_month=_satker_year_sum(RpdPlan.objects.filter(**SAME_SATKER_YEAR, month=OuterRef("month")), "amount"),
        previous_month=Coalesce(Subquery(previous, output_field=BigIntegerField()), Value(0)),
        change=F("realized_total") - F("previous_month"),
        # weighted_progress: sum(pagu x progress) / sum(pagu) over the ROs with pagu (an RO without
        # a row counts as 0 %); a line belongs to one RO, so summing over lines sums over ROs.
        ro_weighted=_satker_year_sum(
            lines.filter(output__achievements__report=OuterRef("pk")),
            F("pagu") * F("output__achievements__physical_progress"),
            progress,
        ),
        ro_pagu=_satker_year_sum(lines.filter(output__isnull=False), "pagu"),
        open_flags=open_flags_count(),
        open_threads=Coalesce(Subquery(threads, output_field=IntegerField()), Value(0)),
        evidence_records=records,
        evidence_met=met,
    )
    return reports.annotate(
        absorption_order=_ratio(F("cumulative"), F("pagu_efektif")),
        # As rules.type_deviation: spending with nothing planned is a deviation of 100 %.
        deviation_order=Case(
            When(Q(rpd_month=0) & ~Q(realized_total=0), then=Value(1.0)),
            default=_ratio(Abs(F("realized_total") - F("rpd_month")), F("rpd_month")),
            output_field=FloatField(),
        ),
        ro_order=_ratio(F("ro_weighted"), F("ro_pagu")),
        evidence_order=_ratio(F("evidence_met"), F("evidence_records")),
        is_clean=ExpressionWrapper(
            Q(open_flags=0) & (Q(evidence_records=0) | Q(evidence_met=F("evidence_records"))),
            output_field=BooleanField(),
        ),
    )


def clean_ids(report_ids: list[int]) -> set[int]:
    """Which of these reports are clean now: no open flag, evidence complete (or nothing subject)."""
    return set(with_cockpit_figures(MonthlyReport.objects.filter(pk__in=report_ids)).filter(is_clean=True)
               .values_list("pk", flat=True))  # fmt: skip


@dataclass(frozen=True)
class Figures:
    absorption: Decimal | None  # cumulative realization / effective pagu, %
    deviation: Decimal | None  # |month's realization - month's RPD| / RPD, %
    change_percent: Decimal | None  # change against the previous month, % of it
    ro_progress: Decimal | None  # RO physical progress weighted by pagu, %
    evidence: Decimal | None  # evidence completeness, %


def figures(report: MonthlyReport) -> Figures:
    """The percentages of a report annotated by ``with_cockpit_figures``, by their rules."""
    ro = None
    if report.ro_pagu:
        ro = (Decimal(report.ro_weighted) / Decimal(report.ro_pagu)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Figures(
        absorption=percent(report.cumulative, report.pagu_efektif),
        deviation=rules.type_deviation(report.realized_total, report.rpd_month),
        change_percent=percent(report.change, report.previous_month),
        ro_progress=ro,
        evidence=Completeness(report.evidence_records, report.evidence_met).completeness,
    )


def queue_order(reports: QuerySet[MonthlyReport], today: date) -> QuerySet[MonthlyReport]:
    """The queue's default order. A reviewer works through what is due now: reports of the
    running and the previous fiscal year (December's report is reviewed in January) come first,
    the oldest period first, as the earliest due is the most overdue; a report of a closed or an
    older year (a leftover, e.g. December 2023 still awaiting) goes to the end, where it does not
    hide the month's work, newest first among them. Ties: the first submitted, then the code."""
    recent = Q(fiscal_year__year__gte=today.year - 1, fiscal_year__is_closed=False)
    period = F("fiscal_year__year") * 100 + F("month")
    return reports.annotate(
        queue_rank=Case(When(recent, then=Value(0)), default=Value(1), output_field=IntegerField()),
        queue_period=Case(When(recent, then=period), default=-period, output_field=IntegerField()),
    ).order_by("queue_rank", "queue_period", "submitted_at", "satker__code")


def rpd_against_realization(report: MonthlyReport, lines: list[BudgetLine]) -> list[dict[str, Any]]:
    """The review page's side-by-side: per spending type, the month's RPD and realization and both
    cumulative to the month, with the deviations (``rules.type_deviation``). ``lines``: the page's
    ``realization_grid`` (its ``before``/``this_month`` per line, the account's spending type
    selected); the plan is read in one query (the page's query count is held: ``rpd_grid`` would
    add the pagu per type, not shown here). A type with realization but no plan is shown too."""
    month = report.month
    types: dict[int, SpendingType] = {}
    realized: dict[int, list[int]] = {}
    for line in lines:
        types[line.account.spending_type_id] = line.account.spending_type
        sums = realized.setdefault(line.account.spending_type_id, [0, 0])
        sums[0] += line.this_month
        sums[1] += line.before + line.this_month
    planned: dict[int, list[int]] = {}
    plans = RpdPlan.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year, month__lte=month)
    for plan in plans.select_related("spending_type"):
        types[plan.spending_type_id] = plan.spending_type
        sums = planned.setdefault(plan.spending_type_id, [0, 0])
        sums[0] += plan.amount if plan.month == month else 0
        sums[1] += plan.amount
    rows = []
    for type_id, spending_type in sorted(types.items(), key=lambda item: item[1].code):
        month_real, cumulative_real = realized.get(type_id, [0, 0])
        month_plan, cumulative_plan = planned.get(type_id, [0, 0])
        if not (month_real or cumulative_real or month_plan or cumulative_plan):
            continue
        rows.append({"spending_type": spending_type, "rpd": month_plan, "realisasi": month_real,
                     "deviasi": rules.type_deviation(month_real, month_plan), "rpd_kumulatif": cumulative_plan,
                     "realisasi_kumulatif": cumulative_real,
                     "deviasi_kumulatif": rules.type_deviation(cumulative_real, cumulative_plan)})  # fmt: skip
    return rows


def month_ikpa_deviation(report: MonthlyReport, rows: list[dict[str, Any]], lines: list[BudgetLine]) -> dict[str, Any]:
    """The month's page III deviation the treasury's way (the types' deviations, weighted by
    their effective pagu from 2024) and its score, from ``rpd_against_realization``'s rows and
    the page's lines (their pagu): the year's rules read once."""
    ikpa = year_rules(report.fiscal_year)
    pagu: dict[str, int] = {}
    for line in lines:
        code = line.account.spending_type.code
        pagu[code] = pagu.get(code, 0) + line.pagu - line.blokir
    by_type = {row["spending_type"].code: (row["realisasi"], row["rpd"]) for row in rows}
    deviation = rules.month_deviation(by_type, pagu, ikpa)
    return {"deviation": deviation, "score": rules.deviation_score(deviation, ikpa),
            "weighted": ikpa.deviation_weighted_by_pagu}  # fmt: skip
