"""rebuild_registry_summary: recompute the IKM registry summary (RegistrySummary) from the
enterprises, or with ``--check`` only say where it disagrees with them.

A repair tool, not part of any report: every write of the registry keeps the summary current in
its own transaction (programs/registry_summary.py). Run it after loading enterprises behind the
ORM's back (COPY, raw SQL, bulk_create), or when ``--check`` finds a difference. The rebuild
reads the whole registry (seconds at national scale) and, on PostgreSQL, holds writes of the
registry back meanwhile; reads go on.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.registry_summary import FIGURES, rebuild_registry_summary, summary_differences

SHOWN = 20  # differences listed by --check


class Command(BaseCommand):
    help = "Menghitung ulang ringkasan registri IKM dari data IKM (atau --check: hanya memeriksa)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Hanya bandingkan ringkasan dengan data IKM; keluar dengan status 1 bila berbeda.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if check:
            self._check()
            return
        keys = rebuild_registry_summary()
        self.stdout.write(self.style.SUCCESS(f"Ringkasan registri IKM dihitung ulang: {keys} kunci."))

    def _check(self) -> None:
        differences = summary_differences()
        if not differences:
            self.stdout.write(self.style.SUCCESS("Ringkasan registri IKM sesuai dengan data IKM."))
            return
        for key, stored, expected in differences[:SHOWN]:
            self.stdout.write(f"{key}: tersimpan {_figures(stored)}, seharusnya {_figures(expected)}")
        raise CommandError(
            f"Ringkasan registri IKM berbeda pada {len(differences)} kunci (provinsi, tahun pendataan, golongan "
            "KBLI); jalankan manage.py rebuild_registry_summary."
        )


def _figures(values: tuple[int, ...] | None) -> str:
    return "-" if values is None else ", ".join(f"{name}={value}" for name, value in zip(FIGURES, values, strict=True))
