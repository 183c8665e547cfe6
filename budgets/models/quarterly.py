"""The quarterly and year-end report of a DK/TP satker (PP 7/2008 art. 29-31; PP 39/2006 Form C):
absorption and output against the quarter's target, the obstacles met and their proposed
follow-up, prepared by the officer, verified and signed by the Kepala Dinas (or the acting head),
approved by the directorate. Its figures are never stored: they are read from the approved
monthly reports (budgets/reports/quarterly.py).

Obstacles belong to the satker: one is first reported in a report (``opened_in``) and stays open,
reported again in every later report (``reported_in``), until it is closed with its outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgets.models.execution import MonthlyReport, Transition, satker_scope
from budgets.models.master import FiscalYear, Satker

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class QuarterlyReport(models.Model):
    """A satker's report of one quarter (TW I-IV) or of the whole year (year-end)."""

    Status = MonthlyReport.Status

    class Kind(models.TextChoices):
        QUARTER = "QUARTER", _("Triwulan")
        YEAR_END = "YEAR_END", _("Akhir tahun")

    satker = models.ForeignKey(
        Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    kind = models.CharField(_("jenis laporan"), max_length=10, choices=Kind.choices, default=Kind.QUARTER)
    # 1-4; the year-end report stands at the fourth quarter (its figures are the year's).
    period = models.PositiveSmallIntegerField(
        _("triwulan"), choices=[(q, format_lazy(_("TW {}"), r)) for q, r in ROMAN.items()]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField(_("batas waktu"))
    narrative = models.TextField(_("uraian singkat"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diajukan oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # When the province sent it (the step FiscalYear.timeliness_step names, first done), and
    # whether that was by the due date.
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    sent_on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diverifikasi oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    verified_under = models.ForeignKey(
        "accounts.Delegation", verbose_name=_("sebagai pelaksana"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    # The figures as the head verified and signed them (budgets.reports.quarterly.figures_snapshot):
    # the document keeps them if an approved month is reopened later. None until verified, and
    # again after a return.
    signed_figures = models.JSONField(_("angka saat diverifikasi"), null=True, blank=True, editable=False,
                                      encoder=DjangoJSONEncoder)  # fmt: skip
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan triwulanan")
        verbose_name_plural = pgettext_lazy("jamak", "laporan triwulanan")
        ordering = ["fiscal_year", "period", "kind", "satker"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "kind", "period"], name="quarterly_report_once_per_period"
            ),
            models.CheckConstraint(name="quarterly_report_period_1_4", condition=Q(period__gte=1, period__lte=4)),
            models.CheckConstraint(name="quarterly_report_year_end_at_q4", condition=~Q(kind="YEAR_END") | Q(period=4)),
        ]
        indexes = [models.Index(fields=["fiscal_year", "period", "status"], name="quarterly_status_idx")]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year} {self.period_label}"

    @property
    def is_year_end(self) -> bool:
        return self.kind == self.Kind.YEAR_END

    @property
    def period_label(self) -> str:
        if self.is_year_end:
            return gettext("Akhir tahun")
        return gettext("TW %(roman)s") % {"roman": ROMAN[self.period]}

    @property
    def url_period(self) -> str:
        """The period as the page's URL names it: 1-4, or ``year-end``."""
        return "year-end" if self.is_year_end else str(self.period)

    @property
    def sequence(self) -> tuple[int, int]:
        """Order of the reports in time: the year-end report comes after the fourth quarter."""
        return self.fiscal_year.year, 5 if self.is_year_end else self.period

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.VERIFIED, self.Status.APPROVED}

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class QuarterlyTransition(Transition):
    """A quarterly report's step."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = _("riwayat status laporan triwulanan")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat status laporan triwulanan")


class Obstacle(models.Model):
    """A problem met in carrying out the budget, its proposed follow-up and, once closed, what
    came of it."""

    class Category(models.TextChoices):
        BLOKIR = "BLOKIR", _("Blokir anggaran")
        PROCUREMENT = "PROCUREMENT", _("Pengadaan barang/jasa")
        REVISION = "REVISION", _("Revisi anggaran")
        STAFF = "STAFF", _("SDM/pegawai")
        REGULATION = "REGULATION", _("Regulasi/juknis")
        DISASTER = "DISASTER", _("Cuaca/bencana")
        PARTICIPANTS = "PARTICIPANTS", _("Peserta/IKM")
        OTHER = "OTHER", _("Lainnya")

    class State(models.TextChoices):
        OPEN = "OPEN", _("Terbuka")
        IN_PROGRESS = "IN_PROGRESS", _("Dalam tindak lanjut")
        CLOSED = "CLOSED", _("Selesai")

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="obstacles")
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    description = models.TextField(_("uraian kendala"))
    amount_at_risk = models.BigIntegerField(_("anggaran terdampak (Rp)"), default=0)
    follow_up = models.TextField(_("usulan tindak lanjut"))
    owner = models.CharField(_("penanggung jawab"), max_length=200)
    target_date = models.DateField(_("target selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.OPEN)
    outcome = models.TextField(_("hasil tindak lanjut"), blank=True)
    # Whether the follow-up solved the problem (None while open).
    resolved = models.BooleanField(_("tindak lanjut berhasil"), null=True, blank=True)
    opened_in = models.ForeignKey(
        QuarterlyReport, verbose_name=_("pertama dilaporkan di"), on_delete=models.PROTECT, related_name="opened"
    )
    reported_in = models.ManyToManyField(
        QuarterlyReport, verbose_name=_("dilaporkan di"), related_name="obstacles", blank=True
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kendala")
        verbose_name_plural = pgettext_lazy("jamak", "kendala")
        ordering = ["satker", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(name="obstacle_amount_not_negative", condition=Q(amount_at_risk__gte=0)),
            models.CheckConstraint(
                name="obstacle_closed_has_outcome",
                condition=~Q(status="CLOSED") | (~Q(outcome="") & Q(resolved__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["status", "category"], name="obstacle_status_idx")]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.get_category_display()}: {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status != self.State.CLOSED

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)
