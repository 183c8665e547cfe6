"""Reading OM-SPAN's "Monitoring IKPA" export (``OMSPAN_IKPA`` of layouts.py): pure parsing, nothing
looked up or written.

The period is in the title block: "Periode : Januari s.d. Maret 2024" gives the figures as of March
2024 (IKPA is cumulative from January, so the end of the period is the month the figures are
published for); "Bulan : Maret" with "Tahun Anggaran 2024" reads the same. Each satker row becomes
the cells of the product's own template (``kode_satker, tahun, bulan, kontraktual, tagihan,
up_tup, dispensasi``), so that one import kind checks both with the same rules
(budgets/treasury/ikpa_import.py). The treasury's values of the indicators the product computes
itself (revisi, deviasi, penyerapan, capaian output) and its final value are carried apart (under
``PUBLISHED``), to be kept for display only; its total and weight conversion are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from budgets.treasury.layouts import Layout
from budgets.treasury.reader import (
    Located,
    TreasuryFileError,
    _data_rows,
    _norm,
    _rows,
    locate,
    month_of_word,
    title_year,
)
from core.messages import text as msg
from imports.reader import RowError

# The template's columns filled from an export row (the period fills ``tahun`` and ``bulan``).
FIGURE_COLUMNS = ("kontraktual", "tagihan", "up_tup", "dispensasi")
# The treasury's own values of what the product computes itself, kept apart for display
# (IkpaTreasuryPublished): a row's cells carry them under PUBLISHED, never as template columns.
PUBLISHED = "published"
PUBLISHED_COLUMNS = ("revisi", "deviasi", "penyerapan", "capaian_output", "nilai_akhir")
# Rows of a satker that are not its values, in exports that give several rows per satker.
NOT_VALUE_ROWS = frozenset({"bobot", "nilai tertimbang", "nilai akhir", "nilai aspek", "konversi bobot"})
PERIOD_LINE = re.compile(r"\b(?:periode|bulan)\b\s*:?\s*(?P<text>[^\n]*)")
YEAR = re.compile(r"\b(20\d{2})\b")


@dataclass
class IkpaExport:
    layout: Layout
    year: int
    month: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (file row, template cells)
    labels: dict[str, str] = field(default_factory=dict)  # template column -> the file's header, for messages


def title_period(located: Located) -> tuple[int, int]:
    """(year, month) of the title block: the last month named on a "Periode"/"Bulan" line (the end
    of "Januari s.d. Maret"), a month number when no name is given; the year on that line, else
    the title's "Tahun Anggaran"."""
    for line in PERIOD_LINE.finditer(located.title_text):
        text = line.group("text")
        months = [m for word in re.findall(r"[a-z]+", text) if (m := month_of_word(word))]
        if not months:
            months = [int(n) for n in re.findall(r"(?<![\d.])(\d{1,2})(?![\d.])", text) if 1 <= int(n) <= 12]
        if months:
            year = YEAR.search(text)
            return (int(year.group(1)) if year else title_year(located)), months[-1]
    raise TreasuryFileError([RowError(0, "", msg(gettext_noop(
        "Periode tidak ditemukan di judul berkas (mis. \"Periode : Januari s.d. Maret 2024\"); berkas Monitoring "
        "IKPA harus menyebut bulan akhir periodenya.")))])  # fmt: skip


def find_export(path: str | Path, layouts: tuple[Layout, ...]) -> tuple[list[tuple[Any, ...]], Located] | None:
    """The rows and layout of a workbook made to one of ``layouts``; None when it is not one
    (the product's own template, or an unknown file: the template's reader says what is wrong)."""
    try:
        rows = _rows(path)
        return rows, locate(rows, layouts)
    except TreasuryFileError:
        return None


def read_export(rows: list[tuple[Any, ...]], located: Located) -> IkpaExport:
    """The satker rows of a located export as template cells, or TreasuryFileError."""
    year, month = title_period(located)
    result = IkpaExport(located.layout, year, month)
    labels = located.header_labels
    result.labels = {"kode_satker": labels["satker"], "tahun": "Periode", "bulan": "Periode"}
    result.labels.update({column: labels[column] for column in FIGURE_COLUMNS + PUBLISHED_COLUMNS if column in labels})
    published = [column for column in PUBLISHED_COLUMNS if column in located.positions]

    def cell(row: tuple[Any, ...], column: str) -> Any:
        position = located.positions.get(column)
        return row[position] if position is not None and position < len(row) else None

    for number, row in _data_rows(rows, located.header_row):
        code = cell(row, "satker")
        if code is None or not str(code).strip():
            continue  # a total ("Rata-rata") or a blank line
        if _norm(cell(row, "keterangan")) in NOT_VALUE_ROWS:
            continue
        cells = {"kode_satker": code, "tahun": year, "bulan": month}
        cells.update({column: cell(row, column) for column in FIGURE_COLUMNS})
        cells[PUBLISHED] = {column: cell(row, column) for column in published}
        result.rows.append((number, cells))
    if not result.rows:
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop("Berkas tidak berisi baris satker.")))])
    return result
