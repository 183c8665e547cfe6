"""Whether a satker's month may be changed: the one rule behind the realization grid, the month's
programme records, the monthly report's submission and the imports of both. In this order: its
fiscal year is open, the month has started, and its report (when there is one) is a draft or
returned, not submitted or approved.

Submitting the month's report has one more rule, ``submit_lock``: the month must have ended.

Within an editable month, a report returned with targets opens only those lines, RO rows and
programme records (``returned_targets`` / ``line_lock`` / ``record_lock``): the grid,
``realization_set``, the RO entry service, both imports and the programme records' services and
pages (programs/records) ask the same functions."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Model
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
    """The lines, RO rows and programme records the latest return named (ids; a record as its
    (content type id, record id))."""

    lines: frozenset[int]
    outputs: frozenset[int]
    records: frozenset[tuple[int, int]] = frozenset()


NOT_TARGETED = gettext_lazy("Baris ini tidak diminta diperbaiki.")


def returned_targets(report: MonthlyReport | None) -> ReturnTargets | None:
    """While a report is RETURNED by a return that named lines, RO rows or records to fix: those (only
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
    rows = list(
        ReturnTarget.objects.filter(transition_id=last_return).values_list(
            "line_id", "output_id", "record_type_id", "record_id"
        )
    )
    if not rows:
        return None
    return ReturnTargets(
        frozenset(row[0] for row in rows if row[0]),
        frozenset(row[1] for row in rows if row[1]),
        frozenset((row[2], row[3]) for row in rows if row[2]),
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


RECORD_NOT_TARGETED = gettext_lazy(
    "Catatan ini tidak diminta diperbaiki: pengembalian terakhir hanya membuka baris dan catatan yang disebut peninjau."
)
NO_NEW_RECORD = gettext_lazy(
    "Catatan baru tidak dapat ditambahkan: pengembalian terakhir hanya membuka baris dan catatan yang disebut peninjau."
)


def record_key(record: Model) -> tuple[int, int]:
    """How a return target names a programme record: (content type id, record id)."""
    return ContentType.objects.get_for_model(record).pk, record.pk


def record_lock(targets: ReturnTargets | None, record: Model | None = None) -> str | None:
    """Why this programme record (None: a new one) may not change under a targeted return, or
    None. ``targets``: ``returned_targets(report)``, asked once per report. A record the return
    named may be edited or deleted; the others, and adding one, are refused."""
    if targets is None:
        return None
    if record is None:
        return str(NO_NEW_RECORD)
    if record.pk is not None and record_key(record) in targets.records:
        return None
    return str(RECORD_NOT_TARGETED)


def records_lock(report: MonthlyReport | None, record: Model | None = None) -> str | None:
    """``record_lock`` with the report's targets: why ``record`` (None: adding a record) may not
    change while the report is returned with targets."""
    return record_lock(returned_targets(report), record)
