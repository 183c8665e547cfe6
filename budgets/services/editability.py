"""Whether a satker's month may be changed: the one rule behind the realization grid, the month's
programme records, the monthly report's submission and the imports of both. In this order: its
fiscal year is open, the month has started, and its report (when there is one) is a draft or
returned, not submitted or approved."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from budgets.models import FiscalYear, MonthlyReport
from budgets.services.common import closed_year_reason


class MonthLock(NamedTuple):
    reason: str
    on_year: bool  # the year is closed (an import reports it on its year column, else on the month)


def month_lock(*, fiscal_year: FiscalYear, month: int, report: MonthlyReport | None, today: date) -> MonthLock | None:
    """Why the month may not be changed now, or None when it may."""
    closed = closed_year_reason(fiscal_year)
    if closed:
        return MonthLock(closed, True)
    if (fiscal_year.year, month) > (today.year, today.month):
        return MonthLock(
            _("Bulan %(month)s/%(year)s belum berjalan; data hanya dapat diisi sampai bulan berjalan.")
            % {"month": month, "year": fiscal_year.year},
            False,
        )
    if report is not None and report.is_locked:
        return MonthLock(
            _(
                "Laporan %(month)s/%(year)s berstatus %(status)s dan terkunci: datanya tidak dapat diubah. Minta "
                "reviewer mengembalikan laporan bila perlu diperbaiki."
            )
            % {"month": month, "year": fiscal_year.year, "status": report.get_status_display()},
            False,
        )
    return None


def month_editability(*, fiscal_year: FiscalYear, month: int, report: MonthlyReport | None, today: date) -> str | None:
    """``month_lock``'s reason (for a page that shows why it is read-only), or None."""
    lock = month_lock(fiscal_year=fiscal_year, month=month, report=report, today=today)
    return lock.reason if lock else None


def ensure_month_editable(*, fiscal_year: FiscalYear, month: int, report: MonthlyReport | None, today: date) -> None:
    """For the services: ValidationError with the reason when the month may not be changed."""
    reason = month_editability(fiscal_year=fiscal_year, month=month, report=report, today=today)
    if reason:
        raise ValidationError(reason)
