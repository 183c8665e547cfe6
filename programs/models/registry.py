"""The IKM registry: the industrial enterprises (the product of "IKM data collection"), the
directory of sentra IKM they may belong to, and the registry's totals per province, data year and
KBLI group that the reports read."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models import Regency, Satker
from budgets.models.execution import satker_scope

NIB_LENGTH = 13  # the NIB of OSS; programs/registry/rules.py reads it (clean_nib)
NIB_CHECK = Q(nib__isnull=True) | Q(nib__regex=rf"^[0-9]{{{NIB_LENGTH}}}$")
# The KBLI groups of category C (manufacturing): the two-digit divisions 10-33.
KBLI_GROUP_CODES = tuple(str(division) for division in range(10, 34))


class CommodityGroup(models.TextChoices):
    """The directory's commodity groups: the five of OVOP and "other" (a sentra of knives or
    furniture is a sentra too; OVOP awards use programs.models.OvopGroup)."""

    FOOD = "PANGAN", _("Makanan dan minuman")
    WOVEN = "TENUN", _("Kain tenun")
    BATIK = "BATIK", _("Batik")
    PLAITED = "ANYAMAN", _("Anyaman")
    POTTERY = "GERABAH", _("Gerabah")
    OTHER = "LAINNYA", _("Lainnya")


class Sentra(models.Model):
    """A sentra IKM: at least five IKM units making similar products in one place, legalised by a
    decree of the regent or mayor; kept in the province's directory whether or not OVOP coaches
    it (programs.models.OvopCoaching records the years it was coached)."""

    MIN_UNITS = 5

    # The satker that keeps the sentra in its directory: its province is the sentra's scope.
    satker = models.ForeignKey(Satker, verbose_name=_("satker pembina"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama sentra"), max_length=200)
    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+")
    village = models.CharField(_("desa/kelurahan"), max_length=120)
    commodity = models.CharField(_("komoditas"), max_length=120, blank=True)
    commodity_group = models.CharField(_("kelompok komoditas"), max_length=8, choices=CommodityGroup.choices)
    unit_count = models.PositiveIntegerField(_("jumlah unit IKM"))
    # Empty for the sentra recorded before the decree was asked for; the web form requires it.
    decree_number = models.CharField(_("nomor SK bupati/wali kota"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sentra IKM")
        verbose_name_plural = pgettext_lazy("jamak", "sentra IKM")
        ordering = ["satker", "name"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "name", "regency"], name="sentra_once_per_satker"),
            models.CheckConstraint(name="sentra_at_least_5_units", condition=Q(unit_count__gte=5)),
            models.CheckConstraint(
                name="sentra_decree_number_with_date",
                condition=Q(decree_number="", decree_date__isnull=True)
                | (~Q(decree_number="") & Q(decree_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.regency.name})"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class SizeClass(models.TextChoices):
    SMALL = "KECIL", _("Kecil")
    MEDIUM = "MENENGAH", _("Menengah")
    LARGE = "BESAR", _("Besar")


class Enterprise(models.Model):
    """An industrial enterprise in the IKM registry (the product of "IKM data collection")."""

    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True, unique=True)
    name = models.CharField(_("nama usaha"), max_length=200)
    # Lower-case, single-spaced, without legal-form words: duplicate detection and search.
    name_normalized = models.CharField(max_length=200, editable=False)
    owner = models.CharField(_("nama pemilik"), max_length=200, blank=True)
    # No index of its own (as for the province below): the (regency, name, ...) index serves it.
    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Denormalised from the regency: the registry is filtered by province at national scale.
    province = models.ForeignKey(
        "budgets.Province", verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+", editable=False,
        db_index=False,
    )  # fmt: skip
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    kbli = models.CharField(_("KBLI"), max_length=5)
    workers_male = models.PositiveIntegerField(_("tenaga kerja laki-laki"), default=0)
    workers_female = models.PositiveIntegerField(_("tenaga kerja perempuan"), default=0)
    investment = models.BigIntegerField(_("investasi (tanpa tanah dan bangunan)"), default=0)
    production_value = models.BigIntegerField(_("nilai produksi per tahun"), default=0)
    data_year = models.PositiveSmallIntegerField(_("tahun pendataan"))
    satker = models.ForeignKey(
        Satker, verbose_name=_("satker pendata"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        Sentra, verbose_name=_("sentra"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="members",
    )  # fmt: skip
    # Derived from workers and investment (DOMAIN.md rule) by the service that writes; stored
    # so the registry can be filtered and counted by it with an index.
    size_class = models.CharField(_("skala usaha"), max_length=8, choices=SizeClass.choices, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("IKM")
        verbose_name_plural = pgettext_lazy("jamak", "registri IKM")
        ordering = ["name_normalized", "id"]
        constraints = [
            models.CheckConstraint(name="enterprise_nib_13_digits", condition=NIB_CHECK),
            models.CheckConstraint(
                name="enterprise_kbli_manufacturing", condition=Q(kbli__regex=r"^(1[0-9]|2[0-9]|3[0-3])[0-9]{3}$")
            ),
            models.CheckConstraint(
                name="enterprise_money_not_negative", condition=Q(investment__gte=0, production_value__gte=0)
            ),
        ]
        # The registry list is in (name, id) order (keyset pagination), filtered by province,
        # regency, KBLI or KBLI group, size class and data year, or searched by name. Each of the
        # first four has an index in that order, so a page reads its index from the cursor on;
        # every index also carries the other filters' columns (as key columns after the unique
        # id: they change no order, and unlike INCLUDE they exist on SQLite too), so the list's
        # query can check them in the index alone (an index-only scan) and reads table rows only
        # for the page itself. The KBLI groups have one partial index each because the list
        # filters them with ``kbli LIKE '10%'``, a condition PostgreSQL matches to the index's
        # predicate. The reports read RegistrySummary, not these rows. PostgreSQL also has a
        # trigram index on the normalised name for the name search (migration 0002, not declared
        # here: SQLite has no such index).
        indexes = [
            models.Index(
                fields=["name_normalized", "id", "province", "kbli", "size_class", "data_year"],
                name="enterprise_name_idx",
            ),
            models.Index(
                fields=["province", "name_normalized", "id", "kbli", "size_class", "data_year"],
                name="enterprise_province_name_idx",
            ),
            models.Index(
                fields=["regency", "name_normalized", "id", "kbli", "size_class", "data_year"],
                name="enterprise_regency_name_idx",
            ),
            models.Index(
                fields=["kbli", "name_normalized", "id", "province", "size_class", "data_year"],
                name="enterprise_kbli_name_idx",
            ),
            *(
                models.Index(
                    fields=["name_normalized", "id", "province", "size_class", "data_year"],
                    condition=Q(kbli__startswith=group),
                    name=f"enterprise_kbli{group}_name_idx",
                )
                for group in KBLI_GROUP_CODES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nib or '-'})"

    @property
    def workers(self) -> int:
        return self.workers_male + self.workers_female

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id)


class RegistrySummary(models.Model):
    """The registry's totals per province, data year and KBLI group (two-digit division): how
    many enterprises, of which size class, with how many workers, how much investment and
    production value.

    Kept current by every write of Enterprise, in the writer's own transaction
    (``programs.registry.summary``): the IKM report and the registry list's count read these
    few thousand rows instead of aggregating millions of enterprises, and still show a change
    in the next request. A key whose enterprises are all gone keeps a row of zeros; readers
    skip it. ``rebuild_registry_summary`` (a management command) recomputes the table from the
    enterprises, for repair only."""

    province = models.ForeignKey("budgets.Province", on_delete=models.PROTECT, related_name="+", db_index=False)
    data_year = models.PositiveSmallIntegerField()
    kbli_group = models.CharField(max_length=2)
    enterprises = models.BigIntegerField(default=0)
    small = models.BigIntegerField(default=0)
    medium = models.BigIntegerField(default=0)
    large = models.BigIntegerField(default=0)
    workers_male = models.BigIntegerField(default=0)
    workers_female = models.BigIntegerField(default=0)
    investment = models.BigIntegerField(default=0)
    production_value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ringkasan registri IKM")
        verbose_name_plural = pgettext_lazy("jamak", "ringkasan registri IKM")
        constraints = [
            # Also the index of the province filter (its leading column).
            models.UniqueConstraint(fields=["province", "data_year", "kbli_group"], name="registry_summary_key"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.data_year} {self.kbli_group}: {self.enterprises}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id)
