"""What a provincial officer does every month: the satker-year overview, the realization grid
of a month and the RPD grid."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import data_access_required
from budgets.calendar import as_of_month, last_started_month
from budgets.forms import RealizationGridForm, RpdGridForm, line_field_name, rpd_field_name
from budgets.models import MonthlyReport, Satker
from budgets.reports.queries import RealizationFilter
from budgets.reports.ro import ro_of_satkers
from budgets.selectors import pagu_summary, realization_grid, rpd_grid, rpd_versions, satker_months
from budgets.selectors_comments import open_threads_by_line
from budgets.services import realization_set, report_submit, rpd_editability, rpd_frozen_note, rpd_set
from budgets.services.editability import line_lock, month_editability, returned_targets, submit_lock
from budgets.views.common import add_service_errors, month_or_404, satker_year_or_404
from budgets.views.quarterly import quarterly_links
from core.formats import MONTH_CHOICES, MONTH_NAMES

# Session key: which grid was just saved (its browser draft is then discarded).
DRAFT_SAVED = "entry_draft_saved"


@data_access_required()
def satker_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    summary = pagu_summary(satker=satker, fiscal_year=fiscal_year)
    months = satker_months(satker=satker, fiscal_year=fiscal_year)
    realized = months[-1]["realisasi_kumulatif"]
    # Months that have not started get no entry link.
    today = timezone.localdate()
    current_month = last_started_month(fiscal_year.year, today)
    # RO figures as the RO report has them (approved months up to the last completed one).
    ro_month = as_of_month(fiscal_year.year, today)
    ro_filter = RealizationFilter(year=fiscal_year.year, month=ro_month, satkers=Satker.objects.filter(pk=satker.pk))
    return render(request, "budgets/satker_year.html", {
        "satker": satker,
        "fiscal_year": fiscal_year,
        "can_edit": can_edit,
        "summary": summary,
        "realized": realized,
        "months": months,
        "current_month": current_month,
        "ro_rows": ro_of_satkers(ro_filter, today=today),
        "ro_month": MONTH_NAMES[ro_month],
        "quarterly": quarterly_links(satker, fiscal_year),
    })  # fmt: skip


@data_access_required()
def realization_entry(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    report = MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, month=month).first()
    lines = realization_grid(satker=satker, fiscal_year=fiscal_year, month=month)
    locked_reason = month_editability(fiscal_year=fiscal_year, month=month, report=report, today=timezone.localdate())
    editable = can_edit and locked_reason is None
    not_yet = submit_lock(fiscal_year=fiscal_year, month=month, today=timezone.localdate()) if editable else None
    initial = {"version": report.version if report else 0}
    initial.update({line_field_name(line.pk): line.this_month for line in lines})
    # A return that named lines to fix opens only those (editability.returned_targets).
    targets = returned_targets(report) if editable else None
    not_targeted = {line.pk: line_lock(targets, line_id=line.pk) for line in lines} if targets else {}
    locked = frozenset(pk for pk, reason in not_targeted.items() if reason)

    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RealizationGridForm(request.POST, lines=lines, locked=locked, initial=initial)
        submitting = request.POST.get("action") == "submit"
        if submitting and not_yet:
            # Nothing is saved: the officer asked for both, and half of it cannot be done.
            form.is_valid()
            form.add_error(None, not_yet)
        field_for_key = {f"line-{line.pk}": line_field_name(line.pk) for line in lines}
        if not form.is_valid():
            # Every problem of this save at once: the lines that were typed right are checked
            # against their pagu now, not only after the typing mistakes are fixed and saved again.
            problems = _realization_problems(form, satker=satker, fiscal_year=fiscal_year, month=month, by=request.user)
            if problems is not None:
                add_service_errors(form, problems, field_for_key)
        else:
            try:
                # Saved and submitted together or not at all: a refused submission (an RO row still
                # missing) keeps nothing, as the form says.
                with transaction.atomic():
                    report = realization_set(
                        satker=satker, fiscal_year=fiscal_year, month=month, amounts=form.amounts(),
                        expected_version=form.cleaned_data["version"], by=request.user,
                    )  # fmt: skip
                    if submitting:
                        report_submit(report=report, by=request.user, expected_version=report.version)
                if submitting:
                    messages.success(request, _("Realisasi %(month)s disimpan dan laporan diajukan untuk ditinjau.")
                                     % {"month": MONTH_NAMES[month]})  # fmt: skip
                    return redirect("budgets:report-detail", pk=report.pk)
                messages.success(request, _("Realisasi %(month)s disimpan.") % {"month": MONTH_NAMES[month]})
                # The browser's draft of this month (static/js/entry_draft.js) is stored now: the
                # next page tells it to let go.
                request.session[DRAFT_SAVED] = f"{satker.code}:{fiscal_year.year}:{month}"
                return redirect("budgets:realization-entry", code=satker.code, year=fiscal_year.year, month=month)
            except ValidationError as error:
                add_service_errors(form, error, field_for_key)
        messages.error(request, _("Realisasi belum disimpan: periksa pesan pada baris yang ditandai."))
    else:
        form = RealizationGridForm(lines=lines, locked=locked, initial=initial)

    threads = open_threads_by_line(report) if report is not None else {}
    rows = [{"line": line, "field": form[line_field_name(line.pk)], "not_targeted": not_targeted.get(line.pk),
             "threads": threads.get(line.pk, [])} for line in lines]  # fmt: skip
    # Above the grid, every line with a problem (a link to its cell): on a phone the marked rows
    # are far apart.
    error_summary = [{"line": row["line"], "id": row["field"].auto_id, "errors": row["field"].errors}
                     for row in rows if row["field"].errors]  # fmt: skip
    totals = {
        "pagu_efektif": sum(line.pagu_efektif for line in lines),
        "before": sum(line.before for line in lines),
        "this_month": sum(line.this_month for line in lines),
        "remaining": sum(line.remaining for line in lines),
    }
    return_comment = None
    if report is not None and report.status == MonthlyReport.Status.RETURNED:
        last = report.transitions.filter(to_status=MonthlyReport.Status.RETURNED).order_by("-at", "-pk").first()
        return_comment = last.comment if last else None
    return render(request, "budgets/realization_entry.html", {
        "satker": satker, "fiscal_year": fiscal_year, "month": month, "month_name": MONTH_NAMES[month],
        "report": report, "form": form, "rows": rows, "totals": totals, "editable": editable,
        "can_edit": can_edit, "locked_reason": locked_reason, "return_comment": return_comment,
        "submit_lock": not_yet, "error_summary": error_summary,
        "draft_key": f"ikma-draft:{request.user.pk}:realization:{satker.code}:{fiscal_year.year}:{month}",
        "draft_saved": request.session.pop(DRAFT_SAVED, None) == f"{satker.code}:{fiscal_year.year}:{month}",
        "previous_month": month - 1 if month > 1 else None, "next_month": month + 1 if month < 12 else None,
    })  # fmt: skip


class _DryRun(Exception):
    """Rolls back a trial run of realization_set that found nothing wrong."""


def _realization_problems(form: RealizationGridForm, *, satker: Satker, fiscal_year, month: int,
                          by) -> ValidationError | None:  # fmt: skip
    """The business checks (pagu, returned lines, the version) of the lines that parsed, when
    other lines did not: realization_set itself runs on them inside a transaction that is rolled
    back, so the rules are the service's, not a copy that could drift."""
    version = form.cleaned_data.get("version")
    if version is None:
        return None
    parsed = {line.pk: form.cleaned_data[line_field_name(line.pk)] or 0 for line in form.lines
              if line_field_name(line.pk) in form.cleaned_data}  # fmt: skip
    try:
        with transaction.atomic():
            realization_set(satker=satker, fiscal_year=fiscal_year, month=month, amounts=parsed,
                            expected_version=version, by=by)  # fmt: skip
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as error:
        return error


