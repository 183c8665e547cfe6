"""rebuild_output_summary: recompute each monthly report's output figures (WUB, facilitations,
beneficiaries) from the monthly records, or with ``--check`` only list where they disagree.

A repair tool: every record write keeps the figures current in its own transaction
(programs/output_summary.py). Run it after loading records behind the ORM's back (COPY, raw SQL),
or when ``--check`` finds a difference.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs import output_summary

SHOWN = 20


class Command(BaseCommand):
    help = "Menghitung ulang ringkasan output per laporan bulanan (atau --check: hanya memeriksa)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Hanya bandingkan; keluar dengan status 1 bila berbeda."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if not check:
            reports = output_summary.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Ringkasan output dihitung ulang: {reports} laporan."))
            return
        found = output_summary.differences()
        if not found:
            self.stdout.write(self.style.SUCCESS("Ringkasan output sesuai dengan catatan program."))
            return
        for line in found[:SHOWN]:
            self.stdout.write(line)
        raise CommandError(
            f"Ringkasan output berbeda di {len(found)} tempat; jalankan manage.py rebuild_output_summary."
        )
