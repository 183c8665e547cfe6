"""Small reads of master data used by several pages (reports proper live in reports.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from budgets.models import (
    Authority,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Realization,
    RpdPlan,
    RpdRevision,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from core.formats import MONTH_CHOICES, MONTH_NAMES


def current_fiscal_year() -> FiscalYear | None:
    """The fiscal year of today's date, or the latest one before it."""
    return FiscalYear.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()


def published_fiscal_years() -> list[FiscalYear]:
    """The fiscal years the directorate has put on the public page, newest first (one query)."""
    return list(FiscalYear.objects.filter(published_at__isnull=False).order_by("-year"))


def published_years() -> list[int]:
    return [fiscal_year.year for fiscal_year in published_fiscal_years()]


@dataclass(frozen=True)
class YearOption:
    """A fiscal year as the year pickers offer it."""

    fiscal_year: FiscalYear
    has_data: bool  # budget lines (a DIPA) or monthly reports

    @property
    def year(self) -> int:
        return self.fiscal_year.year

    @property
    def label(self) -> str:
        return str(self.year) if self.has_data else _("%(year)s (belum ada data)") % {"year": self.year}


def year_options() -> list[YearOption]:
    """Every fiscal year for a year picker: the years that have data first, newest first, then the
    years without any (the master data lists fiscal years ahead of their DIPA), newest first and
    labelled "(belum ada data)". One query. The one helper of every year picker (the dashboard,
    the reports' filter bar, the ledger), so they all offer the years in the same order."""
    years = FiscalYear.objects.annotate(
        has_data=Exists(BudgetLine.objects.filter(fiscal_year=OuterRef("pk")))
        | Exists(MonthlyReport.objects.filter(fiscal_year=OuterRef("pk")))
    ).order_by("-year")
    options = [YearOption(fiscal_year, bool(fiscal_year.has_data)) for fiscal_year in years]
    return [option for option in options if option.has_data] + [option for option in options if not option.has_data]


def satker_count_by_authority(*, user, fiscal_year: FiscalYear) -> list[tuple[str, str, int]]:
    """(code, label, number of satkers) for each authority in ``fiscal_year``, within the user's scope."""
    counts = dict(
        scoped(SatkerAuthority.objects.filter(fiscal_year=fiscal_year), user)
        .values_list("authority")
        .annotate(satkers=Count("pk"))
        .order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in Authority.choices]


def realization_grid(*, satker: Satker, fiscal_year: FiscalYear, month: int) -> list[BudgetLine]:
    """The satker-year's budget lines with, in one query: realized before ``month``, in it, and
    after it (every report status: entries are checked against all months), and what remains."""
    in_year = Q(realizations__report__fiscal_year=fiscal_year)
    lines = list(
        BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .select_related("component", "account__spending_type", "output__output_class__activity")
        .annotate(
            before=Coalesce(Sum("realizations__amount", filter=in_year & Q(realizations__report__month__lt=month)), 0),
            this_month=Coalesce(Sum("realizations__amount", filter=in_year & Q(realizations__report__month=month)), 0),
            after=Coalesce(Sum("realizations__amount", filter=in_year & Q(realizations__report__month__gt=month)), 0),
        )
        .order_by("component__code", "account__code")
    )
    for line in lines:
        line.remaining = line.pagu_efektif - line.before - line.this_month - line.after
    return lines


def satker_months(*, satker: Satker, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """Twelve rows for the satker-year: report (or None), realization and RPD of the month and
    both cumulative. Three queries whatever the data."""
    reports = {r.month: r for r in MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year)}
    realized = dict(
        Realization.objects.filter(report__satker=satker, report__fiscal_year=fiscal_year)
        .values("report__month")
        .annotate(total=Sum("amount"))
        .values_list("report__month", "total")
    )
    planned = dict(
        RpdPlan.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    rows, realized_cumulative, planned_cumulative = [], 0, 0
    for month, label in MONTH_CHOICES:
        realized_cumulative += realized.get(month, 0)
        planned_cumulative += planned.get(month, 0)
        rows.append(
            {
                "month": month,
                "label": label,
                "report": reports.get(month),
                "realisasi": realized.get(month, 0),
                "realisasi_kumulatif": realized_cumulative,
                "rpd": planned.get(month, 0),
                "rpd_kumulatif": planned_cumulative,
            }
        )
    return rows


def pagu_summary(*, satker: Satker, fiscal_year: FiscalYear) -> dict[str, int]:
    totals = BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year).aggregate(
        pagu=Coalesce(Sum("pagu"), 0), blokir=Coalesce(Sum("blokir"), 0)
    )
    return {**totals, "pagu_efektif": totals["pagu"] - totals["blokir"]}


def effective_pagu() -> CombinedExpression:
    """A budget line's effective pagu (pagu - blokir: ``BudgetLine.pagu_efektif``) as an
    expression, for sums in the database."""
    return F("pagu") - F("blokir")


