"""The RPD planner: a proposal for the months of the RPD still to come, per spending type, and
the deviation and absorption scores it would earn against those of the current plan.

Definitions (fixed by the lead for issue 24; where the brief was silent the choice is said):

Months of a satker-year, as of ``today``:
- frozen: the months begun (``rpd_frozen_months``); a change keeps their plan as stored.
- completed: the frozen months that have ended and whose monthly report is approved; their
  realization is known (approved reports, the official basis the IKPA computation reads).
- pending: the other frozen months (the running month, or an ended month whose report is not
  approved yet): their spending is expected to follow their plan.
- open: the months after the frozen ones; the proposal plans them.

Per spending type t (effective pagu E = pagu - blokir):
1. The frozen months keep their plan.
2. Expected spending of the pending months = their plan.
3. Known spending K = realization of the completed months + plan of the pending months; what is
   left to spend R = E - K. The open months must take the plan room Q = E - plan of the frozen
   months, because ``rpd_set`` wants each type's 12 months to add up to E. Q equals R when the
   completed months were spent as planned; otherwise the difference (an under- or overspend
   already judged in those months' deviation) cannot be carried by the plan, and the page shows
   it. The lead's brief writes the open months' total as R "so the plan passes rpd_set": the
   two only agree when Q = R, and the one that lets the plan be saved is Q, which is used here.
4. Pace p = mean monthly realization over the completed months (0 when none).
5. Each open month starts at p. Then, quarter by quarter (only quarters with open months, in
   order), the cumulative spending at the quarter's end (K + the open months so far) is lifted
   to the IKPA absorption target of that quarter for t (``YearRules.absorption_targets``, in %
   of E, rounded up to a thousand rupiah), the shortfall spread evenly over that quarter's open
   months. What is then left of Q (when positive) is spread evenly over the open months of the
   last quarter that has open months; when the open months exceed Q they are scaled down
   proportionally (the targets cannot all be met).
6. Rounding: each open month is a whole number of thousands of rupiah and the last open month
   takes the remainder, so the open months add up to Q exactly. The rounding is done on the
   running total (each month = rounded cumulative - previous rounded cumulative), so rounding
   never accumulates and never drops a quarter's cumulative below a target met in step 5.

Projection, as of December, by the IKPA computation's own assembly (``compute.indicators``, on
the ``rules`` functions) applied to assumed figures:
- spending assumed: the completed months' realization, the pending months' plan, and in the
  open months the proposal (the expected spending).
- deviasi = mean over the 12 months of ``deviation_score(month_deviation(...))``, a month's
  (realized, planned) per type: the current plan is judged against the expected spending in the
  open months, the proposal scores 100 there.
- penyerapan = mean of ``absorption_score`` over the 4 quarters, spending following each plan in
  the open months (the current plan's own months for the current plan).
- contribution = the points these two indicators give the IKPA value with the year's weights:
  ``composite`` with every other weighted indicator at 0 (so sum of weight x value over the sum
  of the year's weights); the change in points is the proposal's contribution minus the current
  plan's (the other indicators being equal).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from django.db.models import Sum

from budgets.calendar import last_completed_month, quarter_of
from budgets.ikpa import compute, rules
from budgets.models import FiscalYear, MonthlyReport, Realization, Satker
from budgets.selectors import rpd_grid

MONTHS = range(1, 13)
THOUSAND = 1000
COMPLETED, PENDING, OPEN = "completed", "pending", "open"


@dataclass(frozen=True)
class TypeInputs:
    """One spending type of the satker-year as the planner reads it."""

    spending_type_id: int
    code: str
    name: str
    pagu: int  # effective pagu (pagu - blokir)
    plan: tuple[int, ...]  # the current plan, January..December
    realized: Mapping[int, int]  # month -> realization, completed months only


@dataclass(frozen=True)
class PlannerInputs:
    year: int
    frozen: range
    completed: frozenset[int]  # frozen months with an approved report
    types: tuple[TypeInputs, ...]
    rules: rules.YearRules

    def kind(self, month: int) -> str:
        if month in self.completed:
            return COMPLETED
        return PENDING if month in self.frozen else OPEN

    @property
    def open_months(self) -> list[int]:
        return [month for month in MONTHS if month not in self.frozen]


def completed_months(frozen: range, year: int, today: date, approved_months: set[int]) -> frozenset[int]:
    """The completed months as of ``today``: frozen, ended, and with their report approved."""
    ended = last_completed_month(year, today)
    return frozenset(month for month in approved_months if month <= ended and month in frozen)


@dataclass(frozen=True)
class QuarterLift:
    quarter: int
    target: Decimal  # % of effective pagu
    needed: int  # cumulative spending the target asks for at the quarter's end (rupiah, up to a thousand)
    lift: int  # added to the quarter's open months above the pace (rounded to a rupiah, for display)


@dataclass(frozen=True)
class TypeProposal:
    inputs: TypeInputs
    known: int  # K: realization of the completed months + plan of the pending months
    remaining: int  # R = E - K: what is left to spend
    room: int  # Q = E - plan of the frozen months: what the open months must add up to
    pace: int  # p, rounded to a rupiah for display
    lifts: tuple[QuarterLift, ...]
    spread: int  # what was left of Q after the lifts, spread over the last quarter's open months
    scaled: bool  # the open months exceeded Q and were scaled down
    months: tuple[int, ...]  # the proposed plan, January..December

    @property
    def gap(self) -> int:
        """R - Q: spending the plan cannot carry (completed months spent off their plan)."""
        return self.remaining - self.room

    @property
    def feasible(self) -> bool:
        """False when the frozen months' plan already exceeds the effective pagu (Q < 0)."""
        return self.room >= 0


