"""A fiscal year's IKPA rules read from the database into the pure ``YearRules`` of rules.py.

The weights (IkpaWeight), the year's parameters (IkpaYearRule), the deviation curve
(IkpaDeviationPoint) and the absorption targets per spending type (IkpaAbsorptionTarget): four
small indexed queries per year, made once per page or report (never per satker).
"""

from __future__ import annotations

from decimal import Decimal

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


def year_rules(fiscal_year: FiscalYear) -> rules.YearRules:
    """The year's rules. A year without an IkpaYearRule row (not loaded yet) takes the model's
    defaults, with the dispensation and the deviation's weighting by the treasury's regulation
    of the year (before 2024: weighted dispensation, arithmetic deviation)."""
    rule = IkpaYearRule.objects.filter(fiscal_year=fiscal_year).first()
    if rule is None:
        modern = fiscal_year.year >= FIRST_PER_5_2024_YEAR
        rule = IkpaYearRule(fiscal_year=fiscal_year, dispensation_deducts=modern, deviation_weighted_by_pagu=modern)
    weights = {
        INDICATOR_KEYS[indicator]: weight
        for indicator, weight in IkpaWeight.objects.filter(fiscal_year=fiscal_year).values_list("indicator", "weight")
    }
    tolerance = fiscal_year.deviation_tolerance
    points = [
        (deviation, score)
        for deviation, score in IkpaDeviationPoint.objects.filter(fiscal_year=fiscal_year)
        .order_by("deviation")
        .values_list("deviation", "score")
        if deviation > tolerance
    ]
    targets: dict[int, dict[str, Decimal]] = {}
    for quarter, code, target in IkpaAbsorptionTarget.objects.filter(fiscal_year=fiscal_year).values_list(
        "quarter", "spending_type__code", "target"
    ):
        targets.setdefault(quarter, {})[code] = target
    return rules.YearRules(
        year=fiscal_year.year,
        weights=weights,
        dispensation_deducts=rule.dispensation_deducts,
        deviation_tolerance=tolerance,
        # The curve starts at (tolerance, 100) whatever the stored points (rules.py's contract).
        deviation_curve=((tolerance, rules.HUNDRED), *points),
        deviation_weighted_by_pagu=rule.deviation_weighted_by_pagu,
        absorption_targets=targets,
        counted_revision_codes=parse_revision_codes(rule.counted_revision_codes),
        revision_limit_per_semester=rule.revision_limit_per_semester,
        revision_penalty=rule.revision_penalty,
        output_timeliness_share=rule.output_timeliness_share,
    )
