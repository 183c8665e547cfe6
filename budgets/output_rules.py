"""The rules of output (RO) achievement, each written once: how a month's volumes and adjustments
add up to date, what achievement and physical progress mean, and when physical and financial
progress diverge. Pure functions: the entry page, the reports, the dashboard and the demo use them.

DOMAIN.md: capaian output is reported monthly per RO, non-cumulative (this month's addition); a
mistake in an earlier month is corrected in a later month.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# Physical and financial progress further apart than this (percentage points, either way) are
# flagged for the reviewer.
GAP_POINTS = Decimal(20)


def volume_to_date(*, cumulative: bool, monthly: Iterable[Decimal], adjustments: Iterable[Decimal] = ()) -> Decimal:
    """The RO's volume so far. A non-cumulative RO adds each month's volume; a cumulative one (the
    same documents reported again as they grow) counts its largest month. Signed adjustments of
    earlier months are added either way."""
    volumes = list(monthly)
    base = max(volumes, default=Decimal(0)) if cumulative else sum(volumes, Decimal(0))
    return base + sum(adjustments, Decimal(0))


def percent(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole as a percentage with two decimals; None without a whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def achievement(volume: Decimal, target: Decimal | None) -> Decimal | None:
    """Volume to date against the year's target (%); None without a target."""
    return percent(volume, target)


def weighted_progress(rows: Iterable[tuple[int, Decimal | None]]) -> Decimal | None:
    """Physical progress of several ROs: each RO's progress weighted by its pagu (rows of
    (pagu, progress); an RO without a reported progress counts as 0 %)."""
    rows = list(rows)
    total = sum(pagu for pagu, _progress in rows)
    if not total:
        return None
    weighted = sum(Decimal(pagu) * (progress or Decimal(0)) for pagu, progress in rows)
    return (weighted / total).quantize(CENT, rounding=ROUND_HALF_UP)


def gap_flag(physical: Decimal | None, financial: Decimal | None) -> bool:
    """Physical and financial progress diverge by more than GAP_POINTS either way."""
    if physical is None or financial is None:
        return False
    return abs(physical - financial) > GAP_POINTS
