"""Master data: regions, satkers and their authority per year, fiscal years with their
configurable parameters, and the budget classification (components, spending types, accounts).

Codes are kept as text (leading zeros matter) and checked by the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.non_physical import dk_account_problem
from budgets.regions import map_day, satker_absence

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def digits_check(name: str, field: str, length: int) -> models.CheckConstraint:
    """A named constraint: ``field`` is exactly ``length`` ASCII digits."""
    return models.CheckConstraint(
        name=name,
        condition=Q(**{f"{field}__regex": rf"^[0-9]{{{length}}}$"}),
    )


class Authority(models.TextChoices):
    """How a satker receives the directorate's money in a given year."""

    KP = "KP", _("Kantor Pusat")
    DK = "DK", _("Dekonsentrasi")
    TP = "TP", _("Tugas Pembantuan")


class ProvinceQuerySet(models.QuerySet):
    def existing_on(self, day: date) -> ProvinceQuerySet:
        """The provinces that existed on ``day`` (a province created later is not yet on the map)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def existing_in(self, year: int) -> ProvinceQuerySet:
        """The provinces on the map of ``year`` (budgets.regions.map_day)."""
        return self.existing_on(map_day(year))


class Province(models.Model):
    bps_code = models.CharField(_("kode BPS"), max_length=2, unique=True)
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100)
    iso_code = models.CharField(_("kode ISO 3166-2"), max_length=6, unique=True)
    # Papua Selatan, Tengah and Pegunungan (laws of 25 July 2022) and Papua Barat Daya (8 December
    # 2022) did not exist before; their regencies were Papua's and Papua Barat's (RegencyPeriod).
    valid_from = models.DateField(_("berlaku sejak"), null=True, blank=True, help_text=_("Kosong: sejak awal data."))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True, help_text=_("Kosong: masih ada."))

    objects = ProvinceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = pgettext_lazy("jamak", "provinsi")
        ordering = ["bps_code"]
        constraints = [
            digits_check("province_bps_code_2_digits", "bps_code", 2),
            digits_check("province_kemendagri_code_2_digits", "kemendagri_code", 2),
            models.CheckConstraint(
                name="province_valid_period",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bps_code} {self.name}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(pk=province_id)


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    # Kemendagri's "PP.RR"; BPS regency numbers differ and will be mapped when a source is at hand.
    # ``province`` is today's; RegencyPeriod keeps the earlier ones (budgets.regions.province_id_on).
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = pgettext_lazy("jamak", "kabupaten/kota")
        ordering = ["kemendagri_code"]
        constraints = [
            models.CheckConstraint(
                name="regency_kemendagri_code_format",
                condition=Q(kemendagri_code__regex=r"^[0-9]{2}\.[0-9]{2}$"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kemendagri_code} {self.name}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id)


class RegencyPeriodQuerySet(models.QuerySet):
    def covering(self, day: date) -> RegencyPeriodQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), valid_to__gte=day)


class RegencyPeriod(models.Model):
    """A regency's province before its current one: Merauke was in Papua until 24 July 2022."""

    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), on_delete=models.CASCADE, related_name="province_periods"
    )
    province = models.ForeignKey(Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("berlaku sejak"), null=True, blank=True, help_text=_("Kosong: sejak awal data."))
    valid_to = models.DateField(_("berlaku sampai"))
    source = models.CharField(_("sumber"), max_length=300, blank=True)

    objects = RegencyPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riwayat provinsi kabupaten/kota")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat provinsi kabupaten/kota")
        ordering = ["regency", "valid_to"]
        constraints = [
            models.UniqueConstraint(fields=["regency", "valid_to"], name="regency_period_once"),
            models.CheckConstraint(
                name="regency_period_order",
                condition=Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "..."
        return f"{self.regency.kemendagri_code} {start} - {self.valid_to.isoformat()}: {self.province.name}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Tanggal akhir sebelum tanggal mulai.")})

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id) | Q(regency__province_id=province_id)


