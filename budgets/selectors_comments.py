"""Reads of a monthly report's line comments and return targets (budgets/models/comments.py):
each a fixed number of queries, whatever the number of lines, RO rows and records."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch

from budgets.evidence_targets import report_records
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
    per_record: dict[tuple[int, int], int] = defaultdict(int)
    for thread in threads:
        if thread.is_open:
            if thread.line_id:
                per_line[thread.line_id] += 1
            elif thread.output_id:
                per_output[thread.output_id] += 1
            else:
                per_record[(thread.record_type_id, thread.record_id)] += 1
    return {"threads": threads, "open_per_line": dict(per_line), "open_per_output": dict(per_output),
            "open_per_record": dict(per_record)}  # fmt: skip


def open_threads_by_line(report: MonthlyReport) -> dict[int, list[LineComment]]:
    """Per realization line: its open threads with their replies (the grid shows them)."""
    found: dict[int, list[LineComment]] = defaultdict(list)
    for thread in _threads(report).filter(line__isnull=False, resolved_at__isnull=True):
        found[thread.line_id].append(thread)
    return dict(found)


def last_return_targets(
    report: MonthlyReport, transitions: list[ReportTransition] | None = None
) -> tuple[ReportTransition | None, list[ReturnTarget]]:
    """The report's latest return and the lines / RO rows / records it named (none: the whole month).
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


class RecordRow(NamedTuple):
    """A programme record of the report's month, as the comments and the return form name it."""

    key: tuple[int, int]  # (content type id, record id): how a thread or a return target names it
    ref: str  # "<app.model>:<id>": how a form names it
    title: str  # its group ("WUB", "Fasilitasi"...)
    label: str
    record: Model


def report_record_rows(report: MonthlyReport) -> list[RecordRow]:
    """The month's programme records (settings.EVIDENCE_REPORT_RECORDS): a fixed number of
    queries (content types are cached)."""
    rows = []
    for title, records in report_records(report):
        group = str(title)
        for record in records:
            meta = record._meta
            key = (ContentType.objects.get_for_model(record).pk, record.pk)
            rows.append(RecordRow(key, f"{meta.label_lower}:{record.pk}", group, str(record), record))
    return rows


def record_label(key: tuple[int, int], rows: dict[tuple[int, int], RecordRow]) -> str:
    """A record target's label; a record deleted since: its kind and id."""
    row = rows.get(key)
    if row is not None:
        return f"{row.title}: {row.label}"
    return f"{ContentType.objects.get_for_id(key[0]).name} #{key[1]}"


def records_changed_since(keys: list[tuple[int, int]], since: datetime) -> set[tuple[int, int]]:
    """Which of the records ``keys`` were changed or deleted after ``since`` (their
    simple_history rows): one query per kind of record named."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, record_id in keys:
        by_type[type_id].add(record_id)
    changed: set[tuple[int, int]] = set()
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        history = getattr(model, "history", None)
        if history is None:
            continue
        found = history.filter(id__in=ids, history_date__gt=since).values_list("id", flat=True).distinct()
        changed.update((type_id, record_id) for record_id in found)
    return changed
