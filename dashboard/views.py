"""The signed-in home page (each role's dashboard) and the narrative summary download.

A top app: it reads both domain apps (the realization from budgets, the programme outputs from
programs) and writes one narrative of them (dashboard/narrative/)."""

from __future__ import annotations

from datetime import date

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.access import data_access_required
from accounts.scoping import scoped
from budgets.calendar import as_of_month
from budgets.models import FiscalYear, Satker
from budgets.reports.queries import RealizationFilter
from budgets.reports.ro import ro_progress_by_province
from budgets.selectors import YearOption, satker_count_by_authority, year_options
from core import fresh_cache
from core.data_version import APPROVED
from dashboard.figures import (
    directorate_dashboard,
    narrative_for,
    officer_dashboard,
    programme_figures,
    provinces_by_code,
    provincial_ranking,
    with_review_counts,
)
from dashboard.forms import DashboardFilterForm, NarrativeForm
from dashboard.narrative.programmes import ProgrammeFigures, programme_paragraphs
from dashboard.narrative.realization import NarrativeFigures, narrative_paragraphs
from programs.records.report import output_kpis


def bad_request(request: HttpRequest, form: Form) -> HttpResponse:
    messages = [str(message) for errors in form.errors.values() for message in errors]
    return render(request, "400.html", {"messages_400": messages}, status=400)


def _programmes(figures: NarrativeFigures) -> ProgrammeFigures:
    """The programme outputs of the narrative's year, for the same provincial authority and date."""
    return programme_figures(year=figures.year, authority=figures.authority, as_of=figures.as_of)


def _paragraphs(figures: NarrativeFigures, programmes: ProgrammeFigures, language: str) -> list[str]:
    """The realization summary, then the programme outputs (as the directorate's statement does)."""
    return narrative_paragraphs(figures, language) + programme_paragraphs(programmes, language)


def _programme_dashboard(programmes: ProgrammeFigures, authority: str | None) -> dict[str, object]:
    """The dashboard's output figures: of all satkers, or of the authority the dashboard shows."""
    if authority is None:
        totals = programmes.directorate
    elif authority == programmes.authority and programmes.provincial is not None:
        totals = programmes.provincial
    else:
        month = programmes.as_of.month if programmes.as_of else None
        totals = output_kpis(year=programmes.year, authority=authority, month=month)
    query = f"?year={programmes.year}" + (f"&authority={authority}" if authority else "")
    return {
        "totals": totals,
        "report_url": reverse("reports:outputs") + query,
        "ovop_url": reverse("reports:ovop") + query,
    }


def _default_year(years: list[FiscalYear], today_year: int) -> FiscalYear | None:
    """The fiscal year of today (or the latest before it; the earliest when all are ahead)."""
    past = [fiscal_year for fiscal_year in years if fiscal_year.year <= today_year]
    if past:
        return max(past, key=lambda fiscal_year: fiscal_year.year)
    return min(years, key=lambda fiscal_year: fiscal_year.year, default=None)


@data_access_required()
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    options = year_options()  # the picker's order: years with data first (budgets.selectors)
    years = [option.fiscal_year for option in options]
    form = DashboardFilterForm(request.GET, years=[fiscal_year.year for fiscal_year in years])
    if not form.is_valid():
        return bad_request(request, form)
    wanted = form.cleaned_data["year"]
    fiscal_year = next((fy for fy in years if fy.year == wanted), None) if wanted else _default_year(years, today.year)
    # The figures are the page's whole cost and depend only on the data, the date, the language,
    # the query and what the user may see: cached under the data version (never stale).
    body = fresh_cache.cached(request, "home", lambda: _dashboard_body(request, form, options, fiscal_year, today),
                              params=form.fields)  # fmt: skip
    return render(request, "home.html", {"fiscal_year": fiscal_year, **body})


