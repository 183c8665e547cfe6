"""Every report of CONTRACT, listed here by the app that answers them (django-oscar's dashboard
does the same: the top pulls). A domain app declares its reports' specs beside their queries; a
new report is its spec there and one line here (and its path in reports/urls.py)."""

from __future__ import annotations

from budgets.reports import specs as budget_reports
from core.reporting.spec import ReportSpec
from programs.records import report as output_reports
from programs.registry import report as registry_reports

# In the order the report menu lists them: the budget's, then the registry, then the programmes'.
REPORTS: dict[str, ReportSpec] = {
    spec.name: spec for spec in (*budget_reports.SPECS, *registry_reports.SPECS, *output_reports.SPECS)
}
