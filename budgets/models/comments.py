"""Comments on one line of a monthly report, and the lines a return names to fix (issue 22).

A thread is opened by a reviewer (the province's head, the directorate) on one realization line
or one RO row of a report; replies belong to the thread; whoever opened it resolves it. A return
may name the lines and RO rows to fix (``ReturnTarget``, one row per target of that return): while
the report is RETURNED only those are open (budgets/services/editability.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.models.execution import BudgetLine, MonthlyReport, ReportTransition
from budgets.models.outputs import Output

# Exactly one target: a realization line or an RO row.
ONE_TARGET = Q(line__isnull=False, output__isnull=True) | Q(line__isnull=True, output__isnull=False)


class LineComment(models.Model):
    """A thread's opening comment (``thread`` empty) or a reply to it (``thread`` set). Replies
    carry their thread's target, so a line's comments are one filter."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="line_comments"
    )
    line = models.ForeignKey(BudgetLine, verbose_name=_("baris pagu"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="comments")  # fmt: skip
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="comments")  # fmt: skip
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
    """A line or RO row a return asked to fix; the latest return's targets are the ones that count."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.CASCADE, related_name="return_targets"
    )
    transition = models.ForeignKey(ReportTransition, verbose_name=_("pengembalian"), on_delete=models.CASCADE,
                                   related_name="targets")  # fmt: skip
    line = models.ForeignKey(BudgetLine, verbose_name=_("baris pagu"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")  # fmt: skip
    output = models.ForeignKey(Output, verbose_name=_("RO"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("baris yang diminta diperbaiki")
        verbose_name_plural = pgettext_lazy("jamak", "baris yang diminta diperbaiki")
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="return_target_one_target"),
            models.UniqueConstraint(fields=["transition", "line"], name="return_target_line_once"),
            models.UniqueConstraint(fields=["transition", "output"], name="return_target_output_once"),
        ]

    def __str__(self) -> str:
        return f"{self.transition_id}: {self.line_id or self.output_id}"