def effective_pagu_by_type(lines: QuerySet[BudgetLine]) -> dict[tuple[int, int], dict[int, int]]:
    """The effective pagu (pagu - blokir) per spending type id of each satker-year of ``lines``,
    keyed (satker id, fiscal year id); a type whose lines are all blocked is there with 0. The RPD
    of a satker-year must add up to it per type, on the form and in the import alike."""
    pagu: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for satker_id, year_id, type_id, total in (
        lines.order_by()
        .values("satker", "fiscal_year", "account__spending_type")
        .annotate(total=Sum(effective_pagu()))
        .values_list("satker", "fiscal_year", "account__spending_type", "total")
    ):
        pagu[(satker_id, year_id)][type_id] = total
    return pagu


def satker_year_pagu_by_type(satker: Satker, fiscal_year: FiscalYear) -> dict[int, int]:
    """``effective_pagu_by_type`` of one satker-year: spending type id -> effective pagu."""
    lines = BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year)
    return effective_pagu_by_type(lines).get((satker.pk, fiscal_year.pk), {})


def rpd_grid(*, satker: Satker, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """One row per spending type with pagu this year: its effective pagu and 12 planned amounts."""
    pagu = satker_year_pagu_by_type(satker, fiscal_year)
    plans: dict[int, dict[int, int]] = {}
    for spending_type_id, month, amount in RpdPlan.objects.filter(satker=satker, fiscal_year=fiscal_year).values_list(
        "spending_type", "month", "amount"
    ):
        plans.setdefault(spending_type_id, {})[month] = amount
    rows = []
    for spending_type in SpendingType.objects.filter(pk__in=set(pagu) | set(plans)).order_by("code"):
        months = plans.get(spending_type.pk, {})
        rows.append(
            {
                "spending_type": spending_type,
                "pagu_efektif": pagu.get(spending_type.pk, 0),
                "months": [months.get(m, 0) for m in range(1, 13)],
                "total": sum(months.values()),
            }
        )
    return rows


def rpd_versions(*, satker: Satker, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """Every save of the satker-year's RPD, newest first: when, who, the window (None for the
    first plan) and the cells it changed, in two queries whatever the number of versions.
    ``cells`` is None for a revision saved before versions were kept."""
    revisions = (
        RpdRevision.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .select_related("saved_by", "window__fiscal_year")
        .order_by("-saved_at", "-pk")
    )
    names = dict(SpendingType.objects.values_list("code", "name"))
    versions = []
    for revision in revisions:
        changed = revision.changed_cells()
        cells = None
        if changed is not None:
            cells = [
                {"month": month, "month_name": MONTH_NAMES.get(month, month), "spending_type": code,
                 "spending_type_name": names.get(code, ""), "before": before, "after": after}
                for code, month, before, after in sorted(changed, key=lambda cell: (cell[1], cell[0]))
            ]  # fmt: skip
        versions.append({"revision": revision, "cells": cells})
    return versions


def report_changes_since_previous_submission(report: MonthlyReport) -> list[dict[str, Any]] | None:
    """Lines whose amount differs between the previous submission and now (the latest
    submission when the report is under review). None when there was no earlier submission."""
    snapshots = [
        t.snapshot
        for t in report.transitions.filter(to_status=MonthlyReport.Status.SUBMITTED).order_by("-at", "-pk")[:2]
    ]
    current = {str(k): v for k, v in report.realizations.values_list("line_id", "amount")}
    if report.is_locked:
        if len(snapshots) < 2:
            return None
        previous = snapshots[1] or {}
    else:
        if not snapshots:
            return None
        previous = snapshots[0] or {}
    changed_ids = {k for k in set(previous) | set(current) if previous.get(k, 0) != current.get(k, 0)}
    lines = BudgetLine.objects.filter(pk__in=[int(k) for k in changed_ids]).select_related("component", "account")
    return [
        {"line": line, "before": previous.get(str(line.pk), 0), "after": current.get(str(line.pk), 0)}
        for line in sorted(lines, key=lambda line: (line.component.code, line.account.code))
    ]


def realization_audit(report: MonthlyReport) -> list[dict[str, Any]]:
    """Every recorded change of the report's entries: when, who, line, old -> new amount."""
    records = (
        Realization.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lines = {
        line.pk: line
        for line in BudgetLine.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year).select_related(
            "component", "account"
        )
    }
    last: dict[int, int] = {}
    changes = []
    for record in records:
        old = last.get(record.line_id)
        new = None if record.history_type == "-" else record.amount
        last[record.line_id] = new or 0
        changes.append(
            {
                "at": record.history_date,
                "user": record.history_user,
                "line": lines.get(record.line_id),
                "old": old,
                "new": new,
            }
        )
    changes.reverse()
    return changes
