"""Evidence (bukti dukung): a file behind a figure (SP2D, BAST, photo, certificate ...) attached
to a month's realization row, an RO row, a programme record, an obstacle or a quarterly report.

The target is generic (content type + id); the satker, year, month and the report whose status
locks it are copied from the target when it is attached (budgets/evidence_targets.py), so lists,
scoping and completeness need no join through the target. Files live on
``settings.STORAGES["evidence"]`` under generated names; removing evidence is a soft delete (the
row, its history and its file stay).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import MonthlyReport, satker_scope
from budgets.models.master import FiscalYear, Satker
from budgets.models.quarterly import QuarterlyReport
from core.files.storage import AliasedStorage
from core.formats import MONTH_CHOICES


def evidence_storage() -> AliasedStorage:
    return AliasedStorage("evidence")


class EvidenceQuerySet(models.QuerySet):
    def live(self) -> EvidenceQuerySet:
        return self.filter(removed_at__isnull=True)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        SP2D = "SP2D", _("SP2D")
        SPM = "SPM", _("SPM")
        BAST = "BAST", _("BAST")
        PHOTO = "PHOTO", _("Foto")
        ATTENDANCE = "ATTENDANCE", _("Daftar hadir")
        CERTIFICATE = "CERTIFICATE", _("Sertifikat")
        DECREE = "DECREE", _("SK")
        REPORT = "REPORT", _("Laporan")
        OTHER = "OTHER", _("Lainnya")

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="evidence")
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES, null=True, blank=True)
    monthly_report = models.ForeignKey(MonthlyReport, verbose_name=_("laporan bulanan"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="evidence")  # fmt: skip
    quarterly_report = models.ForeignKey(QuarterlyReport, verbose_name=_("laporan triwulanan"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="evidence")  # fmt: skip
    target_type = models.ForeignKey(ContentType, verbose_name=_("jenis sasaran"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    target_id = models.PositiveBigIntegerField(_("id sasaran"))
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("jenis bukti"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    file = models.FileField(_("berkas"), storage=evidence_storage, max_length=100)
    original_name = models.CharField(_("nama berkas asli"), max_length=150, blank=True)
    content_type = models.CharField(_("tipe isi"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"),
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dihapus oleh"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "bukti dukung")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="evidence_month_1_12", condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12)
            ),
            models.CheckConstraint(
                name="evidence_removed_has_who", condition=Q(removed_at__isnull=True) | Q(removed_by__isnull=False)
            ),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="evidence_target_idx"),
            models.Index(fields=["fiscal_year", "satker", "month"], name="evidence_satker_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)
