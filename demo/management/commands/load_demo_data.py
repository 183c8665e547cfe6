"""load_demo_data: the budgets demo (demo.budgets), the programme demo (demo.programs) on its
approved monthly reports, then the RO achievement (demo.outputs) on both, in one transaction. It lives in programs
because it needs both apps and budgets must not import programs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from core.formats import format_amount, format_number, format_percent
from demo.budgets import DemoDataError, current_demo_year, demo_data_load, demo_years, published_figures
from demo.evidence import evidence_demo_load
from demo.ikpa import ikpa_demo_load
from demo.outputs import ro_demo_load
from demo.programs import ProgrammeResult, programme_demo_load
from demo.publication import publication_demo_load
from demo.quality import MONTHS_CHECKED, quality_demo_load
from demo.quarterly import demo_summary, quarterly_demo_load


def output_summary(outputs: dict[str, dict[str, Any]]) -> str:
    """The published outputs (DOMAIN.md) as loaded, on the approved basis."""
    everyone, dk = outputs[""], outputs["DK"]
    n = format_number
    return (
        f"WUB {n(everyone['wub'])} (DK {n(dk['wub'])}, {n(dk['wub_legal'])} berizin usaha), "
        f"sentra OVOP {n(everyone['ovop_centres'])}, pengembangan produk {n(everyone['product_development'])}, "
        f"pameran {n(everyone['exhibition_ikm'])} IKM ({format_amount(everyone['exhibition_value'])}), "
        f"industri 4.0 {n(everyone['i40'])}, restrukturisasi {n(everyone['restructuring_ikm'])} IKM "
        f"({format_amount(everyone['restructuring_value'])}), SNI {n(everyone['sni'])}, ISO {n(everyone['iso'])}, "
        f"HACCP {n(everyone['haccp'])}, HKI {n(everyone['hki'])}, kemitraan {n(everyone['partnership'])}"
    )


class Command(BaseCommand):
    help = (
        "Muat data demo TA 2022 dan 2023 (pagu, RPD, realisasi dan laporan bulanan 38 satker provinsi "
        "dan 4 unit pusat, dengan angka realisasi yang dipublikasikan) serta tahun anggaran berjalan "
        "sampai bulan yang sudah berakhir; lalu data program pada laporan yang disetujui (WUB, fasilitasi, "
        "kemiskinan ekstrem, direktori sentra IKM dan pembinaan OVOP, siklus penghargaan OVOP, target output, "
        "registri IKM) dengan capaian output 2022 yang dipublikasikan; lalu target dan capaian RO tiap laporan. "
        "Jalankan setelah load_master_data. "
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
            with transaction.atomic():
                results = demo_data_load(years=years, today=today)
                ikpa = ikpa_demo_load(years=years)
                programmes = programme_demo_load(years=years, today=today)
                outputs = ro_demo_load(years=years, today=today)
                # Last: its figures are read from the monthly reports and RO rows loaded above.
                quarterly = quarterly_demo_load(years=years, today=today)
                quality = quality_demo_load(today=today) if not years or today.year in years else {}
                evidence = evidence_demo_load(years=years, today=today)
                public_years = publication_demo_load(loaded_years=[r.year for r in results if not r.skipped])
        except DemoDataError as error:
            raise CommandError(f"Data demo tidak dimuat, tidak ada yang diubah: {error}") from error
        for result in results:
            if result.skipped:
                reason = result.note or "satker demo sudah memiliki pagu, RPD atau laporan"
                self.stdout.write(f"TA {result.year}: dilewati, {reason}.")
                continue
            counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            published = published_figures(result.year)
            figures = ", ".join(f"{label} {format_percent(value)}" for label, value in published.items())
            if result.year == current_demo_year(today):
                self.stdout.write(
                    f"TA {result.year}: {counts}. Realisasi sejauh ini (laporan disetujui) {figures}. {result.note}."
                )
            else:
                self.stdout.write(f"TA {result.year}: {counts}. Realisasi (laporan disetujui) {figures}.")
        for year, count in ikpa.items():
            self.stdout.write(f"Nilai IKPA OM-SPAN TA {year}: {format_number(count)} nilai (impor demo).")
        for programme in programmes:
            self.stdout.write(self._programme_line(programme))
        for ro in outputs:
            done = ", ".join(f"{count} {label}" for label, count in ro.counts.items())
            self.stdout.write(f"Capaian RO TA {ro.year}: {done or 'dilewati, ' + ro.note}.")
        for line in demo_summary(quarterly):
            self.stdout.write(line)
        if quality:
            done = ", ".join(f"{count} {label}" for label, count in quality.items())
            self.stdout.write(f"Mutu data TA {today.year} ({MONTHS_CHECKED} bulan terakhir): {done}.")
        for result in evidence:
            done = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            self.stdout.write(f"Bukti dukung TA {result.year}: {done}.")
        if public_years:
            self.stdout.write(f"Halaman publik /public/: TA {', '.join(map(str, public_years))} dipublikasikan.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo siap. Masuk sebagai officer-17, head-17, reviewer atau admin; kata sandi {DEMO_PASSWORD}."
            )
        )

    @staticmethod
    def _programme_line(result: ProgrammeResult) -> str:
        if result.year is None:
            created = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            return f"Registri IKM dan sentra OVOP: {created} baru."
        if result.skipped:
            return f"Program TA {result.year}: dilewati, {result.note}."
        if not result.counts:
            return f"Program TA {result.year}: {result.note}; data program diisi petugas."
        counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
        if not result.outputs:
            return f"Program TA {result.year}: {counts}."
        return f"Program TA {result.year}: {counts}. Capaian (laporan disetujui) {output_summary(result.outputs)}."
