"""Extra sections of the monthly report page, contributed by the apps above budgets.

budgets may not import programs (dependencies point down), yet a reviewer approves the whole
month: the realization and the programme records carried by the same report. An app appends a
builder to ``REPORT_SECTIONS`` from its ``AppConfig.ready()``; the report page calls each builder
once and renders the sections after its realization table. A builder does its queries once
(never per row), so the page's query count stays constant.

A builder takes (report, user) and returns ``{"title", "template", "context"}`` or None to
show nothing; the template receives its context as ``section_context``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from accounts.models import User
    from budgets.models import MonthlyReport


class ReportSection(TypedDict):
    title: str
    template: str
    context: dict[str, Any]


SectionBuilder = Callable[["MonthlyReport", "User"], ReportSection | None]

REPORT_SECTIONS: list[SectionBuilder] = []


def register_report_section(builder: SectionBuilder) -> SectionBuilder:
    """Add a builder (once, whatever the number of ready() calls); usable as a decorator."""
    if builder not in REPORT_SECTIONS:
        REPORT_SECTIONS.append(builder)
    return builder


def report_sections(report: MonthlyReport, user: User) -> list[ReportSection]:
    return [section for section in (build(report, user) for build in REPORT_SECTIONS) if section]
