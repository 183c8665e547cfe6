"""The monthly report's life, on two levels: the officer prepares and submits (DRAFT ->
SUBMITTED), the head of the provincial service verifies and signs, which sends it to the
directorate (SUBMITTED -> VERIFIED), the directorate approves (VERIFIED -> APPROVED). Either
reviewer may return it to the officer (-> RETURNED), who fixes and submits again; after a
directorate return the head verifies again. An admin may reopen an approved report with a reason.

The head is the Kepala Dinas of the satker's province, or the acting head (Plh/Plt) a recorded
delegation names for the day (accounts/delegation.py). A month is submitted only once it has
ended (editability.submit_lock). Nobody decides on a report they submitted, verified or wrote
entries of (duties.conflict_of_duty). Timeliness is judged once, at the step the fiscal year
names (``FiscalYear.timeliness_step``: the head's verification by default, when the province
sends the report). The submitter may withdraw a submission (SUBMITTED -> DRAFT) until the head
has started on it: the first time a reviewer of the report's current step without a conflict
opens its page (``report_review_start``), recorded as ``review_started_at``/``review_started_by``
and cleared whenever the report changes step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from budgets import notifications
from budgets.evidence_targets import is_record_of, record_by_label
from budgets.models import BudgetLine, MonthlyReport, ReportTransition, ReturnTarget, TimelinessStep
from budgets.reconciliation import ensure_reconciled, record_reason
from budgets.ro_entry import dipa_outputs, outputs_missing
from budgets.services.common import ensure_can_edit_satker, ensure_year_open, report_label
from budgets.services.duties import DutyConflict, ensure_no_conflict_of_duty
from budgets.services.editability import ensure_month_editable, submit_lock
from budgets.services.quality import flags_refresh
from budgets.services.realization import lock_report
from budgets.signoff import (
    awaits_directorate,
    awaits_head,
    ensure_directorate_reviewer,
    head_delegation,
    return_comment,
    reviews_for_province,
    sending_step,
    verified_by_head,
)
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
    now, today = timezone.now(), timezone.localdate()
    # The status is the step's own rule (a submitted report is not "locked" for submission).
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=None,
                          today=today)  # fmt: skip
    _require_status(report, Status.DRAFT, Status.RETURNED)
    not_yet = submit_lock(fiscal_year=report.fiscal_year, month=report.month, today=today)
    if not_yet:
        raise ValidationError(not_yet)
    ensure_outputs_filled(report)
    _transition(report, to=Status.SUBMITTED, by=by, snapshot=entries_snapshot(report))
    _clear_review_start(report)
    _clear_verification(report)
    report.submitted_at = now
    _judge_timeliness(report, TimelinessStep.SUBMISSION, today)
    report.save()
    flags_refresh(report=report)  # the reviewers find the data-quality flags waiting
    transaction.on_commit(lambda: notifications.report_submitted(report))
    return report


def _judge_timeliness(report: MonthlyReport, step: str, today) -> None:
    """The province has sent the report when the year's timeliness step is first done; later
    passes through that step (after a return) keep the first judgement."""
    if sending_step(report) == step and report.submitted_on_time is None:
        report.submitted_on_time = today <= report.due_date


def _clear_verification(report: MonthlyReport) -> None:
    report.verified_at = None
    report.verified_by = None
    report.verified_under = None


def ensure_outputs_filled(report: MonthlyReport) -> None:
    """SAKTI's rule: the month is sent only when every RO with pagu has its row (an explicit zero
    is a row)."""
    missing = outputs_missing(report)
    if missing:
        raise ValidationError(
            _("Capaian RO belum diisi: %(outputs)s.")
            % {"outputs": "; ".join(f"{output.full_code} {output.name}" for output in missing)}
        )


def ensure_may_submit(by: User, report: MonthlyReport) -> None:
    ensure_can_edit_satker(by, report.satker)


def _clear_review_start(report: MonthlyReport) -> None:
    report.review_started_at = None
    report.review_started_by = None


def ensure_may_review(by: User, report: MonthlyReport | None = None) -> None:
    """The role may review; with a report, also no conflict of duty (``DutyConflict``)."""
    ensure_directorate_reviewer(by)
    if report is not None:
        ensure_no_conflict_of_duty(by, report)


def ensure_may_verify(by: User, report: MonthlyReport) -> None:
    """The head of the report's province (or its acting head today); no conflict of duty. The
    directorate's central units have no Kepala Dinas (budgets/signoff.py)."""
    if not verified_by_head(report.satker):
        raise PermissionDenied(_("Laporan unit pusat langsung ditinjau direktorat, tanpa verifikasi Kepala Dinas."))
    head_delegation(by, report.satker.province_id)
    ensure_no_conflict_of_duty(by, report)