def _ceil_thousand(value: Fraction) -> int:
    return ceil(value / THOUSAND) * THOUSAND


def _round_thousand(value: Fraction) -> int:
    """Half up, to a whole number of thousands."""
    return floor(value / THOUSAND + Fraction(1, 2)) * THOUSAND


def propose_type(inputs: TypeInputs, planner: PlannerInputs) -> TypeProposal:
    open_months = planner.open_months
    completed = sorted(planner.completed)
    realized = sum(inputs.realized.get(month, 0) for month in completed)
    pending_plan = sum(inputs.plan[month - 1] for month in planner.frozen if month not in planner.completed)
    known = realized + pending_plan
    room = inputs.pagu - sum(inputs.plan[month - 1] for month in planner.frozen)
    pace = Fraction(realized, len(completed)) if completed else Fraction(0)
    if not open_months:
        return TypeProposal(inputs, known, inputs.pagu - known, room, round(pace), (), 0, False, inputs.plan)

    amounts: dict[int, Fraction] = dict.fromkeys(open_months, pace)
    lifts = []
    for quarter in sorted({quarter_of(month) for month in open_months}):
        target = planner.rules.absorption_targets.get(quarter, {}).get(inputs.code)
        if not target or inputs.pagu <= 0:
            continue
        in_quarter = [month for month in open_months if quarter_of(month) == quarter]
        needed = min(_ceil_thousand(Fraction(target) * inputs.pagu / 100), inputs.pagu)
        so_far = known + sum(amount for month, amount in amounts.items() if month <= quarter * 3)
        shortfall = max(Fraction(0), needed - so_far)
        for month in in_quarter:
            amounts[month] += shortfall / len(in_quarter)
        lifts.append(QuarterLift(quarter, target, needed, round(shortfall)))

    total = sum(amounts.values(), Fraction(0))
    spread, scaled = Fraction(0), False
    target_total = max(room, 0)
    if total < target_total:
        last_quarter = quarter_of(open_months[-1])
        tail = [month for month in open_months if quarter_of(month) == last_quarter]
        spread = target_total - total
        for month in tail:
            amounts[month] += spread / len(tail)
    elif total > target_total:
        scaled = True
        for month in open_months:
            amounts[month] = amounts[month] * target_total / total if total else Fraction(0)

    months = list(inputs.plan)
    cumulative, previous = Fraction(0), 0
    for month in open_months[:-1]:
        cumulative += amounts[month]
        rounded = min(_round_thousand(cumulative), target_total)
        months[month - 1] = rounded - previous
        previous = rounded
    months[open_months[-1] - 1] = target_total - previous
    return TypeProposal(
        inputs, known, inputs.pagu - known, room, round(pace), tuple(lifts), round(spread), scaled, tuple(months)
    )


@dataclass(frozen=True)
class Projection:
    month_deviation: tuple[Decimal | None, ...]  # January..December
    month_score: tuple[Decimal | None, ...]
    quarter_score: tuple[Decimal | None, ...]  # Q1..Q4
    deviation: Decimal | None  # deviasi: mean of the month scores
    absorption: Decimal | None  # penyerapan: mean of the quarter scores
    contribution: Decimal | None  # points of the IKPA value from these two indicators


def project(
    planner: PlannerInputs, plans: Mapping[str, Sequence[int]], expected: Mapping[str, Sequence[int]]
) -> Projection:
    """The deviation and absorption a plan (``plans``: code -> 12 months) would score as of
    December, spending being the completed months' realization, the pending months' plan and, in
    the open months, ``expected`` (code -> 12 months) for the deviation and the plan itself for
    the absorption. The IKPA computation's own assembly (``compute.indicators``, on the rules
    functions) is applied to these assumed figures, so the projection is the score the same
    figures will produce once stored."""
    pagu = {t.code: t.pagu for t in planner.types}
    planned = {month: {t.code: plans[t.code][month - 1] for t in planner.types} for month in MONTHS}

    def amount(t: TypeInputs, month: int, open_source: Mapping[str, Sequence[int]]) -> int:
        kind = planner.kind(month)
        if kind == COMPLETED:
            return t.realized.get(month, 0)
        if kind == PENDING:
            return t.plan[month - 1]
        return open_source[t.code][month - 1]

    def spending(open_source: Mapping[str, Sequence[int]]) -> dict[int, dict[str, int]]:
        return {month: {t.code: amount(t, month, open_source) for t in planner.types} for month in MONTHS}

    year_rules = planner.rules
    judged = compute.indicators(
        compute.SatkerInputs(pagu_by_type=pagu, planned=planned, realized=spending(expected)), 12, year_rules
    )
    absorbed = compute.indicators(
        compute.SatkerInputs(pagu_by_type=pagu, planned=planned, realized=spending(plans)), 12, year_rules
    )
    deviation, absorption = judged.values[rules.DEVIASI], absorbed.values[rules.PENYERAPAN]
    return Projection(
        tuple(judged.month_deviations.get(month) for month in MONTHS),
        tuple(judged.month_scores.get(month) for month in MONTHS),
        tuple(absorbed.quarter_scores.get(quarter) for quarter in (1, 2, 3, 4)),
        deviation,
        absorption,
        contribution(deviation, absorption, year_rules),
    )


