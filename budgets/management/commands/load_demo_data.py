from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from budgets.demo_data import DemoDataError, current_demo_year, demo_data_load, demo_years, published_figures
from budgets.services import DEMO_PASSWORD


def _persen(value: Any) -> str:
    return "-" if value is None else f"{value} %".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Muat data demo TA 2022 dan 2023 (pagu, RPD, realisasi dan laporan bulanan 38 satker provinsi "
        "dan 4 unit pusat, dengan angka realisasi yang dipublikasikan) serta tahun anggaran berjalan "
        "sampai bulan yang sudah berakhir. Jalankan setelah load_master_data. "
        "Aman diulang: tahun yang sudah berisi data dilewati."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Read when the command runs, so the running year is the one of that day.
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            choices=demo_years(timezone.localdate()),
            dest="years",
            help="Muat hanya tahun ini (boleh diulang; bawaan: 2022, 2023 dan tahun berjalan).",
        )

    def handle(self, *args: Any, years: list[int] | None, **options: Any) -> None:
        today = timezone.localdate()
        try:
            results = demo_data_load(years=years, today=today)
        except DemoDataError as error:
            raise CommandError(f"Data demo tidak dimuat, tidak ada yang diubah: {error}") from error
        for result in results:
            if result.skipped:
                reason = result.note or "satker demo sudah memiliki pagu, RPD atau laporan"
                self.stdout.write(f"TA {result.year}: dilewati, {reason}.")
                continue
            counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            figures = ", ".join(f"{label} {_persen(value)}" for label, value in published_figures(result.year).items())
            if result.year == current_demo_year(today):
                self.stdout.write(
                    f"TA {result.year}: {counts}. Realisasi sejauh ini (laporan disetujui) {figures}. {result.note}."
                )
            else:
                self.stdout.write(f"TA {result.year}: {counts}. Realisasi (laporan disetujui) {figures}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo siap. Masuk sebagai officer-17, reviewer atau admin; kata sandi {DEMO_PASSWORD}."
            )
        )
