"""Sample files MADE to the treasury's layouts (budgets/treasury/layouts.py), with openpyxl through
the product's own builders (budgets/treasury/examples.py): nothing downloaded. Each sample is
small enough to check by hand; the numbers are worked out in the comments.

The POK is the ``dipa`` fixture's DIPA of Bengkulu (170019) as SAKTI prints it, in THOUSANDS of
rupiah: RO 6503.RBS.001, komponen 051, three akun:
  521211 Belanja Bahan        100.000 (= Rp100.000.000), blokir 10.000, RPD 90.000 in Mar-Dec
  524111 Perjalanan Dinas      30.000 under sub-komponen A + 20.000 under B = 50.000 (one DIPA line)
  532111 Modal Peralatan       30.000, all in August
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from budgets.treasury.examples import PokRow, pok_workbook, realization_workbook

SATKER = "170019"
NAME = "DINAS PERINDUSTRIAN PROVINSI BENGKULU"

# Thousands of rupiah, January..December.
RPD_521211 = [0, 0, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 5_000, 5_000]  # = 90.000
RPD_524111_A = [0, 0, 0, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 0, 0, 0]  # = 30.000
RPD_524111_B = [0, 0, 0, 0, 0, 0, 0, 0, 0, 5_000, 10_000, 5_000]  # = 20.000
RPD_532111 = [0, 0, 0, 0, 0, 0, 0, 30_000, 0, 0, 0, 0]  # = 30.000


def pok_rows(
    *,
    material: Any = 100_000,
    material_rpd: Sequence[Any] = RPD_521211,
    details: Sequence[Any] = (50_000, 50_000),
    komponen: Any = "051",
) -> list[PokRow]:
    return [
        PokRow("019.05.WA", "Program Nilai Tambah dan Daya Saing Industri", 180_000),
        PokRow("6503", "Penumbuhan dan Pengembangan IKM", 180_000),
        PokRow("6503.RBS", "Pelayanan Publik Lainnya", 180_000),
        PokRow("6503.RBS.001", "Wirausaha Baru IKM", 180_000),
        PokRow(komponen, "Pembinaan OVOP", 180_000),
        PokRow("A", "Pelatihan", 130_000),
        PokRow("521211", "Belanja Bahan", material, 10_000, material_rpd),
        PokRow(None, "> Bahan pelatihan"),  # a heading among the details, without an amount
        *(PokRow(None, f"Rincian {n}", amount, volume="1 PKT") for n, amount in enumerate(details, start=1)),
        PokRow("524111", "Belanja Perjalanan Dinas Biasa", 30_000, None, RPD_524111_A),
        PokRow("B", "Pendampingan", 50_000),
        PokRow("524111", "Belanja Perjalanan Dinas Biasa", 20_000, None, RPD_524111_B),
        PokRow("532111", "Belanja Modal Peralatan dan Mesin", 30_000, None, RPD_532111),
    ]


def pok(path: Path, year: int, rows: list[PokRow] | None = None, **options: Any) -> Path:
    path.write_bytes(pok_workbook(satker_code=options.pop("satker", SATKER), satker_name=NAME, year=year,
                                  rows=rows if rows is not None else pok_rows(), **options))  # fmt: skip
    return path


def realization_month(path: Path, year: int, month_name: str, rows: list[tuple], **options: Any) -> Path:
    """One month per file: rows (satker, akun, name, rupiah)."""
    path.write_bytes(realization_workbook(satker_code=options.pop("satker", SATKER), satker_name=NAME, year=year,
                                          rows=rows, month_name=month_name, **options))  # fmt: skip
    return path


def realization_year(path: Path, year: int, rows: list[tuple], **options: Any) -> Path:
    """Twelve monthly columns: rows (satker, akun, name, [12 rupiah])."""
    path.write_bytes(realization_workbook(satker_code=options.pop("satker", SATKER), satker_name=NAME, year=year,
                                          rows=rows, **options))  # fmt: skip
    return path
