"""rebuild_registry_summary: recompute the IKM registry summary (RegistrySummary) from the
enterprises, or with ``--check`` only say where it disagrees with them.

A repair tool, not part of any report: every write of the registry keeps the summary current in
its own transaction (programs/registry/summary.py). Run it after loading enterprises behind the
ORM's back (COPY, raw SQL, bulk_create), or when ``--check`` finds a difference. The rebuild
reads the whole registry (seconds at national scale) and, on PostgreSQL, holds writes of the
registry back meanwhile; reads go on.
"""

from __future__ import annotations

from core.management.summary_command import SummaryCommand
from programs.registry.summary import FIGURES, rebuild_registry_summary, summary_differences


class Command(SummaryCommand):
    help = "Menghitung ulang ringkasan registri IKM dari data IKM (atau --check: hanya memeriksa)."
    summary, source, command = "Ringkasan registri IKM", "data IKM", "rebuild_registry_summary"
    unit, place = "kunci", "kunci (provinsi, tahun pendataan, golongan KBLI)"

    def rebuild(self) -> int:
        return rebuild_registry_summary()

    def differences(self) -> list[str]:
        return [
            f"{key}: tersimpan {_figures(stored)}, seharusnya {_figures(expected)}"
            for key, stored, expected in summary_differences()
        ]


def _figures(values: tuple[int, ...] | None) -> str:
    return "-" if values is None else ", ".join(f"{name}={value}" for name, value in zip(FIGURES, values, strict=True))
