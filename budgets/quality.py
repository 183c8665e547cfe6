"""Data-quality rules of a monthly report's money: pure functions over figures, and one collector
that reads a report's figures in a fixed number of queries (never per line or per month).

Rules (codes are stable: they key the stored flags, budgets/models/quality.py):

- ``MONTH_SPIKE``: the satker's total realization of the month is above ``SPIKE_MULTIPLIER``
  times the median of its monthly totals. Per satker total, not per line: a line is often paid
  in one or two instalments, so a line's "median month" is mostly its only month and would flag
  every payment; the satker's month is what the reviewer compares. The median is over the
  satker's months of the year up to and including the report's month that have realization
  (a later month does not change an earlier report's flag). Exactly 3x does not fire.
- ``RPD_NO_REALIZATION``: a spending type (the RPD is planned per spending type) with RPD planned
  in each of the ``RPD_IDLE_MONTHS`` months up to the report's month, and no realization on any
  of its lines in those months.

The apps above budgets add their own rules through settings (``MONTHLY_REPORT_QUALITY_CHECKS``:
dotted paths of ``(report) -> list[Finding]``): budgets cannot import programs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop

from budgets.models import MonthlyReport, QualityFlag, Realization, RpdPlan, SpendingType
from core.formats import format_rupiah
from core.messages import Params, month, named, render, spaced, stored_of, text, words

SPIKE_MULTIPLIER = 3
RPD_IDLE_MONTHS = 3

MONTH_SPIKE = "MONTH_SPIKE"
RPD_NO_REALIZATION = "RPD_NO_REALIZATION"


@dataclass(frozen=True)
class Finding:
    """One rule's finding on one target of a report; ``target_key`` is stable across refreshes.

    Its reason is a message id (an Indonesian msgid marked with ``gettext_noop``) and its
    parameters (core/messages.py: month names and other words stay translatable), stored on the
    flag and rendered in the reader's language when shown."""

    code: str
    target_key: str
    target_label: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    target: Model | None = None

    @property
    def target_label_message(self) -> Params:
        """The label's msgid and parameters when it was made with ``core.messages.text``."""
        return stored_of(self.target_label) or {}

    @property
    def reason(self) -> str:
        """The reason in the active language."""
        return render(self.message, self.params)


def _spending_type_label(spending_type: SpendingType) -> str:
    """The label "52 Belanja Barang", with the English name for an English reader ("%(code)s %(name)s" has
    nothing to translate, hence no gettext_noop)."""
    return text("%(code)s %(name)s", code=spending_type.code, name=named(spending_type.name, spending_type.name_en))


def target_key_of(obj: Model) -> str:
    """'programs.newentrepreneur:12': the stable key of a stored target."""
    return f"{obj._meta.label_lower}:{obj.pk}"


# -- pure rules ----------------------------------------------------------------------------------


