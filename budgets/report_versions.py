"""Which writes change which cached pages, for the data versions (core/data_version.py,
``ReportRule``).

Drafts: an officer's save of a draft writes the month's realization rows and their sums, and the
report's total and version. Every cached report counts only reports past the draft
(``BASIS_STATUSES``), so these writes on a report that no basis counts raise the drafts' version,
not the reports': the national pages stay cached while the provinces type. The first opening of a
submitted report by its reviewer (``review_started_at``/``_by``, shown on the report's own page
only) raises the drafts' version too.

Approved figures: the reports on the approved basis count the reports of its statuses only. A
write that leaves every such report alone (its rows, its status before and after, the sign-off's
bookkeeping: steps, flags, comments, reconciliation notes) raises the reports' version but not the
approved figures': submitting, verifying and returning a month keep the approved pages cached.

Any other write (a programme record, an RO row, master data) raises both, as before."""

from __future__ import annotations

from core.data_version import ReportRule
from core.reporting.spec import APPROVED_BASIS


def report_rule() -> ReportRule:
    from budgets.models import (
        ComponentRealization,
        LineComment,
        MonthlyReport,
        QualityFlag,
        Realization,
        ReconciliationNote,
        ReportTransition,
        ReturnTarget,
        SpendingTypeRealization,
    )
    from budgets.reports.queries import BASIS_STATUSES

    def of_report(*models) -> dict[str, str]:
        return {model._meta.db_table: model._meta.get_field("report").column for model in models}

    counted = {str(status) for statuses in BASIS_STATUSES.values() for status in statuses}
    meta = MonthlyReport._meta
    return ReportRule(
        report_table=meta.db_table,
        status_column=meta.get_field("status").column,
        uncounted=tuple(sorted(set(MonthlyReport.Status.values) - counted)),
        rows=of_report(Realization, ComponentRealization, SpendingTypeRealization),
        entry_columns=tuple(meta.get_field(name).column for name in ("realized_total", "version", "updated_at")),
        # Shown on the report's own page only (never cached): written when a reviewer first opens it.
        unread_columns=tuple(meta.get_field(name).column for name in ("review_started_at", "review_started_by")),
        official=tuple(sorted(str(status) for status in BASIS_STATUSES[APPROVED_BASIS])),
        bookkeeping=of_report(ReportTransition, ReturnTarget, QualityFlag, LineComment, ReconciliationNote),
    )
