"""The signed-in home page: what each role starts its day with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from budgets.models import MonthlyReport, Province, Satker
from budgets.selectors import current_fiscal_year, satker_count_by_authority
from ikmsite.accounts.access import data_access_required
from ikmsite.accounts.scoping import scoped


@data_access_required()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    fiscal_year = current_fiscal_year()
    context: dict[str, object] = {"fiscal_year": fiscal_year}
    if user.is_officer:
        context["province"] = user.province
        context["satkers"] = scoped(Satker.objects.order_by("code"), user)
    else:
        # Realization figures join this overview with the budget execution and reports issues.
        context["province_count"] = scoped(Province.objects.all(), user).count()
        context["satker_count"] = scoped(Satker.objects.all(), user).count()
        context["pending_reviews"] = scoped(
            MonthlyReport.objects.filter(status=MonthlyReport.Status.SUBMITTED), user
        ).count()
        if fiscal_year is not None:
            context["authority_counts"] = satker_count_by_authority(user=user, fiscal_year=fiscal_year)
    return render(request, "home.html", context)
