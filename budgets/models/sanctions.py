"""Enforcing the duty to report (PP 7/2008 art. 75): the reminders sent for late reports
(budgets/ledger.py decides the stage, budgets/notifications.py sends) and the sanctions the
directorate proposes and decides for a province that fails to report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import satker_scope
from budgets.models.master import FiscalYear, Satker


class EscalationStage(models.TextChoices):
    """Who is told of a late report, in order (thresholds: budgets/ledger.py)."""

    OPERATOR = "OPERATOR", _("pengingat ke petugas")
    HEAD = "HEAD", _("pengingat ke Kepala Dinas")
    DIRECTORATE = "DIRECTORATE", _("daftar direktorat")


class LateReminder(models.Model):
    """One escalation e-mail sent for one late report at one stage: recorded so that the daily
    ``send_reminders`` never sends the same stage twice."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE,
                                    related_name="+")  # fmt: skip
    # The report source's key ("monthly", later "quarterly") and the period's key ("2026-03").
    kind = models.CharField(_("jenis laporan"), max_length=20)
    period = models.CharField(_("periode"), max_length=20)
    stage = models.CharField(_("tahap"), max_length=12, choices=EscalationStage.choices)
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat keterlambatan")
        verbose_name_plural = pgettext_lazy("jamak", "pengingat keterlambatan")
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "kind", "period", "stage"], name="late_reminder_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.satker_id} {self.kind} {self.period} {self.stage}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class SanctionProposal(models.Model):
    """A sanction the directorate proposes for a satker that failed to report (art. 75), and the
    decision on it. The duty to report remains whatever is decided."""

    class Kind(models.TextChoices):
        POSTPONE_NEXT_QUARTER = "POSTPONE_NEXT_QUARTER", _("Penundaan penyaluran triwulan berikutnya")
        STOP_NEXT_YEAR = "STOP_NEXT_YEAR", _("Penghentian alokasi tahun berikutnya")

    class Decision(models.TextChoices):
        PENDING = "PENDING", _("Menunggu keputusan")
        APPROVED = "APPROVED", _("Disetujui")
        REJECTED = "REJECTED", _("Ditolak")

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="sanctions")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("jenis sanksi"), max_length=30, choices=Kind.choices)
    note = models.TextField(_("alasan"), blank=True)
    # The ledger rows the proposal rests on, as they stood when it was made (budgets.ledger.LedgerRow.as_record).
    late_reports = models.JSONField(_("laporan terlambat"), default=list)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diusulkan oleh"),
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    proposed_at = models.DateTimeField(_("diusulkan pada"), auto_now_add=True)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usulan sanksi")
        verbose_name_plural = pgettext_lazy("jamak", "usulan sanksi")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # Separation of duties, in the database too: who proposed does not decide.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="sanction_not_decided_by_proposer",
            ),
            models.CheckConstraint(
                condition=Q(decision="PENDING", decided_at__isnull=True)
                | (~Q(decision="PENDING") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="sanction_decided_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year}: {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)
