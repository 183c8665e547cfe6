"""Data-quality flags of a monthly report: figures that look wrong, raised for follow-up (never a
refusal). The rules are budgets/quality.py's and those the apps above name in settings
(``MONTHLY_REPORT_QUALITY_CHECKS``); budgets/services/quality.py keeps the flags in step with the
data and records the reviewer's decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import MonthlyReport, satker_scope
from core.messages import render, render_stored


class QualityFlag(models.Model):
    """One finding of one rule on one target (a budget line, a spending type, a record, or the
    satker's month) of a report. ``target_key`` names the target stably ("budgets.spendingtype:7",
    "satker"), so recomputing finds the same flag again and keeps its decision."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Terbuka")
        EXPLAINED = "EXPLAINED", _("Sudah dijelaskan")
        TO_FIX = "TO_FIX", _("Perlu diperbaiki")

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="quality_flags"
    )
    code = models.CharField(_("kode"), max_length=32)
    target_key = models.CharField(_("kunci sasaran"), max_length=100)
    target_label = models.CharField(_("sasaran"), max_length=300)
    # The label's message id and parameters (core/messages.py), so that its words follow the
    # reader's language (``target_label_text``); names of things stay as written. Empty for rows
    # from before: those show ``target_label``.
    target_label_message = models.JSONField(_("pesan sasaran"), blank=True, default=dict)
    target_type = models.ForeignKey(ContentType, verbose_name=_("jenis sasaran"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    target_id = models.PositiveBigIntegerField(_("ID sasaran"), null=True, blank=True)
    # The reason as found, in the site's language (LANGUAGE_CODE): the record kept for search, the
    # admin and the history. Shown through ``reason_text``: the message id and its parameters
    # (core/messages.py) rendered in the reader's language; rows from before they were stored
    # (no message id) show ``reason``.
    reason = models.TextField(_("alasan"))
    reason_msgid = models.TextField(_("ID pesan alasan"), blank=True, default="")
    reason_params = models.JSONField(_("parameter alasan"), blank=True, default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Set when a refresh no longer finds a decided flag in the data (fixed, or the figures moved):
    # the decision is kept as a record; cleared if the finding comes back. Open flags that are
    # no longer found are deleted instead (nobody has acted on them).
    gone_at = models.DateTimeField(_("tidak ditemukan lagi pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tanda kualitas data")
        verbose_name_plural = pgettext_lazy("jamak", "tanda kualitas data")
        ordering = ["report", "code", "target_label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code", "target_key"], name="quality_flag_once_per_target"),
            models.CheckConstraint(
                condition=Q(status="OPEN", decided_at__isnull=True)
                | (~Q(status="OPEN") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="quality_flag_decided_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.code} {self.target_label}"

    @property
    def target_label_text(self) -> str:
        """The target's label in the active language (the stored ``target_label`` for rows without a message)."""
        return render_stored(self.target_label_message, self.target_label)

    @property
    def reason_text(self) -> str:
        """The reason in the active language (the stored ``reason`` for rows without a message id)."""
        if not self.reason_msgid:
            return self.reason
        try:
            return render(self.reason_msgid, self.reason_params)
        except (KeyError, TypeError, ValueError):  # a translation or parameters that do not fit
            return self.reason

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.gone_at is None

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")
