"""The official documents: the monthly report's and the quarterly (or year-end) report's PDF (shown
inline) and XLSX, with the figures of the report's page. The same gate as the report's page:
signed-in users of the site, and a report outside the user's scope (another province's) is a 404.

A quarterly report that has not been prepared yet has no document (404): the page shows its live
figures, but an official document exists only for a report the officer prepared."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404
from budgets import quarterly_rules
from budgets.documents.monthly import monthly_document
from budgets.documents.quarterly import quarterly_document
from budgets.models import MonthlyReport
from budgets.reports.quarterly import quarterly_report_of, report_figures, report_obstacles
from budgets.views.common import satker_year_or_404
from core.documents import Document
from core.documents.xlsx import xlsx_document_response

# Official documents are in Indonesian whatever the interface language (core/documents/model.py).
DOCUMENT_LANGUAGE = "id"


def _report(request: HttpRequest, pk: int) -> MonthlyReport:
    return get_scoped_or_404(
        MonthlyReport.objects.select_related("satker__province", "fiscal_year", "verified_by", "verified_under"),
        request.user,
        pk=pk,
    )


@data_access_required()
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    # WeasyPrint loads pango when imported: only the PDF views need it, not the rest of the site.
    from core.documents.pdf import pdf_response, render_pdf

    with translation.override(DOCUMENT_LANGUAGE):
        document = monthly_document(report)
        content = render_pdf("budgets/documents/monthly_report.html", {"document": document, "report": report})
    return pdf_response(content, f"{document.filename}.pdf")


@data_access_required()
@require_safe
def report_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    report = _report(request, pk)
    with translation.override(DOCUMENT_LANGUAGE):
        return xlsx_document_response(monthly_document(report))


def _quarterly(request: HttpRequest, code: str, year: int, q: str) -> Document:
    """The quarterly report's document, scoped as its page (budgets.views.quarterly)."""
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    quarterly_rules.period_of(q)  # the URL's converter allows only 1-4 and year-end
    report = quarterly_report_of(satker, fiscal_year, q)
    if report is None:
        raise Http404
    today = timezone.localdate()
    with translation.override(DOCUMENT_LANGUAGE):
        return quarterly_document(report, today=today, figures=report_figures(report, today=today),
                                  obstacles=report_obstacles(report))  # fmt: skip


@data_access_required()
@require_safe
def quarterly_pdf(request: HttpRequest, code: str, year: int, q: str) -> HttpResponse:
    document = _quarterly(request, code, year, q)
    from core.documents.pdf import pdf_response, render_pdf

    with translation.override(DOCUMENT_LANGUAGE):
        content = render_pdf("budgets/documents/quarterly_report.html", {"document": document})
    return pdf_response(content, f"{document.filename}.pdf")


@data_access_required()
@require_safe
def quarterly_xlsx(request: HttpRequest, code: str, year: int, q: str) -> FileResponse:
    document = _quarterly(request, code, year, q)
    with translation.override(DOCUMENT_LANGUAGE):
        return xlsx_document_response(document)
