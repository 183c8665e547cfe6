"""Whether a satker's month may be changed: the one rule behind the realization grid, the month's
programme records, the monthly report's submission and the imports of both. In this order: its
fiscal year is open, the month has started, and its report (when there is one) is a draft or
returned, not submitted or approved.

Submitting the month's report has one more rule, ``submit_lock``: the month must have ended.

Within an editable month, a report returned with targets opens only those lines and RO rows
(``returned_targets`` / ``line_lock``): the grid, ``realization_set``, the RO entry service and
both imports ask the same two functions."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.calendar import following_month
from budgets.models import FiscalYear, MonthlyReport, ReportTransition, ReturnTarget, YearEndClosing
from budgets.services.common import closed_year_reason
from core.formats import month_name


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


def _day(day: date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"


def submit_lock(*, fiscal_year: FiscalYear, month: int, today: date) -> str | None:
    """Why the month's report may not be submitted yet (None: the month is over, it may).

    A report covers a whole month, so it is handed in from the day after the month ends; until
    then its drafts are saved (``month_lock`` allows entry from the month's start). The one
    exception is the year's last month: an admin may record a ``YearEndClosing`` that lets
    December be submitted from an earlier day of December, with a reason, to close the year.
    The other gates (year open, report a draft or returned, who may submit) are the callers'."""
    after = date(*following_month(fiscal_year.year, month), 1)
    if today >= after:
        return None
    if month == 12:
        closing = YearEndClosing.objects.filter(fiscal_year=fiscal_year).first()
        if closing is not None:
            if today >= closing.allowed_from:
                return None
            return _(
                "Laporan %(month)s %(year)s baru dapat diajukan mulai %(date)s (penutupan akhir tahun: %(reason)s)."
            ) % {"month": month_name(month), "year": fiscal_year.year, "date": _day(closing.allowed_from),
                 "reason": closing.reason}  # fmt: skip
    return _("Laporan %(month)s %(year)s baru dapat diajukan mulai %(date)s, setelah bulannya berakhir.") % {
        "month": month_name(month), "year": fiscal_year.year, "date": _day(after)
    }  # fmt: skip


class ReturnTargets(NamedTuple):
    """The lines and RO rows the latest return named (ids)."""

    lines: frozenset[int]
    outputs: frozenset[int]


NOT_TARGETED = gettext_lazy("Baris ini tidak diminta diperbaiki.")


def returned_targets(report: MonthlyReport | None) -> ReturnTargets | None:
    """While a report is RETURNED by a return that named lines or RO rows to fix: those (only
    they may change). None: everything the month's rule allows is open (no report, not
    returned, or a return without targets, e.g. a reopening). A later return replaces the
    targets of an earlier one; the earlier ones stay as history."""
    if report is None or report.pk is None or report.status != MonthlyReport.Status.RETURNED:
        return None
    last_return = (
        ReportTransition.objects.filter(report=report, to_status=MonthlyReport.Status.RETURNED)
        .order_by("-at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    rows = list(ReturnTarget.objects.filter(transition_id=last_return).values_list("line_id", "output_id"))
    if not rows:
        return None
    return ReturnTargets(
        frozenset(line for line, _output in rows if line), frozenset(output for _line, output in rows if output)
    )


def line_lock(targets: ReturnTargets | None, *, line_id: int | None = None, output_id: int | None = None) -> str | None:
    """Why this realization line (or RO row) may not change under a targeted return, or None.
    ``targets``: ``returned_targets(report)``, asked once per report."""
    if targets is None:
        return None
    if line_id is not None and line_id in targets.lines:
        return None
    if output_id is not None and output_id in targets.outputs:
        return None
    return str(NOT_TARGETED)


def records_lock(report: MonthlyReport | None) -> str | None:
    """Why the month's programme records may not change: a return that named lines or RO rows
    opens only those (records are not targets of a return), so its records stay as submitted."""
    if returned_targets(report) is None:
        return None
    return _(
        "Catatan program bulan ini tidak diminta diperbaiki: pengembalian terakhir hanya membuka baris yang "
        "disebut peninjau."
    )
