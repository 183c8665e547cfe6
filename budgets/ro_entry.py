"""The month's capaian RO as its entry reads it: the ROs of a satker's DIPA with their pagu, the
volume text officers type, and the rows of the monthly report page's "Capaian RO" section (target,
this month, volume to date over the approved months, the programme records' count).

The programme records live in programs, which budgets may not import: the apps above budgets
provide their counts through settings (``RO_RECORD_COUNTS``: dotted paths of functions
(report) -> {output indicator key: count}), called once per page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from budgets.models import (
    FiscalYear,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputVolumeTarget,
    Satker,
)
from budgets.output_rules import CENT, achievement, volume_to_date

MAX_VOLUME = Decimal("999999999999.99")  # VOLUME_DIGITS: 14 digits, 2 of them decimals


class DecimalError(ValueError):
    pass


def parse_decimal(value: Any, *, label: str) -> Decimal:
    """A volume or a percentage as officers type it: ``12``, ``1,5`` (Indonesian), ``1.5``,
    ``1.250`` or ``1.250,5`` (dots grouping thousands). At most two decimals."""
    if isinstance(value, bool):
        raise DecimalError(_("%(label)s harus berupa angka.") % {"label": label})
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise DecimalError(_("%(label)s harus berupa angka, mis. 12 atau 2,5.") % {"label": label})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise DecimalError(_("%(label)s harus berupa angka, mis. 12 atau 2,5.") % {"label": label}) from None
    if not number.is_finite():
        raise DecimalError(_("%(label)s harus berupa angka.") % {"label": label})
    # Size first: quantizing a number of hundreds of digits exceeds the decimal context's precision.
    if abs(number) > MAX_VOLUME:
        raise DecimalError(_("%(label)s terlalu besar.") % {"label": label})
    if number != number.quantize(CENT):
        raise DecimalError(_("%(label)s paling banyak dua angka di belakang koma.") % {"label": label})
    return number.quantize(CENT)


def dipa_outputs(*, satker: Satker, fiscal_year: FiscalYear) -> QuerySet[Output]:
    """The ROs of the satker's budget lines of the year, each with ``pagu`` (the sum of its lines'
    pagu), in the DIPA's order. One query."""
    lines = Q(budget_lines__satker=satker, budget_lines__fiscal_year=fiscal_year)
    return (
        Output.objects.filter(lines)
        .annotate(pagu=Sum("budget_lines__pagu"))
        .select_related("output_class__activity")
        .order_by("output_class__activity__code", "output_class__code", "code")
    )


def outputs_missing(report: MonthlyReport) -> list[Output]:
    """The ROs with pagu that have no row in the report: the month may not be submitted yet."""
    filled = set(report.ro_achievements.values_list("output_id", flat=True))
    return [output for output in dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year)
            if output.pagu and output.pk not in filled]  # fmt: skip


RecordCounts = Callable[[MonthlyReport], dict[str, int]]


@cache
def _count_providers(paths: tuple[str, ...]) -> list[RecordCounts]:
    return [import_string(path) for path in paths]


def record_counts(report: MonthlyReport) -> dict[str, int]:
    """{output indicator key: count} of the report's programme records, from every provider."""
    counts: dict[str, int] = defaultdict(int)
    for provider in _count_providers(tuple(getattr(settings, "RO_RECORD_COUNTS", ()))):
        for key, count in provider(report).items():
            counts[key] += count
    return dict(counts)


@dataclass
class RoRow:
    output: Output
    pagu: int
    target: Decimal | None
    row: OutputAchievement | None  # this month's
    to_date: Decimal
    achievement: Decimal | None
    records: int | None  # the programme records' count (None: nothing measures this RO)
    adjustments: list[OutputAdjustment] = field(default_factory=list)  # recorded with this report

    @property
    def differs(self) -> bool:
        """The typed volume and the programme records disagree: the reviewer should look."""
        if self.records is None:
            return False
        return (self.row.volume if self.row else Decimal(0)) != Decimal(self.records)


def month_rows(report: MonthlyReport) -> list[RoRow]:
    """One row per RO of the report's DIPA. Volume to date: the approved months up to this one,
    this month, and the adjustments recorded with them. Five queries at most, whatever the number
    of ROs, months and adjustments (one when the DIPA has no RO)."""
    satker, fiscal_year = report.satker, report.fiscal_year
    outputs = list(dipa_outputs(satker=satker, fiscal_year=fiscal_year))
    if not outputs:
        return []
    targets = dict(
        OutputVolumeTarget.objects.filter(satker=satker, fiscal_year=fiscal_year).values_list("output_id", "volume")
    )
    counted = Q(report=report) | Q(report__status=MonthlyReport.Status.APPROVED, report__month__lte=report.month)
    same_dipa = Q(report__satker=satker, report__fiscal_year=fiscal_year)
    monthly: dict[int, list[Decimal]] = defaultdict(list)
    this_month: dict[int, OutputAchievement] = {}
    for row in OutputAchievement.objects.filter(same_dipa & counted):
        monthly[row.output_id].append(row.volume)
        if row.report_id == report.pk:
            this_month[row.output_id] = row
    adjusted: dict[int, list[Decimal]] = defaultdict(list)
    recorded_here: dict[int, list[OutputAdjustment]] = defaultdict(list)
    by_id = {output.pk: output for output in outputs}
    for adjustment in OutputAdjustment.objects.filter(same_dipa & counted).order_by("corrected_month", "pk"):
        if adjustment.output_id in by_id:  # the RO as loaded above, not one query per adjustment
            adjustment.output = by_id[adjustment.output_id]
        adjusted[adjustment.output_id].append(adjustment.volume)
        if adjustment.report_id == report.pk:
            recorded_here[adjustment.output_id].append(adjustment)
    counts = record_counts(report) if any(output.measured_by for output in outputs) else {}
    rows = []
    for output in outputs:
        to_date = volume_to_date(cumulative=output.cumulative, monthly=monthly[output.pk],
                                 adjustments=adjusted[output.pk])  # fmt: skip
        target = targets.get(output.pk)
        rows.append(RoRow(
            output=output, pagu=output.pagu or 0, target=target, row=this_month.get(output.pk), to_date=to_date,
            achievement=achievement(to_date, target),
            records=counts.get(output.measured_by, 0) if output.measured_by else None,
            adjustments=recorded_here[output.pk],
        ))  # fmt: skip
    return rows
