"""Comments on one line of a monthly report, and the lines a return names to fix (issue 22).

A thread is opened by a reviewer (the province's head, the directorate) on one realization line,
one RO row or one programme record of the report's month; replies belong to the thread; whoever
opened it resolves it. A return may name the lines, RO rows and programme records to fix
(``ReturnTarget``, one row per target of that return): while the report is RETURNED only those
are open (budgets/services/editability.py).

A programme record (WUB, poverty activity, facilitation: programs/, above budgets) is named
generically, by its content type and id (``record_type`` / ``record_id``), like an evidence
target: budgets never imports programs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import BudgetLine, MonthlyReport, ReportTransition
from budgets.models.outputs import Output

# Exactly one target: a realization line, an RO row or a programme record (type and id together).
_NO_RECORD = Q(record_type__isnull=True, record_id__isnull=True)
ONE_TARGET = (
    (Q(line__isnull=False, output__isnull=True) & _NO_RECORD)
    | (Q(line__isnull=True, output__isnull=False) & _NO_RECORD)
    | Q(line__isnull=True, output__isnull=True, record_type__isnull=False, record_id__isnull=False)
)


def _record_fields() -> tuple[models.ForeignKey, models.PositiveBigIntegerField]:
    return (
        models.ForeignKey(ContentType, verbose_name=_("jenis catatan program"), on_delete=models.PROTECT, null=True,
                          blank=True, related_name="+"),
        models.PositiveBigIntegerField(_("id catatan program"), null=True, blank=True),
    )  # fmt: skip


class LineComment(models.Model):
    """A thread's opening comment (``thread`` empty) or a reply to it (``thread`` set). Replies
    carry their thread's target (line, RO row or record), so a target's comments are one filter."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="line_comments"
    )
    line = models.ForeignKey(BudgetLine, verbose_name=_("baris pagu"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="comments")  # fmt: skip
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="comments")  # fmt: skip
    record_type, record_id = _record_fields()
    thread = models.ForeignKey("self", verbose_name=_("utas"), on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies")  # fmt: skip
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    body = models.TextField(_("komentar"), max_length=4000)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diselesaikan oleh"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komentar baris")
        verbose_name_plural = pgettext_lazy("jamak", "komentar baris")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="line_comment_one_target"),
            models.CheckConstraint(
                condition=Q(thread__isnull=True) | Q(resolved_at__isnull=True), name="line_comment_reply_not_resolved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.body[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReturnTarget(models.Model):
    """A line, RO row or programme record a return asked to fix; the latest return's targets are
    the ones that count."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="return_targets"
    )
    transition = models.ForeignKey(ReportTransition, verbose_name=_("pengembalian"), on_delete=models.CASCADE,
                                   related_name="targets")  # fmt: skip
    line = models.ForeignKey(BudgetLine, verbose_name=_("baris pagu"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")  # fmt: skip
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")  # fmt: skip
    record_type, record_id = _record_fields()

    class Meta:
        verbose_name = _("baris yang diminta diperbaiki")
        verbose_name_plural = pgettext_lazy("jamak", "baris yang diminta diperbaiki")
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="return_target_one_target"),
            models.UniqueConstraint(fields=["transition", "line"], name="return_target_line_once"),
            models.UniqueConstraint(fields=["transition", "output"], name="return_target_output_once"),
            models.UniqueConstraint(
                fields=["transition", "record_type", "record_id"], name="return_target_record_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transition_id}: {self.line_id or self.output_id or self.record_id}"
