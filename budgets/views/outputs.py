"""The "Capaian RO" section of the monthly report page: what it shows, and what its one POST URL
does (save the month's rows, add or take back an adjustment). The URL's view is the report
page's (budgets.views.review.report_outputs_view): a refused form is shown on that page again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.models import MonthlyReport
from budgets.output_forms import RoAdjustmentForm, RoMonthForm, ro_field
from budgets.ro_entry import RoRow, month_rows
from budgets.services.common import ensure_can_edit_satker
from budgets.services.editability import line_lock, returned_targets
from budgets.services.outputs import output_achievement_set, output_adjustment_add, output_adjustment_delete
from budgets.views.common import add_service_errors


def _initial(report: MonthlyReport, rows: list[RoRow]) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": report.version}
    for ro in rows:
        if ro.row is not None:
            initial[ro_field(ro.output.pk, "volume")] = ro.row.volume
            initial[ro_field(ro.output.pk, "progress")] = ro.row.physical_progress
            initial[ro_field(ro.output.pk, "note")] = ro.row.note
    return initial


def outputs_context(report: MonthlyReport, can_edit: bool, forms: dict) -> dict[str, Any]:
    """The section's context for the report page (``forms``: bound forms to show again)."""
    rows = month_rows(report)
    outputs = [ro.output for ro in rows]
    month_form = forms.get("outputs") or RoMonthForm(outputs=outputs, initial=_initial(report, rows))
    # A return that named RO rows to fix opens only those (editability.returned_targets).
    targets = returned_targets(report) if can_edit else None
    locked = {ro.output.pk: line_lock(targets, output_id=ro.output.pk) for ro in rows} if targets else {}
    for output_id, reason in locked.items():
        for part in ("volume", "progress", "note") if reason else ():
            month_form.fields[ro_field(output_id, part)].widget.attrs.update({"readonly": True})
    adjust_form = forms.get("adjust") or RoAdjustmentForm(
        outputs=outputs, month=report.month, initial={"version": report.version}
    )
    return {
        "ro_rows": [
            {
                "ro": ro,
                "numbers": [month_form[ro_field(ro.output.pk, part)] for part in ("volume", "progress")],
                "note": month_form[ro_field(ro.output.pk, "note")],
                "not_targeted": locked.get(ro.output.pk),
            }
            for ro in rows
        ],
        "ro_form": month_form,
        "ro_adjust_form": adjust_form,
        "ro_adjustments": [adjustment for ro in rows for adjustment in ro.adjustments],
        "ro_can_edit": can_edit,
        "ro_can_adjust": can_edit and report.month > 1,
        "ro_differs": any(ro.differs for ro in rows),
    }


def _refused(request: HttpRequest, error: ValidationError, anchor: str) -> HttpResponse | None:
    """A refusal about the month rather than a field (it is locked, or saved by someone else in
    between): back to the page with the reason, where the form may no longer be shown."""
    if hasattr(error, "error_dict") and set(error.error_dict) != {"__all__"}:
        return None
    for message in error.messages:
        messages.error(request, message)
    return redirect(anchor)


def outputs_post(request: HttpRequest, report: MonthlyReport) -> HttpResponse | dict[str, Any]:
    """Run the POSTed action: a redirect to the section, or the bound forms to show again with
    their errors (nothing was saved)."""
    ensure_can_edit_satker(request.user, report.satker)
    action = request.POST.get("action", "save")
    anchor = reverse("budgets:report-detail", args=[report.pk]) + "#capaian-ro"
    outputs = [ro.output for ro in month_rows(report)]
    if action.startswith("delete-"):
        wanted = action.removeprefix("delete-")
        # (a number longer than any key is no key; the database would refuse to compare it)
        known = wanted.isascii() and wanted.isdigit() and len(wanted) < 19
        adjustment = report.ro_adjustments.filter(pk=int(wanted)).first() if known else None
        version = request.POST.get("version", "")
        if adjustment is None or not (version.isascii() and version.isdigit()):
            messages.error(request, _("Koreksi itu tidak ada pada laporan ini."))
            return redirect(anchor)
        try:
            output_adjustment_delete(adjustment=adjustment, expected_version=int(version), by=request.user)
        except ValidationError as error:
            return _refused(request, error, anchor) or redirect(anchor)
        messages.success(request, _("Koreksi capaian RO dihapus."))
        return redirect(anchor)

    if action == "adjust":
        form: RoAdjustmentForm | RoMonthForm = RoAdjustmentForm(request.POST, outputs=outputs, month=report.month)
        key = "adjust"
        if form.is_valid():
            data = form.cleaned_data
            try:
                output_adjustment_add(
                    report=report, output_id=data["output"], corrected_month=data["corrected_month"],
                    volume=data["volume"], reason=data["reason"], expected_version=data["version"], by=request.user,
                )  # fmt: skip
                messages.success(request, _("Koreksi capaian RO dicatat."))
                return redirect(anchor)
            except ValidationError as error:
                refused = _refused(request, error, anchor)
                if refused:
                    return refused
                add_service_errors(form, error)
    else:
        form = RoMonthForm(request.POST, outputs=outputs)
        key = "outputs"
        if form.is_valid():
            try:
                output_achievement_set(
                    satker=report.satker, fiscal_year=report.fiscal_year, month=report.month,
                    entries=form.entries(), expected_version=form.cleaned_data["version"], by=request.user,
                )  # fmt: skip
                messages.success(request, _("Capaian RO disimpan."))
                return redirect(anchor)
            except ValidationError as error:
                refused = _refused(request, error, anchor)
                if refused:
                    return refused
                add_service_errors(form, error)
    messages.error(request, _("Capaian RO belum disimpan: periksa pesan pada isian yang ditandai."))
    return {key: form}
