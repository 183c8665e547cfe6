"""The realization reports of CONTRACT: one view for all of them, in HTML, XLSX, CSV and JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts import permissions
from accounts.access import data_access_required
from accounts.scoping import scoped
from budgets.documents.quarterly import national_document
from budgets.models import Authority, FiscalYear, Province, Satker
from budgets.reports.queries import RealizationFilter
from core import fresh_cache, safe_json
from core.exports.csv_dialect import DIALECT_PARAM, INDONESIAN, dialect_from, unknown_dialect_message
from core.formats import MONTH_CHOICES
from core.reporting.files import JSON_CONTENT_TYPE, as_csv, as_json, as_xlsx
from core.reporting.html import report_table
from core.reporting.spec import BuildContext, ReportSpec
from reports.catalog import REPORTS
from reports.params import COMMON, BadReportParams, ReportParams, parse_report_params

BASIS_LABELS = {
    "approved": gettext_lazy("laporan disetujui"),
    "submitted": gettext_lazy("disetujui + menunggu tinjauan"),
}
FILTER_ORDER = ("year", "quarter", "month", "province", "component", "authority", "basis", "below", "ro", "level")


def bad_request(request: HttpRequest, spec: ReportSpec, errors: BadReportParams) -> HttpResponse:
    if request.GET.get("format") == "json":
        return bad_json(errors)
    return render(request, "reports/bad_request.html", {"spec": spec, "errors": errors.labelled()}, status=400)


def describe(spec: ReportSpec, applied: dict, province_name: str | None) -> str:
    """The title row of exports: the report and every filter that shaped it."""
    parts = [str(spec.title), _("Tahun %(year)s") % {"year": applied["year"]}]
    if applied.get("month"):
        parts.append(_("s.d. %(month)s") % {"month": dict(MONTH_CHOICES)[applied["month"]]})
    if applied.get("authority"):
        parts.append(_("kewenangan %(a)s") % {"a": Authority(applied["authority"]).label})
    if province_name:
        parts.append(_("provinsi %(p)s") % {"p": province_name})
    if applied.get("component"):
        parts.append(_("komponen %(c)s") % {"c": applied["component"]})
    if applied.get("ro"):
        parts.append(_("RO %(ro)s") % {"ro": applied["ro"]})
    if applied.get("quarter"):
        parts.append(_("triwulan %(q)s") % {"q": applied["quarter"]})
    if "below" in applied:
        parts.append(_("di bawah %(b)s %%") % {"b": applied["below"] if applied["below"] is not None else _("ambang")})
    if "basis" in spec.params:
        parts.append(_("basis %(b)s") % {"b": BASIS_LABELS[applied["basis"]]})
    return " · ".join(parts)


def filename(spec: ReportSpec, applied: dict) -> str:
    parts = ["laporan", spec.name, str(applied["year"])]
    parts += [str(applied[k]) for k in ("quarter", "month", "authority", "province", "component", "ro")
              if applied.get(k)]  # fmt: skip
    return "-".join(parts)


def scope_filters(request: HttpRequest, spec: ReportSpec, params: ReportParams) -> RealizationFilter:
    """The report's filter within the user's scope (CONTRACT "Who sees what"): reports below
    province level show an officer only their own province; asking for another is a 404."""
    province, satkers = params.province, None
    user = request.user
    if spec.below_province:
        if province and not scoped(Province.objects.filter(bps_code=province), user).exists():
            raise Http404
        if province is None and not permissions.reads_all_provinces(user):
            province = user.province.bps_code
    if spec.below_province or spec.scoped_satker_rows:
        satkers = scoped(Satker.objects.all(), user)
    return RealizationFilter(
        year=params.year, month=params.month, authority=params.authority, basis=params.basis,
        province=province, component=params.component, satkers=satkers,
    )  # fmt: skip


@dataclass(frozen=True)
class ReportRun:
    """A report asked for by one request: its checked parameters, the filter within the user's
    scope, and what the JSON states as applied."""

    spec: ReportSpec
    params: ReportParams
    form: Any
    filters: RealizationFilter
    fiscal_year: FiscalYear | None  # None only for a report of data-collection years without a fiscal year
    applied: dict[str, Any]

    def build(self):
        params = self.params
        context = BuildContext(self.fiscal_year, params.below, params.below_given, timezone.localdate(), params.ro,
                               params.level, params.quarter)  # fmt: skip
        return self.spec.build(self.filters, context)

    def cached(self, request: HttpRequest, kind: str, make: Callable[[], Any], params: set[str]) -> Any:
        """Every format is cached under the report's data versions (never stale: see
        core/fresh_cache.py); the key holds the query (``params``), the user's scope, the date and
        the language."""
        spec = self.spec
        return fresh_cache.cached(request, f"report-{kind}:{spec.name}", make, params=params, enabled=spec.cacheable,
                                  versions=spec.versions_for(self.params.basis))  # fmt: skip


def report_run(request: HttpRequest, spec: ReportSpec) -> ReportRun:
    """The report for ``request.GET`` and ``request.user``; raises BadReportParams (a parameter
    refused) or Http404 (a province outside the user's scope, below province level)."""
    params, form = parse_report_params(
        request.GET, allowed=set(spec.params), today=timezone.localdate(), data_years=spec.data_years
    )
    filters = scope_filters(request, spec, params)
    fiscal_year = FiscalYear.objects.filter(year=params.year).first()
    applied = {**params.as_dict(), "province": filters.province}
    if "ro" in spec.params:
        applied["ro"] = params.ro
    if "quarter" in spec.params:
        applied["quarter"] = params.quarter
    return ReportRun(spec, params, form, filters, fiscal_year, applied)


def bad_json(errors: BadReportParams) -> HttpResponse:
    # JSON keeps the parameter names: its readers are programs.
    payload = {"error": _("Parameter laporan tidak valid."), "errors": errors.errors}
    return HttpResponse(safe_json.dumps(payload, ensure_ascii=False), status=400, content_type="application/json")


def report_json(request: HttpRequest, name: str) -> HttpResponse:
    """The report in CONTRACT's JSON for ``request.user`` and the query: one answer for the page's
    ``?format=json`` and the API's /api/v1/reports/<name>/ (api/reports.py), the same body and the
    same cache entry (its key holds the report's filters only: ``format``, ``sort`` and ``dialect``
    do not change the JSON). A refused parameter is a 400 with the errors by parameter name."""
    spec = REPORTS[name]
    try:
        run = report_run(request, spec)
    except BadReportParams as bad:
        return bad_json(bad)
    body = run.cached(request, "json", lambda: as_json(spec, run.build(), run.applied).content, set(spec.params))
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE)


