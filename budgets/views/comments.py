"""Comments on one line, RO row or programme record of a monthly report: the report page's
section (context) and its three POST-only actions (open a thread, answer, resolve), each back to
the report page. The report is fetched through the scoping gate (another province's report or
thread: 404); who may act is the service's rule (budgets/services/comments.py), a refusal of the
role is a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404
from budgets.comment_forms import CommentAnswerForm, CommentOpenForm
from budgets.models import BudgetLine, LineComment, MonthlyReport
from budgets.ro_entry import dipa_outputs
from budgets.selectors_comments import (
    last_return_targets,
    record_label,
    records_changed_since,
    report_record_rows,
    report_threads,
)
from budgets.services.comments import (
    comment_answer,
    comment_open,
    comment_resolve,
    ensure_may_answer,
    ensure_may_open,
    may_answer,
    may_comment_as_reviewer,
)


def comments_context(
    report: MonthlyReport,
    user: Any,
    lines: list[BudgetLine],
    outputs: list[Any],
    changes: list[dict] | None,
    transitions: list[Any] | None = None,
) -> dict[str, Any]:
    """The section's context: threads, open threads per line, RO and programme record, the forms
    the user may use, and the latest return's targets with whether each changed since
    (``changes``: the report page's changes since the previous submission, i.e. since the
    return; a record: its history since the return; ``transitions``: the report's, in order,
    when the page has them). A fixed number of queries."""
    found = report_threads(report)
    last_return, targets = last_return_targets(report, transitions)
    reviewer = may_comment_as_reviewer(user, report)
    changed = {change["line"].pk for change in changes or ()}
    records = report_record_rows(report)
    by_key = {row.key: row for row in records}
    for thread in found["threads"]:
        if thread.record_type_id:
            thread.record_label = record_label((thread.record_type_id, thread.record_id), by_key)
    record_keys = [(target.record_type_id, target.record_id) for target in targets if target.record_type_id]
    records_changed = records_changed_since(record_keys, last_return.at) if record_keys else set()

    def target_item(target: Any) -> dict[str, Any]:
        if target.record_type_id:
            key = (target.record_type_id, target.record_id)
            return {"target": target, "record_label": record_label(key, by_key), "changed": key in records_changed}
        return {"target": target, "changed": target.line_id in changed if target.line_id else None}

    return {
        "comment_threads": found["threads"],
        "comment_lines": [(line, found["open_per_line"].get(line.pk, 0)) for line in lines],
        "comment_outputs": [(output, found["open_per_output"].get(output.pk, 0)) for output in outputs],
        # Records only with open threads: a month may hold a thousand records (a line per record
        # would drown the lines and RO rows); any record can still be picked in the form.
        "comment_records": [(row, count) for row in records if (count := found["open_per_record"].get(row.key, 0))],
        "comment_records_quiet": sum(1 for row in records if not found["open_per_record"].get(row.key)),
        "comment_record_rows": records,
        "comment_open_form": CommentOpenForm(lines=lines, outputs=outputs, records=records) if reviewer else None,
        "comment_may_answer": may_answer(user, report, reviewer=reviewer),
        "return_targets": [target_item(target) for target in targets] if last_return else [],
    }


def _back(report: MonthlyReport) -> HttpResponse:
    return redirect(reverse("budgets:report-detail", args=[report.pk]) + "#komentar")


def _report(request: HttpRequest, pk: int) -> MonthlyReport:
    return get_scoped_or_404(
        MonthlyReport.objects.select_related("satker__province", "fiscal_year"), request.user, pk=pk
    )


def _thread(report: MonthlyReport, thread: int) -> LineComment:
    return get_object_or_404(LineComment, report=report, pk=thread, thread__isnull=True)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@data_access_required()
@require_POST
def comment_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    ensure_may_open(request.user, report)
    lines = list(BudgetLine.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year)
                 .select_related("component", "account"))  # fmt: skip
    outputs = list(dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year))
    form = CommentOpenForm(request.POST, lines=lines, outputs=outputs, records=report_record_rows(report))
    if form.is_valid():
        try:
            comment_open(report=report, target=form.target_object(), body=form.cleaned_data["body"], by=request.user)
            messages.success(request, _("Komentar dibuka pada baris yang dipilih."))
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Komentar belum dibuka: pilih baris dan tuliskan komentar."))
    return _back(report)


@data_access_required()
@require_POST
def comment_answer_view(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    report = _report(request, pk)
    found = _thread(report, thread)
    ensure_may_answer(request.user, report)
    form = CommentAnswerForm(request.POST)
    if form.is_valid():
        try:
            comment_answer(thread=found, body=form.cleaned_data["body"], by=request.user)
            messages.success(request, _("Jawaban disimpan."))
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Jawaban belum disimpan: tuliskan jawaban."))
    return _back(report)


@data_access_required()
@require_POST
def comment_resolve_view(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        comment_resolve(thread=_thread(report, thread), by=request.user)
        messages.success(request, _("Komentar diselesaikan."))
    except ValidationError as error:
        _refused(request, error)
    return _back(report)