def ensure_may_return(by: User, report: MonthlyReport) -> None:
    """Whoever decides on the report's current step: the head on a submitted report, the
    directorate on a verified one (or a central unit's submitted one). Someone who decides
    another step of this report is told where it stands (ValidationError), not refused as a
    stranger: the report moved on while they read it (a colleague returned it and the satker
    sent it again, so it is back with the head), or it is not at a deciding step at all."""
    try:
        if awaits_head(report):
            ensure_may_verify(by, report)
        else:
            ensure_may_review(by, report)
    except DutyConflict:
        raise
    except PermissionDenied:
        if not reviews_for_province(by, report.satker.province_id):
            raise
        raise ValidationError(
            _("Laporan ini tidak sedang menunggu keputusan Anda: statusnya kini %(status)s.")
            % {"status": report.get_status_display()}
        ) from None


def may_start_review(by: User, report: MonthlyReport) -> bool:
    """Whether ``by`` decides on the report's current step (submitted: the head; verified: the
    directorate) without a conflict of duty."""
    try:
        if awaits_head(report):
            ensure_may_verify(by, report)
        elif awaits_directorate(report):
            ensure_may_review(by, report)
        else:
            return False
    except PermissionDenied:
        return False
    return True


def report_review_start(*, report: MonthlyReport, by: User) -> bool:
    """Record that the reviewer of the report's current step (the head, then the directorate)
    has started on it (the first one only); from then on its submitter cannot withdraw it. One
    conditional UPDATE (no history record, no version: the report's data did not change), so a
    withdrawal that locked the row first wins."""
    if report.status not in {Status.SUBMITTED, Status.VERIFIED} or report.review_started_at is not None:
        return False
    if not may_start_review(by, report):
        return False
    now = timezone.now()
    started = MonthlyReport.objects.filter(pk=report.pk, status=report.status, review_started_at__isnull=True).update(
        review_started_at=now, review_started_by=by
    )
    if started:
        report.review_started_at, report.review_started_by = now, by
    return bool(started)


@transaction.atomic
def report_withdraw(*, report: MonthlyReport, by: User) -> MonthlyReport:
    """The submitting side takes a submission back (SUBMITTED -> DRAFT) while no reviewer has
    started on it. A withdrawn first submission does not count: its time and timeliness are
    cleared and the next submission is judged afresh; after a return, the first submission's
    judgement stands (as for any resubmission)."""
    ensure_may_submit(by, report)
    report = lock_report(report, None)
    ensure_year_open(report.fiscal_year)
    _require_status(report, Status.SUBMITTED)
    if report.review_started_at is not None:
        who = report.review_started_by.get_username() if report.review_started_by else "-"
        started = timezone.localtime(report.review_started_at).strftime("%d-%m-%Y %H:%M")
        raise ValidationError(
            _(
                "Laporan %(report)s sudah mulai ditinjau oleh %(who)s pada %(at)s, sehingga tidak dapat ditarik "
                "kembali. Minta Kepala Dinas mengembalikannya bila perlu diperbaiki."
            )
            % {"report": report_label(report), "who": who, "at": started}
        )
    if not report.transitions.filter(to_status=Status.RETURNED).exists():
        # Never reviewed before: the withdrawn submission was the first, and does not count.
        report.submitted_at = None
        report.submitted_on_time = None
    _transition(report, to=Status.DRAFT, by=by, comment=_("Ditarik kembali oleh pengaju."))
    report.save()
    transaction.on_commit(lambda: notifications.report_withdrawn(report))
    return report


