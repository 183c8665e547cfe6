"""rebuild_output_summary: recompute each monthly report's output figures (WUB, facilitations,
beneficiaries) from the monthly records, or with ``--check`` only list where they disagree.

A repair tool: every record write keeps the figures current in its own transaction
(programs/records/output_summary.py). Run it after loading records behind the ORM's back (COPY, raw SQL),
or when ``--check`` finds a difference.
"""

from __future__ import annotations

from core.management.summary_command import SummaryCommand
from programs.records import output_summary


class Command(SummaryCommand):
    help = "Menghitung ulang ringkasan output per laporan bulanan (atau --check: hanya memeriksa)."
    summary, source, command = "Ringkasan output", "catatan program", "rebuild_output_summary"

    def rebuild(self) -> int:
        return output_summary.rebuild()

    def differences(self) -> list[str]:
        return output_summary.differences()
