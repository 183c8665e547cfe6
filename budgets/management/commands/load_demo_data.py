from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from budgets.demo_data import DEMO_YEARS, DemoDataError, demo_data_load, published_figures
from budgets.services import DEMO_PASSWORD


def _persen(value: Any) -> str:
    return "-" if value is None else f"{value} %".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Muat data demo TA 2022 dan 2023: pagu, RPD, realisasi dan laporan bulanan 38 satker provinsi "
        "dan 4 unit pusat, dengan angka realisasi yang dipublikasikan. Jalankan setelah load_master_data. "
        "Aman diulang: tahun yang sudah berisi data dilewati."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            choices=DEMO_YEARS,
            dest="years",
            help="Muat hanya tahun ini (boleh diulang; bawaan: 2022 dan 2023).",
        )

    def handle(self, *args: Any, years: list[int] | None, **options: Any) -> None:
        try:
            results = demo_data_load(years=tuple(years or DEMO_YEARS))
        except DemoDataError as error:
            raise CommandError(f"Data demo tidak dimuat, tidak ada yang diubah: {error}") from error
        for result in results:
            if result.skipped:
                self.stdout.write(f"TA {result.year}: dilewati, satker demo sudah memiliki pagu, RPD atau laporan.")
                continue
            counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            figures = published_figures(result.year)
            self.stdout.write(
                f"TA {result.year}: {counts}. Realisasi (laporan disetujui) DK {_persen(figures['DK'])}, "
                f"seluruh Ditjen {_persen(figures['Ditjen'])}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo siap. Masuk sebagai officer-17, reviewer atau admin; kata sandi {DEMO_PASSWORD}."
            )
        )