def median(values: Sequence[int]) -> Fraction:
    """The median as an exact fraction (the mean of the two middle values of an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def is_spike(amount: int, month_amounts: Iterable[int], multiplier: int = SPIKE_MULTIPLIER) -> Fraction | None:
    """The median when ``amount`` is above ``multiplier`` times the median of the months with
    realization (> 0); None otherwise (no month with realization, or not above)."""
    realized = [value for value in month_amounts if value > 0]
    if not realized:
        return None
    middle = median(realized)
    return middle if amount > multiplier * middle else None


def idle_months(month: int, window: int = RPD_IDLE_MONTHS) -> list[int] | None:
    """The ``window`` months up to ``month`` (None before there are that many)."""
    return list(range(month - window + 1, month + 1)) if month >= window else None


def is_idle(planned: Mapping[int, int], realized: Mapping[int, int], months: Sequence[int]) -> bool:
    """RPD planned (> 0) in every month and nothing realized in any of them."""
    return all(planned.get(m, 0) > 0 for m in months) and not any(realized.get(m, 0) for m in months)


# -- reasons -------------------------------------------------------------------------------------


SPIKE_REASON = gettext_noop(
    "Realisasi bulan ini %(amount)s lebih dari %(times)s kali median realisasi bulanan satker "
    "%(median)s (median %(months)s bulan dengan realisasi)."
)
IDLE_REASON = gettext_noop(
    "RPD %(type)s direncanakan (%(plans)s) tetapi tidak ada realisasi selama %(count)s bulan berturut-turut."
)


def spike_reason(*, amount: int, middle: Fraction, months: int) -> tuple[str, dict[str, Any]]:
    return SPIKE_REASON, {"amount": format_rupiah(amount), "times": SPIKE_MULTIPLIER,
                          "median": format_rupiah(round(middle)), "months": months}  # fmt: skip


def idle_reason(
    *, spending_type: SpendingType, planned: Mapping[int, int], months: Sequence[int]
) -> tuple[str, dict[str, Any]]:
    plans = words([spaced(month(m), format_rupiah(planned[m])) for m in months])
    # The type's English name for an English reader, as on the flag's label.
    kind = spaced(spending_type.code, named(spending_type.name, spending_type.name_en))
    return IDLE_REASON, {"type": kind, "plans": plans, "count": len(months)}


# -- the collector -------------------------------------------------------------------------------


def _spike_findings(report: MonthlyReport) -> list[Finding]:
    totals = dict(
        MonthlyReport.objects.filter(
            satker_id=report.satker_id, fiscal_year_id=report.fiscal_year_id, month__lte=report.month
        ).values_list("month", "realized_total")
    )
    amount = totals.get(report.month, 0)
    middle = is_spike(amount, totals.values())
    if middle is None:
        return []
    months = sum(1 for value in totals.values() if value > 0)
    return [Finding(MONTH_SPIKE, "satker", text(gettext_noop("Realisasi satker bulan ini")),
                    *spike_reason(amount=amount, middle=middle, months=months))]  # fmt: skip


def _idle_findings(report: MonthlyReport) -> list[Finding]:
    months = idle_months(report.month)
    if months is None:
        return []
    where = {"satker_id": report.satker_id, "fiscal_year_id": report.fiscal_year_id}
    planned: dict[int, dict[int, int]] = defaultdict(dict)
    types: dict[int, SpendingType] = {}
    for plan in RpdPlan.objects.filter(**where, month__in=months, amount__gt=0).select_related("spending_type"):
        planned[plan.spending_type_id][plan.month] = plan.amount
        types[plan.spending_type_id] = plan.spending_type
    if not planned:
        return []
    realized: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        Realization.objects.filter(
            report__satker_id=report.satker_id,
            report__fiscal_year_id=report.fiscal_year_id,
            report__month__in=months,
            amount__gt=0,
        )
        .values("report__month", "line__account__spending_type_id")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        realized[row["line__account__spending_type_id"]][row["report__month"]] = row["total"]
    return [
        Finding(RPD_NO_REALIZATION, target_key_of(types[type_id]), _spending_type_label(types[type_id]),
                *idle_reason(spending_type=types[type_id], planned=plans, months=months), types[type_id])
        for type_id, plans in sorted(planned.items(), key=lambda item: types[item[0]].code)
        if is_idle(plans, realized.get(type_id, {}), months)
    ]  # fmt: skip


def budget_findings(report: MonthlyReport) -> list[Finding]:
    """budgets' own rules: three queries at most, whatever the number of lines."""
    return [*_spike_findings(report), *_idle_findings(report)]


QualityCheck = Callable[[MonthlyReport], list[Finding]]


@cache
def _checks(paths: tuple[str, ...]) -> list[QualityCheck]:
    return [import_string(path) for path in paths]


def report_findings(report: MonthlyReport) -> list[Finding]:
    """Every rule's findings on the report: budgets' and those of the apps named in settings."""
    findings = budget_findings(report)
    for check in _checks(tuple(getattr(settings, "MONTHLY_REPORT_QUALITY_CHECKS", ()))):
        findings.extend(check(report))
    return findings


# -- reads for the pages -------------------------------------------------------------------------


def open_flags_count() -> Subquery:
    """The number of a report's open flags, as an expression for ``MonthlyReport`` querysets
    (a subquery: it does not multiply the rows of other annotations)."""
    counted = (
        QualityFlag.objects.filter(report=OuterRef("pk"), status=QualityFlag.Status.OPEN, gone_at__isnull=True)
        .order_by()
        .values("report")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_open_flags_count(reports: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    """The reviewers' queue with ``open_flags`` on every report: one query for the page."""
    return reports.annotate(open_flags=open_flags_count())


def report_flags(report: MonthlyReport) -> list[QualityFlag]:
    """A report's flags for its page: still found ones first, open ones first among them."""
    flags = QualityFlag.objects.filter(report=report).select_related("decided_by")
    return sorted(flags, key=lambda flag: (flag.gone_at is not None, not flag.is_open, flag.code, flag.target_label))