@data_access_required()
def report_view(request: HttpRequest, name: str) -> HttpResponse:
    if request.GET.get("format") == "json":
        return report_json(request, name)
    spec = REPORTS[name]
    try:
        run = report_run(request, spec)
    except BadReportParams as bad:
        return bad_request(request, spec, bad)
    params, filters, applied, fiscal_year = run.params, run.filters, run.applied, run.fiscal_year
    known = set(spec.params) | COMMON  # the parameters the report reads (others were refused)

    def cached(kind: str, make: Callable[[], Any]) -> Any:
        return run.cached(request, kind, make, known)

    if params.format == "html":
        content = cached("html", lambda: _content(request, spec, run.build(), params, applied, run.form, fiscal_year))
        return render(request, "reports/report.html", {"spec": spec, "year": params.year, "content": content})
    if params.format == "csv":
        dialect = dialect_from(request.GET.get(DIALECT_PARAM))
        if dialect is None:
            # The message names the parameter and its one value; no filter of the bar carries it.
            return bad_request(request, spec, BadReportParams({"__all__": [unknown_dialect_message()]}))
        return _file(cached("csv", lambda: _file_parts(as_csv(spec, run.build(), filename(spec, applied), dialect))))
    return _file(cached("xlsx", lambda: _file_parts(as_xlsx(
        spec, run.build(), describe(spec, applied, _province_name(filters.province)), filename(spec, applied)
    ))))  # fmt: skip


