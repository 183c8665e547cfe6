"""Comments on one line of a monthly report (issue 22): a reviewer of the report (the head of
its province or the acting head of the day, the directorate's reviewers and admins) opens a
thread on one realization line, RO row or programme record of the month (a record named
generically, by content type and id: ``budgets.evidence_targets.is_record_of``); the officer
(whoever may write the satker) or a reviewer answers; only whoever opened the thread resolves it.
Threads belong to the report, so they stay with their target across returns and resubmissions.

A thread opened tells the satker's operators, an answer tells the opener and whoever wrote in
the thread (budgets/notifications.py), once the step has committed; resolving tells nobody.
Scope: the views fetch the report and the thread through ``accounts.scoping`` (another
province's thread is a 404); these services check the role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import notifications
from budgets.evidence_targets import is_record_of
from budgets.models import BudgetLine, LineComment, MonthlyReport, Output
from budgets.ro_entry import dipa_outputs
from budgets.services.common import ensure_can_edit_satker
from budgets.signoff import reviews_for_province
from core.audit_log import audit_on_commit

if TYPE_CHECKING:
    from accounts.models import User

BODY_LENGTH = LineComment._meta.get_field("body").max_length


def may_comment_as_reviewer(by: User, report: MonthlyReport) -> bool:
    """The report's reviewers: the head of its province (or the acting head today) and the
    directorate's reviewers and admins."""
    return reviews_for_province(by, report.satker.province_id)


def may_answer(by: User, report: MonthlyReport, *, reviewer: bool | None = None) -> bool:
    """The report's reviewers and whoever may write its satker. ``reviewer``: the answer of
    ``may_comment_as_reviewer`` when the caller has it already."""
    if may_comment_as_reviewer(by, report) if reviewer is None else reviewer:
        return True
    try:
        ensure_can_edit_satker(by, report.satker)
    except PermissionDenied:
        return False
    return True


def ensure_may_open(by: User, report: MonthlyReport) -> None:
    if not may_comment_as_reviewer(by, report):
        raise PermissionDenied(
            _("Hanya Kepala Dinas provinsi ini dan reviewer direktorat yang dapat membuka komentar.")
        )


def ensure_may_answer(by: User, report: MonthlyReport) -> None:
    if not may_answer(by, report):
        raise PermissionDenied(_("Anda tidak berhak menjawab komentar laporan ini."))


def _body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Tuliskan komentar.")]})
    if len(body) > BODY_LENGTH:
        raise ValidationError({"body": [_("Komentar paling panjang %(max)s karakter.") % {"max": BODY_LENGTH}]})
    return body


def _target_fields(report: MonthlyReport, target: Any) -> dict[str, Any]:
    """The thread's target, checked to be a line or an RO of the report's DIPA, or a programme
    record of the report's month."""
    if isinstance(target, BudgetLine):
        if target.satker_id == report.satker_id and target.fiscal_year_id == report.fiscal_year_id:
            return {"line": target}
    elif (
        isinstance(target, Output)
        and dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year).filter(pk=target.pk).exists()
    ):
        return {"output": target}
    elif is_record_of(target, report):
        return {"record_type": ContentType.objects.get_for_model(target), "record_id": target.pk}
    raise ValidationError({"target": [_("Pilih baris realisasi, RO atau catatan program dari laporan ini.")]})


@transaction.atomic
def comment_open(*, report: MonthlyReport, target: Any, body: str, by: User) -> LineComment:
    """A reviewer opens a thread on one realization line, RO row or programme record of the
    report (``target``: the BudgetLine, the Output or the record)."""
    ensure_may_open(by, report)
    comment = LineComment(report=report, author=by, body=_body(body), **_target_fields(report, target))
    comment._history_user = by
    comment.save()
    audit_on_commit("line_comment_open", report=report.pk, comment=comment.pk, user=by.get_username())
    transaction.on_commit(lambda: notifications.comment_opened(comment))
    return comment


@transaction.atomic
def comment_answer(*, thread: LineComment, body: str, by: User) -> LineComment:
    """The officer (or a reviewer) answers an open thread."""
    thread = LineComment.objects.select_for_update().select_related("report__satker").get(pk=thread.pk)
    if thread.thread_id is not None:
        raise ValidationError(_("Jawab utas komentarnya, bukan balasannya."))
    ensure_may_answer(by, thread.report)
    if thread.resolved_at is not None:
        raise ValidationError(_("Komentar ini sudah diselesaikan; tidak dapat dijawab lagi."))
    reply = LineComment(report=thread.report, line_id=thread.line_id, output_id=thread.output_id,
                        record_type_id=thread.record_type_id, record_id=thread.record_id, thread=thread, author=by,
                        body=_body(body))  # fmt: skip
    reply._history_user = by
    reply.save()
    audit_on_commit("line_comment_answer", report=thread.report_id, comment=reply.pk, user=by.get_username())
    transaction.on_commit(lambda: notifications.comment_answered(reply))
    return reply


@transaction.atomic
def comment_resolve(*, thread: LineComment, by: User) -> LineComment:
    """Whoever opened the thread closes it."""
    thread = LineComment.objects.select_for_update().get(pk=thread.pk)
    if thread.thread_id is not None:
        raise ValidationError(_("Hanya utas komentar yang dapat diselesaikan."))
    if thread.author_id != by.pk:
        raise PermissionDenied(_("Hanya pembuka komentar yang dapat menyelesaikannya."))
    if thread.resolved_at is not None:
        raise ValidationError(_("Komentar ini sudah diselesaikan."))
    thread.resolved_at, thread.resolved_by = timezone.now(), by
    thread._history_user = by
    thread.save(update_fields=["resolved_at", "resolved_by"])
    audit_on_commit("line_comment_resolve", report=thread.report_id, comment=thread.pk, user=by.get_username())
    return thread
