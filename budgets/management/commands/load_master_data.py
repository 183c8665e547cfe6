from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from budgets.master_data import DATA_DIR, MasterDataError, read_master_data
from budgets.services import master_data_load


class Command(BaseCommand):
    help = (
        "Muat data induk: 38 provinsi dan masa berlakunya, 514 kabupaten/kota dan provinsi sebelumnya, satker, "
        "jenis belanja, komponen, akun, "
        "tahun anggaran, kewenangan satker, hari libur dan cuti bersama, serta jendela perubahan RPD. "
        "Aman dijalankan berulang."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Folder berkas CSV data induk.")
        parser.add_argument(
            "--through-year",
            type=int,
            default=None,
            help="Buat tahun anggaran sampai tahun ini (bawaan: tahun berjalan).",
        )

    def handle(self, *args: Any, data_dir: Path, through_year: int | None, **options: Any) -> None:
        try:
            data = read_master_data(data_dir)
        except MasterDataError as error:
            raise CommandError(
                "Data induk ditolak, tidak ada yang diubah:\n" + "\n".join(f"  - {p}" for p in error.problems)
            ) from error
        summary = master_data_load(data=data, through_year=through_year or timezone.localdate().year)
        for label, count in summary.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("Data induk dimuat."))
