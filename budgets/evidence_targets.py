"""What evidence may be attached to, and where each target belongs.

``EVIDENCE_TARGETS`` maps a model label ("budgets.realization") to a resolver returning the
target's ``TargetPlace``: its satker, fiscal year, month (None for a yearly or quarterly target),
and the monthly or quarterly report whose status locks its evidence. budgets' own targets are
listed here; the apps above budgets (programs) declare theirs in settings (``EVIDENCE_TARGETS``:
dotted paths of dicts of the same shape), the way ``MONTHLY_REPORT_SECTIONS`` works: budgets
never imports them.

A month's realization line is its ``Realization`` row (the line's amount in that month's report):
the SP2D backs that amount. A line without a row that month has no evidence until an amount
(even 0) is entered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils.module_loading import import_string

from budgets.models import FiscalYear, MonthlyReport, Obstacle, OutputAchievement, QuarterlyReport, Realization, Satker


class TargetPlace(NamedTuple):
    satker: Satker
    fiscal_year: FiscalYear | None  # None: the year is not set up (nothing can be attached)
    month: int | None
    monthly_report: MonthlyReport | None
    quarterly_report: QuarterlyReport | None


Resolver = Callable[[Any], TargetPlace]


def of_monthly_report(report: MonthlyReport) -> TargetPlace:
    return TargetPlace(report.satker, report.fiscal_year, report.month, report, None)


def _realization(row: Realization) -> TargetPlace:
    return of_monthly_report(row.report)


def _ro_row(row: OutputAchievement) -> TargetPlace:
    return of_monthly_report(row.report)


def _quarterly(report: QuarterlyReport) -> TargetPlace:
    return TargetPlace(report.satker, report.fiscal_year, None, None, report)


def _obstacle(obstacle: Obstacle) -> TargetPlace:
    """An obstacle stays with its satker across quarters: its evidence belongs to the latest
    report it is reported in (or the one that opened it), and is locked with that report."""
    reports = [obstacle.opened_in, *obstacle.reported_in.select_related("fiscal_year", "satker")]
    latest = max(reports, key=lambda report: report.sequence)
    return TargetPlace(obstacle.satker, latest.fiscal_year, None, None, latest)


BUDGETS_TARGETS: dict[str, Resolver] = {
    "budgets.realization": _realization,
    "budgets.outputachievement": _ro_row,
    "budgets.quarterlyreport": _quarterly,
    "budgets.obstacle": _obstacle,
}


@cache
def _declared(paths: tuple[str, ...]) -> dict[str, Resolver]:
    found: dict[str, Resolver] = {}
    for path in paths:
        found.update(import_string(path))
    return found


def evidence_targets() -> dict[str, Resolver]:
    """Every target model label with its resolver: budgets' and those settings declare."""
    return {**BUDGETS_TARGETS, **_declared(tuple(getattr(settings, "EVIDENCE_TARGETS", ())))}


def target_label(target: Model) -> str:
    return target._meta.label_lower


def is_target(target: Model) -> bool:
    return target_label(target) in evidence_targets()


def place_of(target: Model) -> TargetPlace:
    """Where ``target`` belongs; KeyError when evidence cannot be attached to its model."""
    return evidence_targets()[target_label(target)](target)


@cache
def _listers(paths: tuple[str, ...]) -> list[Callable[[MonthlyReport], list[tuple[str, list[Model]]]]]:
    return [import_string(path) for path in paths]


def report_records(report: MonthlyReport) -> list[tuple[str, list[Model]]]:
    """The programme records a monthly report carries, as (group title, records), from the apps
    settings name (``EVIDENCE_REPORT_RECORDS``): a fixed number of queries per report, asked once
    per report object (the report page's evidence section and its comments both list them)."""
    groups: list[tuple[str, list[Model]]] | None = getattr(report, "_programme_records", None)
    if groups is None:
        groups = []
        for lister in _listers(tuple(getattr(settings, "EVIDENCE_REPORT_RECORDS", ()))):
            groups.extend(lister(report))
        report._programme_records = groups
    return groups


def record_resolvers() -> dict[str, Resolver]:
    """The programme records' resolvers only: the targets settings declare (budgets' own targets,
    the realization and RO rows, are lines and RO rows of a report, not records)."""
    return _declared(tuple(getattr(settings, "EVIDENCE_TARGETS", ())))


def is_record_of(record: Any, report: MonthlyReport) -> bool:
    """Whether ``record`` is a programme record of ``report``'s month: a model settings declare
    whose place is that monthly report (an OVOP coaching has no month: never)."""
    if not isinstance(record, Model) or record.pk is None:
        return False
    resolver = record_resolvers().get(target_label(record))
    if resolver is None:
        return False
    place = resolver(record)
    return place.monthly_report is not None and place.monthly_report.pk == report.pk


def record_by_label(label: str, pk: int) -> Model | None:
    """The programme record ``label`` ("programs.facilitation") ``pk``, or None when the label is
    no declared record model or the record is gone."""
    if label not in record_resolvers():
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=pk).first()
