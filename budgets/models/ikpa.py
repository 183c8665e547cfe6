"""IKPA's per-year rules as data (the formulas are in budgets/ikpa/rules.py) and the figures only
the treasury knows (OM-SPAN), imported or typed by the admin.

The weights per indicator are ``IkpaWeight`` (master.py); here: the year's other parameters
(``IkpaYearRule``), the page III deviation's penalty curve (``IkpaDeviationPoint``), the
absorption targets per spending type (``IkpaAbsorptionTarget``) and the treasury's figures per
satker and month (``IkpaTreasuryFigure``). Sources: budgets/data/SOURCES.md.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import satker_scope
from budgets.models.master import PERCENT_VALIDATORS, FiscalYear, Satker, SpendingType
from core.formats import MONTH_CHOICES

# "201,211,212": three-digit treasury revision codes separated by commas (empty: none counted).
REVISION_CODES_PATTERN = r"^([0-9]{3}(,[0-9]{3})*)?$"


def parse_revision_codes(text: str) -> frozenset[str]:
    """The codes of a ``counted_revision_codes`` text (spaces tolerated around the commas)."""
    return frozenset(code.strip() for code in text.split(",") if code.strip())


def validate_revision_codes(text: str) -> None:
    if not re.fullmatch(REVISION_CODES_PATTERN, ",".join(sorted(parse_revision_codes(text)))):
        raise ValidationError(_("Kode revisi: tiga digit dipisahkan koma, mis. 201,211,212."))


class IkpaYearRule(models.Model):
    """A fiscal year's IKPA parameters besides the weights, the curve and the targets."""

    fiscal_year = models.OneToOneField(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="ikpa_rule"
    )
    dispensation_deducts = models.BooleanField(
        _("dispensasi SPM sebagai pengurang"),
        default=True,
        help_text=_("Sejak 2024 dispensasi SPM mengurangi nilai IKPA; sebelumnya indikator berbobot."),
    )
    deviation_weighted_by_pagu = models.BooleanField(
        _("deviasi dibobot pagu jenis belanja"),
        default=True,
        help_text=_("Sejak 2024 deviasi per jenis belanja dibobot porsi pagunya; sebelumnya rata-rata biasa."),
    )
    counted_revision_codes = models.CharField(
        _("kode revisi yang dihitung"),
        max_length=200,
        default="201,211,212,213,217,220",
        validators=[validate_revision_codes],
        help_text=_("Kode revisi DIPA (pagu tetap) dari Ditjen Perbendaharaan, dipisahkan koma."),
    )
    revision_limit_per_semester = models.PositiveSmallIntegerField(_("batas revisi per semester"), default=2)
    revision_penalty = models.DecimalField(
        _("pengurang per revisi di atas batas"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        validators=PERCENT_VALIDATORS,
    )
    output_timeliness_share = models.DecimalField(
        _("porsi ketepatan waktu dalam capaian output (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT_VALIDATORS,
        help_text=_("Sisanya dari capaian RO."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aturan IKPA tahunan")
        verbose_name_plural = pgettext_lazy("jamak", "aturan IKPA tahunan")
        ordering = ["fiscal_year"]
        constraints = [
            models.CheckConstraint(
                name="ikpa_rule_revision_codes", condition=Q(counted_revision_codes__regex=REVISION_CODES_PATTERN)
            ),
            models.CheckConstraint(
                name="ikpa_rule_percentages",
                condition=Q(revision_penalty__gte=0, revision_penalty__lte=100)
                & Q(output_timeliness_share__gte=0, output_timeliness_share__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return str(self.fiscal_year)

    def clean(self) -> None:
        # Stored in one canonical form (sorted, no spaces): what the database constraint checks.
        self.counted_revision_codes = ",".join(sorted(parse_revision_codes(self.counted_revision_codes or "")))


class IkpaDeviationPoint(models.Model):
    """One point of a year's page III penalty curve: a month whose deviation is ``deviation`` %
    scores ``score``; linear between points, the last point's score beyond it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="ikpa_deviation_points"
    )
    deviation = models.DecimalField(
        _("deviasi (%)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("titik kurva deviasi")
        verbose_name_plural = pgettext_lazy("jamak", "titik kurva deviasi")
        ordering = ["fiscal_year", "deviation"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "deviation"], name="ikpa_deviation_point_once"),
            models.CheckConstraint(
                name="ikpa_deviation_point_range", condition=Q(deviation__gte=0, score__gte=0, score__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.deviation} % -> {self.score}"


class IkpaAbsorptionTarget(models.Model):
    """IKPA's cumulative absorption target of one spending type at a quarter's end (the
    directorate's own targets, FiscalYear.target_q1..q4, are separate)."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="ikpa_absorption_targets"
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    spending_type = models.ForeignKey(
        SpendingType, verbose_name=_("jenis belanja"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target penyerapan IKPA")
        verbose_name_plural = pgettext_lazy("jamak", "target penyerapan IKPA")
        ordering = ["fiscal_year", "quarter", "spending_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter", "spending_type"], name="ikpa_absorption_target_once"
            ),
            models.CheckConstraint(
                name="ikpa_absorption_target_range",
                condition=Q(quarter__gte=1, quarter__lte=4, target__gte=0, target__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} TW {self.quarter} {self.spending_type_id}: {self.target}"


class IkpaTreasuryFigure(models.Model):
    """An IKPA indicator the product cannot compute (contracts, invoices, UP/TUP, SPM
    dispensations), as the treasury's monitoring (OM-SPAN) shows it for a satker and month:
    imported from its export or typed by the admin."""

    class Indicator(models.TextChoices):
        # The CONTRACT keys of /reports/ikpa/ (budgets.ikpa.rules.IMPORTED).
        KONTRAKTUAL = "kontraktual", _("Belanja kontraktual")
        TAGIHAN = "tagihan", _("Penyelesaian tagihan")
        UP_TUP = "up_tup", _("Pengelolaan UP dan TUP")
        DISPENSASI = "dispensasi", _("Dispensasi SPM")

    class Source(models.TextChoices):
        IMPORT = "import", _("impor OM-SPAN")
        ADMIN = "admin", _("diisi admin")

    satker = models.ForeignKey(
        Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="ikpa_treasury_figures"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="ikpa_treasury_figures"
    )
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES)
    indicator = models.CharField(_("indikator"), max_length=12, choices=Indicator.choices)
    value = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)
    source = models.CharField(_("sumber"), max_length=6, choices=Source.choices, default=Source.ADMIN)
    upload = models.ForeignKey(
        "imports.Upload",
        verbose_name=_("unggahan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai IKPA dari Ditjen Perbendaharaan")
        verbose_name_plural = pgettext_lazy("jamak", "nilai IKPA dari Ditjen Perbendaharaan")
        ordering = ["fiscal_year", "satker", "month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "month", "indicator"], name="ikpa_treasury_figure_once"
            ),
            models.CheckConstraint(
                name="ikpa_treasury_figure_range",
                condition=Q(month__gte=1, month__lte=12, value__gte=0, value__lte=100),
            ),
            models.CheckConstraint(
                name="ikpa_treasury_figure_indicator",
                condition=Q(indicator__in=["kontraktual", "tagihan", "up_tup", "dispensasi"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.satker_id} {self.fiscal_year} {self.month} {self.indicator}: {self.value}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)
