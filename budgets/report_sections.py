"""Extra sections of the monthly report page, contributed by the apps above budgets.

budgets may not import programs (dependencies point down), yet a reviewer approves the whole
month: the realization and the programme records carried by the same report. The sections are
named in settings (``MONTHLY_REPORT_SECTIONS``: dotted paths, the project's roof knows every
app); the report page calls each builder once and renders the sections after its realization
table. A builder does its queries once (never per row), so the page's query count stays constant.

A builder takes (report, user) and returns ``{"title", "template", "context"}`` or None to
show nothing; the template receives its context as ``section_context``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from accounts.models import User
    from budgets.models import MonthlyReport


class ReportSection(TypedDict):
    title: str
    template: str
    context: dict[str, Any]


SectionBuilder = Callable[["MonthlyReport", "User"], ReportSection | None]


@cache
def _builders(paths: tuple[str, ...]) -> list[SectionBuilder]:
    return [import_string(path) for path in paths]


def report_sections(report: MonthlyReport, user: User) -> list[ReportSection]:
    builders = _builders(tuple(getattr(settings, "MONTHLY_REPORT_SECTIONS", ())))
    return [section for section in (build(report, user) for build in builders) if section]
