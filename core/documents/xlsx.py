"""A ``Document`` as a workbook: the same lines and figures as its PDF, numbers as numbers.

Money is written in thousands of rupiah (the exact rupiah / 1000, so a sum in Excel is exact)
with a thousands format that shows the figure the PDF prints; percentages as fractions with a
percent format; text through the exports' one rule (a text starting with "=" is never a formula)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.documents.model import Column, Document
from core.exports.cells import xlsx_text
from core.exports.table_export import XLSX_CONTENT_TYPE

FORMATS = {"money": "#,##0", "percent": "0.00%", "volume": "#,##0.00", "int": "#,##0"}
WIDTHS = {"money": 16, "percent": 10, "volume": 12, "int": 10, "code": 16, "text": 48}


def cell_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column.kind == "money":
        return Decimal(int(value)) / 1000
    if column.kind == "percent":
        return Decimal(value) / 100
    if column.kind in {"volume", "int"}:
        return Decimal(value) if column.kind == "volume" else int(value)
    return xlsx_text(str(value))


def _write(sheet: Any, row: int, column_index: int, value: Any, column: Column | None = None,
           bold: bool = False) -> None:  # fmt: skip
    cell = sheet.cell(row=row, column=column_index, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a live formula
    if column is not None and column.kind in FORMATS and value is not None and not isinstance(value, str):
        cell.number_format = FORMATS[column.kind]
    if bold:
        cell.font = Font(bold=True)


def document_workbook(document: Document) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Laporan"
    row = 1
    for line in document.kop:
        _write(sheet, row, 1, xlsx_text(line), bold=True)
        row += 1
    row += 1
    _write(sheet, row, 1, xlsx_text(document.title), bold=True)
    sheet.cell(row=row, column=1).font = Font(bold=True, size=12)
    row += 1
    for label, value in document.facts:
        _write(sheet, row, 1, xlsx_text(label))
        _write(sheet, row, 2, xlsx_text(value))
        row += 1
    for note in document.notes:
        _write(sheet, row, 1, xlsx_text(note))
        row += 1
    widths: dict[int, int] = {}
    for table in document.tables:
        row += 1
        _write(sheet, row, 1, xlsx_text(table.title), bold=True)
        row += 1
        for index, column in enumerate(table.columns, start=1):
            _write(sheet, row, index, xlsx_text(column.label), bold=True)
            sheet.cell(row=row, column=index).alignment = Alignment(wrap_text=True, vertical="top")
            widths[index] = max(widths.get(index, 0), WIDTHS.get(column.kind, 14))
        row += 1
        if not table.rows and table.empty:
            _write(sheet, row, 1, xlsx_text(table.empty))
            row += 1
        for values in table.rows:
            for index, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
                _write(sheet, row, index, cell_value(column, value), column)
            row += 1
        if table.totals is not None:
            for index, (column, value) in enumerate(zip(table.columns, table.totals, strict=True), start=1):
                _write(sheet, row, index, cell_value(column, value), column, bold=True)
            row += 1
        if table.note:
            _write(sheet, row, 1, xlsx_text(table.note))
            row += 1
    for heading, text in document.texts:
        row += 1
        _write(sheet, row, 1, xlsx_text(heading), bold=True)
        row += 1
        _write(sheet, row, 1, xlsx_text(text or "-"))
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    signature = document.signature
    if signature is None:
        lines = []
    elif signature.signed:
        lines = [signature.place_and_date, signature.title, signature.organisation, signature.name,
                 f"NIP {signature.nip}" if signature.nip else ""]  # fmt: skip
    else:
        lines = [signature.unsigned_text, "DRAF"]
    for line in lines:
        if line:
            _write(sheet, row, 1, xlsx_text(line))
            row += 1
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook


def xlsx_document_response(document: Document) -> FileResponse:
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    document_workbook(document).save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=f"{document.filename}.xlsx",
                        content_type=XLSX_CONTENT_TYPE)  # fmt: skip