@transaction.atomic
def report_verify(*, report: MonthlyReport, by: User, note: str = "", reconciliation_reason: str = "") -> MonthlyReport:
    """The head (or the acting head) verifies and signs: the province sends the report to the
    directorate. Refused while the realization differs from the treasury's figure without a
    ``reconciliation_reason`` (budgets/reconciliation.py)."""
    ensure_may_verify(by, report)
    report = lock_report(report, None)
    ensure_may_verify(by, report)
    ensure_year_open(report.fiscal_year)
    _require_status(report, Status.SUBMITTED)
    reconciliation = ensure_reconciled(report=report, by=by, reason=reconciliation_reason)
    delegation = head_delegation(by, report.satker.province_id)
    step = _transition(report, to=Status.VERIFIED, by=by, comment=note.strip())
    record_reason(reconciliation=reconciliation, report=report, transition=step, by=by, reason=reconciliation_reason)
    _clear_review_start(report)
    report.verified_at, report.verified_by, report.verified_under = timezone.now(), by, delegation
    _judge_timeliness(report, TimelinessStep.VERIFICATION, timezone.localdate())
    report.save()
    transaction.on_commit(lambda: notifications.report_verified(report))
    return report


@transaction.atomic
def report_approve(
    *, report: MonthlyReport, by: User, note: str = "", reconciliation_reason: str = ""
) -> MonthlyReport:
    """The directorate approves; refused, as the verification is, while the realization differs
    from the treasury's figure without a ``reconciliation_reason``."""
    ensure_may_review(by)
    report = lock_report(report, None)
    ensure_may_review(by, report)
    if not awaits_directorate(report):
        _require_status(report, Status.VERIFIED)
    reconciliation = ensure_reconciled(report=report, by=by, reason=reconciliation_reason)
    step = _transition(report, to=Status.APPROVED, by=by, comment=note.strip())
    record_reason(reconciliation=reconciliation, report=report, transition=step, by=by, reason=reconciliation_reason)
    report.approved_at = timezone.now()
    report.save()
    transaction.on_commit(lambda: notifications.report_approved(report))
    return report


def _record_targets(report: MonthlyReport, records: Iterable[tuple[str, int]]) -> list[ReturnTarget]:
    """The programme records a return names, as (model label, id), checked to be records of the
    report's month (budgets.evidence_targets.is_record_of)."""
    targets = []
    for label, pk in sorted(set(records or ())):
        record = record_by_label(label, pk)
        if record is None or not is_record_of(record, report):
            raise ValidationError({"records": [_("Pilih catatan program dari laporan ini.")]})
        targets.append(ReturnTarget(report=report, record_type=ContentType.objects.get_for_model(record),
                                    record_id=record.pk))  # fmt: skip
    return targets


def _return_targets(
    report: MonthlyReport, lines: Iterable[int], outputs: Iterable[int], records: Iterable[tuple[str, int]]
) -> list[ReturnTarget]:
    """The lines, RO rows and programme records a return names, checked to be the report's."""
    lines, outputs = set(lines or ()), set(outputs or ())
    known_lines = set(BudgetLine.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year,
                                                pk__in=lines).values_list("pk", flat=True))  # fmt: skip
    known_outputs = set(
        dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year).filter(pk__in=outputs)
        .values_list("pk", flat=True)
    ) if outputs else set()  # fmt: skip
    if lines - known_lines or outputs - known_outputs:
        raise ValidationError({"lines": [_("Pilih baris realisasi dan RO dari laporan ini.")]})
    return [
        *(ReturnTarget(report=report, line_id=pk) for pk in sorted(lines)),
        *(ReturnTarget(report=report, output_id=pk) for pk in sorted(outputs)),
        *_record_targets(report, records),
    ]


