"""The monthly report's official documents: its PDF (shown inline) and its XLSX, with the figures
of the report page. The same gate as the report page: signed-in users of the site, and a report
outside the user's scope (another province's) is a 404."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404
from budgets.documents.monthly import monthly_document
from budgets.models import MonthlyReport
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
