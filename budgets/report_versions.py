"""What an officer's save of a draft writes, for the data version (core/data_version.py,
``ReportRule``): the month's realization rows and their sums, and the report's total and version.
Every cached report counts only reports past the draft (``BASIS_STATUSES``), so these writes on a
report that no basis counts raise the drafts' version, not the reports': the national pages stay
cached while the provinces type. The first opening of a submitted report by its reviewer
(``review_started_at``/``_by``, shown on the report's own page only) raises the drafts' version
too. Any other write (a status change, a programme record, an RO row, a comment) raises
the reports' version as before."""

from __future__ import annotations

from core.data_version import ReportRule


def report_rule() -> ReportRule:
    from budgets.models import ComponentRealization, MonthlyReport, Realization, SpendingTypeRealization
    from budgets.reports.queries import BASIS_STATUSES

    counted = {str(status) for statuses in BASIS_STATUSES.values() for status in statuses}
    meta = MonthlyReport._meta
    return ReportRule(
        report_table=meta.db_table,
        status_column=meta.get_field("status").column,
        uncounted=tuple(sorted(set(MonthlyReport.Status.values) - counted)),
        rows={
            model._meta.db_table: model._meta.get_field("report").column
            for model in (Realization, ComponentRealization, SpendingTypeRealization)
        },
        entry_columns=tuple(meta.get_field(name).column for name in ("realized_total", "version", "updated_at")),
        # Shown on the report's own page only (never cached): written when a reviewer first opens it.
        unread_columns=tuple(meta.get_field(name).column for name in ("review_started_at", "review_started_by")),
    )