class Satker(models.Model):
    """A work unit: a provincial Industry Service, or one of the directorate's central units."""

    code = models.CharField(_("kode satker"), max_length=6, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    province = models.ForeignKey(Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="satkers")
    # Central units sit in DKI Jakarta but are the directorate's own, not the province's:
    # no provincial officer's scope includes them.
    is_central = models.BooleanField(_("unit pusat"), default=False)
    # The first year the directorate's DIPA reaches this satker: the services of the new Papua
    # provinces got none of the 2022-2023 deconcentration (DOMAIN.md: 34 provinces) and start in 2024.
    first_year = models.PositiveSmallIntegerField(
        _("tahun anggaran pertama"), null=True, blank=True, help_text=_("Kosong: sejak tahun anggaran pertama.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("satker")
        verbose_name_plural = pgettext_lazy("jamak", "satker")
        ordering = ["code"]
        constraints = [digits_check("satker_code_6_digits", "code", 6)]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id, is_central=False)


class TimelinessStep(models.TextChoices):
    """The step at which a province has sent its report, for judging it on time."""

    SUBMISSION = "SUBMISSION", _("pengajuan oleh petugas")
    VERIFICATION = "VERIFICATION", _("verifikasi oleh Kepala Dinas")


class FiscalYear(models.Model):
    """A fiscal (= calendar) year and the parameters the directorate sets for it.

    Sources disagree on several of these (DOMAIN.md marks them "?"), so they are data, not code.
    """

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    is_closed = models.BooleanField(_("ditutup"), default=False, help_text=_("Tahun yang ditutup hanya dapat dibaca."))
    below_average_threshold = models.DecimalField(
        _("ambang realisasi rendah (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("91.20"),
        validators=PERCENT_VALIDATORS,
        help_text=_("Satker dengan realisasi di bawah persentase ini ditandai."),
    )
    target_q1 = models.DecimalField(
        _("target penyerapan TW I (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
        validators=PERCENT_VALIDATORS,
    )
    target_q2 = models.DecimalField(
        _("target penyerapan TW II (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
    )
    target_q3 = models.DecimalField(
        _("target penyerapan TW III (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=PERCENT_VALIDATORS,
    )
    target_q4 = models.DecimalField(
        _("target penyerapan TW IV (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=PERCENT_VALIDATORS,
    )
    deviation_tolerance = models.DecimalField(
        _("toleransi deviasi halaman III (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=PERCENT_VALIDATORS,
        help_text=_("Bulan dengan deviasi RPD sampai batas ini mendapat nilai penuh."),
    )
    # Above the tolerance the score follows the year's curve (IkpaDeviationPoint, budgets/models/ikpa.py).
    timeliness_step = models.CharField(
        _("ketepatan waktu dinilai saat"),
        max_length=12,
        choices=TimelinessStep.choices,
        default=TimelinessStep.VERIFICATION,
        help_text=_("Laporan dianggap dikirim provinsi saat langkah ini pertama kali dilakukan."),
    )
    # The public page (/public/) shows the year's approved figures from this moment on; None: the
    # year is not public. Set and cleared only by budgets/services/publication.py (an admin action).
    published_at = models.DateTimeField(_("dipublikasikan sejak"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dipublikasikan oleh"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tahun anggaran")
        verbose_name_plural = pgettext_lazy("jamak", "tahun anggaran")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="fiscal_year_plausible", condition=Q(year__gte=2000, year__lte=2100)),
            models.CheckConstraint(
                name="fiscal_year_targets_cumulative",
                condition=Q(target_q1__lte=models.F("target_q2"))
                & Q(target_q2__lte=models.F("target_q3"))
                & Q(target_q3__lte=models.F("target_q4"))
                & Q(target_q4__lte=100)
                & Q(target_q1__gte=0),
            ),
            models.CheckConstraint(
                name="fiscal_year_threshold_percent",
                condition=Q(below_average_threshold__gte=0, below_average_threshold__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        targets = [self.target_q1, self.target_q2, self.target_q3, self.target_q4]
        if None not in targets and targets != sorted(targets):
            raise ValidationError(_("Target penyerapan kumulatif: TW I <= TW II <= TW III <= TW IV."))


class IkpaIndicator(models.TextChoices):
    """IKPA (budget execution performance index) indicators; their weights change per year."""

    DIPA_REVISION = "DIPA_REVISION", _("Revisi DIPA")
    PAGE3_DEVIATION = "PAGE3_DEVIATION", _("Deviasi halaman III DIPA")
    ABSORPTION = "ABSORPTION", _("Penyerapan anggaran")
    CONTRACT = "CONTRACT", _("Belanja kontraktual")
    INVOICE = "INVOICE", _("Penyelesaian tagihan")
    PETTY_CASH = "PETTY_CASH", _("Pengelolaan UP dan TUP")
    OUTPUT = "OUTPUT", _("Capaian output")
    # 2022-2023 a weighted indicator; from 2024 points deducted from the composite (no weight).
    DISPENSATION = "DISPENSATION", _("Dispensasi SPM")


class IkpaWeight(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="ikpa_weights"
    )
    indicator = models.CharField(_("indikator"), max_length=20, choices=IkpaIndicator.choices)
    weight = models.DecimalField(_("bobot (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bobot IKPA")
        verbose_name_plural = pgettext_lazy("jamak", "bobot IKPA")
        ordering = ["fiscal_year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "indicator"], name="ikpa_weight_once_per_year"),
            models.CheckConstraint(name="ikpa_weight_percent", condition=Q(weight__gte=0, weight__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.get_indicator_display()}: {self.weight}"


class SatkerAuthority(models.Model):
    """The channel a satker's money comes through in one fiscal year (DK until 2023, TP from 2024)."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.CASCADE, related_name="authorities")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="satker_authorities"
    )
    authority = models.CharField(_("kewenangan"), max_length=2, choices=Authority.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kewenangan satker")
        verbose_name_plural = pgettext_lazy("jamak", "kewenangan satker")
        ordering = ["fiscal_year", "satker"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year"], name="satker_authority_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year}: {self.authority}"

    def clean(self) -> None:
        """A satker whose DIPA of the year has personnel or capital lines cannot be made DK (the
        admin's form; the pagu services check the lines against the authority)."""
        if not (self.satker_id and self.fiscal_year_id):
            return
        absent = satker_absence(self.satker, self.fiscal_year.year)
        if absent:
            raise ValidationError({"fiscal_year": [absent]})
        codes = self.satker.budget_lines.filter(fiscal_year_id=self.fiscal_year_id).values_list(
            "account__code", flat=True
        )
        problems = [problem for code in sorted(set(codes)) if (problem := dk_account_problem(self.authority, code))]
        if problems:
            raise ValidationError({"authority": problems})

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(satker__province_id=province_id, satker__is_central=False)


class BudgetComponent(models.Model):
    """A component (komponen) of the directorate's outputs: OVOP coaching, extreme poverty..."""

    code = models.CharField(_("kode komponen"), max_length=3, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    # The RO this component sits under in the directorate's DIPAs: a budget line of the component
    # belongs to it unless the DIPA (the pagu file's kode_ro) says otherwise.
    output = models.ForeignKey(
        "budgets.Output", verbose_name=_("RO"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komponen")
        verbose_name_plural = pgettext_lazy("jamak", "komponen")
        ordering = ["code"]
        constraints = [digits_check("component_code_3_digits", "code", 3)]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SpendingType(models.Model):
    """Jenis belanja: the first two digits of an account (51 personnel, 52 goods...)."""

    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(_("nama (Inggris)"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jenis belanja")
        verbose_name_plural = pgettext_lazy("jamak", "jenis belanja")
        ordering = ["code"]
        constraints = [digits_check("spending_type_code_2_digits", "code", 2)]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Account(models.Model):
    """A 6-digit account (akun); its spending type is the one named by its first two digits."""

    code = models.CharField(_("kode akun"), max_length=6, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    # Derived from the code (see clean); stored so that reports can group by it with a join.
    spending_type = models.ForeignKey(
        SpendingType,
        verbose_name=_("jenis belanja"),
        on_delete=models.PROTECT,
        related_name="accounts",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = pgettext_lazy("jamak", "akun")
        ordering = ["code"]
        constraints = [digits_check("account_code_6_digits", "code", 6)]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if not (len(self.code) == 6 and self.code.isascii() and self.code.isdigit()):
            raise ValidationError({"code": _("Kode akun harus 6 digit angka.")})
        spending_type = SpendingType.objects.filter(code=self.code[:2]).first()
        if spending_type is None:
            raise ValidationError(
                {
                    "code": _("Dua digit pertama kode akun (%(prefix)s) bukan jenis belanja yang dikenal.")
                    % {"prefix": self.code[:2]}
                }
            )
        self.spending_type = spending_type
