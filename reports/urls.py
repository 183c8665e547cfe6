"""The report URLs of CONTRACT, each answered by the one report view; the URL name is the report's
name (``reports:provinces``)."""

from __future__ import annotations

from django.urls import path

from reports.views import quarterly_pdf, report_view

app_name = "reports"

PATHS = {
    "realization": "reports/realization/",
    "provinces": "reports/realization/provinces/",
    "satkers": "reports/realization/satkers/",
    "monthly": "reports/realization/monthly/",
    "submissions": "reports/submissions/",
    "outputs": "reports/outputs/",
    "ovop": "reports/ovop/",
    "ikm": "reports/ikm/",
    "ro": "reports/ro/",
    "quarterly": "reports/quarterly/",
    "evidence": "reports/evidence/",
    "ikpa": "reports/ikpa/",
}

urlpatterns = [path(route, report_view, {"name": name}, name=name) for name, route in PATHS.items()]
# The directorate's consolidation of a quarter as a PDF: /reports/quarterly/'s rows and totals.
urlpatterns.append(path("reports/quarterly/pdf/", quarterly_pdf, name="quarterly-pdf"))
