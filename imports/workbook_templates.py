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
REGENCY_SHEET = "Kode kabupaten-kota"  # a sheet's name: the same in every language (formulas name it)


def template_workbook(
    kind: ImportKind, rows: list[dict[str, Any]], regencies: list[tuple[str, str, str]] | None = None
) -> bytes:
    """The kind's template, pre-filled with ``rows`` (ImportKind.prefill); with ``regencies``
    (code, name, province) a second sheet lists them and the regency column offers them."""
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

    if regencies is not None and kind.regency_column in names:
        _regency_sheet(workbook, sheet, names.index(kind.regency_column) + 1, regencies)

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
    if REGENCY_SHEET in workbook.sheetnames:
        where = {"sheet": REGENCY_SHEET, "column": kind.regency_column}
        guide.append([_("Kode kabupaten/kota yang dapat dipakai ada di lembar '%(sheet)s'; kolom %(column)s "
                        "menawarkannya sebagai daftar.") % where])  # fmt: skip
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


def _regency_sheet(workbook: Workbook, data: Any, column: int, regencies: list[tuple[str, str, str]]) -> None:
    """The second sheet: every regency the user may name, and a dropdown on the data sheet's
    regency column that lists its codes. A warning, not a stop, when a typed code is not in the
    list: "1771" for 17.71 is read too, and the importer gives the real reason for a wrong one."""
    codes = workbook.create_sheet(REGENCY_SHEET, index=1)
    codes.append([_("Kode Kemendagri"), _("Kabupaten/kota"), _("Provinsi")])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for code, name, province in regencies:
        codes.append([code, name, province])
    for row in codes.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"
    codes.freeze_panes = "A2"
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 36
    codes.column_dimensions["C"].width = 28
    if not regencies:
        return
    letter = data.cell(row=1, column=column).column_letter
    validation = DataValidation(
        type="list", formula1=f"'{REGENCY_SHEET}'!$A$2:$A${len(regencies) + 1}", allow_blank=True,
        showErrorMessage=True, errorStyle="warning", errorTitle=_("Kode tidak ada di daftar"),
        error=_("Kode ini tidak ada di lembar '%(sheet)s'. Periksa kembali.") % {"sheet": REGENCY_SHEET},
    )  # fmt: skip
    validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    data.add_data_validation(validation)