def _file_parts(response: HttpResponse) -> dict[str, Any]:
    """An export's bytes and headers, as they are cached."""
    return {"body": response.content, "type": response["Content-Type"], "disposition": response["Content-Disposition"]}


def _file(parts: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(parts["body"], content_type=parts["type"])
    response["Content-Disposition"] = parts["disposition"]
    return response


@data_access_required()
@require_safe
def quarterly_pdf(request: HttpRequest) -> HttpResponse:
    """The directorate's consolidation of a quarter as a PDF (``/reports/quarterly/pdf/`` with the
    report's parameters): the rows /reports/quarterly/ shows the user (a province's roles: their
    own satkers) and their totals. Always computed afresh (a PDF is not cached)."""
    spec = REPORTS["quarterly"]
    try:
        params, _form = parse_report_params(
            request.GET, allowed=set(spec.params), today=timezone.localdate(), data_years=spec.data_years
        )
    except BadReportParams as bad:
        return bad_request(request, spec, bad)
    filters = scope_filters(request, spec, params)
    fiscal_year = FiscalYear.objects.filter(year=params.year).first()
    if fiscal_year is None:
        raise Http404
    today = timezone.localdate()
    context = BuildContext(
        fiscal_year, params.below, params.below_given, today, params.ro, params.level, params.quarter
    )
    # WeasyPrint loads pango when imported: only the PDF views need it.
    from core.documents.pdf import pdf_response, render_pdf

    with translation.override("id"):  # official documents are in Indonesian (core/documents/model.py)
        document = national_document(
            spec.build(filters, context), year=fiscal_year.year, scope=_province_name(filters.province), today=today
        )
        content = render_pdf("reports/documents_quarterly.html", {"document": document})
    return pdf_response(content, f"{document.filename}.pdf")


def _province_name(bps_code: str | None) -> str | None:
    return Province.objects.filter(bps_code=bps_code).values_list("name", flat=True).first() if bps_code else None


def _content(request: HttpRequest, spec: ReportSpec, result, params: ReportParams, applied: dict, form,
             fiscal_year: FiscalYear | None) -> str:  # fmt: skip
    """The page under the breadcrumbs: tabs, filters, downloads, the table."""
    exports = {fmt: _query_with(request, format=fmt, dialect=None) for fmt in ("xlsx", "csv", "json")}
    exports["csv_id"] = _query_with(request, format="csv", dialect=INDONESIAN.key)
    return render_to_string("reports/_content.html", {
        "spec": spec, "result": result, "table": report_table(spec, result, request, params.year), "form": form,
        "description": describe(spec, applied, _province_name(applied["province"])), "exports": exports,
        "fiscal_year": fiscal_year, "year": params.year, "reports": REPORTS.values(), "months": MONTH_CHOICES,
        "matrix": _submission_matrix(result) if spec.name == "submissions" else None,
        "shown_fields": [form[name] for name in FILTER_ORDER if name in spec.params],
    }, request)  # fmt: skip


def _query_with(request: HttpRequest, **changes: str | None) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode()


def _submission_matrix(result) -> list[dict]:
    """Submissions rows pivoted to satker x month for the HTML matrix."""
    satkers: dict[str, dict] = {}
    for row in result.rows:
        entry = satkers.setdefault(row["satker"], {"satker": row["satker"], "satker_name": row["satker_name"],
                                                    "province_name": row["province_name"], "months": []})  # fmt: skip
        entry["months"].append(row)
    return list(satkers.values())