@transaction.atomic
def report_return(
    *,
    report: MonthlyReport,
    by: User,
    comment: str,
    lines: Iterable[int] = (),
    outputs: Iterable[int] = (),
    records: Iterable[tuple[str, int]] = (),
) -> MonthlyReport:
    """The head returns a submitted report, the directorate a verified one; either way it goes
    back to the officer, and is verified again after the fix.

    ``lines`` / ``outputs``: the realization lines and RO rows to fix (ids); ``records``: the
    month's programme records to fix, as (model label, id), e.g. ("programs.facilitation", 7).
    When any is given, only they open (editability.returned_targets); none: the whole month
    opens, as before."""
    ensure_may_return(by, report)
    comment = return_comment(comment)
    report = lock_report(report, None)
    _require_status(report, Status.SUBMITTED, Status.VERIFIED)
    ensure_may_return(by, report)
    targets = _return_targets(report, lines, outputs, records)
    step = _transition(report, to=Status.RETURNED, by=by, comment=comment)
    for target in targets:
        target.transition = step
    ReturnTarget.objects.bulk_create(targets)
    _clear_review_start(report)
    _clear_verification(report)
    report.save()
    transaction.on_commit(lambda: notifications.report_returned(report, comment))
    return report


def ensure_may_reopen(by: User, report: MonthlyReport | None = None) -> None:
    """The role may reopen; with a report, also no conflict of duty (``DutyConflict``)."""
    if not permissions.may_reopen(by):
        raise PermissionDenied(_("Hanya admin direktorat yang dapat membuka kembali laporan yang disetujui."))
    if report is not None:
        ensure_no_conflict_of_duty(by, report)


@transaction.atomic
def report_reopen(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Admin only: an approved month goes back to the satker (as RETURNED, with the reason)."""
    ensure_may_reopen(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Tuliskan alasan membuka kembali laporan.")]})
    report = lock_report(report, None)
    ensure_may_reopen(by, report)
    ensure_year_open(report.fiscal_year)
    _require_status(report, Status.APPROVED)
    _transition(
        report,
        to=Status.RETURNED,
        by=by,
        comment=_("Dibuka kembali oleh admin: %(reason)s") % {"reason": reason.strip()},
    )
    report.approved_at = None
    _clear_review_start(report)
    _clear_verification(report)
    report.save()
    transaction.on_commit(lambda: notifications.report_returned(report, reason.strip()))
    return report


@dataclass
class BatchOutcome:
    done: list[MonthlyReport] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (report or id, reason)


def report_batch_decide(*, reports: Iterable[MonthlyReport], by: User, note: str = "") -> BatchOutcome:
    """The reviewers' batch of clean reports (budgets/cockpit.py): each report goes through its own
    service (the head's verification of a submitted report, the directorate's approval of a
    verified one) in its own transaction, with its own transition, history and notification, and
    the rules of that service (separation of duties, the status it must have). A report that is
    not clean now, or that the service refuses (e.g. changed meanwhile), is reported with its
    reason; the others go through. ``reports``: already scoped to the user by the caller."""
    from budgets.cockpit import clean_ids  # the cockpit's figures read the services' models only

    reports = list(reports)
    clean = clean_ids([report.pk for report in reports])
    outcome = BatchOutcome()
    for report in reports:
        label = report_label(report)
        if report.pk not in clean:
            outcome.refused.append((label, _("belum bersih (ada tanda mutu terbuka atau bukti belum lengkap)")))
            continue
        try:
            if awaits_head(report):
                outcome.done.append(report_verify(report=report, by=by, note=note))
            elif awaits_directorate(report):
                outcome.done.append(report_approve(report=report, by=by, note=note))
            else:
                _require_status(report, Status.SUBMITTED, Status.VERIFIED)
                raise ValidationError(_("Laporan ini tidak menunggu keputusan Anda."))
        except (PermissionDenied, ValidationError) as refusal:
            messages = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
            outcome.refused.append((label, " ".join(messages)))
    return outcome
