"""What a report is, for the view that answers it and the renderers that write it (html.py,
files.py): its name and title, its parameters, its columns, whether it shows rows below province
level, and the function that builds its rows. The domain apps declare their reports next to
their queries; the reports app lists them all (reports/catalog.py) and gives each its URL.

Percentages are Decimal with two decimals, rounded half up as the directorate publishes them;
money is whole rupiah. Renderers format and never compute: the same rows come out of every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.data_version import REPORTS
from core.exports.cells import Column

HUNDRED = Decimal(100)
# The filters a report takes unless its spec says otherwise (reports/params.py reads them).
FILTERS = frozenset({"year", "month", "province", "component", "authority", "basis"})
APPROVED_BASIS = "approved"  # the ``basis`` of the official figures, and the default


@dataclass(frozen=True)
class BuildContext:
    """What a report's build function gets besides its filter."""

    fiscal_year: Any  # the fiscal year of the ``year`` parameter
    below: Decimal | None  # the ``below`` parameter (the satkers report)
    below_given: bool  # ``below`` present (its value may be empty: the year's threshold)
    today: date
    ro: str | None = None  # the ``ro`` parameter (the RO report): a full RO code
    level: str | None = None  # the ``level`` parameter (the RO report)
    quarter: str | None = None  # the ``quarter`` parameter (the quarterly report): "1"-"4" or "year-end"


@dataclass
class ReportResult:
    name: str
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    # Parameters the report settled itself (the year's threshold, the authority ranked): the
    # exports state them beside the ones asked for.
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSpec:
    name: str  # the CONTRACT name, and the report's URL name in the reports app
    title: str
    columns: tuple[Column, ...]
    build: Callable[[Any, BuildContext], ReportResult]  # (the filter, the context) -> rows and totals
    params: frozenset[str] = FILTERS
    # True: rows below province level (satkers, months, submissions) are limited to an
    # officer's own province; False: province-level aggregates every role may read.
    below_province: bool = False
    # True: province-level rows for every role, and satker rows only for the satkers the user's
    # scope allows (the build function gets them as the filter's ``satkers``).
    scoped_satker_rows: bool = False
    # True: built only from tables that raise the data version (core/data_version.py), so the
    # page may be served from core/fresh_cache.py; False: built on every request.
    cacheable: bool = False
    # The data versions of what it reads (core.data_version), when cacheable.
    versions: tuple[str, ...] = (REPORTS,)
    # The versions on the approved basis (the default), when it then reads reports through the
    # approved status alone (and the master data): APPROVED instead of REPORTS, which the sign-off
    # steps short of approving (submit, verify, return) leave alone. None: ``versions``.
    approved_versions: tuple[str, ...] | None = None
    # Figures of the totals stated by name under the table (HTML and XLSX), such as which
    # average the rows were compared with.
    summary: tuple[Column, ...] = ()
    # None: ``year`` is a fiscal year (it must exist). A range: ``year`` is a data-collection year
    # (the IKM registry's), any year in it, whether or not a fiscal year of that number exists.
    data_years: range | None = None

    def versions_for(self, basis: str) -> tuple[str, ...]:
        """The data versions a page of this report keys on, for its ``basis`` parameter."""
        return self.approved_versions if basis == APPROVED_BASIS and self.approved_versions else self.versions


def percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    """A percentage with two decimals (half up), as the directorate publishes them."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
