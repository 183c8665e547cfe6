"""The monthly report's life: DRAFT -> SUBMITTED -> APPROVED, or RETURNED -> resubmitted;
an admin may reopen an approved report with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from budgets import notifications
from budgets.models import MonthlyReport, ReportTransition
from budgets.services.common import ensure_can_edit_satker, ensure_year_open, report_label
from budgets.services.editability import ensure_month_editable
from budgets.services.realization import lock_report
from core.audit_log import audit_on_commit

if TYPE_CHECKING:
    from accounts.models import User

Status = MonthlyReport.Status


def _transition(
    report: MonthlyReport,
    *,
    to: str,
    by,
    comment: str = "",
    snapshot: dict | None = None,
) -> ReportTransition:
    step = ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to, by=by, comment=comment, snapshot=snapshot
    )
    audit_on_commit("report_transition", report=report.pk, satker=report.satker.code, year=report.fiscal_year.year,
                    month=report.month, from_status=report.status, to_status=to, user=by.get_username())  # fmt: skip
    report.status = to
    report.version += 1
    report._history_user = by
    return step


def _require_status(report: MonthlyReport, *allowed: str) -> None:
    if report.status not in allowed:
        raise ValidationError(
            _("Laporan %(report)s berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"report": report_label(report), "status": report.get_status_display()}
        )


def entries_snapshot(report: MonthlyReport) -> dict[str, int]:
    return {str(line_id): amount for line_id, amount in report.realizations.values_list("line_id", "amount")}


@transaction.atomic
def report_submit(*, report: MonthlyReport, by: User, expected_version: int | None = None) -> MonthlyReport:
    """The satker hands the month in for review; its entries are locked from now on."""
    ensure_may_submit(by, report)
    report = lock_report(report, expected_version)
    now = timezone.now()
    # The status is the step's own rule (a submitted report is not "locked" for submission).
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=None,
                          today=timezone.localdate(now))  # fmt: skip
    _require_status(report, Status.DRAFT, Status.RETURNED)
    _transition(report, to=Status.SUBMITTED, by=by, snapshot=entries_snapshot(report))
    report.submitted_at = now
    if report.submitted_on_time is None:  # timeliness is judged on the first submission
        report.submitted_on_time = timezone.localdate(now) <= report.due_date
    report.save()
    transaction.on_commit(lambda: notifications.report_submitted(report))
    return report


def ensure_may_submit(by: User, report: MonthlyReport) -> None:
    ensure_can_edit_satker(by, report.satker)


def ensure_may_review(by: User, report: MonthlyReport | None = None) -> None:
    if not permissions.may_review(by):
        raise PermissionDenied(_("Hanya reviewer atau admin direktorat yang dapat meninjau laporan."))


@transaction.atomic
def report_approve(*, report: MonthlyReport, by: User, note: str = "") -> MonthlyReport:
    ensure_may_review(by)
    report = lock_report(report, None)
    _require_status(report, Status.SUBMITTED)
    _transition(report, to=Status.APPROVED, by=by, comment=note.strip())
    report.approved_at = timezone.now()
    report.save()
    transaction.on_commit(lambda: notifications.report_approved(report))
    return report


@transaction.atomic
def report_return(*, report: MonthlyReport, by: User, comment: str) -> MonthlyReport:
    ensure_may_review(by)
    if not comment.strip():
        raise ValidationError(
            {"comment": [_("Tuliskan alasan pengembalian agar satker tahu apa yang harus diperbaiki.")]}
        )
    report = lock_report(report, None)
    _require_status(report, Status.SUBMITTED)
    _transition(report, to=Status.RETURNED, by=by, comment=comment.strip())
    report.save()
    transaction.on_commit(lambda: notifications.report_returned(report, comment.strip()))
    return report


def ensure_may_reopen(by: User, report: MonthlyReport | None = None) -> None:
    if not permissions.may_reopen(by):
        raise PermissionDenied(_("Hanya admin direktorat yang dapat membuka kembali laporan yang disetujui."))


@transaction.atomic
def report_reopen(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Admin only: an approved month goes back to the satker (as RETURNED, with the reason)."""
    ensure_may_reopen(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Tuliskan alasan membuka kembali laporan.")]})
    report = lock_report(report, None)
    ensure_year_open(report.fiscal_year)
    _require_status(report, Status.APPROVED)
    _transition(
        report,
        to=Status.RETURNED,
        by=by,
        comment=_("Dibuka kembali oleh admin: %(reason)s") % {"reason": reason.strip()},
    )
    report.approved_at = None
    report.save()
    transaction.on_commit(lambda: notifications.report_returned(report, reason.strip()))
    return report
