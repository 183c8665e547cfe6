"""The streaming XLSX writer: every file it makes is read back with openpyxl (types, formats,
layout), it splits at the sheet limit, keeps formula-looking and odd text as text, and hands
out bytes before it has read all the rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from core.exports.xlsx_stream import XlsxColumn, stream_xlsx

COLUMNS = [
    XlsxColumn("NIB"),
    XlsxColumn("Nama usaha", width=40),
    XlsxColumn("Tenaga kerja", "int"),
    XlsxColumn("Investasi (Rp)", "money"),
    XlsxColumn("Persen", "decimal"),
    XlsxColumn("Tanggal", "date"),
]


def workbook(rows, **options) -> openpyxl.Workbook:
    content = b"".join(stream_xlsx(sheet_name="Registri IKM", title="Registri IKM · Bengkulu", columns=COLUMNS,
                                   rows=rows, **options))  # fmt: skip
    return openpyxl.load_workbook(io.BytesIO(content))


def test_values_types_and_layout() -> None:
    rows = [
        ["0012345678901", "Keripik Sanjai & Co <Amak>", 8, 250_000_000, Decimal("97.97"), date(2023, 2, 11)],
        [None, '=HYPERLINK("http://x.example")', 0, None, None, None],
        ["", "  spasi \x07 kontrol ", 1, 1, 1.5, None],
    ]
    sheet = workbook(rows).active
    assert sheet.title == "Registri IKM"
    assert sheet["A1"].value == "Registri IKM · Bengkulu" and sheet["A1"].font.bold and sheet["A1"].font.size == 12
    assert [cell.value for cell in sheet[3]] == [column.label for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:F6"
    assert sheet.column_dimensions["B"].width == 40
    first = [cell.value for cell in sheet[4]]
    assert first[:4] == ["0012345678901", "Keripik Sanjai & Co <Amak>", 8, 250_000_000]
    assert first[4] == 97.97 and first[5].date() == date(2023, 2, 11)
    assert sheet["D4"].number_format == "#,##0" and sheet["D4"].data_type == "n"
    assert sheet["F4"].number_format == "d mmmm yyyy"
    assert sheet["B5"].data_type == "s" and sheet["B5"].value.startswith("=HYPERLINK")  # text, not a formula
    assert sheet["A5"].value is None and sheet["D5"].value is None
    assert sheet["B6"].value == "  spasi  kontrol "  # the control character is dropped, spaces kept


def test_an_empty_export_is_a_valid_workbook() -> None:
    sheet = workbook([]).active
    assert sheet["A1"].value == "Registri IKM · Bengkulu" and sheet.max_row == 3


def test_rows_continue_on_a_new_sheet_past_the_limit() -> None:
    rows = [[f"{n:013d}", f"Usaha {n}", n, n, None, None] for n in range(10)]
    book = workbook(rows, max_sheet_rows=7)  # 3 header rows + 4 data rows per sheet
    assert book.sheetnames == ["Registri IKM", "Registri IKM 2", "Registri IKM 3"]
    values = [row[2] for sheet in book.worksheets for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values == list(range(10))
    assert [cell.value for cell in book.worksheets[2][3]] == [column.label for column in COLUMNS]
    # Exactly full: no empty extra sheet.
    assert workbook(rows[:8], max_sheet_rows=7).sheetnames == ["Registri IKM", "Registri IKM 2"]


def test_bytes_flow_before_all_rows_are_read() -> None:
    consumed = 0

    def rows():
        nonlocal consumed
        for n in range(100_000):
            consumed += 1
            yield [f"{n:013d}", "Usaha", n, n, None, None]

    stream = stream_xlsx(sheet_name="Registri IKM", title="t", columns=COLUMNS, rows=rows())
    first = next(stream)
    assert first.startswith(b"PK") and consumed < 5_000


def test_the_file_passes_our_own_upload_checks(tmp_path) -> None:
    from imports.file_checks import check_xlsx

    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(stream_xlsx(sheet_name="s", title="t", columns=COLUMNS,
                                          rows=[["1", "a", 1, 1, None, None]] * 1000)))  # fmt: skip
    check_xlsx(path)
