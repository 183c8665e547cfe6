"""What the rebuild_*_summary commands share: recompute a summary from its base rows, or with
``--check`` only list where they disagree (exit status 1 then)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SHOWN = 20  # differences listed by --check


class SummaryCommand(BaseCommand):
    summary = ""  # "Ringkasan realisasi": the summary, as the messages name it
    source = ""  # "data realisasi": what it is computed from
    command = ""  # the command's own name, for the advice after a difference
    unit = "laporan"  # what rebuild() counts
    place = "tempat"  # what differences() lists, one line each

    def rebuild(self) -> int:
        """Recompute everything; how many (of ``unit``) were done."""
        raise NotImplementedError

    def differences(self) -> list[str]:
        """Where the stored summary disagrees with its source, one line per ``place`` (empty: it agrees)."""
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Hanya bandingkan; keluar dengan status 1 bila berbeda."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if not check:
            done = self.rebuild()
            self.stdout.write(self.style.SUCCESS(f"{self.summary} dihitung ulang: {done} {self.unit}."))
            return
        found = self.differences()
        if not found:
            self.stdout.write(self.style.SUCCESS(f"{self.summary} sesuai dengan {self.source}."))
            return
        for line in found[:SHOWN]:
            self.stdout.write(line)
        raise CommandError(f"{self.summary} berbeda pada {len(found)} {self.place}; jalankan manage.py {self.command}.")
