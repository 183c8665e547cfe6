"""IKPA per satker and "as of" month from the database: the inputs of rules.py gathered for many
satkers at once (a fixed number of queries whatever their number), then the rules applied here.

Inputs, per satker of the fiscal year:
- effective pagu (pagu - blokir) per spending type, of the DIPA as it stands (the treasury uses
  the pagu of each month; the product keeps the revisions' amounts but not a pagu per month);
- RPD per spending type and month (the plan as it stands: past months' RPD cannot change);
- realization per spending type and month (the per-report sums of budgets/realization_summary.py),
  from the reports that count (``statuses``: the approved ones by default, the caller's basis);
- the DIPA revisions dated up to the month's end whose treasury code the year counts;
- RO timeliness and achievement, given by the caller (``OutputInputs``: the reports layer reads
  them with budgets/reports/ro.py, which this package may not import);
- the treasury's figures (contracts, invoices, UP/TUP, dispensations): the latest up to the month.

Indicators at month M (README "IKPA"):
- deviasi: the mean of the month scores of months 1..M (months with neither plan nor spending
  are skipped);
- penyerapan: the mean of the absorption scores of the quarters ended by M; before the first
  quarter ends, the running quarter's target against realization to date (an early warning);
- revisi: the mean of the semester scores of the semesters begun by M;
- capaian_output: timeliness and achievement (rules.output_score);
- kontraktual, tagihan, up_tup, dispensasi: imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from budgets.calendar import month_end
from budgets.ikpa import rules
from budgets.ikpa.selectors import FigureRows, TreasuryValue, figure_rows, latest_figures
from budgets.ikpa.year_rules import year_rules
from budgets.models import BudgetLine, BudgetRevision, FiscalYear, RpdPlan, SpendingTypeRealization

# (timeliness %, achievement %) of a satker's ROs as of a month; None where not measurable.
OutputFigures = tuple[Decimal | None, Decimal | None]
# (satker id, month) -> its RO figures as of that month.
OutputInputs = Callable[[int, int], OutputFigures]
NO_OUTPUTS: OutputFigures = (None, None)


@dataclass
class SatkerInputs:
    """What the rules need of one satker, read for the months up to the latest asked."""

    pagu_by_type: dict[str, int] = field(default_factory=dict)  # effective pagu per spending type
    planned: dict[int, dict[str, int]] = field(default_factory=dict)  # month -> type -> RPD
    realized: dict[int, dict[str, int]] = field(default_factory=dict)  # month -> type -> realization
    revision_dates: list[date] = field(default_factory=list)  # counted revisions
    figures: dict[str, FigureRows] = field(default_factory=dict)  # indicator -> its figures in month order


@dataclass
class SatkerIkpa:
    """One satker's IKPA as of ``month``, with the figures behind it."""

    month: int
    values: dict[str, Decimal | None]  # every indicator key (rules.INDICATORS)
    nilai: Decimal | None
    kategori: str | None
    imported: dict[str, TreasuryValue]  # the imported indicators that have a value: (value, month, source)
    type_deviations: dict[int, dict[str, Decimal | None]]  # month -> type -> deviation %
    month_deviations: dict[int, Decimal | None]  # month -> the month's deviation %
    month_scores: dict[int, Decimal | None]  # month -> its page III score
    quarter_scores: dict[int, Decimal | None]  # quarter -> absorption score (the quarters counted)
    revisions_by_semester: dict[int, int]  # semester -> counted revisions
    semester_scores: dict[int, Decimal]
    outputs: OutputFigures
    pagu_by_type: dict[str, int] = field(default_factory=dict)  # effective pagu per spending type
    # quarter -> type -> realization cumulative to the quarter's end (the running quarter: to date)
    realized_by_quarter: dict[int, dict[str, int]] = field(default_factory=dict)


def gather(
    fiscal_year: FiscalYear, satker_ids: Iterable[int], month: int, *, statuses: Sequence[str], ikpa: rules.YearRules
) -> dict[int, SatkerInputs]:
    """The inputs of ``satker_ids`` for months 1..``month``: five queries."""
    ids = list(satker_ids)
    inputs = {satker_id: SatkerInputs() for satker_id in ids}
    if not ids:
        return inputs
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year, satker_id__in=ids).order_by()
    for satker_id, code, pagu, blokir in lines.values_list("satker_id", "account__spending_type__code").annotate(
        Sum("pagu"), Sum("blokir")
    ):
        types = inputs[satker_id].pagu_by_type
        types[code] = types.get(code, 0) + int(pagu or 0) - int(blokir or 0)
    plans = RpdPlan.objects.filter(fiscal_year=fiscal_year, satker_id__in=ids, month__lte=month).order_by()
    for satker_id, of_month, code, amount in plans.values_list("satker_id", "month", "spending_type__code", "amount"):
        by_type = inputs[satker_id].planned.setdefault(of_month, {})
        by_type[code] = by_type.get(code, 0) + amount
    # Per report and spending type from the summary (budgets/realization_summary.py): one year's
    # 1.900 sums instead of 12.000 realization rows joined to their lines and accounts. The
    # report's year is named too, so that only that year's reports are joined.
    realizations = SpendingTypeRealization.objects.filter(
        fiscal_year=fiscal_year, report__fiscal_year=fiscal_year, report__satker_id__in=ids,
        report__status__in=list(statuses), report__month__lte=month,
    ).order_by()  # fmt: skip
    for satker_id, of_month, code, amount in realizations.values_list(
        "report__satker_id", "report__month", "spending_type__code", "amount"
    ):
        by_type = inputs[satker_id].realized.setdefault(of_month, {})
        by_type[code] = by_type.get(code, 0) + amount
    revisions = BudgetRevision.objects.filter(
        fiscal_year=fiscal_year, satker_id__in=ids, date__lte=month_end(fiscal_year.year, month),
        treasury_code__in=sorted(ikpa.counted_revision_codes),
    ).order_by()  # fmt: skip
    for satker_id, day in revisions.values_list("satker_id", "date"):
        inputs[satker_id].revision_dates.append(day)
    for satker_id, figures in figure_rows(ids, fiscal_year, month).items():
        inputs[satker_id].figures = figures
    return inputs


