"""Rows written the way the product's services write them, for tests that build their data
directly: with the summaries the services keep in the same transaction (budgets' realization
summary, programs' output summary)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from budgets import realization_summary
from budgets.models import BudgetLine, MonthlyReport, OutputAchievement, Realization
from budgets.ro_entry import outputs_missing
from programs.records import output_summary


def add_realization(*, report: MonthlyReport, line: BudgetLine, amount: int) -> Realization:
    row = Realization.objects.create(report=report, line=line, amount=amount)
    realization_summary.refresh([report.pk])
    return row


def set_realization(row: Realization, amount: int) -> None:
    """A stored row's amount changed, as a fix in the shell would (its report's summaries after it)."""
    row.amount = amount
    row.save()
    realization_summary.refresh([row.report_id])


def outputs_written(reports: Iterable[MonthlyReport]) -> None:
    """The output figures of these reports, after their programme records were written directly."""
    output_summary.refresh(report.pk for report in reports)


def ro_rows_filled(report: MonthlyReport) -> list[OutputAchievement]:
    """An explicit zero row for every RO with pagu the report still lacks (a month is submitted
    only when every such RO has its row): for tests about something else than the RO rows."""
    return OutputAchievement.objects.bulk_create(
        OutputAchievement(
            report=report,
            fiscal_year_id=report.fiscal_year_id,
            output=output,
            volume=Decimal(0),
            physical_progress=Decimal(0),
        )
        for output in outputs_missing(report)
    )
