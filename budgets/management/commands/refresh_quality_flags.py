"""Recompute the data-quality flags of a year's monthly reports that have left the draft (after a
rule or the exhibition cap changed, or to fill in flags for reports handed in before the rules
existed). Safe to run again: the refresh is idempotent and keeps the decisions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from budgets.models import MonthlyReport
from budgets.services.quality import flags_refresh


class Command(BaseCommand):
    help = "Hitung ulang tanda kualitas data laporan bulanan satu tahun yang sudah diajukan. Aman dijalankan berulang."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="Tahun anggaran (bawaan: tahun berjalan).")

    def handle(self, *args: Any, year: int | None, **options: Any) -> None:
        reports = (
            MonthlyReport.objects.filter(fiscal_year__year=year or timezone.localdate().year)
            .exclude(status=MonthlyReport.Status.DRAFT)
            .select_related("satker__province", "fiscal_year")
            .order_by("month", "satker__code")
        )
        flagged = count = 0
        for report in reports.iterator():
            flagged += len(flags_refresh(report=report))
            count += 1
        self.stdout.write(f"{count} laporan, {flagged} tanda kualitas data.")
