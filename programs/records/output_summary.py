"""The output summary: each monthly report's output figures (``ReportOutput``: its WUB, WUB
with NIB, beneficiaries of poverty handling, facilitations per kind and their values), as the
outputs report counts them.

Kept current by the code that writes monthly records, in its own transaction, by one mechanism: it
calls ``refresh()`` for the reports it wrote. The form services do (``records.services.touch_report``
after each save or delete), so do the XLSX import, which goes through the same function, and the
demo loader; the admin shows the records read-only. Anything else that writes them (COPY, raw
SQL, a fix in the shell) calls ``refresh()`` itself or runs ``manage.py rebuild_output_summary``
afterwards; ``--check`` lists differences. OVOP sentra have no monthly report and are counted
from their coaching records (OvopCoaching).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, Sum

from budgets.models import MonthlyReport
from budgets.realization_summary import refresh_every_report
from programs.models import KIND_OF, MONEY_KEYS, Facilitation, NewEntrepreneur, PovertyActivity, ReportOutput


def figures(report_ids: list[int] | None) -> dict[tuple[int, str], int]:
    """{(report, indicator): figure} computed from the records (None: of every report); zero
    figures are left out."""

    def of(model: type) -> object:
        records = model.objects.order_by()
        return records if report_ids is None else records.filter(report_id__in=report_ids)

    found: dict[tuple[int, str], int] = defaultdict(int)
    for report, wub, legal in (
        of(NewEntrepreneur)
        .values_list("report_id")
        .annotate(wub=Count("pk"), legal=Count("pk", filter=Q(nib__isnull=False)))
    ):
        found[(report, "wub")] += wub
        found[(report, "wub_legal")] += legal
    for report, beneficiaries in of(PovertyActivity).values_list("report_id").annotate(n=Sum("beneficiaries")):
        found[(report, "poverty_beneficiaries")] += beneficiaries or 0
    for report, kind, count, value in (
        of(Facilitation).values_list("report_id", "kind").annotate(n=Count("pk"), value=Sum("value"))
    ):
        for key, counted in KIND_OF.items():
            if counted == kind:
                found[(report, key)] += (value or 0) if key in MONEY_KEYS else count
    return {key: amount for key, amount in found.items() if amount}


def counts_for_report(report: MonthlyReport) -> dict[str, int]:
    """{indicator: figure} of one report, as stored (settings.RO_RECORD_COUNTS): one query."""
    return dict(ReportOutput.objects.filter(report=report).values_list("indicator", "amount"))


def refresh(report_ids: Iterable[int]) -> None:
    """Recompute the output figures of these reports from their records."""
    ids = sorted(set(report_ids))
    if not ids:
        return
    with transaction.atomic():
        year_of = dict(MonthlyReport.objects.filter(pk__in=ids).values_list("pk", "fiscal_year_id"))
        ReportOutput.objects.filter(report_id__in=ids).delete()
        ReportOutput.objects.bulk_create(
            ReportOutput(report_id=report, fiscal_year_id=year_of[report], indicator=indicator, amount=amount)
            for (report, indicator), amount in figures(ids).items()
        )


def rebuild() -> int:
    """Recompute every report's output figures; the number of reports."""
    return refresh_every_report(refresh)


def differences() -> list[str]:
    """Where the stored figures disagree with the records (empty when they agree)."""
    expected = figures(None)
    rows = ReportOutput.objects.values_list("report_id", "indicator", "amount")
    stored = {(report, indicator): amount for report, indicator, amount in rows}
    return [
        f"laporan {report} {indicator}: {stored.get((report, indicator), 0)}, "
        f"seharusnya {expected.get((report, indicator), 0)}"
        for report, indicator in sorted(expected.keys() | stored.keys())
        if expected.get((report, indicator), 0) != stored.get((report, indicator), 0)
    ]
