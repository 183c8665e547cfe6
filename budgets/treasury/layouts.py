"""The treasury's published layouts, one small declarative description each.

A layout says how to recognise a workbook (words of its title block), which header labels name
its columns (the header row is the first row holding every required label), the unit of its
amount columns (rupiah per unit: 1000 for a print "dalam ribuan rupiah") and, when it has them,
its twelve monthly columns. Adding a layout is adding one ``Layout`` here and naming it in the
kind that reads it (budgets/treasury/import_kinds.py); README "Berkas perbendaharaan".

Labels are compared lower-case with spaces collapsed; a label matches a header cell that equals it
or starts with it ("jumlah" matches "JUMLAH BIAYA"). The month labels accept the short and the
long Indonesian names (JAN / JANUARI, AGT / AGS / AGU / AGUSTUS ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

MONTH_LABELS: tuple[tuple[str, ...], ...] = (
    ("jan", "januari"), ("feb", "pebruari", "februari"), ("mar", "maret"), ("apr", "april"), ("mei",),
    ("jun", "juni"), ("jul", "juli"), ("agt", "ags", "agu", "agustus"), ("sep", "september"),
    ("okt", "oktober"), ("nop", "nov", "nopember", "november"), ("des", "desember"),
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    name: str  # stable identifier, shown in messages and the README
    title: str  # what the treasury calls the report (a msgid: pages translate it, stored messages keep it)
    # Words that must appear in the rows above the header (the title block), lower-case: one of them.
    title_markers: tuple[str, ...]
    # Column -> the header labels that name it. Required columns must all be in the header row.
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    unit: int = 1  # rupiah per unit of the amount columns: 1000 when the print is in thousands
    # Words of the title block that state that unit ("ribuan rupiah"); required when unit != 1, so a
    # file that does not say it is in thousands is never multiplied by a thousand.
    unit_markers: tuple[str, ...] = ()
    monthly: bool = False  # twelve monthly columns, JAN..DES
    # A month stated in the title block ("Bulan : Oktober") instead of monthly columns.
    month_in_title: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


# SAKTI, modul Penganggaran, "Cetak POK / Rincian Kertas Kerja Satker" exported to Excel, with the
# page III columns (rencana penarikan per bulan). Amounts are printed in thousands of rupiah.
SAKTI_POK = Layout(
    name="sakti_pok_rkks",
    title=gettext_noop("SAKTI: Rincian Kertas Kerja Satker / POK (ribuan rupiah, RPD per bulan)"),
    title_markers=("rincian kertas kerja", "petunjuk operasional kegiatan", "cetak pok"),
    columns={
        "kode": ("kode",),
        "uraian": ("uraian", "program/ kegiatan", "program/kegiatan"),
        "jumlah": ("jumlah biaya", "jumlah", "pagu"),
        "blokir": ("blokir",),
    },
    required=("kode", "uraian", "jumlah"),
    unit=1000,
    unit_markers=("ribuan rupiah", "dalam ribuan", "rp ribu", "(ribuan)"),
    monthly=True,
)

# OM-SPAN (Penganggaran > Realisasi Belanja) / SAKTI: realization per satker and akun, twelve
# monthly columns. Amounts in rupiah.
OMSPAN_REALIZATION_MONTHS = Layout(
    name="omspan_realisasi_akun_bulanan",
    title=gettext_noop("OM-SPAN/SAKTI: Realisasi Belanja per Akun, 12 kolom bulan (rupiah)"),
    title_markers=("realisasi belanja", "realisasi anggaran", "realisasi per akun"),
    columns={
        "satker": ("kode satker", "satker", "kdsatker"),
        "akun": ("kode akun", "akun"),
        "komponen": ("kode komponen", "komponen"),
    },
    required=("satker", "akun"),
    monthly=True,
)

# The same report for one month: the month in the title block, one amount column.
OMSPAN_REALIZATION_MONTH = Layout(
    name="omspan_realisasi_akun_satu_bulan",
    title=gettext_noop("OM-SPAN/SAKTI: Realisasi Belanja per Akun, satu bulan per berkas (rupiah)"),
    title_markers=OMSPAN_REALIZATION_MONTHS.title_markers,
    columns={
        **OMSPAN_REALIZATION_MONTHS.columns,
        "realisasi": ("realisasi periode ini", "realisasi bulan ini", "realisasi", "jumlah realisasi"),
    },
    required=("satker", "akun", "realisasi"),
    month_in_title=True,
)

POK_LAYOUTS = (SAKTI_POK,)
REALIZATION_LAYOUTS = (OMSPAN_REALIZATION_MONTHS, OMSPAN_REALIZATION_MONTH)

# OM-SPAN, Monitoring > IKPA (per satker), exported to Excel: title rows (the report's name, the
# period "Periode : Januari s.d. Maret 2024"), then one row per satker with the value of every
# indicator, the total, the weight conversion and the final value. Only the four indicators the
# product cannot compute are read (budgets/treasury/ikpa_reader.py); the others are located so
# that a file is recognised by its whole header, never stored as ours. Labels: budgets/data/SOURCES.md.
OMSPAN_IKPA = Layout(
    name="omspan_monitoring_ikpa",
    title=gettext_noop("OM-SPAN: Monitoring IKPA per satker (nilai per indikator, periode di judul)"),
    title_markers=("ikpa", "indikator kinerja pelaksanaan anggaran"),
    columns={
        "satker": ("kode satker", "kdsatker", "kode satuan kerja", "satker"),
        "nama": ("nama satker", "nama satuan kerja", "uraian satker"),
        # Some exports give each satker a row of values and rows of weights ("Nilai" / "Bobot").
        "keterangan": ("keterangan",),
        "revisi": ("revisi dipa", "revisi"),
        "deviasi": ("deviasi halaman iii dipa", "deviasi hal iii dipa", "deviasi"),
        "penyerapan": ("penyerapan anggaran", "penyerapan"),
        "kontraktual": ("belanja kontraktual", "kontraktual"),
        "tagihan": ("penyelesaian tagihan", "tagihan"),
        "up_tup": ("pengelolaan up dan tup", "pengelolaan up/tup", "pengelolaan up", "up dan tup", "up/tup", "uptup"),
        "dispensasi": ("dispensasi spm", "dispensasi"),
        "capaian_output": ("capaian output", "capaian ro"),
        "nilai_total": ("nilai total",),
        "konversi_bobot": ("konversi bobot",),
        "nilai_akhir": ("nilai akhir",),
    },
    required=("satker", "kontraktual", "tagihan", "up_tup"),
)

IKPA_LAYOUTS = (OMSPAN_IKPA,)
