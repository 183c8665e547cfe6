"""What the money produced, month by month: OVOP centres and their stars, new entrepreneurs (WUB),
extreme-poverty activities, facilitations, and the output indicators with their targets and each
monthly report's figures.

Monthly records (WUB, poverty activities, facilitations) belong to their satker's monthly
report and follow its review: editable while it is a draft or returned, locked once submitted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models import FiscalYear, MonthlyReport, Regency, Satker
from budgets.models.execution import month_check, satker_scope
from core.formats import MONTH_CHOICES
from programs.models.registry import NIB_CHECK, Enterprise


class CommodityGroup(models.TextChoices):
    FOOD = "PANGAN", _("Makanan dan minuman")
    WOVEN = "TENUN", _("Kain tenun")
    BATIK = "BATIK", _("Batik")
    PLAITED = "ANYAMAN", _("Anyaman")
    POTTERY = "GERABAH", _("Gerabah")
    OTHER = "LAINNYA", _("Lainnya")


class OvopCentre(models.Model):
    """A sentra: at least five IKM units making similar products in one place, coached by a satker."""

    MIN_UNITS = 5

    satker = models.ForeignKey(Satker, verbose_name=_("satker pembina"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama sentra"), max_length=200)
    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+")
    village = models.CharField(_("desa/kelurahan"), max_length=120)
    commodity_group = models.CharField(_("kelompok komoditas"), max_length=8, choices=CommodityGroup.choices)
    unit_count = models.PositiveIntegerField(_("jumlah unit IKM"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sentra OVOP")
        verbose_name_plural = pgettext_lazy("jamak", "sentra OVOP")
        ordering = ["satker", "name"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "name", "regency"], name="ovop_centre_once_per_satker"),
            models.CheckConstraint(name="ovop_centre_at_least_5_units", condition=Q(unit_count__gte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.regency.name})"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class CoachingLevel(models.TextChoices):
    CENTRAL = "PUSAT", _("Pusat")
    PROVINCE = "PROVINSI", _("Provinsi")
    REGENCY = "KABKOTA", _("Kabupaten/kota")


class OvopRating(models.Model):
    """A centre's record of a year: coached that year, with its star rating (1-5)."""

    centre = models.ForeignKey(OvopCentre, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    stars = models.PositiveSmallIntegerField(_("bintang"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penilaian OVOP")
        verbose_name_plural = pgettext_lazy("jamak", "penilaian OVOP")
        ordering = ["centre", "year"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="ovop_rating_once_per_year"),
            models.CheckConstraint(name="ovop_stars_1_5", condition=Q(stars__gte=1, stars__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.year}: {self.stars}*"

    @property
    def coaching_level(self) -> str:
        """4-5 stars are coached by the centre (ministry), 3 by the province, 1-2 by the regency."""
        return coaching_level_for(self.stars)

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "centre__satker")


def coaching_level_for(stars: int) -> str:
    if stars >= 4:
        return CoachingLevel.CENTRAL
    return CoachingLevel.PROVINCE if stars == 3 else CoachingLevel.REGENCY


class MonthlyRecord(models.Model):
    """A programme record of a satker's month, carried by that month's report."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("tahun"), on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES)
    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class NewEntrepreneur(MonthlyRecord):
    """A new entrepreneur (WUB) grown by the programme, and whether the business got legality."""

    name = models.CharField(_("nama"), max_length=200)
    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+")
    business_type = models.CharField(_("jenis usaha"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)  # noqa: DJ001 (absent = NULL, as in the registry)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("IKM terdaftar"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legalized_on = models.DateField(_("tanggal memperoleh NIB"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wirausaha baru (WUB)")
        verbose_name_plural = pgettext_lazy("jamak", "wirausaha baru (WUB)")
        ordering = ["satker", "fiscal_year", "month", "name"]
        constraints = [
            models.CheckConstraint(name="wub_nib_13_digits", condition=NIB_CHECK),
            month_check("wub_month_1_12"),
        ]
        # The outputs report groups the year's WUB by satker, checking the month, the report's
        # status and the NIB: all in this index, so the year's entries are read without the table.
        indexes = [models.Index(fields=["fiscal_year", "satker", "month", "report", "nib"], name="wub_year_satker_idx")]

    def __str__(self) -> str:
        return self.name


class PovertyActivity(MonthlyRecord):
    """An extreme-poverty handling activity in a priority regency."""

    class Kind(models.TextChoices):
        TRAINING = "PELATIHAN", _("Pelatihan")
        EQUIPMENT = "PERALATAN", _("Bantuan peralatan")
        MENTORING = "PENDAMPINGAN", _("Pendampingan")
        OTHER = "LAINNYA", _("Lainnya")

    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota prioritas"), on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    kind = models.CharField(_("jenis kegiatan"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("uraian"), max_length=300, blank=True)
    beneficiaries = models.PositiveIntegerField(_("jumlah penerima manfaat"))
    value = models.BigIntegerField(_("nilai (Rp)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kegiatan penanganan kemiskinan ekstrem")
        verbose_name_plural = pgettext_lazy("jamak", "kegiatan penanganan kemiskinan ekstrem")
        ordering = ["satker", "fiscal_year", "month"]
        constraints = [
            month_check("poverty_month_1_12"),
            models.CheckConstraint(name="poverty_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.regency.name}"


class FacilitationKind(models.TextChoices):
    SNI = "SNI", _("Sertifikasi SNI")
    ISO = "ISO", _("Sertifikasi ISO")
    HACCP = "HACCP", _("Sertifikasi HACCP")
    HALAL = "HALAL", _("Sertifikasi halal")
    HKI = "HKI", _("Pendaftaran kekayaan intelektual (HKI)")
    PRODUCT = "PRODUK", _("Pengembangan produk")
    EXHIBITION = "PAMERAN", _("Pameran")
    RESTRUCTURING = "RESTRUKTURISASI", _("Restrukturisasi mesin/peralatan")
    PARTNERSHIP = "KEMITRAAN", _("Kemitraan")
    INDUSTRY_40 = "I40", _("Penerapan industri 4.0")


# Kinds whose facilitation results in a certificate or registration with a number and a date.
CERTIFIED_KINDS = {FacilitationKind.SNI, FacilitationKind.ISO, FacilitationKind.HACCP, FacilitationKind.HALAL,
                   FacilitationKind.HKI}  # fmt: skip
# Kinds with a money value: exhibition transactions, restructuring reimbursement.
VALUED_KINDS = {FacilitationKind.EXHIBITION, FacilitationKind.RESTRUCTURING}


class Facilitation(MonthlyRecord):
    kind = models.CharField(_("jenis fasilitasi"), max_length=16, choices=FacilitationKind.choices)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("IKM"), null=True, blank=True, on_delete=models.PROTECT, related_name="facilitations"
    )
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)  # noqa: DJ001 (absent = NULL, as in the registry)
    enterprise_name = models.CharField(_("nama usaha"), max_length=200)
    value = models.BigIntegerField(_("nilai (Rp)"), default=0)
    certificate_number = models.CharField(_("nomor sertifikat/pendaftaran"), max_length=100, blank=True)
    certificate_date = models.DateField(_("tanggal sertifikat/pendaftaran"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fasilitasi")
        verbose_name_plural = pgettext_lazy("jamak", "fasilitasi")
        ordering = ["satker", "fiscal_year", "month", "kind"]
        constraints = [
            models.CheckConstraint(name="facilitation_nib_13_digits", condition=NIB_CHECK),
            models.CheckConstraint(name="facilitation_value_not_negative", condition=Q(value__gte=0)),
            month_check("facilitation_month_1_12"),
        ]
        # The outputs report groups the year's facilitations by satker and kind, checking the
        # month and the report's status, summing the value: all in this index (index-only scan).
        indexes = [
            models.Index(
                fields=["fiscal_year", "satker", "kind", "month", "report", "value"],
                name="facilitation_year_satker_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.enterprise_name}"


class OutputIndicator(models.TextChoices):
    """The programme outputs of CONTRACT's /reports/outputs/ (keys are the JSON keys)."""

    WUB = "wub", _("Wirausaha baru")
    WUB_LEGAL = "wub_legal", _("WUB berizin usaha (NIB)")
    OVOP_CENTRES = "ovop_centres", _("Sentra OVOP dibina")
    PRODUCT_DEVELOPMENT = "product_development", _("IKM pengembangan produk")
    EXHIBITION_IKM = "exhibition_ikm", _("IKM difasilitasi pameran")
    EXHIBITION_VALUE = "exhibition_value", _("Nilai transaksi pameran (Rp)")
    I40 = "i40", _("IKM penerapan industri 4.0")
    RESTRUCTURING_IKM = "restructuring_ikm", _("IKM restrukturisasi mesin/peralatan")
    RESTRUCTURING_VALUE = "restructuring_value", _("Nilai restrukturisasi (Rp)")
    SNI = "sni", _("IKM sertifikasi SNI")
    ISO = "iso", _("IKM sertifikasi ISO")
    HACCP = "haccp", _("IKM sertifikasi HACCP")
    HALAL = "halal", _("IKM sertifikasi halal")
    HKI = "hki", _("IKM pendaftaran HKI")
    PARTNERSHIP = "partnership", _("IKM kemitraan")
    POVERTY_BENEFICIARIES = "poverty_beneficiaries", _("Penerima manfaat penanganan kemiskinan ekstrem")


# What each indicator counts, next to its label (the one list of them: the output summary, the
# reports, the demo and the bench read these): the facilitations of a kind, their number or for a
# money indicator the sum of their values. wub, wub_legal, poverty_beneficiaries and ovop_centres
# are counted from their own records (programs/records/output_summary.py, report.py).
# The indicators whose figure is a money amount (rupiah); the others are counts.
MONEY_KEYS = {OutputIndicator.EXHIBITION_VALUE.value, OutputIndicator.RESTRUCTURING_VALUE.value}
# Facilitation kind counted by each count indicator, and the kind whose value each money one sums.
KIND_OF = {
    OutputIndicator.PRODUCT_DEVELOPMENT: FacilitationKind.PRODUCT,
    OutputIndicator.EXHIBITION_IKM: FacilitationKind.EXHIBITION,
    OutputIndicator.EXHIBITION_VALUE: FacilitationKind.EXHIBITION,
    OutputIndicator.I40: FacilitationKind.INDUSTRY_40,
    OutputIndicator.RESTRUCTURING_IKM: FacilitationKind.RESTRUCTURING,
    OutputIndicator.RESTRUCTURING_VALUE: FacilitationKind.RESTRUCTURING,
    OutputIndicator.SNI: FacilitationKind.SNI,
    OutputIndicator.ISO: FacilitationKind.ISO,
    OutputIndicator.HACCP: FacilitationKind.HACCP,
    OutputIndicator.HALAL: FacilitationKind.HALAL,
    OutputIndicator.HKI: FacilitationKind.HKI,
    OutputIndicator.PARTNERSHIP: FacilitationKind.PARTNERSHIP,
}


class OutputTarget(models.Model):
    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("tahun"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indikator"), max_length=24, choices=OutputIndicator.choices)
    target = models.BigIntegerField(_("target"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target output")
        verbose_name_plural = pgettext_lazy("jamak", "target output")
        ordering = ["fiscal_year", "satker", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year", "indicator"], name="output_target_once"),
            models.CheckConstraint(name="output_target_not_negative", condition=Q(target__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year} {self.indicator}: {self.target}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class ReportOutput(models.Model):
    """One output figure of a monthly report (its WUB, facilitations per kind, beneficiaries...):
    a summary kept by programs/records/output_summary.py in the transaction that writes the records. The
    outputs report adds 7.000 of these a year instead of reading 80.000 records."""

    # The covering index below leads with the report: no separate one for the foreign key.
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="outputs", db_index=False)
    indicator = models.CharField(_("indikator"), max_length=24, choices=OutputIndicator.choices)
    # The report's year, copied: the outputs report reads one year's figures (7.000) from the
    # index below instead of scanning every year's (70.000).
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+", db_index=False)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("output laporan")
        verbose_name_plural = pgettext_lazy("jamak", "output laporan")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_output_once")]
        indexes = [models.Index(fields=["fiscal_year", "report", "indicator", "amount"], name="report_output_cover")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.indicator}: {self.amount}"
