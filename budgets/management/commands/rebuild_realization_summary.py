"""rebuild_realization_summary: recompute each monthly report's realization total and its sums
per component and per spending type from the realization rows, or with ``--check`` only list
where they disagree.

A repair tool: every write of realization keeps the summaries current in its own transaction
(budgets/realization_summary.py). Run it after loading realization behind the ORM's back (COPY,
raw SQL), or when ``--check`` finds a difference.
"""

from __future__ import annotations

from budgets import realization_summary
from core.management.summary_command import SummaryCommand


class Command(SummaryCommand):
    help = (
        "Menghitung ulang ringkasan realisasi per laporan, per komponen dan per jenis belanja "
        "(atau --check: hanya memeriksa)."
    )
    summary, source, command = "Ringkasan realisasi", "data realisasi", "rebuild_realization_summary"

    def rebuild(self) -> int:
        return realization_summary.rebuild()

    def differences(self) -> list[str]:
        return realization_summary.differences()
