"""What the money produced: OVOP (the sentra coached each year, the award cycles and their
candidates), new entrepreneurs (WUB), extreme-poverty activities, facilitations, and the output
indicators with their targets and each monthly report's figures.

Monthly records (WUB, poverty activities, facilitations) belong to their satker's monthly
report and follow its review: editable while it is a draft or returned, locked once submitted.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models import FiscalYear, MonthlyReport, Regency, Satker
from budgets.models.execution import month_check, satker_scope
from core.formats import MONTH_CHOICES
from programs.models.registry import NIB_CHECK, Enterprise, Sentra


class OvopGroup(models.TextChoices):
    """The five commodity groups of the OVOP award (Permenperin 14/2021): there is no "other"."""

    FOOD = "PANGAN", _("Makanan dan minuman")
    WOVEN = "TENUN", _("Kain tenun")
    BATIK = "BATIK", _("Batik")
    PLAITED = "ANYAMAN", _("Anyaman")
    POTTERY = "GERABAH", _("Gerabah")


class CoachingLevel(models.TextChoices):
    CENTRAL = "PUSAT", _("Pusat")
    PROVINCE = "PROVINSI", _("Provinsi")
    REGENCY = "KABKOTA", _("Kabupaten/kota")


STARS_1_5 = [MinValueValidator(1), MaxValueValidator(5)]


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` (the value itself when it is not a choice), as get_FOO_display gives
    it: that builds and hashes every label of the field on each call, and the report page that
    names a month's thousand records (its tables, comments and return form) spent a fifth of a
    second there."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _stars_check(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


class OvopCoaching(models.Model):
    """A sentra coached in a year ("sentra dibina"): what the outputs indicator ``ovop_centres``
    counts. ``stars`` is the star level reported for the coached IKM at the time, if any; it is
    no award (awards are OvopCandidate.awarded_stars of a cycle)."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="coachings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    stars = models.PositiveSmallIntegerField(_("bintang dilaporkan"), null=True, blank=True, validators=STARS_1_5)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pembinaan sentra OVOP")
        verbose_name_plural = pgettext_lazy("jamak", "pembinaan sentra OVOP")
        ordering = ["sentra", "year"]
        constraints = [
            models.UniqueConstraint(fields=["sentra", "year"], name="ovop_coaching_once_per_year"),
            models.CheckConstraint(name="ovop_coaching_stars_1_5", condition=_stars_check("stars")),
        ]

    def __str__(self) -> str:
        return f"{self.sentra} {self.year}" + (f": {self.stars}*" if self.stars else "")

    @property
    def coaching_level(self) -> str | None:
        return coaching_level_for(self.stars) if self.stars else None

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "sentra__satker")


class OvopCycle(models.Model):
    """An OVOP award cycle (2013, 2015, 2018, 2022, 2024: roughly every two years)."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("siklus penghargaan OVOP")
        verbose_name_plural = pgettext_lazy("jamak", "siklus penghargaan OVOP")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="ovop_cycle_year_range", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return self.name or str(self.year)


class OvopScoreBand(models.Model):
    """The lowest score that earns ``stars`` in a cycle. The bands are not published, so they are
    data the directorate keeps per cycle (in the admin), not code; a cycle without bands
    recommends no stars by itself."""

    cycle = models.ForeignKey(OvopCycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="bands")
    stars = models.PositiveSmallIntegerField(_("bintang"), validators=STARS_1_5)
    min_score = models.DecimalField(_("nilai minimal"), max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rentang nilai bintang")
        verbose_name_plural = pgettext_lazy("jamak", "rentang nilai bintang")
        ordering = ["cycle", "stars"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stars"], name="ovop_band_once_per_stars"),
            models.CheckConstraint(name="ovop_band_stars_1_5", condition=Q(stars__gte=1, stars__lte=5)),
            models.CheckConstraint(name="ovop_band_score_0_100", condition=Q(min_score__gte=0, min_score__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.stars}* >= {self.min_score}"


class OvopCandidate(models.Model):
    """An IKM (an enterprise and its product) proposed in a cycle, and what the selection made of
    it: the administrative check, the score, the recommended and the awarded stars. A candidate
    that re-evaluates an earlier award names it, so a move up or down is computable."""

    cycle = models.ForeignKey(OvopCycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="candidates")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("IKM"), on_delete=models.PROTECT,
                                   related_name="ovop_candidacies")  # fmt: skip
    product = models.CharField(_("nama produk"), max_length=200)
    group = models.CharField(_("kelompok OVOP"), max_length=8, choices=OvopGroup.choices)
    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota pengusul"), on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    # The province's satker, its seat on the selection team: the candidate's province scope.
    satker = models.ForeignKey(Satker, verbose_name=_("satker provinsi"), on_delete=models.PROTECT, related_name="+")
    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="ovop_candidates")  # fmt: skip
    admin_check_passed = models.BooleanField(_("lolos seleksi administrasi"), null=True, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])  # fmt: skip
    recommended_stars = models.PositiveSmallIntegerField(_("bintang rekomendasi"), null=True, blank=True,
                                                         validators=STARS_1_5)  # fmt: skip
    awarded_stars = models.PositiveSmallIntegerField(_("bintang ditetapkan"), null=True, blank=True,
                                                     validators=STARS_1_5)  # fmt: skip
    re_evaluates = models.ForeignKey("self", verbose_name=_("evaluasi ulang atas"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="re_evaluations")  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calon penerima bintang OVOP")
        verbose_name_plural = pgettext_lazy("jamak", "calon penerima bintang OVOP")
        ordering = ["cycle", "satker", "product", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "enterprise", "product"], name="ovop_candidate_once_per_cycle"),
            models.CheckConstraint(name="ovop_candidate_five_groups", condition=Q(group__in=OvopGroup.values)),
            models.CheckConstraint(name="ovop_candidate_recommended_1_5", condition=_stars_check("recommended_stars")),
            models.CheckConstraint(name="ovop_candidate_awarded_1_5", condition=_stars_check("awarded_stars")),
            models.CheckConstraint(
                name="ovop_candidate_awarded_after_check",
                condition=Q(awarded_stars__isnull=True) | Q(admin_check_passed=True),
            ),
            models.CheckConstraint(
                name="ovop_candidate_score_0_100",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            ),
            models.CheckConstraint(
                name="ovop_candidate_not_itself", condition=Q(re_evaluates__isnull=True) | ~Q(re_evaluates=F("pk"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.enterprise.name}) {self.cycle.year}"

    @property
    def coaching_level(self) -> str | None:
        return coaching_level_for(self.awarded_stars) if self.awarded_stars else None

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


def coaching_level_for(stars: int) -> str:
    """4-5 stars are coached by the centre (ministry), 3 by the province, 1-2 by the regency."""
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
        return f"{self.kind_label} {self.regency.name}"

    @property
    def kind_label(self) -> str:
        return choice_label(self.Kind, self.kind)


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
        return f"{self.kind_label}: {self.enterprise_name}"

    @property
    def kind_label(self) -> str:
        return choice_label(FacilitationKind, self.kind)


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
