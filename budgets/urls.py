from __future__ import annotations

from django.urls import path

from budgets.views import entry, ledger, pagu, review
from budgets.views.satkers import SatkerListView

app_name = "budgets"

urlpatterns = [
    path("satkers/", SatkerListView.as_view(), name="satker-list"),
    path("satkers/<str:code>/<int:year>/", entry.satker_year, name="satker-year"),
    path("satkers/<str:code>/<int:year>/realization/<int:month>/", entry.realization_entry, name="realization-entry"),
    path("satkers/<str:code>/<int:year>/rpd/", entry.rpd_entry, name="rpd-entry"),
    path("satkers/<str:code>/<int:year>/pagu/", pagu.pagu_detail, name="pagu"),
    path("satkers/<str:code>/<int:year>/pagu/revise/", pagu.pagu_revise_view, name="pagu-revise"),
    path("monthly-reports/", review.MonthlyReportListView.as_view(), name="report-list"),
    path("monthly-reports/<int:pk>/", review.report_detail, name="report-detail"),
    path("monthly-reports/<int:pk>/submit/", review.report_submit_view, name="report-submit"),
    path("monthly-reports/<int:pk>/approve/", review.report_approve_view, name="report-approve"),
    path("monthly-reports/<int:pk>/return/", review.report_return_view, name="report-return"),
    path("monthly-reports/<int:pk>/reopen/", review.report_reopen_view, name="report-reopen"),
    path("monthly-reports/<int:pk>/withdraw/", review.report_withdraw_view, name="report-withdraw"),
    path("monthly-reports/<int:pk>/capaian-ro/", review.report_outputs_view, name="report-outputs"),
    path("ledger/", ledger.ledger_page, name="ledger"),
    path("ledger/<int:year>/<str:code>/propose/", ledger.sanction_propose_view, name="sanction-propose"),
    path("sanctions/<int:pk>/", ledger.sanction_detail, name="sanction-detail"),
]
