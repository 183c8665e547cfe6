"""The IKPA formulas, and their only home: pure functions on numbers (no database), Decimal in
and out, each indicator rounded to two decimals half up as the treasury publishes it.

A year's parameters (weights, the deviation curve, the absorption targets per spending type, the
counted revision codes...) come in a ``YearRules`` built by ``budgets.ikpa.year_rules`` from the
database, or by hand in tests and in the RPD planner's projections.

Sources: PER-5/PB/2022 (2022-2023) and PER-5/PB/2024 (from 2024); see budgets/data/SOURCES.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")

# The indicator keys (the CONTRACT keys of /reports/ikpa/), in the treasury's order.
REVISI = "revisi"
DEVIASI = "deviasi"
PENYERAPAN = "penyerapan"
KONTRAKTUAL = "kontraktual"
TAGIHAN = "tagihan"
UP_TUP = "up_tup"
CAPAIAN_OUTPUT = "capaian_output"
DISPENSASI = "dispensasi"
INDICATORS = (REVISI, DEVIASI, PENYERAPAN, KONTRAKTUAL, TAGIHAN, UP_TUP, CAPAIAN_OUTPUT, DISPENSASI)
# What the product computes from its own data, and what comes from the treasury (OM-SPAN),
# imported or typed by the admin.
COMPUTED = (REVISI, DEVIASI, PENYERAPAN, CAPAIAN_OUTPUT)
IMPORTED = (KONTRAKTUAL, TAGIHAN, UP_TUP, DISPENSASI)

# Categories (bands of the composite), highest first: (key, lowest value of the band).
SANGAT_BAIK, BAIK, CUKUP, KURANG = "sangat_baik", "baik", "cukup", "kurang"
CATEGORY_BANDS = ((SANGAT_BAIK, Decimal(95)), (BAIK, Decimal(89)), (CUKUP, Decimal(70)), (KURANG, ZERO))


@dataclass(frozen=True)
class YearRules:
    year: int
    weights: Mapping[str, Decimal]  # indicator key -> weight; 2022-23 include "dispensasi": 5; 2024+ not
    dispensation_deducts: bool  # 2024+: dispensasi is points subtracted from the composite
    deviation_tolerance: Decimal  # a month whose deviation is <= this scores 100
    # The penalty curve above the tolerance: ascending (deviation %, score) points, linear between
    # points, the last point's score beyond it; the first point is (tolerance, 100).
    deviation_curve: tuple[tuple[Decimal, Decimal], ...]
    deviation_weighted_by_pagu: bool  # 2024+: types weighted by their share of effective pagu
    absorption_targets: Mapping[int, Mapping[str, Decimal]]  # quarter -> spending type code -> cumulative %
    counted_revision_codes: frozenset[str]  # the treasury's revision codes that count ("pagu tetap")
    revision_limit_per_semester: int
    revision_penalty: Decimal  # points off a semester's 100 per counted revision beyond the limit
    output_timeliness_share: Decimal  # % of capaian output from timeliness; the rest from RO achievement


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = HUNDRED) -> Decimal:
    return max(low, min(high, value))


def type_deviation(realized: int, planned: int) -> Decimal | None:
    """One spending type's deviation in one month (DIPA page III): |realized - planned| / planned
    in percent. None when both are 0 (nothing planned, nothing spent: nothing to judge); 100 when
    nothing was planned but something was spent (the whole realization is a deviation)."""
    if not planned:
        return None if not realized else HUNDRED
    return _round(Decimal(abs(realized - planned)) * HUNDRED / Decimal(planned))


def month_deviation(
    by_type: Mapping[str, tuple[int, int]], pagu_by_type: Mapping[str, int], rules: YearRules
) -> Decimal | None:
    """The deviation of ONE month over its spending types. ``by_type``: type code -> (realized,
    planned) of the month. Until 2023 the arithmetic mean of the types' deviations; from 2024
    (``deviation_weighted_by_pagu``) weighted by each type's effective pagu. Types without a
    deviation (nothing planned nor spent) are skipped; so are, when weighted, types without pagu."""
    return types_deviation(
        {code: type_deviation(real, plan) for code, (real, plan) in by_type.items()}, pagu_by_type, rules
    )


def types_deviation(
    type_deviations: Mapping[str, Decimal | None], pagu_by_type: Mapping[str, int], rules: YearRules
) -> Decimal | None:
    """``month_deviation`` from the month's deviation per spending type (``type_deviation``'s,
    None where there is none), for callers that keep those too."""
    deviations = {code: d for code, d in type_deviations.items() if d is not None}
    if not deviations:
        return None
    if not rules.deviation_weighted_by_pagu:
        return _round(sum(deviations.values(), ZERO) / len(deviations))
    weights = {code: pagu_by_type.get(code) or 0 for code in deviations}
    total = sum(w for w in weights.values() if w > 0)
    if not total:
        return None
    return _round(sum((d * weights[code] for code, d in deviations.items() if weights[code] > 0), ZERO) / total)


def deviation_score(deviation: Decimal | None, rules: YearRules) -> Decimal | None:
    """A month's page III score: 100 within the tolerance; above it the year's curve, linear
    between its points and flat at the last point's score beyond it."""
    if deviation is None:
        return None
    if deviation <= rules.deviation_tolerance:
        return HUNDRED
    points = rules.deviation_curve or ((rules.deviation_tolerance, HUNDRED),)
    previous = points[0]
    if deviation <= previous[0]:
        return _round(_clamp(previous[1]))
    for point in points[1:]:
        if deviation <= point[0]:
            (x0, y0), (x1, y1) = previous, point
            return _round(_clamp(y0 + (y1 - y0) * (deviation - x0) / (x1 - x0)))
        previous = point
    return _round(_clamp(points[-1][1]))


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The arithmetic mean of the values that exist, two decimals; None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return _round(sum(present, ZERO) / len(present))


