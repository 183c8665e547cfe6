"""The signed-in home page (each role's dashboard) and the narrative summary download."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets.dashboard import directorate_dashboard, narrative_for, officer_dashboard, provinces_by_code
from budgets.models import FiscalYear, Satker
from budgets.narrative import narrative_paragraphs, narrative_text
from budgets.selectors import satker_count_by_authority
from ikmsite.accounts.access import data_access_required
from ikmsite.accounts.scoping import scoped
from ikmsite.forms import DashboardFilterForm, NarrativeForm


def bad_request(request: HttpRequest, form: Form) -> HttpResponse:
    messages = [str(message) for errors in form.errors.values() for message in errors]
    return render(request, "400.html", {"messages_400": messages}, status=400)


def _default_year(years: list[FiscalYear], today_year: int) -> FiscalYear | None:
    """The fiscal year of today (or the latest before it; the earliest when all are ahead)."""
    past = [fiscal_year for fiscal_year in years if fiscal_year.year <= today_year]
    if past:
        return max(past, key=lambda fiscal_year: fiscal_year.year)
    return min(years, key=lambda fiscal_year: fiscal_year.year, default=None)


@data_access_required()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    years = list(FiscalYear.objects.order_by("-year"))
    form = DashboardFilterForm(request.GET, years=[fiscal_year.year for fiscal_year in years])
    if not form.is_valid():
        return bad_request(request, form)
    wanted = form.cleaned_data["year"]
    fiscal_year = next((fy for fy in years if fy.year == wanted), None) if wanted else _default_year(years, today.year)
    language = translation.get_language() or "id"
    context: dict[str, object] = {"fiscal_year": fiscal_year, "form": form, "years": years}
    if fiscal_year is not None:
        provinces = provinces_by_code()
        figures = narrative_for(fiscal_year=fiscal_year, user=user, today=today, provinces=provinces)
        context["narrative_id"] = narrative_paragraphs(figures, "id")
        if language.startswith("en"):
            context["narrative_en"] = narrative_paragraphs(figures, "en")
    if user.is_officer:
        context["province"] = user.province
        if fiscal_year is not None:
            context["dashboard"] = officer_dashboard(
                user=user, fiscal_year=fiscal_year, today=today, years={fy.year: fy for fy in years}
            )
        else:
            context["satkers"] = scoped(Satker.objects.order_by("code"), user)
    else:
        context["satker_count"] = scoped(Satker.objects.all(), user).count()
        if fiscal_year is not None:
            context["authority_counts"] = satker_count_by_authority(user=user, fiscal_year=fiscal_year)
            context["dashboard"] = directorate_dashboard(
                user=user, fiscal_year=fiscal_year, authority=form.cleaned_data["authority"] or None, today=today
            )
    return render(request, "home.html", context)


@data_access_required()
def narrative(request: HttpRequest) -> HttpResponse:
    """The year's realization summary as a plain-text file, in Indonesian (default) or English."""
    today = timezone.localdate()
    years = list(FiscalYear.objects.order_by("-year"))
    form = NarrativeForm(request.GET, years=[fiscal_year.year for fiscal_year in years])
    if not form.is_valid():
        return bad_request(request, form)
    wanted = form.cleaned_data["year"]
    fiscal_year = next((fy for fy in years if fy.year == wanted), None) if wanted else _default_year(years, today.year)
    if fiscal_year is None:
        return render(request, "400.html", {"messages_400": [_("Belum ada tahun anggaran.")]}, status=400)
    language = form.cleaned_data["lang"] or "id"
    figures = narrative_for(fiscal_year=fiscal_year, user=request.user, today=today)
    response = HttpResponse(narrative_text(figures, language), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="narasi-realisasi-{fiscal_year.year}-{language}.txt"'
    response["Content-Language"] = language
    return response
