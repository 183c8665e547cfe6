"""The realization reports of CONTRACT (core/reporting/spec.py): their names, parameters, columns
(key, label, kind, how HTML shows a code), whether they show data below province level, and how
to build them. The reports app lists them (reports/catalog.py) with the other apps' reports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.ikpa.labels import CATEGORY_BADGES, CATEGORY_LABELS
from budgets.models import MonthlyReport
from budgets.reports.evidence import evidence_report
from budgets.reports.ikpa import ikpa_report
from budgets.reports.quarterly import quarterly_report
from budgets.reports.queries import (
    RealizationFilter,
    monthly_report,
    national_summary,
    province_ranking,
    satker_report,
    submissions_report,
)
from budgets.reports.ro import ro_report
from core.data_version import APPROVED, DRAFTS, REPORTS
from core.reporting.spec import FILTERS, BuildContext, Column, ReportResult, ReportSpec

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
GROUP = Column("group", _("Kelompok"), labels=GROUP_LABELS, labels_in_files=True)
STATUS_LABELS = {**dict(MonthlyReport.Status.choices), "MISSING": _("Belum ada")}
TIMELINESS_LABELS = {
    "on_time": _("Tepat waktu"),
    "late": _("Terlambat"),
    "missing": _("Tidak masuk"),
    "pending": _("Belum jatuh tempo"),
}
RO_LEVEL_LABELS = {"ro": _("RO (seluruh filter)"), "province": _("Provinsi"), "satker": _("Satker")}
TIMELINESS_BADGES = {"on_time": "success", "late": "danger", "missing": "dark", "pending": "secondary"}


# Which average is which (DOMAIN: the directorate's statements use both).
RANKING_SUMMARY = (
    Column("average_weighted", _("Rata-rata tertimbang (total realisasi / total pagu efektif)"), "percent"),
    Column("average_unweighted", _("Rata-rata sederhana (rerata persentase provinsi)"), "percent"),
    Column("above_average", _("Provinsi di atas rata-rata tertimbang"), "int"),
    Column("below_average_unweighted", _("Provinsi di bawah rata-rata sederhana"), "int"),
    Column("provinces_incomplete", _("Provinsi yang laporannya belum lengkap disetujui"), "int"),
    Column("central_pagu_efektif", _("Kantor Pusat (tidak diperingkat): pagu efektif"), "money"),
    Column("central_realisasi", _("Kantor Pusat (tidak diperingkat): realisasi"), "money"),
    Column("central_persen", _("Kantor Pusat (tidak diperingkat): realisasi (%)"), "percent"),
)


def satker_year_url(code: str, year: int) -> str:
    """Drill-down: a satker code opens that satker's year (its months, then a month's entries)."""
    return reverse("budgets:satker-year", args=[code, year])


SATKER = Column("satker", _("Kode satker"), link=satker_year_url)
# A satker row's first columns, as every report listed per satker names it.
SATKER_IDENTITY = (
    SATKER,
    Column("satker_name", _("Satker")),
    Column("province", _("Kode BPS")),
    Column("province_name", _("Provinsi")),
)
RO_SUMMARY = (
    Column("physical_progress", _("Progres fisik semua RO (%, tertimbang pagu)"), "percent"),
    Column("financial_progress", _("Progres keuangan semua RO (%)"), "percent"),
    Column("gap_flags", _("RO dengan selisih fisik-keuangan > 20 poin"), "int"),
    Column("timeliness", _("Ketepatan waktu laporan RO (%)"), "percent"),
)


QUARTERLY_SUMMARY = (
    Column("satkers", _("Satker wajib lapor"), "int"),
    Column("approved", _("Laporan disetujui"), "int"),
    Column("missing", _("Belum ada laporan"), "int"),
    Column("late", _("Terlambat dikirim"), "int"),
    Column("pagu_efektif", _("Pagu efektif"), "money"),
    Column("realisasi", _("Realisasi"), "money"),
    Column("absorption", _("Penyerapan seluruh satker (%)"), "percent"),
    Column("obstacles_open", _("Kendala terbuka di akhir triwulan"), "int"),
)
EVIDENCE_SUMMARY = (
    Column("records", _("Data yang wajib berbukti dukung"), "int"),
    Column("records_with_evidence", _("Data dengan bukti dukung lengkap"), "int"),
    Column("completeness", _("Kelengkapan bukti dukung (%)"), "percent"),
    Column("flags_open", _("Berkas yang sama di provinsi lain"), "int"),
)
# The indicators' columns (CONTRACT keys), in the treasury's order.
IKPA_INDICATORS = (
    Column("revisi", _("Revisi DIPA"), "number"),
    Column("deviasi", _("Deviasi hal. III DIPA"), "number"),
    Column("penyerapan", _("Penyerapan anggaran"), "number"),
    Column("kontraktual", _("Belanja kontraktual*"), "number"),
    Column("tagihan", _("Penyelesaian tagihan*"), "number"),
    Column("up_tup", _("Pengelolaan UP/TUP*"), "number"),
    Column("capaian_output", _("Capaian output"), "number"),
    Column("dispensasi", _("Dispensasi SPM*"), "number"),
)
IKPA_SUMMARY = (
    Column("nilai", _("Nilai IKPA direktorat (rerata nilai satker; estimasi)"), "number"),
    Column("kategori", _("Kategori nilai direktorat"), labels=CATEGORY_LABELS),
    Column("satkers", _("Satker yang dinilai"), "int"),
    *(Column(column.key, format_lazy(_("Rerata {}"), column.label), "number") for column in IKPA_INDICATORS),
)
QUARTER_LABELS = {1: _("TW I"), 2: _("TW II"), 3: _("TW III"), 4: _("TW IV"), "year-end": _("Akhir tahun")}


def _satkers(filters: RealizationFilter, context: BuildContext) -> ReportResult:
    """``below`` given empty: the satkers under the year's threshold."""
    below = context.below
    if context.below_given and below is None:
        below = context.fiscal_year.below_average_threshold
    return satker_report(filters, below=below, threshold=context.fiscal_year.below_average_threshold)


