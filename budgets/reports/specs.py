"""What each realization report is: its CONTRACT name and URL, its parameters, its columns
(key, label, kind), whether it shows data below province level, and how to build it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from budgets.models import FiscalYear
from budgets.reports.queries import (
    RealizationFilter,
    ReportResult,
    monthly_report,
    national_summary,
    province_ranking,
    satker_report,
    submissions_report,
)

FILTERS = {"year", "month", "province", "component", "authority", "basis"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text money percent number int bool month date datetime status timeliness


@dataclass(frozen=True)
class BuildContext:
    fiscal_year: FiscalYear
    below: object  # Decimal | None
    below_given: bool
    today: date


@dataclass(frozen=True)
class ReportSpec:
    name: str
    url_name: str
    title: str
    columns: tuple[Column, ...]
    build: Callable[[RealizationFilter, BuildContext], ReportResult]
    params: frozenset[str] = frozenset(FILTERS)
    # True: rows below province level (satkers, months, submissions) are limited to an
    # officer's own province; False: province-level aggregates every role may read.
    below_province: bool = False
    # True: built only from tables that raise the reports' data version (core.data_version),
    # so the page may be served from core.fresh_cache; False: built on every request.
    cacheable: bool = False


MONEY = (
    Column("pagu", _("Pagu"), "money"),
    Column("blokir", _("Blokir"), "money"),
    Column("pagu_efektif", _("Pagu efektif"), "money"),
    Column("rpd", _("RPD"), "money"),
    Column("realisasi", _("Realisasi"), "money"),
    Column("persen", _("Realisasi (%)"), "percent"),
)

# The ``group`` values of the national summary and the IKM report are CONTRACT keys (JSON and
# CSV keep them); the HTML table and the XLSX show them by these labels.
GROUP_LABELS = {
    "authority": _("Kewenangan"),
    "component": _("Komponen"),
    "province": _("Provinsi"),
    "kbli": _("Golongan KBLI"),
}


def _satkers(filters: RealizationFilter, context: BuildContext) -> ReportResult:
    below = context.below
    if context.below_given and below is None:
        below = context.fiscal_year.below_average_threshold
    return satker_report(filters, below=below, threshold=context.fiscal_year.below_average_threshold)


# The reports of CONTRACT, by name. Apps further up (programs) add theirs with register_report()
# when they are ready, so budgets never imports them.
REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in [
        ReportSpec(
            "realization",
            "budgets:report-realization",
            _("Ringkasan realisasi nasional"),
            (Column("group", _("Kelompok")), Column("key", _("Kode")), Column("name", _("Nama")), *MONEY),
            lambda filters, context: national_summary(filters),
            cacheable=True,
        ),
        ReportSpec(
            "provinces",
            "budgets:report-provinces",
            _("Peringkat realisasi provinsi"),
            (
                Column("rank", _("Peringkat"), "int"),
                Column("province", _("Kode BPS")),
                Column("province_name", _("Provinsi")),
                *MONEY,
                Column("top_five", _("Lima teratas"), "bool"),
                Column("below_average", _("Di bawah rata-rata"), "bool"),
            ),
            lambda filters, context: province_ranking(filters),
            cacheable=True,
        ),
        ReportSpec(
            "satkers",
            "budgets:report-satkers",
            _("Realisasi per satker"),
            (
                Column("satker", _("Kode satker")),
                Column("satker_name", _("Satker")),
                Column("province", _("Kode BPS")),
                Column("province_name", _("Provinsi")),
                *MONEY,
                Column("below_threshold", _("Di bawah ambang"), "bool"),
            ),
            _satkers,
            params=frozenset(FILTERS | {"below"}),
            below_province=True,
            cacheable=True,
        ),
        ReportSpec(
            "monthly",
            "budgets:report-monthly",
            _("Realisasi bulanan dan deviasi RPD"),
            (
                Column("month", _("Bulan"), "month"),
                Column("rpd", _("RPD"), "money"),
                Column("realisasi", _("Realisasi"), "money"),
                Column("rpd_kumulatif", _("RPD kumulatif"), "money"),
                Column("realisasi_kumulatif", _("Realisasi kumulatif"), "money"),
                Column("deviasi", _("Deviasi (%)"), "percent"),
                Column("skor_deviasi", _("Nilai deviasi hal. III"), "number"),
                Column("serapan", _("Penyerapan kumulatif (%)"), "percent"),
                Column("target_serapan", _("Target triwulan (%)"), "percent"),
                Column("target_tercapai", _("Target tercapai"), "bool"),
            ),
            lambda filters, context: monthly_report(filters, fiscal_year=context.fiscal_year),
            below_province=True,
            cacheable=True,
        ),
        ReportSpec(
            "submissions",
            "budgets:report-submissions",
            _("Ketepatan waktu laporan bulanan"),
            (
                Column("satker", _("Kode satker")),
                Column("satker_name", _("Satker")),
                Column("province", _("Kode BPS")),
                Column("province_name", _("Provinsi")),
                Column("month", _("Bulan"), "month"),
                Column("status", _("Status"), "status"),
                Column("due_date", _("Batas waktu"), "date"),
                Column("submitted_at", _("Diajukan"), "datetime"),
                Column("timeliness", _("Ketepatan"), "timeliness"),
            ),
            lambda filters, context: submissions_report(filters, fiscal_year=context.fiscal_year, today=context.today),
            below_province=True,
            cacheable=True,
        ),
    ]
}


def register_report(spec: ReportSpec) -> None:
    REPORTS[spec.name] = spec
