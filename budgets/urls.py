from __future__ import annotations

from django.urls import path, register_converter

from budgets.views import (
    comments,
    documents,
    entry,
    evidence,
    ikpa,
    ledger,
    pagu,
    quarterly,
    reconciliation,
    review,
    rpd_planner,
)
from budgets.views import quality as quality_views
from budgets.views.satkers import SatkerListView

app_name = "budgets"
register_converter(quarterly.PeriodConverter, "quarter")
register_converter(quarterly.ActionConverter, "quarterly_action")

urlpatterns = [
    path("satkers/", SatkerListView.as_view(), name="satker-list"),
    path("satkers/<str:code>/<int:year>/", entry.satker_year, name="satker-year"),
    path("satkers/<str:code>/<int:year>/realization/<int:month>/", entry.realization_entry, name="realization-entry"),
    path("satkers/<str:code>/<int:year>/rpd/", entry.rpd_entry, name="rpd-entry"),
    path("satkers/<str:code>/<int:year>/rpd/planner/", rpd_planner.rpd_planner, name="rpd-planner"),
    path("satkers/<str:code>/<int:year>/pagu/", pagu.pagu_detail, name="pagu"),
    path("satkers/<str:code>/<int:year>/ikpa/", ikpa.satker_ikpa_page, name="satker-ikpa"),
    path("satkers/<str:code>/<int:year>/pagu/revise/", pagu.pagu_revise_view, name="pagu-revise"),
    # The month's realization against the treasury's figure (OM-SPAN/SAKTI), per akun.
    path(
        "satkers/<str:code>/<int:year>/reconciliation/<int:month>/",
        reconciliation.reconciliation_page,
        name="reconciliation",
    ),
    # <quarter>: 1-4 (TW I-IV) or "year-end"; the PDF is <quarter>/pdf/ (budgets/documents).
    path("satkers/<str:code>/<int:year>/quarterly/<quarter:q>/", quarterly.quarterly_detail, name="quarterly-detail"),
    path("satkers/<str:code>/<int:year>/quarterly/<quarter:q>/pdf/", documents.quarterly_pdf, name="quarterly-pdf"),
    path("satkers/<str:code>/<int:year>/quarterly/<quarter:q>/xlsx/", documents.quarterly_xlsx, name="quarterly-xlsx"),
    path(
        "satkers/<str:code>/<int:year>/quarterly/<quarter:q>/<quarterly_action:action>/",
        quarterly.quarterly_action,
        name="quarterly-action",
    ),
    path("obstacles/", quarterly.ObstacleBoardView.as_view(), name="obstacles"),
    path("monthly-reports/", review.MonthlyReportListView.as_view(), name="report-list"),
    path("monthly-reports/<int:pk>/", review.report_detail, name="report-detail"),
    path("monthly-reports/batch/", review.report_batch_view, name="report-batch"),
    path("monthly-reports/<int:pk>/pdf/", documents.report_pdf, name="report-pdf"),
    path("monthly-reports/<int:pk>/xlsx/", documents.report_xlsx, name="report-xlsx"),
    path("monthly-reports/<int:pk>/submit/", review.report_submit_view, name="report-submit"),
    path("monthly-reports/<int:pk>/verify/", review.report_verify_view, name="report-verify"),
    path("monthly-reports/<int:pk>/approve/", review.report_approve_view, name="report-approve"),
    path("monthly-reports/<int:pk>/return/", review.report_return_view, name="report-return"),
    path("monthly-reports/<int:pk>/reopen/", review.report_reopen_view, name="report-reopen"),
    path("monthly-reports/<int:pk>/withdraw/", review.report_withdraw_view, name="report-withdraw"),
    path("monthly-reports/<int:pk>/capaian-ro/", review.report_outputs_view, name="report-outputs"),
    # A data-quality flag of a monthly report: marked as explained or to fix (budgets/views/quality.py).
    path("quality-flags/<int:pk>/decide/", quality_views.flag_decide_view, name="flag-decide"),
    path("monthly-reports/<int:pk>/comments/", comments.comment_open_view, name="comment-open"),
    path("monthly-reports/<int:pk>/comments/<int:thread>/answer/", comments.comment_answer_view, name="comment-answer"),
    path(
        "monthly-reports/<int:pk>/comments/<int:thread>/resolve/", comments.comment_resolve_view, name="comment-resolve"
    ),
    path("ledger/", ledger.ledger_page, name="ledger"),
    path("ledger/<int:year>/<str:code>/propose/", ledger.sanction_propose_view, name="sanction-propose"),
    path("sanctions/<int:pk>/", ledger.sanction_detail, name="sanction-detail"),
    # Evidence (bukti dukung): the file only through the scoping gate; attach and remove by POST.
    path("evidence/attach/", evidence.evidence_attach_view, name="evidence-attach"),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/remove/", evidence.evidence_remove_view, name="evidence-remove"),
]