def _cumulative(realized: Mapping[int, Mapping[str, int]], through: int) -> dict[str, int]:
    total: dict[str, int] = {}
    for of_month, by_type in realized.items():
        if of_month <= through:
            for code, amount in by_type.items():
                total[code] = total.get(code, 0) + amount
    return total


def indicators(
    inputs: SatkerInputs, month: int, ikpa: rules.YearRules, outputs: OutputFigures = NO_OUTPUTS
) -> SatkerIkpa:
    """A satker's indicators as of ``month`` from its inputs (which may reach later months:
    only months up to ``month`` are read). A satker without a DIPA (no effective pagu) has none."""
    if not any(pagu > 0 for pagu in inputs.pagu_by_type.values()):
        return SatkerIkpa(month, dict.fromkeys(rules.INDICATORS), None, None, {}, {}, {}, {}, {}, {}, {}, outputs)
    type_deviations: dict[int, dict[str, Decimal | None]] = {}
    month_deviations: dict[int, Decimal | None] = {}
    month_scores: dict[int, Decimal | None] = {}
    for of_month in range(1, month + 1):
        planned, realized = inputs.planned.get(of_month, {}), inputs.realized.get(of_month, {})
        type_deviations[of_month] = {
            code: rules.type_deviation(realized.get(code, 0), planned.get(code, 0))
            for code in sorted({*planned, *realized})
        }
        month_deviations[of_month] = rules.types_deviation(type_deviations[of_month], inputs.pagu_by_type, ikpa)
        month_scores[of_month] = rules.deviation_score(month_deviations[of_month], ikpa)

    # The quarters ended by the month; before the first ends, Q1's target against realization to date.
    realized_by_quarter = {
        quarter: _cumulative(inputs.realized, quarter * 3) for quarter in rules.quarters_ended(month)
    } or {1: _cumulative(inputs.realized, month)}
    quarter_scores = {
        quarter: rules.absorption_score(realized, inputs.pagu_by_type, quarter, ikpa)
        for quarter, realized in realized_by_quarter.items()
    }

    last_day = month_end(ikpa.year, month)
    revisions_by_semester = {
        semester: sum(1 for day in inputs.revision_dates if day <= last_day and (day.month > 6) == (semester == 2))
        for semester in rules.semesters_started(month)
    }
    semester_scores = {semester: rules.revision_score(n, ikpa) for semester, n in revisions_by_semester.items()}

    imported = latest_figures(inputs.figures, month)

    values: dict[str, Decimal | None] = {
        rules.REVISI: rules.mean(semester_scores.values()),
        rules.DEVIASI: rules.mean(month_scores.values()),
        rules.PENYERAPAN: rules.mean(quarter_scores.values()),
        rules.CAPAIAN_OUTPUT: rules.output_score(*outputs, ikpa),
        **{key: imported[key][0] if key in imported else None for key in rules.IMPORTED},
    }
    values = {key: values[key] for key in rules.INDICATORS}
    nilai = rules.composite(values, ikpa)
    return SatkerIkpa(
        month=month, values=values, nilai=nilai, kategori=rules.category(nilai), imported=imported,
        type_deviations=type_deviations, month_deviations=month_deviations, month_scores=month_scores,
        quarter_scores=quarter_scores, revisions_by_semester=revisions_by_semester, semester_scores=semester_scores,
        outputs=outputs, pagu_by_type=inputs.pagu_by_type, realized_by_quarter=realized_by_quarter,
    )  # fmt: skip


def ikpa_by_month(
    fiscal_year: FiscalYear,
    satker_ids: Iterable[int],
    months: Sequence[int],
    *,
    statuses: Sequence[str],
    outputs: OutputInputs | None = None,
    ikpa: rules.YearRules | None = None,
) -> dict[int, dict[int, SatkerIkpa]]:
    """Per satker, per month of ``months``, its IKPA: the inputs read once for the latest month."""
    ikpa = ikpa or year_rules(fiscal_year)
    inputs = gather(fiscal_year, satker_ids, max(months), statuses=statuses, ikpa=ikpa)
    return {
        satker_id: {
            month: indicators(satker_inputs, month, ikpa, outputs(satker_id, month) if outputs else NO_OUTPUTS)
            for month in months
        }
        for satker_id, satker_inputs in inputs.items()
    }


def ikpa_of_satkers(
    fiscal_year: FiscalYear,
    satker_ids: Iterable[int],
    month: int,
    *,
    statuses: Sequence[str],
    outputs: OutputInputs | None = None,
    ikpa: rules.YearRules | None = None,
) -> dict[int, SatkerIkpa]:
    """Per satker, its IKPA as of ``month``."""
    by_month = ikpa_by_month(fiscal_year, satker_ids, [month], statuses=statuses, outputs=outputs, ikpa=ikpa)
    return {satker_id: months[month] for satker_id, months in by_month.items()}
