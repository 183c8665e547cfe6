"""The treasury's own figures and what reconciling with them leaves behind.

``TreasuryRealization``: the realization the treasury (OM-SPAN/SAKTI) reports for a satker, year,
month and akun, as imported from its file (budgets/treasury/), kept beside what the officer
entered. ``ReconciliationNote``: the reason a reviewer gave for deciding on a monthly report whose
entered realization differs from the treasury's figure (budgets/reconciliation.py), with who and
when and the differences as they stood.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import MonthlyReport, ReportTransition, month_check, satker_scope
from budgets.models.master import Account, FiscalYear, Satker
from core.formats import MONTH_CHOICES


class TreasuryRealization(models.Model):
    """The treasury's realization of one akun in one month (rupiah; not cumulative)."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT,
                               related_name="treasury_realizations")  # fmt: skip
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT,
                                    related_name="treasury_realizations")  # fmt: skip
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES)
    account = models.ForeignKey(Account, verbose_name=_("akun"), on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("realisasi menurut perbendaharaan"), default=0)
    # The upload it came from, as its history reason names it ("Impor omspan_realisasi #12: x.xlsx").
    source = models.CharField(_("sumber"), max_length=100)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi menurut perbendaharaan")
        verbose_name_plural = pgettext_lazy("jamak", "realisasi menurut perbendaharaan")
        ordering = ["satker", "fiscal_year", "month", "account__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "month", "account"], name="treasury_realization_once_per_akun_month"
            ),
            month_check("treasury_realization_month_1_12"),
            models.CheckConstraint(name="treasury_realization_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year}-{self.month:02d} {self.account.code}: {self.amount}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class ReconciliationNote(models.Model):
    """Why a report was verified or approved although its realization differs from the treasury's."""

    report = models.ForeignKey(MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE,
                               related_name="reconciliation_notes")  # fmt: skip
    transition = models.OneToOneField(ReportTransition, verbose_name=_("langkah"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="reconciliation_note")  # fmt: skip
    reason = models.TextField(_("alasan selisih"))
    # [[akun, treasury, entered], ...] of every akun that differed when the reason was given.
    differences = models.JSONField(_("selisih"), default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT,
                           related_name="+")  # fmt: skip
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catatan rekonsiliasi")
        verbose_name_plural = pgettext_lazy("jamak", "catatan rekonsiliasi")
        ordering = ["report", "at", "pk"]
        constraints = [models.CheckConstraint(name="reconciliation_note_has_reason", condition=~Q(reason=""))]

    def __str__(self) -> str:
        return f"{self.report}: {self.reason[:40]}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")
