"""Sample files of the `ikpa` import: OM-SPAN's "Monitoring IKPA" export made to its layout
(budgets/treasury/layouts.py OMSPAN_IKPA: title rows with the period, then a header with every
indicator, the total, the weight conversion and the final value) and the product's template."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

EXPORT_HEADER = (
    "No", "Kode KPPN", "Kode Satker", "Nama Satker", "Revisi DIPA", "Deviasi Halaman III DIPA", "Penyerapan Anggaran",
    "Belanja Kontraktual", "Penyelesaian Tagihan", "Pengelolaan UP dan TUP", "Dispensasi SPM", "Capaian Output",
    "Nilai Total", "Konversi Bobot", "Nilai Akhir (Nilai Total/Konversi Bobot)",
)  # fmt: skip


def _save(workbook: Workbook, path: Path) -> Path:
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def export(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    period: str | None = "Periode : Januari s.d. Maret 2024",
    header: Sequence[str] = EXPORT_HEADER,
    title: str = "MONITORING IKPA (INDIKATOR KINERJA PELAKSANAAN ANGGARAN) SATKER",
) -> Path:
    """The export; ``rows``: (satker code, name, revisi, deviasi, penyerapan, kontraktual, tagihan,
    up_tup, dispensasi, capaian output, total, konversi, akhir), numbered as OM-SPAN does."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "IKPA"
    sheet.append([title])
    sheet.append(["KEMENTERIAN NEGARA/LEMBAGA : (019) KEMENTERIAN PERINDUSTRIAN"])
    sheet.append([period] if period else [])
    sheet.append([])
    sheet.append(list(header))
    sheet.append([f"({n})" for n in range(1, len(header) + 1)])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, "043", *row])
    sheet.append([None, None, None, "Rata-rata", None, None, None, None, None, None, None, None, None, None, 93.5])
    return _save(workbook, path)


def template(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kode_satker", "tahun", "bulan", "kontraktual", "tagihan", "up_tup", "dispensasi"])
    for row in rows:
        sheet.append(list(row))
    return _save(workbook, path)