def _rpd_row_problems(form: RpdGridForm, initial: dict, *, satker: Satker, fiscal_year, by) -> dict[str, list[str]]:
    """The per-type errors rpd_set finds (the 12 months against the type's pagu) for the types whose
    12 cells all parsed; a cell with a typing mistake stands in with its stored amount for the trial
    run (rolled back) and its type's total is not judged, as it is not known yet."""
    typed = {name: form.cleaned_data.get(name, initial.get(name)) or 0 for name in form.fields}
    unread = {st for st in form.spending_type_ids for month in range(1, 13)
              if rpd_field_name(st, month) not in form.cleaned_data}  # fmt: skip
    plan = {(st, month): typed[rpd_field_name(st, month)] for st in form.spending_type_ids for month in range(1, 13)}
    try:
        with transaction.atomic():
            rpd_set(satker=satker, fiscal_year=fiscal_year, plan=plan, by=by)
            raise _DryRun
    except _DryRun:
        return {}
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return {}
        return {key: messages for key, messages in error.message_dict.items()
                if key.startswith("type-") and int(key.removeprefix("type-")) not in unread}  # fmt: skip


@data_access_required()
def rpd_entry(request: HttpRequest, code: str, year: int) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    rows = rpd_grid(satker=satker, fiscal_year=fiscal_year)
    row_errors: dict[str, list[str]] = {}
    editability = rpd_editability(satker=satker, fiscal_year=fiscal_year, today=timezone.localdate())
    spending_type_ids = [row["spending_type"].pk for row in rows]
    names = {row["spending_type"].pk: f"{row['spending_type'].code} {row['spending_type'].name}" for row in rows}
    initial = {
        rpd_field_name(row["spending_type"].pk, month): amount
        for row in rows
        for month, amount in enumerate(row["months"], start=1)
    }
    # A change keeps the months already begun; the server's stored amounts stand for them.
    frozen = editability.frozen_months if editability.allowed else range(1, 1)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RpdGridForm(
            request.POST, spending_type_ids=spending_type_ids, frozen_months=frozen, initial=initial, names=names
        )
        if not form.is_valid():
            # As in the realization grid: the totals of the spending types typed right are checked
            # in the same save as the typing mistakes.
            row_errors = _rpd_row_problems(form, initial, satker=satker, fiscal_year=fiscal_year, by=request.user)
        else:
            try:
                rpd_set(satker=satker, fiscal_year=fiscal_year, plan=form.plan(), by=request.user)
                messages.success(request, _("RPD %(year)s disimpan.") % {"year": fiscal_year.year})
                request.session[DRAFT_SAVED] = f"rpd:{satker.code}:{fiscal_year.year}"  # see realization_entry
                return redirect("budgets:rpd-entry", code=satker.code, year=fiscal_year.year)
            except ValidationError as error:
                # Totals per spending type are shown on their row; anything else above the grid.
                if hasattr(error, "error_dict"):
                    row_errors = {k: v for k, v in error.message_dict.items() if k.startswith("type-")}
                    rest = {k: v for k, v in error.message_dict.items() if not k.startswith("type-")}
                    if rest:
                        add_service_errors(form, ValidationError(rest))
                else:
                    add_service_errors(form, error)
        messages.error(request, _("RPD belum disimpan: periksa pesan yang ditandai."))
    else:
        form = RpdGridForm(spending_type_ids=spending_type_ids, frozen_months=frozen, initial=initial, names=names)
    grid = [
        {
            **row,
            "cells": [form[rpd_field_name(row["spending_type"].pk, month)] for month in range(1, 13)],
            "errors": row_errors.get(f"type-{row['spending_type'].pk}", []),
        }
        for row in rows
    ]
    totals = {
        "pagu_efektif": sum(row["pagu_efektif"] for row in rows),
        "months": [sum(column) for column in zip(*(row["months"] for row in rows), strict=True)],
        "total": sum(row["total"] for row in rows),
    }
    editable = can_edit and editability.allowed
    return render(request, "budgets/rpd_entry.html", {
        "satker": satker, "fiscal_year": fiscal_year, "form": form, "grid": grid, "totals": totals,
        "editable": editable, "can_edit": can_edit, "editability": editability,
        "months": [(month, label, month in frozen) for month, label in MONTH_CHOICES],
        "draft_key": f"ikma-draft:{request.user.pk}:rpd:{satker.code}:{fiscal_year.year}",
        "draft_saved": request.session.pop(DRAFT_SAVED, None) == f"rpd:{satker.code}:{fiscal_year.year}",
        "frozen_note": rpd_frozen_note(fiscal_year.year, frozen) if editable and frozen else "",
        "versions": rpd_versions(satker=satker, fiscal_year=fiscal_year),
    })  # fmt: skip