def absorption_score(
    realized_by_type: Mapping[str, int], pagu_by_type: Mapping[str, int], quarter: int, rules: YearRules
) -> Decimal | None:
    """Absorption at a quarter's end against the IKPA targets per spending type. Per type:
    absorbed = realized cumulative to the quarter's end / effective pagu (pagu - blokir);
    score = min(100, absorbed / target x 100); the types' scores weighted by effective pagu.
    Types without a target or without pagu are skipped; None when nothing is left to score."""
    targets = rules.absorption_targets.get(quarter, {})
    weighted, total = ZERO, 0
    for code, pagu in pagu_by_type.items():
        target = targets.get(code)
        if not pagu or pagu <= 0 or not target:
            continue
        absorbed = Decimal(realized_by_type.get(code, 0)) * HUNDRED / Decimal(pagu)
        weighted += min(HUNDRED, absorbed * HUNDRED / target) * pagu
        total += pagu
    if not total:
        return None
    return _round(weighted / total)


def revision_score(counted_in_semester: int, rules: YearRules) -> Decimal:
    """One semester's revision score: 100 within the limit, then ``revision_penalty`` points off
    per counted revision beyond it, never below 0."""
    beyond = max(0, counted_in_semester - rules.revision_limit_per_semester)
    return _round(_clamp(HUNDRED - rules.revision_penalty * beyond))


def output_score(timeliness: Decimal | None, achievement: Decimal | None, rules: YearRules) -> Decimal | None:
    """Capaian output: timeliness of the RO reports and RO achievement (capped at 100), both in
    percent, weighted by ``output_timeliness_share``; with only one of them, that one."""
    if achievement is not None:
        achievement = min(HUNDRED, achievement)
    if timeliness is None and achievement is None:
        return None
    if timeliness is None:
        return _round(_clamp(achievement))
    if achievement is None:
        return _round(_clamp(timeliness))
    share = rules.output_timeliness_share
    return _round(_clamp((timeliness * share + achievement * (HUNDRED - share)) / HUNDRED))


def output_achievement(ros: Iterable[tuple[int, Decimal | None]]) -> Decimal | None:
    """RO achievement of a satker: rows of (the RO's pagu, its achievement %), each achievement
    capped at 100 (an RO over its target does not make up for another under it), weighted by
    pagu; without pagu, the plain mean. ROs without an achievement (no target) are skipped."""
    rows = [(pagu, min(HUNDRED, value)) for pagu, value in ros if value is not None]
    if not rows:
        return None
    total = sum(max(pagu, 0) for pagu, _value in rows)
    if not total:
        return mean(value for _pagu, value in rows)
    return _round(sum((value * max(pagu, 0) for pagu, value in rows), ZERO) / total)


def composite(values: Mapping[str, Decimal | None], rules: YearRules) -> Decimal | None:
    """The IKPA value: sum(weight x value) / sum(weight) over the weighted indicators that have a
    value (the weights re-based, as the treasury converts them when an indicator does not apply),
    then minus ``dispensasi`` when the year deducts it (2024+); clamped to 0..100. None when no
    weighted indicator has a value."""
    weighted, total = ZERO, ZERO
    for key, weight in rules.weights.items():
        if rules.dispensation_deducts and key == DISPENSASI:
            continue
        value = values.get(key)
        if value is None or not weight:
            continue
        weighted += weight * value
        total += weight
    if not total:
        return None
    result = weighted / total
    if rules.dispensation_deducts and values.get(DISPENSASI) is not None:
        result -= values[DISPENSASI]
    return _round(_clamp(result))


def category(value: Decimal | None) -> str | None:
    """The band of a composite: sangat_baik >= 95, baik 89-<95, cukup 70-<89, kurang < 70."""
    if value is None:
        return None
    for key, lowest in CATEGORY_BANDS:
        if value >= lowest:
            return key
    return KURANG


def quarters_ended(month: int) -> list[int]:
    """The quarters whose last month is at most ``month`` (as of the end of ``month``)."""
    return [quarter for quarter in (1, 2, 3, 4) if quarter * 3 <= month]


def semesters_started(month: int) -> list[int]:
    """The semesters begun by the end of ``month``: [1] for January-June, [1, 2] after."""
    return [1] if month <= 6 else [1, 2]
