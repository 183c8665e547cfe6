"""Workbooks made to the treasury's layouts (budgets/treasury/layouts.py): the example offered on
the import page and the tests' sample files are built here, so both follow the layout the reader
reads. Amounts are written as given (a POK in thousands of rupiah, a realization in rupiah)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

MONTH_HEADERS = ("JAN", "FEB", "MAR", "APR", "MEI", "JUN", "JUL", "AGT", "SEP", "OKT", "NOP", "DES")


@dataclass
class PokRow:
    code: Any  # "019.05.WA", "6503", "6503.RBS", "6503.RBS.001", "051", "A", "521211", or None (detail)
    name: str
    amount: Any = None  # JUMLAH BIAYA, in thousands
    blokir: Any = None
    rpd: Sequence[Any] = field(default_factory=tuple)  # 12 months, in thousands
    volume: str = ""


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pok_workbook(
    *,
    satker_code: str,
    satker_name: str,
    year: int,
    rows: Sequence[PokRow],
    unit_note: str | None = "(dalam ribuan rupiah)",
    title: str = "RINCIAN KERTAS KERJA SATKER",
    headers: Sequence[str] | None = None,
) -> bytes:
    """A SAKTI "Rincian Kertas Kerja Satker" / POK export with the page III (RPD) columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "POK"
    sheet.append([f"{title} T.A. {year}"])
    sheet.append(["KEMENTERIAN NEGARA/LEMBAGA : (019) KEMENTERIAN PERINDUSTRIAN"])
    sheet.append(["UNIT ORGANISASI : (019.05) DIREKTORAT JENDERAL INDUSTRI KECIL, MENENGAH DAN ANEKA"])
    sheet.append([f"UNIT KERJA/SATKER : ({satker_code}) {satker_name}"])
    sheet.append([f"TAHUN ANGGARAN : {year}"])
    sheet.append([unit_note] if unit_note else [])
    sheet.append([])
    header = list(headers or ["KODE", "PROGRAM/ KEGIATAN/ KRO/ RO/ KOMPONEN/ SUBKOMP/ AKUN/ DETIL", "VOLUME",
                              "HARGA SATUAN", "JUMLAH BIAYA", "BLOKIR", *MONTH_HEADERS])  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([f"({n})" for n in range(1, len(header) + 1)])
    for row in rows:
        months = list(row.rpd) + [None] * (12 - len(row.rpd))
        sheet.append([row.code, row.name, row.volume or None, None, row.amount, row.blokir, *months])
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 14
    sheet.column_dimensions["B"].width = 60
    return _bytes(workbook)


def realization_workbook(
    *,
    satker_code: str,
    satker_name: str,
    year: int,
    rows: Sequence[Sequence[Any]],
    month_name: str | None = None,
    with_component: bool = False,
) -> bytes:
    """An OM-SPAN/SAKTI "Realisasi Belanja per Akun" export: with ``month_name`` one month (column
    REALISASI), else twelve monthly columns. ``rows``: (satker, [komponen,] akun, akun name,
    amount or 12 amounts)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Realisasi"
    sheet.append(["REALISASI BELANJA PER AKUN"])
    sheet.append([f"SATKER : ({satker_code}) {satker_name}"])
    sheet.append([f"TAHUN ANGGARAN : {year}"])
    sheet.append([f"BULAN : {month_name.upper()}"] if month_name else ["PERIODE : JANUARI S.D. DESEMBER"])
    sheet.append([])
    amounts = ["REALISASI"] if month_name else list(MONTH_HEADERS)
    sheet.append(["KODE SATKER", "NAMA SATKER", *(["KOMPONEN"] if with_component else []), "KODE AKUN", "NAMA AKUN",
                  *amounts])  # fmt: skip
    for row in rows:
        satker, *rest = row
        component = [rest.pop(0)] if with_component else []
        account, name, values = rest
        values = list(values) if isinstance(values, list | tuple) else [values]
        sheet.append([satker, satker_name, *component, account, name, *values])
    return _bytes(workbook)


def example_pok() -> bytes:
    """The import page's example: one RO, one komponen, two akun, amounts in thousands."""
    return pok_workbook(satker_code="170019", satker_name="DINAS PERINDUSTRIAN PROVINSI (CONTOH)", year=2026, rows=[
        PokRow("019.05.WA", "Program Nilai Tambah dan Daya Saing Industri", 150_000),
        PokRow("6503", "Penumbuhan dan Pengembangan IKM", 150_000),
        PokRow("6503.RBS", "Pelayanan Publik lainnya", 150_000),
        PokRow("6503.RBS.001", "Wirausaha Baru IKM", 150_000),
        PokRow("051", "Pembinaan OVOP", 150_000),
        PokRow("A", "Pelatihan", 150_000),
        PokRow("521211", "Belanja Bahan", 100_000, 0, [0, 0, 10_000, 10_000, 20_000, 20_000, 20_000, 20_000]),
        PokRow(None, "Bahan pelatihan 50 paket x 2.000", 100_000),
        PokRow("524111", "Belanja Perjalanan Dinas Biasa", 50_000, 10_000, [0, 0, 0, 10_000, 10_000, 10_000, 10_000]),
    ])  # fmt: skip


def example_realization() -> bytes:
    return realization_workbook(satker_code="170019", satker_name="DINAS PERINDUSTRIAN PROVINSI (CONTOH)",
                                year=2026, month_name="Oktober",
                                rows=[("170019", "521211", "Belanja Bahan", 12_500_000)])  # fmt: skip
