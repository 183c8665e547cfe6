"""The downloadable template of each import kind: a data sheet whose header is the contract,
code columns formatted as text (leading zeros survive), dropdowns for codes and kinds, the rows the
kind pre-fills (the satker's own lines, where that saves typing), and an instructions sheet."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from imports.kinds import ImportKind

DATA_ROWS = 1000  # rows given text format and dropdowns


def template_workbook(kind: ImportKind, rows: list[dict[str, Any]]) -> bytes:
    """The kind's template, pre-filled with ``rows`` (ImportKind.prefill)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    names = kind.column_names
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(kind.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(len(column.name) + 2, len(column.example) + 4, 12)
        if column.text:
            for row in range(2, DATA_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True, showErrorMessage=True,
                errorTitle=_("Nilai tidak dikenal"), error=_("Pilih salah satu nilai dari daftar."),
            )  # fmt: skip
            validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
            sheet.add_data_validation(validation)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(kind.columns, start=1):
            value = row.get(column.name)
            if value is not None:
                sheet.cell(row=number, column=index, value=str(value) if column.text else value)

    guide = workbook.create_sheet(_("petunjuk"))
    guide.append([_("Petunjuk pengisian: %(title)s") % {"title": kind.title}])
    guide["A1"].font = Font(bold=True, size=12)
    for line in [
        _("Isi lembar 'data' mulai baris 2; satu baris satu catatan. Jangan mengubah judul kolom di baris 1."),
        _("Baris kosong dilewati. Berkas diterima seluruhnya atau ditolak seluruhnya: setiap kesalahan ditampilkan "
          "dengan nomor baris, kolom dan pesannya."),
        _("Mengunggah berkas yang sama dua kali tidak menggandakan data: baris yang sudah ada diperbarui."),
        _("Kode (satker, komponen, akun, kabupaten/kota, NIB, KBLI) ditulis sebagai teks agar angka nol di depan "
          "tetap."),
    ]:  # fmt: skip
        guide.append([line])
    guide.append([])
    guide.append([_("Kolom"), _("Isi"), _("Contoh")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        guide.append([column.name, str(column.help), column.example])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 28
    for row in guide.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        if len(row) > 1:
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
