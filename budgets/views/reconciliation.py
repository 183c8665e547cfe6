"""A satker's month set against the treasury's figure: per akun, what was entered and what
OM-SPAN/SAKTI reports, the difference and the totals (rules in budgets/reconciliation.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import data_access_required
from budgets.models import MonthlyReport, ReconciliationNote, TreasuryRealization
from budgets.reconciliation import reconcile
from budgets.views.common import month_or_404, satker_year_or_404
from core.formats import month_name


@data_access_required()
@require_safe
def reconciliation_page(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    report = MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, month=month).first()
    reconciliation = reconcile(satker_id=satker.pk, fiscal_year_id=fiscal_year.pk, month=month, report=report)
    latest = (
        TreasuryRealization.objects.filter(satker=satker, fiscal_year=fiscal_year, month=month)
        .order_by("-updated_at").values("source", "updated_at").first()
    )  # fmt: skip
    notes = (
        list(ReconciliationNote.objects.filter(report=report).select_related("by", "transition").order_by("at"))
        if report else []
    )  # fmt: skip
    return render(request, "budgets/reconciliation.html", {
        "satker": satker, "fiscal_year": fiscal_year, "month": month, "month_name": month_name(month),
        "report": report, "reconciliation": reconciliation, "latest": latest, "notes": notes,
    })  # fmt: skip
