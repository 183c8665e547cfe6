"""What a satker's realization is held against on a given cut-off: at the year's end the year's
threshold (2022: 91,20 %; 2023: 90 %), before it the cumulative absorption target of the last
quarter that has ended. A year-end threshold laid on year-to-date figures flags every satker."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import FiscalYear

QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Yardstick:
    value: Decimal
    quarter: int | None  # None: the year's threshold; else the absorption target of that quarter (TW)

    @property
    def quarter_numeral(self) -> str:
        return QUARTER_NUMERALS.get(self.quarter or 0, "")


def yardstick(fiscal_year: FiscalYear, month: int) -> Yardstick | None:
    """The yardstick as of the end of ``month``; None before the first quarter has ended."""
    if month >= 12:
        return Yardstick(fiscal_year.below_average_threshold, None)
    quarter = month // 3
    if not quarter:
        return None
    return Yardstick(getattr(fiscal_year, f"target_q{quarter}"), quarter)
