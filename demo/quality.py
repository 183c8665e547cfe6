"""Data-quality flags on the demo's running year: the last four completed months' handed-in
reports are checked as the review would check them (budgets.services.quality.flags_refresh), and
the older half of what is found is marked explained by the reviewer, so the review pages show both
open flags to act on and settled ones. Only the last months: every report of a year costs ~20 ms."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from budgets.calendar import last_completed_month
from budgets.models import MonthlyReport, QualityFlag
from budgets.services.quality import flag_decide, flags_refresh

MONTHS_CHECKED = 4
EXPLAINED_NOTE = "Sudah dikonfirmasi dengan satker: data benar (demo)."


def quality_demo_load(*, today: date) -> dict[str, int]:
    last = last_completed_month(today.year, today)
    if last < 1:
        return {}
    reports = (
        MonthlyReport.objects.filter(fiscal_year__year=today.year, month__gt=last - MONTHS_CHECKED, month__lte=last)
        .exclude(status=MonthlyReport.Status.DRAFT)
        .select_related("satker__province", "fiscal_year")
    )
    for report in reports:
        flags_refresh(report=report)
    flags = list(
        QualityFlag.objects.filter(report__in=reports).select_related("report__satker").order_by("report__month", "pk")
    )
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    explained = flags[: len(flags) // 2] if reviewer else []
    for flag in explained:
        flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note=EXPLAINED_NOTE, by=reviewer)
    return {"tanda mutu": len(flags), "sudah dijelaskan": len(explained)}
