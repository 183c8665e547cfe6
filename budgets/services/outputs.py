"""The month's capaian RO: per RO of the satker's DIPA the volume added this month (not
cumulative, as SAKTI asks), the physical progress and a note; and signed adjustments of earlier,
approved months, recorded with a later month's report (a locked month is never edited).

Both are written exactly when the month's realization may be: the same scope gate, the same
editability rule (``ensure_month_editable``), the same report version and lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.models import FiscalYear, MonthlyReport, OutputAchievement, OutputAdjustment, Satker
from budgets.ro_entry import dipa_outputs
from budgets.services.common import ensure_can_edit_satker, report_new_version
from budgets.services.editability import ensure_month_editable, line_lock, returned_targets
from budgets.services.realization import lock_report, report_get_or_create
from core.formats import month_name

if TYPE_CHECKING:
    from accounts.models import User

NOTE_LENGTH = OutputAchievement._meta.get_field("note").max_length
REASON_LENGTH = OutputAdjustment._meta.get_field("reason").max_length
ZERO_ADJUSTMENT = gettext_lazy("Koreksi tidak boleh nol; tulis tambahan (+) atau pengurangan (-) volume.")


@dataclass(frozen=True)
class RoEntry:
    """What is typed for one RO in one month."""

    volume: Decimal
    physical_progress: Decimal
    note: str = ""


@transaction.atomic
def output_achievement_set(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    entries: dict[int, RoEntry],
    expected_version: int | None,
    by: User,
    today: date | None = None,
    reason: str | None = None,
) -> MonthlyReport:
    """Store a month's RO rows (output id -> RoEntry); ROs not given keep their stored row.

    ``expected_version``: the report version the form was built on (0: no report existed).
    Every row is checked before anything is written; the problems come back together, keyed
    ``ro_<id>_volume``, ``ro_<id>_progress``, ``ro_<id>_note`` (or ``__all__``)."""
    today = today or timezone.localdate()
    ensure_can_edit_satker(by, satker)
    Satker.objects.select_for_update().get(pk=satker.pk)
    report, created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=month)
    if created and expected_version == 0:
        expected_version = report.version
    report = lock_report(report, expected_version)
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=report, today=today)

    outputs = {output.pk: output for output in dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year)}
    existing = {row.output_id: row for row in report.ro_achievements.all()}
    targets = returned_targets(report)
    errors: dict[str, list[str]] = {}
    for output_id, entry in entries.items():
        if output_id not in outputs:
            errors.setdefault("__all__", []).append(
                _("RO %(id)s bukan RO DIPA satker ini tahun ini.") % {"id": output_id}
            )
            continue
        row = existing.get(output_id)
        stored = (row.volume, row.physical_progress, row.note) if row else None
        locked = line_lock(targets, output_id=output_id)
        if locked and stored != (entry.volume, entry.physical_progress, entry.note.strip()):
            errors[f"ro_{output_id}_volume"] = [locked]
            continue
        if entry.volume < 0:
            errors[f"ro_{output_id}_volume"] = [_("Volume tidak boleh negatif.")]
        if not Decimal(0) <= entry.physical_progress <= Decimal(100):
            errors[f"ro_{output_id}_progress"] = [_("Progres fisik harus di antara 0 dan 100 persen.")]
        if len(entry.note) > NOTE_LENGTH:
            errors[f"ro_{output_id}_note"] = [_("Keterangan paling panjang %(max)s karakter.") % {"max": NOTE_LENGTH}]
    if errors:
        raise ValidationError(errors)

    to_create, to_update = [], []
    for output_id, entry in entries.items():
        row = existing.get(output_id)
        wanted = (entry.volume, entry.physical_progress, entry.note.strip())
        if row is None:
            to_create.append(OutputAchievement(
                report=report, fiscal_year_id=report.fiscal_year_id, output_id=output_id,
                volume=wanted[0], physical_progress=wanted[1], note=wanted[2],
            ))  # fmt: skip
        elif (row.volume, row.physical_progress, row.note) != wanted:
            row.volume, row.physical_progress, row.note = wanted
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, OutputAchievement, default_user=by, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(to_update, OutputAchievement, ["volume", "physical_progress", "note"],
                                 default_user=by, default_change_reason=reason)  # fmt: skip
    if to_create or to_update:
        report_new_version(report, by)
    return report


@transaction.atomic
def output_adjustment_add(
    *,
    report: MonthlyReport,
    output_id: int,
    corrected_month: int,
    volume: Decimal,
    reason: str,
    expected_version: int | None,
    by: User,
    today: date | None = None,
) -> OutputAdjustment:
    """Correct an approved earlier month's RO volume (signed) with this, still editable, report."""
    today = today or timezone.localdate()
    ensure_can_edit_satker(by, report.satker)
    report = lock_report(report, expected_version)
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=report, today=today)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not any(output.pk == output_id for output in dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year)):
        errors["output"] = [_("RO ini bukan RO DIPA satker ini tahun ini.")]
    locked = line_lock(returned_targets(report), output_id=output_id)
    if locked:
        errors["output"] = [locked]
    if not volume:
        errors["volume"] = [str(ZERO_ADJUSTMENT)]
    if not reason:
        errors["reason"] = [_("Tuliskan alasan koreksi.")]
    elif len(reason) > REASON_LENGTH:
        errors["reason"] = [_("Alasan paling panjang %(max)s karakter.") % {"max": REASON_LENGTH}]
    if not 1 <= corrected_month < report.month:
        errors["corrected_month"] = [
            _("Bulan yang dikoreksi harus sebelum %(month)s.") % {"month": month_name(report.month)}
        ]
    else:
        corrected = MonthlyReport.objects.filter(
            satker=report.satker, fiscal_year=report.fiscal_year, month=corrected_month
        ).first()
        if corrected is None or corrected.status != MonthlyReport.Status.APPROVED:
            errors["corrected_month"] = [
                _("Laporan %(month)s belum disetujui; perbaiki langsung laporan itu, bukan dengan koreksi.")
                % {"month": month_name(corrected_month)}
            ]
    if errors:
        raise ValidationError(errors)
    adjustment = OutputAdjustment(report=report, output_id=output_id, corrected_month=corrected_month,
                                  volume=volume, reason=reason)  # fmt: skip
    adjustment._history_user = by
    adjustment.save()
    report_new_version(report, by)
    return adjustment


@transaction.atomic
def output_adjustment_delete(*, adjustment: OutputAdjustment, expected_version: int | None, by: User,
                             today: date | None = None) -> MonthlyReport:  # fmt: skip
    """Take back an adjustment while its report is still editable."""
    today = today or timezone.localdate()
    report = adjustment.report
    ensure_can_edit_satker(by, report.satker)
    report = lock_report(report, expected_version)
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=report, today=today)
    locked = line_lock(returned_targets(report), output_id=adjustment.output_id)
    if locked:
        raise ValidationError(locked)
    adjustment._history_user = by
    adjustment.delete()
    report_new_version(report, by)
    return report
