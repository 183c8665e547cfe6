"""The programme output reports of CONTRACT: budgets' report view renders them (HTML, XLSX, CSV,
JSON, strict parameters, scope) from the specs that programs/records/report.py registers."""

from __future__ import annotations

from django.urls import URLPattern, path

from reports.views import report_view

urlpatterns: list[URLPattern] = [
    path("reports/outputs/", report_view, {"name": "outputs"}, name="report-outputs"),
    path("reports/ovop/", report_view, {"name": "ovop"}, name="report-ovop"),
]
