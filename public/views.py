"""The public transparency page: no sign-in, Indonesian or English, the years the directorate has
published (budgets/services/publication.py), each as a page and as open data files (CSV per
dataset, one JSON of them all). Every answer is cached under the data versions of what it reads
(core/fresh_cache.py), one entry for every reader: a burst of anonymous readers costs a version
read and a cache read each, and never rebuilds a report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from budgets.models import FiscalYear
from budgets.selectors import published_fiscal_years
from core import fresh_cache, safe_json
from core.exports.csv_dialect import DIALECT_PARAM, INDONESIAN, dialect_from, unknown_dialect_message
from core.formats import MONTH_NAMES
from core.reporting.files import JSON_CONTENT_TYPE, as_csv, json_payload, json_value
from core.reporting.html import report_table
from dashboard.figures import provinces_by_code
from dashboard.tiles import tile_map
from public.figures import DATASET_BY_SLUG, DATASETS, LICENCE, PublicYear, public_versions, public_year

LANGUAGE_PARAM = "lang"
# What a proxy in front of the servers (or a browser) may keep: a withdrawal reaches every reader
# within a minute; the servers' own cache is never stale.
PUBLIC_MAX_AGE = 60


class PublicError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _language(request: HttpRequest) -> str:
    """``?lang=en`` or ``?lang=id`` (links anyone can share, no cookie and no form); else the
    site's language as the middleware chose it."""
    asked = request.GET.get(LANGUAGE_PARAM)
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language()


# The plausible years (FiscalYear's own check): only those are looked up, and cached, at all.
YEARS = range(2000, 2101)


def _year_asked(request: HttpRequest) -> int | None:
    """The ``year`` parameter (None: absent, the newest published); refuses a malformed one
    (400) and one no fiscal year can have (404) before the database or the cache is asked."""
    raw = request.GET.get("year")
    if not raw:
        return None
    try:
        year = int(raw)
    except ValueError:
        raise PublicError(400, _("Tahun tidak valid: tulis empat angka, mis. 2023.")) from None
    if year not in YEARS:
        raise _not_published(year)
    return year


def _not_published(year: int) -> PublicError:
    return PublicError(404, _("Angka tahun %(year)s belum dipublikasikan.") % {"year": year})


def _answer(
    request: HttpRequest, name: str, params: set[str], make: Callable[[FiscalYear | None, list[int]], Any]
) -> Any:
    """``make(fiscal_year, years)`` for the published year asked for (None: nothing is published)
    and every published year, or the
    refusal as ``{"status", "error", "years"}``, from the cache. The published years are read inside
    the cached build: a publication switch raises the data versions, so a cached answer costs
    the versions' read alone."""
    year = _year_asked(request)

    def build() -> Any:
        published = published_fiscal_years()
        years = [fiscal_year.year for fiscal_year in published]
        if year is None:
            return make(published[0] if published else None, years)
        found = next((fiscal_year for fiscal_year in published if fiscal_year.year == year), None)
        if found is None:
            return {"status": 404, "error": _not_published(year).message, "years": years}
        return make(found, years)

    return _cached(request, name, build, params)


def _refused(answer: Any) -> bool:
    return isinstance(answer, dict) and "error" in answer


def _cached(request: HttpRequest, name: str, build: Callable[[], Any], params: set[str]) -> Any:
    return fresh_cache.cached(request, name, build, params=params, versions=public_versions(), for_everyone=True)


def _public(response: HttpResponse, *, open_data: bool = False) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if open_data:
        response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read the files
    return response


def _error_page(request: HttpRequest, error: PublicError, years: list[int]) -> HttpResponse:
    html = render_to_string("public/error.html", {"message": error.message, "years": years,
                                                  "lang": translation.get_language()}, request)  # fmt: skip
    return HttpResponse(html, status=error.status)


