"""The rules of the quarterly and year-end report, each written once (pure functions): which months
a report covers, when it is due, the quarter's absorption target, and when obstacles must be
reported. The services (budgets/services/quarterly.py), the figures (budgets/reports/quarterly.py),
the pages and the demo ask these.

PP 39/2006 (DOMAIN.md): the Kepala SKPD reports within 5 working days after the quarter ends; the
year-end report within 5 working days after 31 December.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from budgets.calendar import last_completed_month, report_due_date
from budgets.output_rules import GAP_POINTS
from core.formats import format_decimal, format_percent, join_words, month_name

QUARTERS = (1, 2, 3, 4)
YEAR_END = "year-end"  # the period of the year-end report in URLs and parameters


def period_of(q: str | int) -> tuple[int, bool]:
    """(period, year-end) of a URL's or parameter's period: ``1``-``4``, or ``year-end`` (4, True)."""
    if str(q) == YEAR_END:
        return 4, True
    period = int(q)
    if period not in QUARTERS:
        raise ValueError(q)
    return period, False


def quarter_months(period: int, *, year_end: bool = False) -> list[int]:
    """The months whose approved reports the report rests on: the quarter's three, or the
    whole year for the year-end report."""
    if year_end:
        return list(range(1, 13))
    return [3 * period - 2, 3 * period - 1, 3 * period]


def last_month(period: int) -> int:
    """The month the quarter's cumulative figures stand at."""
    return 3 * period


def quarter_due_date(year: int, period: int, holidays: Iterable[date] | None = None) -> date:
    """5 working days after the quarter's last day (weekends, holidays and collective leave are
    not working days): the 5th working day of the month after the quarter, the monthly report's
    rule for the quarter's last month. The year-end report (period 4) is due 5 working days
    after 31 December, the same day."""
    return report_due_date(year, last_month(period), holidays)


def last_completed_quarter(year: int, today: date) -> int:
    """The last quarter of ``year`` that has ended by ``today`` (past years: 4; while the first
    runs, and for future years: 1, the first to come)."""
    return max(last_completed_month(year, today) // 3, 1)


def absorption_target(fiscal_year, period: int) -> Decimal:
    """The fiscal year's cumulative absorption target of the quarter (the year-end report: Q4's)."""
    return getattr(fiscal_year, f"target_q{period}")


def gap_points(physical: Decimal | None, financial: Decimal | None) -> Decimal | None:
    """Financial minus physical progress, in percentage points (positive: money spent ahead of
    the work done)."""
    if physical is None or financial is None:
        return None
    return financial - physical


def physical_lags(physical: Decimal | None, financial: Decimal | None) -> bool:
    """Physical progress lags financial progress by more than GAP_POINTS (20 points)."""
    gap = gap_points(physical, financial)
    return gap is not None and gap > GAP_POINTS


def obstacle_reasons(*, absorption: Decimal | None, target: Decimal, ro_rows: Iterable[dict], label: str) -> list[str]:
    """Why the report must name at least one obstacle (empty: it need not): absorption below the
    quarter's target, or an RO whose physical progress lags its financial progress by more than
    20 points. Each reason states the rule and the figures."""
    reasons = []
    if absorption is None or absorption < target:
        reasons.append(
            _("penyerapan %(label)s %(absorption)s di bawah target %(target)s")
            % {"label": label, "absorption": format_percent(absorption), "target": format_percent(target)}
        )
    for row in ro_rows:
        if physical_lags(row.get("physical_progress"), row.get("financial_progress")):
            reasons.append(
                _(
                    "RO %(ro)s: progres fisik %(physical)s tertinggal dari progres keuangan %(financial)s "
                    "(selisih %(gap)s poin, batas %(limit)s poin)"
                )
                % {
                    "ro": row["ro"],
                    "physical": format_percent(row["physical_progress"]),
                    "financial": format_percent(row["financial_progress"]),
                    "gap": format_decimal(gap_points(row["physical_progress"], row["financial_progress"])),
                    "limit": format_decimal(GAP_POINTS, 0),
                }
            )
    return reasons


def months_text(months: Iterable[int]) -> str:
    """'Januari, Februari, dan Maret'."""
    return join_words([month_name(month) for month in months])
