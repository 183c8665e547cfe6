"""The treasury's own IKPA values of a satker and month, as OM-SPAN's Monitoring IKPA export
published them, kept for display beside the product's estimate ("the official value is the
treasury's"): the indicators the product computes itself (revisi, deviasi, penyerapan, capaian
output) and the treasury's final value. Never an input of budgets/ikpa/: the four indicators the
product cannot compute are ``IkpaTreasuryFigure`` (ikpa.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import satker_scope
from budgets.models.master import PERCENT_VALIDATORS, FiscalYear, Satker

# The export's columns kept here (CONTRACT keys of /reports/ikpa/ where they have one).
PUBLISHED_VALUES = ("revisi", "deviasi", "penyerapan", "capaian_output", "nilai_akhir")


def _published(label) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True,
                               validators=PERCENT_VALIDATORS)  # fmt: skip


class IkpaTreasuryPublished(models.Model):
    satker = models.ForeignKey(
        Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="ikpa_treasury_published"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(_("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    revisi = _published(_("revisi DIPA"))
    deviasi = _published(_("deviasi halaman III DIPA"))
    penyerapan = _published(_("penyerapan anggaran"))
    capaian_output = _published(_("capaian output"))
    nilai_akhir = _published(_("nilai akhir IKPA"))
    upload = models.ForeignKey(
        "imports.Upload", verbose_name=_("unggahan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai IKPA terbitan OM-SPAN")
        verbose_name_plural = pgettext_lazy("jamak", "nilai IKPA terbitan OM-SPAN")
        ordering = ["fiscal_year", "satker", "month"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year", "month"], name="ikpa_treasury_published_once"),
            models.CheckConstraint(
                name="ikpa_treasury_published_range",
                condition=Q(month__gte=1, month__lte=12)
                & Q(*[Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100})
                      for name in PUBLISHED_VALUES]),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.satker_id} {self.fiscal_year} {self.month}: {self.nilai_akhir}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)
