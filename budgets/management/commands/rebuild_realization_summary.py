"""rebuild_realization_summary: recompute each monthly report's realization total and its sums
per component from the realization rows, or with ``--check`` only list where they disagree.

A repair tool: every write of realization keeps the summaries current in its own transaction
(budgets/realization_summary.py). Run it after loading realization behind the ORM's back (COPY,
raw SQL), or when ``--check`` finds a difference.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from budgets import realization_summary

SHOWN = 20


class Command(BaseCommand):
    help = "Menghitung ulang ringkasan realisasi per laporan dan per komponen (atau --check: hanya memeriksa)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Hanya bandingkan; keluar dengan status 1 bila berbeda."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if not check:
            reports = realization_summary.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Ringkasan realisasi dihitung ulang: {reports} laporan."))
            return
        found = realization_summary.differences()
        if not found:
            self.stdout.write(self.style.SUCCESS("Ringkasan realisasi sesuai dengan data realisasi."))
            return
        for line in found[:SHOWN]:
            self.stdout.write(line)
        raise CommandError(
            f"Ringkasan realisasi berbeda di {len(found)} tempat; jalankan manage.py rebuild_realization_summary."
        )