SPECS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "realization",
        _("Ringkasan realisasi nasional"),
        (GROUP, Column("key", _("Kode")), Column("name", _("Nama")), *MONEY),
        lambda filters, context: national_summary(filters),
        cacheable=True,
        approved_versions=(APPROVED,),
    ),
    ReportSpec(
        "provinces",
        _("Peringkat realisasi provinsi"),
        (
            Column("rank", _("Peringkat"), "int"),
            Column("province", _("Kode BPS")),
            Column("province_name", _("Provinsi")),
            *MONEY,
            Column("top_five", _("Lima teratas"), "bool"),
            Column("below_average", _("Di bawah rata-rata tertimbang"), "bool"),
            Column("months_approved", _("Bulan disetujui"), "int"),
            Column("months_expected", _("Bulan wajib lapor"), "int"),
        ),
        lambda filters, context: province_ranking(filters, today=context.today),
        cacheable=True,
        approved_versions=(APPROVED,),
        summary=RANKING_SUMMARY,
    ),
    ReportSpec(
        "satkers",
        _("Realisasi per satker"),
        (
            *SATKER_IDENTITY,
            *MONEY,
            Column("below_threshold", _("Di bawah ambang"), "bool"),
        ),
        _satkers,
        params=FILTERS | {"below"},
        below_province=True,
        cacheable=True,
        approved_versions=(APPROVED,),
    ),
    ReportSpec(
        "monthly",
        _("Realisasi bulanan dan deviasi RPD"),
        (
            Column("month", _("Bulan"), "month"),
            Column("rpd", _("RPD"), "money"),
            Column("realisasi", _("Realisasi"), "money"),
            Column("rpd_kumulatif", _("RPD kumulatif"), "money"),
            Column("realisasi_kumulatif", _("Realisasi kumulatif"), "money"),
            Column("deviasi", _("Deviasi per jenis belanja, rerata satker (%)"), "percent"),
            Column("skor_deviasi", _("Nilai deviasi hal. III (IKPA, rerata satker)"), "number"),
            Column("serapan", _("Penyerapan kumulatif (%)"), "percent"),
            Column("target_serapan", _("Target direktorat (%)"), "percent"),
            Column("target_tercapai", _("Target direktorat tercapai"), "bool"),
            Column("skor_penyerapan_ikpa", _("Nilai penyerapan IKPA (rerata satker)"), "number"),
            Column("target_ikpa", _("Target IKPA per jenis belanja (%)")),
        ),
        lambda filters, context: monthly_report(filters, fiscal_year=context.fiscal_year, today=context.today),
        below_province=True,
        cacheable=True,
        approved_versions=(APPROVED,),
    ),
    ReportSpec(
        "submissions",
        _("Ketepatan waktu laporan bulanan"),
        (
            *SATKER_IDENTITY,
            Column("month", _("Bulan"), "month"),
            Column("status", _("Status"), labels=STATUS_LABELS),
            Column("due_date", _("Batas waktu"), "date"),
            Column("submitted_at", _("Diajukan"), "datetime"),
            Column("timeliness", _("Ketepatan"), labels=TIMELINESS_LABELS, badges=TIMELINESS_BADGES),
        ),
        lambda filters, context: submissions_report(filters, fiscal_year=context.fiscal_year, today=context.today),
        below_province=True,
        cacheable=True,
    ),
    ReportSpec(
        "ro",
        _("Capaian rincian output (RO)"),
        (
            Column("level", _("Tingkat"), labels=RO_LEVEL_LABELS, labels_in_files=True),
            Column("ro", _("Kode RO")),
            Column("ro_name", _("RO")),
            Column("unit", _("Satuan")),
            Column("province", _("Kode BPS")),
            Column("province_name", _("Provinsi")),
            SATKER,
            Column("satker_name", _("Satker")),
            Column("target", _("Target"), "number"),
            Column("volume", _("Volume s.d. bulan"), "number"),
            Column("achievement", _("Capaian (%)"), "percent"),
            Column("physical_progress", _("Progres fisik (%)"), "percent"),
            Column("financial_progress", _("Progres keuangan (%)"), "percent"),
            Column("gap_flag", _("Selisih > 20 poin"), "bool"),
            Column("timeliness", _("Ketepatan waktu lapor RO (%)"), "percent"),
        ),
        lambda filters, context: ro_report(filters, ro=context.ro, level=context.level, today=context.today),
        params=frozenset({"year", "month", "province", "authority", "basis", "ro", "level"}),
        scoped_satker_rows=True,
        cacheable=True,
        summary=RO_SUMMARY,
    ),
    ReportSpec(
        "quarterly",
        _("Laporan triwulan DK-TP"),
        (
            *SATKER_IDENTITY,
            Column("quarter", _("Triwulan"), labels=QUARTER_LABELS),
            Column("status", _("Status"), labels=STATUS_LABELS),
            Column("due_date", _("Batas waktu"), "date"),
            Column("sent_on_time", _("Tepat waktu"), "bool"),
            Column("pagu_efektif", _("Pagu efektif"), "money"),
            Column("realisasi", _("Realisasi"), "money"),
            Column("absorption", _("Penyerapan (%)"), "percent"),
            Column("absorption_target", _("Target (%)"), "percent"),
            Column("physical_progress", _("Progres fisik (%)"), "percent"),
            Column("obstacles_open", _("Kendala terbuka"), "int"),
        ),
        lambda filters, context: quarterly_report(
            filters, fiscal_year=context.fiscal_year, quarter=context.quarter, today=context.today
        ),
        params=frozenset({"year", "quarter", "province", "authority"}),
        below_province=True,
        cacheable=True,
        summary=QUARTERLY_SUMMARY,
    ),
    ReportSpec(
        "evidence",
        _("Kelengkapan bukti dukung"),
        (
            *SATKER_IDENTITY,
            Column("month", _("Bulan"), "month"),
            Column("records", _("Data wajib berbukti"), "int"),
            Column("records_with_evidence", _("Data berbukti lengkap"), "int"),
            Column("completeness", _("Kelengkapan (%)"), "percent"),
            Column("flags_open", _("Berkas ganda antarprovinsi"), "int"),
        ),
        evidence_report,
        params=frozenset({"year", "month", "province", "authority"}),
        below_province=True,
        cacheable=True,
        # Evidence rules count the records of every month, drafts' realization rows included.
        versions=(REPORTS, DRAFTS),
        summary=EVIDENCE_SUMMARY,
    ),
    ReportSpec(
        "ikpa",
        _("IKPA per satker (estimasi)"),
        (
            Column("rank", _("Peringkat"), "int"),
            *SATKER_IDENTITY,
            *IKPA_INDICATORS,
            Column("nilai", _("Nilai IKPA"), "number"),
            Column("kategori", _("Kategori"), labels=CATEGORY_LABELS, badges=CATEGORY_BADGES),
            Column("diimpor", _("Nilai dari OM-SPAN / admin (indikator: sumber bulan)")),
        ),
        lambda filters, context: ikpa_report(filters, fiscal_year=context.fiscal_year, today=context.today),
        params=frozenset({"year", "month", "province", "authority", "basis"}),
        below_province=True,
        cacheable=True,
        summary=IKPA_SUMMARY,
    ),
)