def contribution(deviation: Decimal | None, absorption: Decimal | None, year_rules: rules.YearRules) -> Decimal | None:
    """The points deviasi and penyerapan give the IKPA value: ``composite`` with every other
    weighted indicator at 0 (a deducted dispensation left out)."""
    values: dict[str, Decimal | None] = {key: rules.ZERO for key in year_rules.weights if key != rules.DISPENSASI}
    if not year_rules.dispensation_deducts and rules.DISPENSASI in year_rules.weights:
        values[rules.DISPENSASI] = rules.ZERO
    values[rules.DEVIASI], values[rules.PENYERAPAN] = deviation, absorption
    if deviation is None and absorption is None:
        return None
    return rules.composite(values, year_rules)


@dataclass(frozen=True)
class Proposal:
    planner: PlannerInputs
    types: tuple[TypeProposal, ...]
    current: Projection
    proposed: Projection

    @property
    def changed(self) -> bool:
        return any(t.months != t.inputs.plan for t in self.types)

    @property
    def feasible(self) -> bool:
        return all(t.feasible for t in self.types)

    @property
    def change(self) -> Decimal | None:
        """Points of the IKPA value the proposal gains (negative: loses) over the current plan."""
        if self.current.contribution is None or self.proposed.contribution is None:
            return None
        return self.proposed.contribution - self.current.contribution

    def plan_cells(self) -> dict[tuple[int, int], int]:
        """The whole plan as ``rpd_set`` takes it: {(spending type id, month): amount}."""
        return {(t.inputs.spending_type_id, month): t.months[month - 1] for t in self.types for month in MONTHS}

    def fingerprint(self) -> str:
        """Names this proposal, so an apply posted from a page whose proposal has since changed
        (new realization, a new plan) is refused rather than applying what was not shown."""
        text = ";".join(f"{st}:{month}:{amount}" for (st, month), amount in sorted(self.plan_cells().items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def propose(planner: PlannerInputs) -> Proposal:
    """The proposal and both projections."""
    types = tuple(propose_type(t, planner) for t in planner.types)
    current = {t.inputs.code: t.inputs.plan for t in types}
    proposed = {t.inputs.code: t.months for t in types}
    return Proposal(planner, types, project(planner, current, proposed), project(planner, proposed, proposed))


# --- The database reading: a satker-year's inputs in five queries (the plan and the effective
# pagu per type as the RPD page reads them, the approved months, their realization per type).


def planner_inputs(
    *, satker: Satker, fiscal_year: FiscalYear, today: date, frozen: range, year_rules: rules.YearRules
) -> PlannerInputs:
    """The planner's inputs for a satker-year as of ``today``: every spending type with pagu or
    a plan, its current plan and its realization in the completed months (approved reports).
    ``frozen``: ``rpd_frozen_months(year, today)`` (budgets.services.rpd, which this package may
    not import: the services reach the reports, which read IKPA)."""
    rows = rpd_grid(satker=satker, fiscal_year=fiscal_year)
    approved = set(
        MonthlyReport.objects.filter(
            satker=satker, fiscal_year=fiscal_year, status=MonthlyReport.Status.APPROVED
        ).values_list("month", flat=True)
    )
    completed = completed_months(frozen, fiscal_year.year, today, approved)
    realized: dict[int, dict[int, int]] = {}
    if completed:
        for type_id, month, amount in (
            Realization.objects.filter(
                report__satker=satker,
                report__fiscal_year=fiscal_year,
                report__status=MonthlyReport.Status.APPROVED,
                report__month__in=sorted(completed),
            )
            .order_by()
            .values_list("line__account__spending_type", "report__month")
            .annotate(total=Sum("amount"))
        ):
            realized.setdefault(type_id, {})[month] = amount
    types = tuple(
        TypeInputs(
            spending_type_id=row["spending_type"].pk,
            code=row["spending_type"].code,
            name=row["spending_type"].name,
            pagu=row["pagu_efektif"],
            plan=tuple(row["months"]),
            realized=realized.get(row["spending_type"].pk, {}),
        )
        for row in rows
    )
    return PlannerInputs(fiscal_year.year, frozen, completed, types, year_rules)
