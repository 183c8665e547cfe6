"""A fiscal year's IKPA rules read from the database into the pure ``YearRules`` of rules.py.

The year's parameters (IkpaYearRule), the weights (IkpaWeight), the deviation curve
(IkpaDeviationPoint) and the absorption targets per spending type (IkpaAbsorptionTarget): two
queries per year (the rule row, then the three tables in one UNION ALL), made once per page or
report (never per satker).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, IntegerField, Value
from django.db.models.functions import Cast

from budgets.ikpa import rules
from budgets.models import (
    FiscalYear,
    IkpaAbsorptionTarget,
    IkpaDeviationPoint,
    IkpaIndicator,
    IkpaWeight,
    IkpaYearRule,
)
from budgets.models.ikpa import parse_revision_codes

# The one place where the stored indicators (IkpaWeight.indicator) meet the CONTRACT keys.
INDICATOR_KEYS: dict[str, str] = {
    IkpaIndicator.DIPA_REVISION: rules.REVISI,
    IkpaIndicator.PAGE3_DEVIATION: rules.DEVIASI,
    IkpaIndicator.ABSORPTION: rules.PENYERAPAN,
    IkpaIndicator.CONTRACT: rules.KONTRAKTUAL,
    IkpaIndicator.INVOICE: rules.TAGIHAN,
    IkpaIndicator.PETTY_CASH: rules.UP_TUP,
    IkpaIndicator.OUTPUT: rules.CAPAIAN_OUTPUT,
    IkpaIndicator.DISPENSATION: rules.DISPENSASI,
}
# The treasury's switch to PER-5/PB/2024 (pagu-weighted deviation, dispensation deducted).
FIRST_PER_5_2024_YEAR = 2024


def _year_rows(fiscal_year: FiscalYear) -> list[tuple[str, str, int, Decimal, Decimal]]:
    """The year's weights, curve points and absorption targets in one UNION ALL query, as rows of
    (kind, key, quarter, x, y): ("w", indicator, 0, weight, 0), ("p", "", 0, deviation, score),
    ("t", spending type code, quarter, target, 0)."""
    text, number, amount = CharField(), IntegerField(), DecimalField(max_digits=8, decimal_places=2)

    def constant(value: object, field: Any) -> Value:
        return Value(value, output_field=field)

    weights = IkpaWeight.objects.filter(fiscal_year=fiscal_year).order_by().values_list(
        constant("w", text), Cast("indicator", text), constant(0, number), Cast("weight", amount),
        constant(Decimal(0), amount),
    )  # fmt: skip
    points = IkpaDeviationPoint.objects.filter(fiscal_year=fiscal_year).order_by().values_list(
        constant("p", text), constant("", text), constant(0, number), Cast("deviation", amount),
        Cast("score", amount),
    )  # fmt: skip
    targets = IkpaAbsorptionTarget.objects.filter(fiscal_year=fiscal_year).order_by().values_list(
        constant("t", text), Cast("spending_type__code", text), Cast("quarter", number), Cast("target", amount),
        constant(Decimal(0), amount),
    )  # fmt: skip
    return list(weights.union(points, targets, all=True))


def year_rules(fiscal_year: FiscalYear) -> rules.YearRules:
    """The year's rules, in two queries. A year without an IkpaYearRule row (not loaded yet)
    takes the model's defaults, with the dispensation and the deviation's weighting by the
    treasury's regulation of the year (before 2024: weighted dispensation, arithmetic deviation)."""
    rule = IkpaYearRule.objects.filter(fiscal_year=fiscal_year).first()
    if rule is None:
        modern = fiscal_year.year >= FIRST_PER_5_2024_YEAR
        rule = IkpaYearRule(fiscal_year=fiscal_year, dispensation_deducts=modern, deviation_weighted_by_pagu=modern)
    tolerance = fiscal_year.deviation_tolerance
    weights: dict[str, Decimal] = {}
    points: list[tuple[Decimal, Decimal]] = []
    targets: dict[int, dict[str, Decimal]] = {}
    for kind, key, quarter, x, y in _year_rows(fiscal_year):
        if kind == "w":
            weights[INDICATOR_KEYS[key]] = x
        elif kind == "p":
            if x > tolerance:
                points.append((x, y))
        else:
            targets.setdefault(quarter, {})[key] = x
    return rules.YearRules(
        year=fiscal_year.year,
        weights=weights,
        dispensation_deducts=rule.dispensation_deducts,
        deviation_tolerance=tolerance,
        # The curve starts at (tolerance, 100) whatever the stored points (rules.py's contract).
        deviation_curve=((tolerance, rules.HUNDRED), *sorted(points)),
        deviation_weighted_by_pagu=rule.deviation_weighted_by_pagu,
        absorption_targets=targets,
        counted_revision_codes=parse_revision_codes(rule.counted_revision_codes),
        revision_limit_per_semester=rule.revision_limit_per_semester,
        revision_penalty=rule.revision_penalty,
        output_timeliness_share=rule.output_timeliness_share,
    )
