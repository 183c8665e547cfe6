"""``{% report_quality_flags report as quality %}``: a monthly report's data-quality flags and
whether the user may decide on them, for templates/budgets/_report_flags.html (the report page's
view need not know). Reads only: the flags are computed by budgets.services.quality.flags_refresh."""

from __future__ import annotations

from typing import Any

from django import template

from budgets.models import MonthlyReport
from budgets.quality import report_flags
from budgets.services.quality import may_decide_flags

register = template.Library()


@register.simple_tag(takes_context=True)
def report_quality_flags(context: template.Context, report: MonthlyReport) -> dict[str, Any]:
    # The page has already put the report through the scoping gate: these are its own flags.
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    flags = report_flags(report)
    return {
        "flags": flags,
        "open_count": sum(1 for flag in flags if flag.is_open),
        "may_decide": user is not None and may_decide_flags(user, report),
    }