@require_safe
def public_page(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        try:
            answer = _answer(request, "public-page", {"year", "lang"},
                             lambda year, years: _page_html(request, year, years))  # fmt: skip
        except PublicError as error:
            return _error_page(request, error, [])
        if _refused(answer):
            return _error_page(request, PublicError(answer["status"], answer["error"]), answer["years"])
        return _public(HttpResponse(answer))


def _page_html(request: HttpRequest, fiscal_year: FiscalYear | None, years: list[int]) -> str:
    language = translation.get_language()
    context: dict[str, Any] = {"years": years, "lang": language, "licence": LICENCE, "datasets": DATASETS}
    if fiscal_year is not None:
        figures = public_year(fiscal_year, today=timezone.localdate())
        context.update(_year_context(request, figures))
    return render_to_string("public/page.html", context, request)


def _year_context(request: HttpRequest, figures: PublicYear) -> dict[str, Any]:
    year = figures.fiscal_year.year
    context: dict[str, Any] = {"figures": figures, "year": year, "month_name": MONTH_NAMES.get(figures.month)}
    if not figures.month:
        return context
    tables = {dataset.slug: report_table(dataset.spec, figures.result(dataset.slug), request, year, orderable=False)
              for dataset in DATASETS}  # fmt: skip
    ranking = figures.result("provinsi")
    provinces = provinces_by_code()
    anchors = dict.fromkeys(provinces, "#peringkat")  # a tile leads to the ranking table below
    query = {"year": year, "lang": translation.get_language()}
    context.update({
        "tables": tables,
        "national": figures.result("realisasi").totals,
        "ranking": ranking,
        "tiles": tile_map(ranking.rows, provinces, anchors),
        "downloads": [(dataset, _with_query(reverse("public:csv", args=[dataset.slug]), query))
                      for dataset in DATASETS],
        "json_url": _with_query(reverse("public:json"), query),
        "csv_id": INDONESIAN.key,
    })  # fmt: skip
    return context


def _with_query(path: str, query: dict[str, Any]) -> str:
    return f"{path}?{urlencode(query)}"


@require_safe
def public_json(request: HttpRequest) -> HttpResponse:
    """Every dataset of the year in one JSON document: each in the reports' shape (CONTRACT), with
    the cut-off, the licence and the methods' facts."""
    with translation.override(_language(request)):
        try:
            answer = _answer(request, "public-json", {"year", "lang"}, _json_body)
        except PublicError as error:
            answer = {"status": error.status, "error": error.message, "years": None}
        if _refused(answer):
            body = safe_json.dumps({"error": answer["error"], "published_years": answer["years"]}, ensure_ascii=False)
            return HttpResponse(body, status=answer["status"], content_type=JSON_CONTENT_TYPE)
        return _public(HttpResponse(answer, content_type=JSON_CONTENT_TYPE), open_data=True)


def _json_body(fiscal_year: FiscalYear | None, years: list[int]) -> bytes | dict[str, Any]:
    if fiscal_year is None:
        return {"status": 404, "error": _("Belum ada tahun yang dipublikasikan."), "years": []}
    figures = public_year(fiscal_year, today=timezone.localdate())
    params = {"year": fiscal_year.year, "month": figures.month or None, "basis": "approved"}
    payload = {
        "year": fiscal_year.year,
        "as_of_month": figures.month or None,
        "as_of": json_value(figures.as_of),
        "completeness_as_of": json_value(figures.today),
        "published_at": json_value(fiscal_year.published_at),
        "licence": LICENCE,
        "datasets": {
            dataset.slug: {"title": str(dataset.title),
                           **json_payload(dataset.spec, figures.result(dataset.slug), params)}
            for dataset in DATASETS
            if figures.month
        },
    }  # fmt: skip
    return safe_json.dumps(payload, ensure_ascii=False).encode()


@require_safe
def public_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One dataset of the year as CSV (CONTRACT's keys; ``dialect=id`` for Excel in Indonesian)."""
    dataset = DATASET_BY_SLUG.get(slug)
    if dataset is None:
        raise Http404
    with translation.override(_language(request)):
        dialect = dialect_from(request.GET.get(DIALECT_PARAM))

        def make(fiscal_year: FiscalYear | None, years: list[int]) -> dict[str, Any]:
            if fiscal_year is None:
                return {"status": 404, "error": _("Belum ada tahun yang dipublikasikan."), "years": []}
            figures = public_year(fiscal_year, today=timezone.localdate())
            if not figures.month:
                return {"status": 404, "error": _("Belum ada angka yang dapat dipublikasikan."), "years": years}
            response = as_csv(dataset.spec, figures.result(slug), f"ikma-{slug}-{fiscal_year.year}", dialect)
            return {"body": response.content, "disposition": response["Content-Disposition"]}

        try:
            if dialect is None:
                raise PublicError(400, unknown_dialect_message())
            answer = _answer(request, f"public-csv:{slug}", {"year", DIALECT_PARAM}, make)
        except PublicError as error:
            return _error_page(request, error, [])
        if _refused(answer):
            return _error_page(request, PublicError(answer["status"], answer["error"]), answer["years"])
        response = HttpResponse(answer["body"], content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = answer["disposition"]
        return _public(response, open_data=True)
