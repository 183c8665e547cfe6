"""Outputs as the DIPA has them: kegiatan (4 digits) -> KRO (3 letters) -> RO (3 digits), each
RO with its unit and whether its achievement is cumulative; per satker and year a volume target;
and with every monthly report the volume each RO added that month (non-cumulative, as SAKTI asks),
its physical progress and a note, plus signed adjustments of earlier approved months.

The RO's pagu is the sum of its budget lines (BudgetLine.output). DOMAIN.md ("Budget execution":
output achievement).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import MonthlyReport, month_check, satker_scope
from budgets.models.master import PERCENT_VALIDATORS, FiscalYear, Satker, digits_check
from core.formats import MONTH_CHOICES

VOLUME_DIGITS = {"max_digits": 14, "decimal_places": 2}


class Activity(models.Model):
    """A kegiatan of the DIPA (4 digits), e.g. 6503."""

    code = models.CharField(_("kode kegiatan"), max_length=4, unique=True)
    name = models.CharField(_("nama"), max_length=250)
    name_en = models.CharField(_("nama (Inggris)"), max_length=250)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = pgettext_lazy("jamak", "kegiatan")
        ordering = ["code"]
        constraints = [digits_check("activity_code_4_digits", "code", 4)]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutputClass(models.Model):
    """A KRO (klasifikasi rincian output, 3 capital letters) under a kegiatan, e.g. 6503.QDC."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("kegiatan"), on_delete=models.PROTECT, related_name="output_classes"
    )
    code = models.CharField(_("kode KRO"), max_length=3)
    name = models.CharField(_("nama"), max_length=250)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KRO")
        verbose_name_plural = pgettext_lazy("jamak", "KRO")
        ordering = ["activity__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="output_class_once_per_activity"),
            models.CheckConstraint(name="output_class_code_3_letters", condition=Q(code__regex=r"^[A-Z]{3}$")),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code}.{self.code} {self.name}"


class Output(models.Model):
    """A rincian output (RO, 3 digits) under a KRO: what a satker's money produces, in a unit."""

    output_class = models.ForeignKey(
        OutputClass, verbose_name=_("KRO"), on_delete=models.PROTECT, related_name="outputs"
    )
    code = models.CharField(_("kode RO"), max_length=3)
    name = models.CharField(_("nama"), max_length=250)
    name_en = models.CharField(_("nama (Inggris)"), max_length=250)
    unit = models.CharField(_("satuan"), max_length=40, help_text=_("Mis. IKM, orang, sentra, dokumen."))
    cumulative = models.BooleanField(
        _("capaian kumulatif"),
        default=False,
        help_text=_(
            "Kumulatif: volume yang sama dapat dilaporkan lagi (mis. dokumen yang disempurnakan); "
            "target dibandingkan dengan capaian terbesar. Tidak kumulatif: volume bulan-bulan dijumlahkan."
        ),
    )
    # The programme records that measure this RO (an output indicator key of programs, e.g. "wub"):
    # the month's form shows their count next to the typed volume. Empty: nothing measures it.
    measured_by = models.CharField(_("diukur oleh catatan program"), max_length=24, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rincian output (RO)")
        verbose_name_plural = pgettext_lazy("jamak", "rincian output (RO)")
        ordering = ["output_class__activity__code", "output_class__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["output_class", "code"], name="output_once_per_class"),
            digits_check("output_code_3_digits", "code", 3),
        ]

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}"

    @property
    def full_code(self) -> str:
        """``kegiatan.KRO.RO`` as CONTRACT writes it, e.g. 6503.RBS.001."""
        return f"{self.output_class.activity.code}.{self.output_class.code}.{self.code}"


class OutputVolumeTarget(models.Model):
    """An RO's volume target in a satker's DIPA of a year."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="ro_targets")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="ro_targets"
    )
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, related_name="volume_targets")
    volume = models.DecimalField(_("target volume"), **VOLUME_DIGITS, validators=[MinValueValidator(Decimal(0))])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target RO")
        verbose_name_plural = pgettext_lazy("jamak", "target RO")
        ordering = ["fiscal_year", "satker", "output"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year", "output"], name="ro_target_once"),
            models.CheckConstraint(name="ro_target_not_negative", condition=Q(volume__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year} {self.output.full_code}: {self.volume}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class OutputAchievement(models.Model):
    """An RO's row of a monthly report (capaian RO): the volume added this month (an explicit
    zero is a row), the physical progress of the RO's work and a short note. Locked with its report."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="ro_achievements"
    )
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, related_name="achievements")
    volume = models.DecimalField(_("volume bulan ini"), **VOLUME_DIGITS, validators=[MinValueValidator(Decimal(0))])
    physical_progress = models.DecimalField(
        _("progres fisik (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    # The report's year, copied so that the reports read one year's rows from the covering index
    # below instead of joining every year's rows to their reports. Written with the row (every
    # writer names it; ``save`` copies it from the report); not history: it never changes.
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+", db_index=False)

    history = HistoricalRecords(excluded_fields=["fiscal_year"])

    class Meta:
        verbose_name = _("capaian RO")
        verbose_name_plural = pgettext_lazy("jamak", "capaian RO")
        ordering = ["report", "output"]
        constraints = [
            models.UniqueConstraint(fields=["report", "output"], name="ro_achievement_once_per_report"),
            models.CheckConstraint(name="ro_achievement_volume_not_negative", condition=Q(volume__gte=0)),
            models.CheckConstraint(
                name="ro_achievement_progress_percent",
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "report", "output", "volume", "physical_progress"],
                                name="ro_achievement_cover")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.report} {self.output.full_code}: {self.volume}"

    def save(self, *args, **kwargs) -> None:
        if self.fiscal_year_id is None:
            self.fiscal_year_id = self.report.fiscal_year_id
        super().save(*args, **kwargs)

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")


class OutputAdjustment(models.Model):
    """A correction of an approved month's RO volume, recorded with a later month's report (the
    locked month is never edited): signed, with its reason."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("dicatat pada laporan"), on_delete=models.CASCADE, related_name="ro_adjustments"
    )
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, related_name="adjustments")
    corrected_month = models.PositiveSmallIntegerField(_("bulan yang dikoreksi"), choices=MONTH_CHOICES)
    volume = models.DecimalField(_("koreksi volume (+/-)"), **VOLUME_DIGITS)
    reason = models.CharField(_("alasan"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("koreksi capaian RO")
        verbose_name_plural = pgettext_lazy("jamak", "koreksi capaian RO")
        ordering = ["report", "output", "corrected_month"]
        constraints = [
            month_check("ro_adjustment_month_1_12", "corrected_month"),
            models.CheckConstraint(name="ro_adjustment_not_zero", condition=~Q(volume=0)),
            models.CheckConstraint(name="ro_adjustment_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.output.full_code} ({self.corrected_month}): {self.volume:+}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")
