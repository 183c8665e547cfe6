"""Data-quality flags of a monthly report: kept in step with the data (``flags_refresh``) and
decided by the province's head or the directorate (``flag_decide``).

``flags_refresh`` runs every rule (budgets/quality.py and the checks named in settings) and
reconciles the stored flags with the findings, by (code, target key):

- a new finding becomes an OPEN flag;
- a finding still present keeps its flag and its decision (its reason text follows the figures);
- a flag no longer found: an OPEN one is deleted (nobody acted on it), a decided one is kept with
  ``gone_at`` set (the decision stays on record; it is shown as "no longer found") and comes back
  to life, decision intact, if the finding returns.

It is cheap: the rules read a fixed number of queries, and the writes are bulk statements, so
its cost does not grow with the report's lines or records. Call it when the report is submitted
and when a reviewer (the head or the directorate) opens the report's page.

Reasons are stored twice: as text in the site's language (``LANGUAGE_CODE``), the record of what
was found (search, admin, history), and as a message id with its parameters, which the pages
render in the reader's language (``QualityFlag.reason_text``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.models import MonthlyReport, QualityFlag
from budgets.quality import report_findings
from budgets.signoff import reviews_for_province

if TYPE_CHECKING:
    from accounts.models import User


def may_decide_flags(user: User, report: MonthlyReport) -> bool:
    """The head of the report's province (or the acting head) and the directorate's reviewers
    mark a report's flags as explained or to fix."""
    return reviews_for_province(user, report.satker.province_id)


@transaction.atomic
def flags_refresh(*, report: MonthlyReport) -> list[QualityFlag]:
    """Recompute the report's flags (see the module's docstring); returns the flags still found."""
    # One refresh of a report at a time (PostgreSQL): two reviewers opening the page together
    # would both create the same new flags.
    # OF self: first() orders by the model's ordering, which joins the satker and fiscal-year tables.
    MonthlyReport.objects.select_for_update(of=("self",)).filter(pk=report.pk).values_list("pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        findings = {(finding.code, finding.target_key): finding for finding in report_findings(report)}
        reasons = {key: finding.reason for key, finding in findings.items()}
    stored = {(flag.code, flag.target_key): flag for flag in QualityFlag.objects.filter(report=report)}
    now = timezone.now()
    types = {}
    new, changed, gone = [], [], []
    for key, finding in findings.items():
        flag = stored.get(key)
        if flag is None:
            target_type = None
            if finding.target is not None:
                model = type(finding.target)
                target_type = types.get(model) or types.setdefault(model, ContentType.objects.get_for_model(model))
            new.append(QualityFlag(
                report=report, code=finding.code, target_key=finding.target_key,
                target_label=finding.target_label[:300], target_type=target_type,
                target_id=finding.target.pk if finding.target is not None else None, reason=reasons[key],
                reason_msgid=finding.message, reason_params=finding.params,
                target_label_message=finding.target_label_message,
            ))  # fmt: skip
        elif (flag.reason, flag.reason_msgid, flag.reason_params, flag.target_label, flag.target_label_message,
              flag.gone_at) != (reasons[key], finding.message, finding.params, finding.target_label[:300],
                                finding.target_label_message, None):  # fmt: skip
            flag.reason, flag.reason_msgid, flag.reason_params = reasons[key], finding.message, finding.params
            flag.target_label, flag.target_label_message = finding.target_label[:300], finding.target_label_message
            flag.gone_at = None
            changed.append(flag)
    for key, flag in stored.items():
        if key in findings:
            continue
        if flag.status == QualityFlag.Status.OPEN:
            gone.append(flag.pk)
        elif flag.gone_at is None:
            flag.gone_at = now
            changed.append(flag)
    if gone:
        QualityFlag.objects.filter(pk__in=gone).delete()
    if new:
        bulk_create_with_history(new, QualityFlag, default_change_reason="flags_refresh")
    if changed:
        fields = ["reason", "reason_msgid", "reason_params", "target_label", "target_label_message", "gone_at"]
        bulk_update_with_history(changed, QualityFlag, fields, default_change_reason="flags_refresh")
    return list(QualityFlag.objects.filter(report=report, gone_at__isnull=True))


DECISIONS = (QualityFlag.Status.EXPLAINED, QualityFlag.Status.TO_FIX)


@transaction.atomic
def flag_decide(*, flag: QualityFlag, status: str, note: str, by: User) -> QualityFlag:
    """Mark a flag as explained or to fix, with a note saying why (required)."""
    if not may_decide_flags(by, flag.report):
        raise PermissionDenied(_("Hanya Kepala Dinas provinsi atau peninjau direktorat yang dapat menandai ini."))
    errors = {}
    if status not in DECISIONS:
        errors["status"] = _("Pilih: sudah dijelaskan atau perlu diperbaiki.")
    if not (note or "").strip():
        errors["note"] = _("Tuliskan catatan untuk keputusan ini.")
    if errors:
        raise ValidationError(errors)
    flag.status, flag.note = status, note.strip()
    flag.decided_by, flag.decided_at = by, timezone.now()
    flag._history_user = by
    flag.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return flag
