"""Attaching and removing evidence (bukti dukung).

Who may: whoever may write the target's satker (``ensure_can_edit_satker``: admins anywhere,
officers at home) while the target's report is open: a monthly target follows ``month_lock``
(a submitted, verified or approved report locks its evidence, as it locks its figures); a
quarterly target needs its report to be a draft or returned; every target needs its year open.
The file passes ``core.files.check_upload`` first; a refused file leaves nothing behind (no row,
no file). Removing is a soft delete: the row, its history and its file stay.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import date
from pathlib import PurePath
from typing import IO, TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from budgets.evidence_targets import TargetPlace, place_of
from budgets.models import Evidence, MonthlyReport, QuarterlyReport
from budgets.services.common import ensure_can_edit_satker, ensure_year_open
from budgets.services.editability import month_lock
from budgets.services.quarterly import EDITABLE as QUARTERLY_EDITABLE
from core.audit_log import audit_on_commit
from core.files import check_upload

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def evidence_lock(place: TargetPlace, *, today: date | None = None) -> str | None:
    """Why evidence of a target in ``place`` may not be attached or removed now (None: it may)."""
    if place.fiscal_year is None:
        return _("Tahun anggaran sasaran ini belum dibuka; bukti dukung belum dapat dilampirkan.")
    if place.fiscal_year.is_closed:
        return _("Tahun anggaran %(year)s sudah ditutup dan hanya dapat dibaca.") % {"year": place.fiscal_year.year}
    if place.month is not None:
        lock = month_lock(fiscal_year=place.fiscal_year, month=place.month, report=place.monthly_report,
                          today=today or timezone.localdate())  # fmt: skip
        if lock:
            return lock.reason
    report = place.quarterly_report
    if report is not None and report.status not in QUARTERLY_EDITABLE:
        return _(
            "Laporan %(period)s %(year)s berstatus %(status)s dan terkunci: bukti dukungnya tidak dapat diubah."
        ) % {
            "period": report.period_label, "year": report.fiscal_year.year, "status": report.get_status_display()
        }  # fmt: skip
    return None


def locked_place(place: TargetPlace) -> TargetPlace:
    """``place`` with its report read again under a row lock: a submission that commits while
    evidence is attached either comes first (and locks it) or waits for the attach."""
    monthly, quarterly = place.monthly_report, place.quarterly_report
    if monthly is not None:
        # OF self: the report's row only, not its fiscal year's (see services.realization.lock_versioned).
        monthly = MonthlyReport.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=monthly.pk)
    if quarterly is not None:
        quarterly = (
            QuarterlyReport.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=quarterly.pk)
        )
    return place._replace(monthly_report=monthly, quarterly_report=quarterly)


def ensure_may_change_evidence(*, place: TargetPlace, by: User) -> None:
    ensure_can_edit_satker(by, place.satker)
    if place.fiscal_year is not None:
        ensure_year_open(place.fiscal_year)
    reason = evidence_lock(place)
    if reason:
        raise ValidationError(reason)


def may_change_evidence(*, place: TargetPlace, by: User) -> bool:
    try:
        ensure_may_change_evidence(place=place, by=by)
    except (PermissionDenied, ValidationError):
        return False
    return True


def display_name(name: str | None) -> str:
    """The user's file name, for display only: no path, no odd characters, at most 150."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = get_valid_filename(base) if base.strip(" .") else ""
    return cleaned[-150:] if cleaned else "berkas"


@transaction.atomic
def evidence_attach(
    *, target: Model, kind: str, file: IO[bytes], number: str = "", date: date | None = None, by: User
) -> Evidence:
    """Check ``file`` and attach it to ``target``. PermissionDenied: the user may not write the
    target's satker; ValidationError: the target's report is locked, or the file is refused."""
    place = _place(target)
    place = locked_place(place)
    ensure_may_change_evidence(place=place, by=by)
    return _store(place=place, target=target, kind=kind, file=file, number=number, date=date, by=by)


@transaction.atomic
def evidence_attach_unchecked(
    *, target: Model, kind: str, file: IO[bytes], number: str = "", date: date | None = None, by: User
) -> Evidence:
    """The same without the permission and lock rules, for the demo generators and backfills of
    past (approved) months; the file checks still apply. Never for a user's request."""
    return _store(place=_place(target), target=target, kind=kind, file=file, number=number, date=date, by=by)


def _place(target: Model) -> TargetPlace:
    try:
        return place_of(target)
    except KeyError:
        raise ValidationError(_("Bukti dukung tidak dapat dilampirkan pada data ini.")) from None


def _store(*, place: TargetPlace, target: Model, kind: str, file: IO[bytes], number: str, date: date | None,
           by: User) -> Evidence:  # fmt: skip
    if place.fiscal_year is None:
        raise ValidationError(_("Tahun anggaran sasaran ini belum dibuka; bukti dukung belum dapat dilampirkan."))
    if kind not in Evidence.Kind.values:
        raise ValidationError({"kind": _("Pilih jenis bukti dukung.")})
    checked = check_upload(file)
    evidence = Evidence(
        satker=place.satker, fiscal_year=place.fiscal_year, month=place.month,
        monthly_report=place.monthly_report, quarterly_report=place.quarterly_report,
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
        kind=kind, number=(number or "").strip()[:100], document_date=date,
        original_name=display_name(getattr(file, "name", None)), content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=by,
    )  # fmt: skip
    evidence._history_user = by
    stored = evidence.file.storage.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content))
    evidence.file.name = stored
    try:
        evidence.full_clean(exclude=["file", "target_type", "target_id"])
        evidence.save()
    except Exception:
        with contextlib.suppress(OSError):
            evidence.file.storage.delete(stored)
        raise
    # A transaction rolled back later (by a caller's atomic block) leaves the file: it is named
    # by no row, and harmless; a rollback inside this function removes it above.
    audit_on_commit("evidence_attached", evidence=evidence.pk, satker=place.satker.code, kind=kind,
                    sha256=checked.sha256, user=by.get_username())  # fmt: skip
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> Evidence:
    """Take evidence off its target (soft delete: the row, its history and its file stay)."""
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_removed:
        raise ValidationError(_("Bukti dukung ini sudah dihapus."))
    target = evidence.target
    place = place_of(target) if target is not None else TargetPlace(
        evidence.satker, evidence.fiscal_year, evidence.month, evidence.monthly_report, evidence.quarterly_report
    )  # fmt: skip
    place = locked_place(place)
    ensure_may_change_evidence(place=place, by=by)
    evidence.removed_at, evidence.removed_by = timezone.now(), by
    evidence._history_user = by
    evidence.save(update_fields=["removed_at", "removed_by"])
    audit_on_commit("evidence_removed", evidence=evidence.pk, satker=evidence.satker.code, user=by.get_username())
    return evidence
