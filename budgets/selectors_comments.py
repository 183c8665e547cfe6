"""Reads of a monthly report's line comments and return targets (budgets/models/comments.py):
each a fixed number of queries, whatever the number of lines."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch

from budgets.models import LineComment, MonthlyReport, ReportTransition, ReturnTarget


def _threads(report: MonthlyReport):
    replies = LineComment.objects.filter(thread__isnull=False).select_related("author").order_by("created_at", "pk")
    return (
        LineComment.objects.filter(report=report, thread__isnull=True)
        .select_related("author", "resolved_by", "line__component", "line__account", "output__output_class__activity")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def report_threads(report: MonthlyReport) -> dict[str, Any]:
    """The report's threads (oldest first, replies prefetched) and the open threads per line and
    RO: two queries."""
    threads = list(_threads(report))
    per_line: dict[int, int] = defaultdict(int)
    per_output: dict[int, int] = defaultdict(int)
    for thread in threads:
        if thread.is_open:
            if thread.line_id:
                per_line[thread.line_id] += 1
            else:
                per_output[thread.output_id] += 1
    return {"threads": threads, "open_per_line": dict(per_line), "open_per_output": dict(per_output)}


def open_threads_by_line(report: MonthlyReport) -> dict[int, list[LineComment]]:
    """Per realization line: its open threads with their replies (the grid shows them)."""
    found: dict[int, list[LineComment]] = defaultdict(list)
    for thread in _threads(report).filter(line__isnull=False, resolved_at__isnull=True):
        found[thread.line_id].append(thread)
    return dict(found)


def last_return_targets(
    report: MonthlyReport, transitions: list[ReportTransition] | None = None
) -> tuple[ReportTransition | None, list[ReturnTarget]]:
    """The report's latest return and the lines / RO rows it named (none: the whole month).
    ``transitions``: the report's transitions in order, when the caller has them already."""
    if transitions is None:
        transitions = list(report.transitions.order_by("at", "pk"))
    last = next((t for t in reversed(transitions) if t.to_status == MonthlyReport.Status.RETURNED), None)
    if last is None:
        return None, []
    targets = ReturnTarget.objects.filter(transition=last).select_related(
        "line__component", "line__account", "output__output_class__activity"
    )
    return last, list(targets)