def _dashboard_body(request: HttpRequest, form: DashboardFilterForm, options: list[YearOption],
                    fiscal_year: FiscalYear | None, today: date) -> dict[str, object]:  # fmt: skip
    """The dashboard under the page title, rendered, and whether it draws charts."""
    user = request.user
    years = [option.fiscal_year for option in options]
    context: dict[str, object] = {"fiscal_year": fiscal_year, "form": form, "years": options}
    if fiscal_year is not None:
        # Most of the page reads approved reports only: cached apart under the approved figures'
        # version, which submitting, verifying and returning a month leave alone (this body, with
        # the sign-off's counts, is rebuilt after each of them).
        context.update(fresh_cache.cached(
            request, "home-approved", lambda: _approved_figures(request, form, fiscal_year, today),
            params=form.fields, versions=(APPROVED,),
        ))  # fmt: skip
    if permissions.of_a_province(user):
        context["province"] = user.province
        if fiscal_year is not None:
            context["dashboard"] = officer_dashboard(
                user=user, fiscal_year=fiscal_year, today=today, years={fy.year: fy for fy in years},
                provincial=context["provincial"],
            )  # fmt: skip
        else:
            context["satkers"] = scoped(Satker.objects.order_by("code"), user)
    else:
        context["satker_count"] = scoped(Satker.objects.all(), user).count()
        if fiscal_year is not None:
            context["dashboard"] = with_review_counts(context["dashboard"], user=user)
    if fiscal_year is not None:
        # Province-level aggregates: every role reads them (CONTRACT "Who sees what"). The RO
        # timeliness counts reports sent on time whatever their status: not an approved figure.
        ro_filter = RealizationFilter(year=fiscal_year.year, month=as_of_month(fiscal_year.year, today),
                                      authority=form.cleaned_data.get("authority") or None)  # fmt: skip
        context["ro_progress"] = fresh_cache.cached(request, "home-ro-progress",
                                                    lambda: ro_progress_by_province(ro_filter, today=today),
                                                    params=form.fields, for_everyone=True)  # fmt: skip
        context["ro_month"] = ro_filter.month
    dashboard = context.get("dashboard")
    return {
        "dashboard_html": render_to_string("dashboard/body.html", context, request),
        "has_charts": bool(getattr(dashboard, "charts", None)),
    }


def _approved_figures(request: HttpRequest, form: DashboardFilterForm, fiscal_year: FiscalYear,
                      today: date) -> dict[str, object]:  # fmt: skip
    """The dashboard's figures that read approved reports (and master data) only: the provincial
    ranking, the narrative and, for the directorate, its figures and programme outputs."""
    user = request.user
    provinces = provinces_by_code()
    # One ranking for the page: the narrative, the KPI card and the officer's rank quote it. The
    # same for every role and province: one cache entry for all.
    provincial = fresh_cache.cached(request, "home-ranking", lambda: provincial_ranking(fiscal_year, today),
                                    params=("year",), versions=(APPROVED,), for_everyone=True)  # fmt: skip
    figures = narrative_for(fiscal_year=fiscal_year, user=user, today=today, provinces=provinces, ranking=provincial)
    programmes = _programmes(figures)
    # The narrative in the reader's language only: an English reader got the Indonesian text
    # first (and the English under it), which read as an untranslated page. The other
    # language stays a download away. The cached part's key holds the language (fresh_cache).
    language = "en" if (translation.get_language() or "id").startswith("en") else "id"
    part: dict[str, object] = {
        "provincial": provincial,
        "narrative_language": language,
        "narrative": _paragraphs(figures, programmes, language),
    }
    if not permissions.of_a_province(user):
        authority = form.cleaned_data["authority"] or None
        part["authority_counts"] = satker_count_by_authority(user=user, fiscal_year=fiscal_year)
        part["dashboard"] = directorate_dashboard(
            user=user, fiscal_year=fiscal_year, authority=authority, today=today, provincial=provincial
        )
        part["programmes"] = _programme_dashboard(programmes, authority)
    return part


@data_access_required()
def narrative(request: HttpRequest) -> HttpResponse:
    """The year's realization and programme output summary as a plain-text file, in Indonesian
    or English (default: the reader's language)."""
    today = timezone.localdate()
    years = list(FiscalYear.objects.order_by("-year"))
    form = NarrativeForm(request.GET, years=[fiscal_year.year for fiscal_year in years])
    if not form.is_valid():
        return bad_request(request, form)
    wanted = form.cleaned_data["year"]
    fiscal_year = next((fy for fy in years if fy.year == wanted), None) if wanted else _default_year(years, today.year)
    if fiscal_year is None:
        return render(request, "400.html", {"messages_400": [_("Belum ada tahun anggaran.")]}, status=400)
    # Without ``lang``, the reader's language (the interface's).
    language = form.cleaned_data["lang"] or ("en" if (translation.get_language() or "").startswith("en") else "id")

    def build() -> str:
        figures = narrative_for(fiscal_year=fiscal_year, user=request.user, today=today)
        return "\n\n".join(_paragraphs(figures, _programmes(figures), language)) + "\n"

    # Like the dashboard it summarises: the text depends only on the data, the date, the
    # languages, the query and what the user may see, so it is built once per data version.
    text = fresh_cache.cached(request, "narrative", build, params=form.fields)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="narasi-realisasi-{fiscal_year.year}-{language}.txt"'
    response["Content-Language"] = language
    return response
