"""The realization summaries: each monthly report's total (``MonthlyReport.realized_total``), its
sums per budget component (``ComponentRealization``) and per spending type
(``SpendingTypeRealization``).

Kept current by the code that writes realization, in its own transaction, by one mechanism: it
calls ``refresh()`` for the reports it wrote. ``realization_set`` does (the entry form and the
XLSX import go through it), and so does the demo loader; the admin shows realization read-only.
Realization is never deleted (its foreign keys protect it, and a zero amount stays a row), so
writes are the only way the sums change. Anything else that writes realization (COPY, raw SQL,
a fix in the shell) calls ``refresh()`` itself or runs ``manage.py rebuild_realization_summary``
afterwards; ``--check`` lists differences. A line's component and account never change (they
are its key); an account's spending type changes only with its code, in the admin, which
refreshes the reports of the account's realization (``refresh_account``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import ComponentRealization, MonthlyReport, Realization, SpendingTypeRealization

CHUNK = 2000  # reports per statement in a full rebuild


def refresh(report_ids: Iterable[int]) -> None:
    """Recompute the summaries of these reports from their realization rows."""
    ids = sorted(set(report_ids))
    if not ids:
        return
    with transaction.atomic():
        total = (
            Realization.objects.filter(report=OuterRef("pk"))
            .order_by()
            .values("report")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        MonthlyReport.objects.filter(pk__in=ids).update(realized_total=Coalesce(Subquery(total), Value(0)))
        ComponentRealization.objects.filter(report_id__in=ids).delete()
        ComponentRealization.objects.bulk_create(
            ComponentRealization(report_id=report_id, fiscal_year_id=year_id, component_id=component_id, amount=amount)
            for report_id, year_id, component_id, amount in _component_sums(ids)
        )
        SpendingTypeRealization.objects.filter(report_id__in=ids).delete()
        SpendingTypeRealization.objects.bulk_create(
            SpendingTypeRealization(
                report_id=report_id, fiscal_year_id=year_id, spending_type_id=type_id, amount=amount
            )
            for report_id, year_id, type_id, amount in _type_sums(ids)
        )


def refresh_account(account_id: int) -> None:
    """Recompute the summaries of the reports with realization on the account's lines (its
    spending type changed with its code)."""
    refresh(Realization.objects.filter(line__account_id=account_id).values_list("report_id", flat=True).distinct())


def _component_sums(report_ids: list[int] | None) -> list[tuple[int, int, int, int]]:
    """(report, its fiscal year, component, sum of realization) of these reports (None: of every
    report)."""
    realization = (
        Realization.objects.all() if report_ids is None else Realization.objects.filter(report_id__in=report_ids)
    )
    return list(
        realization.order_by()
        .values_list("report_id", "report__fiscal_year_id", "line__component_id")
        .annotate(amount=Sum("amount"))
    )


def _type_sums(report_ids: list[int] | None) -> list[tuple[int, int, int, int]]:
    """(report, its fiscal year, spending type, sum of realization) of these reports (None: of
    every report)."""
    realization = (
        Realization.objects.all() if report_ids is None else Realization.objects.filter(report_id__in=report_ids)
    )
    return list(
        realization.order_by()
        .values_list("report_id", "report__fiscal_year_id", "line__account__spending_type_id")
        .annotate(amount=Sum("amount"))
    )


def refresh_every_report(refresh_reports: Callable[[list[int]], None]) -> int:
    """Call ``refresh_reports`` for every monthly report, a chunk of keys at a time (a summary's
    full rebuild); the number of reports."""
    ids = list(MonthlyReport.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        refresh_reports(ids[start : start + CHUNK])
    return len(ids)


def rebuild() -> int:
    """Recompute every report's summaries; the number of reports."""
    return refresh_every_report(refresh)


def differences() -> list[str]:
    """Where the stored summaries disagree with the realization rows (empty when they agree)."""
    found = []
    expected_totals = dict(
        Realization.objects.order_by()
        .values("report_id")
        .annotate(total=Sum("amount"))
        .values_list("report_id", "total")
    )
    for report_id, stored in MonthlyReport.objects.values_list("pk", "realized_total"):
        expected = expected_totals.get(report_id, 0)
        if stored != expected:
            found.append(f"laporan {report_id}: jumlah {stored}, seharusnya {expected}")
    found += _sum_differences(_component_sums(None), ComponentRealization, "component_id", "komponen")
    found += _sum_differences(_type_sums(None), SpendingTypeRealization, "spending_type_id", "jenis belanja")
    return found


def _sum_differences(expected_rows, model, key_field: str, label: str) -> list[str]:
    """Where a summary table's (report, year, key) sums disagree with the sums expected."""
    expected = {(report, year, key): amount for report, year, key, amount in expected_rows}
    stored = {
        (report, year, key): amount
        for report, year, key, amount in model.objects.values_list("report_id", "fiscal_year_id", key_field, "amount")
    }
    return [
        f"laporan {key[0]} {label} {key[2]}: {stored.get(key)}, seharusnya {expected.get(key)}"
        for key in sorted(expected.keys() | stored.keys())
        if expected.get(key) != stored.get(key)
    ]
