"""Uploaded workbooks are read with python-calamine (imports/workbook_rows.py), and every value the
import engine sees must be what openpyxl's reader, used before, gave: openpyxl reading the same
file is the reference here, row for row, on every file the product ships or the tests build and on
a workbook made to hold every kind of cell.

The comparison allows two differences that no reader of rows can see: openpyxl yields the empty
rows up to the sheet's <dimension> (a template's 1.000 rows formatted as text) and pads every row
to its width; calamine stops at the last value. Both are trimmed before comparing.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from budgets.treasury import examples
from imports import workbook_rows
from imports.catalog import KINDS, TREASURY_KINDS, get_kind
from imports.file_checks import ImportFileError, check_xlsx
from imports.reader import DAMAGED_WORKBOOK, read_sheet
from imports.workbook_rows import first_sheet
from imports.workbook_templates import template_workbook
from tests.budgets import ikpa_samples
from tests.imports import bad_files

SHEET_PART = "xl/worksheets/sheet1.xml"


def reference_rows(path: Path) -> list[tuple[Any, ...]]:
    """The first sheet as openpyxl reads it, as the readers did before calamine."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return trimmed(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def read_rows(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    with first_sheet(path) as sheet:
        assert sheet is not None
        return sheet.reader, trimmed(sheet.rows)


def trimmed(rows: Any) -> list[tuple[Any, ...]]:
    result = [tuple(row) for row in rows]
    result = [row[: max((i + 1 for i, value in enumerate(row) if value is not None), default=0)] for row in result]
    while result and not result[-1]:
        result.pop()
    return result


def assert_same_rows(path: Path, reader: str = "calamine") -> list[tuple[Any, ...]]:
    used, rows = read_rows(path)
    expected = reference_rows(path)
    assert used == reader, path.name
    assert len(rows) == len(expected), path.name
    for number, (row, reference) in enumerate(zip(rows, expected, strict=True), start=1):
        assert row == reference, f"{path.name} row {number}"
        assert [type(v) for v in row] == [type(v) for v in reference], f"{path.name} row {number}"
    return rows


# -- every file the product ships and the tests build --------------------------------------------


def example_row(kind: Any) -> dict[str, Any]:
    return {column.name: column.example for column in kind.columns if column.example}


def shipped_files(directory: Path) -> list[Path]:
    """Each kind's download (its template with a row of its columns' examples and the regency
    sheet, or the published layout's example) and the treasury's samples."""
    files = []
    for name in [*KINDS, *TREASURY_KINDS]:
        kind = get_kind(name)
        content = kind.example_workbook() or template_workbook(
            kind, [example_row(kind)], regencies=[("32.73", "Kota Bandung", "Jawa Barat")]
        )
        files.append(directory / f"{name}.xlsx")
        files[-1].write_bytes(content)
    (directory / "pok-contoh.xlsx").write_bytes(examples.example_pok())
    (directory / "realisasi-contoh.xlsx").write_bytes(examples.example_realization())
    files += [directory / "pok-contoh.xlsx", directory / "realisasi-contoh.xlsx"]
    ikpa_row = ("170019", "DINAS PERINDUSTRIAN", 100, 95.5, 88.25, 100, 97, 100, 100, 90, 95.2, 100, 95.2)
    files.append(ikpa_samples.export(directory / "ikpa-export.xlsx", [ikpa_row]))
    files.append(ikpa_samples.template(directory / "ikpa-template.xlsx", [("170019", 2026, 3, 100, 97.5, 100, 100)]))
    return files


def test_every_kinds_download_reads_the_same(tmp_path: Path) -> None:
    for path in shipped_files(tmp_path):
        assert assert_same_rows(path), path.name


def test_every_kind_reads_its_download_the_same_with_either_reader(tmp_path: Path, monkeypatch) -> None:
    """Through each kind's own read (the CONTRACT header, or the treasury's layouts), calamine's
    rows give the same Sheet as openpyxl's (forced by refusing calamine)."""
    files = {path.stem: path for path in shipped_files(tmp_path)}
    for name in [*KINDS, *TREASURY_KINDS]:
        kind = get_kind(name)
        with_calamine = kind.read(files[name], max_rows=1000)
        monkeypatch.setattr(workbook_rows, "_calamine_can_read", lambda path: False)
        with_openpyxl = kind.read(files[name], max_rows=1000)
        monkeypatch.undo()
        assert with_calamine == with_openpyxl, name  # rows, errors and a treasury file's parsed content
        assert with_calamine.rows or getattr(with_calamine, "parsed", None), name


def is_builder(function: Any) -> bool:
    """A bad_files builder: ``(directory, year)`` and nothing else required."""
    parameters = list(inspect.signature(function).parameters.values())
    required = [p.name for p in parameters if p.default is inspect.Parameter.empty and p.kind != p.KEYWORD_ONLY]
    return required == ["directory", "year"]


def test_every_test_workbook_reads_the_same(tmp_path: Path) -> None:
    """The import tests' files (tests/imports/bad_files.py): the good ones read the same; the
    damaged ones are refused by both readers."""
    builders = [builder for _name, builder in inspect.getmembers(bad_files, inspect.isfunction) if is_builder(builder)]
    compared = 0
    for builder in builders:
        directory = tmp_path / builder.__name__
        directory.mkdir()
        path = builder(directory, 2026)
        try:
            check_xlsx(path)
        except ImportFileError:
            continue  # refused before any reader opens it
        try:
            expected = reference_rows(path)
        except DAMAGED_WORKBOOK:
            with pytest.raises(DAMAGED_WORKBOOK):
                read_rows(path)
            continue
        assert read_rows(path) == ("calamine", expected), builder.__name__
        compared += 1
    assert compared >= 15


# -- a workbook of every kind of cell ------------------------------------------------------------

FORMULAS = {
    # cell: (formula, cell type, cached value as Excel stores it)
    "A12": ("1+1", None, "2"),
    "B12": ('"01"&"01"', "str", "0101"),
    "C12": ("1=1", "b", "1"),
    "D12": ("DATE(2026,8,17)", None, "46251"),
    "E12": ("1/4", None, "0.25"),
    "F12": ("2500000*4000000", None, "10000000000000"),
}


def every_kind_of_cell(path: Path) -> Path:
    """Written with openpyxl, then the formulas given cached values. openpyxl writes a formula
    as <f> with an empty <v/> (it computes nothing), so the sheet's XML is edited in the zip:
    each formula cell gets the value Excel would have stored, and t="str"/"b" for text and
    booleans, as Excel writes them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(["teks", "angka", "tanggal", "kode", "kosong", "lain"])
    sheet.append(["0123456789012", 5, dt.datetime(2026, 8, 17), "0101", None, True])
    sheet.append(["  Kopi Gayo (Aceh) ☕ ñ ", 1.5, dt.datetime(2026, 8, 17, 13, 45, 30), "00", None, False])
    sheet.append(["é ü 中文 ✓", 10**13, dt.date(2026, 1, 31), "1.250.000", None, 0])
    sheet.append([None, 9_999_999_999_999, dt.time(7, 30), "32.73", None, -75_000])
    sheet.append(["", -2.75, dt.datetime(1999, 12, 31), " 051 ", None, 1234567.89])
    sheet.append([])  # an empty row in the middle
    sheet.append(["tengah kosong", None, None, None, None, "akhir"])
    sheet.append(["akhir kosong", 2**53 - 1, None])
    sheet.append([0.1, 10**15 - 1, dt.timedelta(hours=30), "a = b", "N/A", 1e-7])
    sheet.append([12.0, 3.0e10, dt.datetime(2026, 8, 17, 0, 0, 1), "1e3", "-0", -0.0])
    for cell, (formula, _kind, _cached) in FORMULAS.items():
        sheet[cell] = f"={formula}"
    sheet["D12"].number_format = "dd/mm/yyyy"
    sheet["C2"].number_format = "[$-421]dd mmmm yyyy"
    sheet["C3"].number_format = "dd/mm/yyyy hh:mm:ss"
    sheet["C4"].number_format = "d-mmm-yy"
    sheet["C6"].number_format = "dd/mm/yyyy;@"
    sheet["B3"].number_format = '"Rp"#,##0.00'
    sheet["F6"].number_format = "0.00%"
    sheet.append([None, None, None, None, None, None])  # written by openpyxl as nothing
    buffer = io.BytesIO()
    book.save(buffer)
    return with_sheet_xml(buffer.getvalue(), path, cached_values)


def cached_values(xml: str) -> str:
    for cell, (_formula, kind, cached) in FORMULAS.items():
        found = re.search(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v\s*/>', xml) or re.search(
            rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v></v>', xml
        )
        assert found, cell
        attributes = found.group(1) + (f' t="{kind}"' if kind else "")
        xml = xml.replace(found.group(0), f'<c r="{cell}"{attributes}><f>{found.group(2)}</f><v>{cached}</v>')
    return xml


def with_sheet_xml(content: bytes, path: Path, edit: Any) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET_PART:
                data = edit(data.decode()).encode()
            target.writestr(info.filename, data)
    return path


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    rows = assert_same_rows(every_kind_of_cell(tmp_path / "sel.xlsx"))
    # What the engine relies on, spelled out (the reference says the same):
    assert rows[1] == ("0123456789012", 5, dt.datetime(2026, 8, 17), "0101", None, True)
    assert rows[3][:2] == ("é ü 中文 ✓", 10**13) and type(rows[3][1]) is int
    assert rows[2][0] == "  Kopi Gayo (Aceh) ☕ ñ " and rows[2][1] == 1.5
    assert rows[3][2] == dt.datetime(2026, 1, 31)  # a date cell is a datetime, as openpyxl gives it
    assert rows[4][2] == dt.time(7, 30) and rows[9][2] == dt.timedelta(hours=30)
    assert rows[5][0] is None  # an empty text is no value
    assert rows[6] == ()  # the empty row is there: row numbers are the sheet's
    assert rows[8] == ("akhir kosong", 2**53 - 1)
    assert rows[10][0] == 12 and type(rows[10][0]) is int  # openpyxl stored 12.0 as "12"
    assert rows[11] == (2, "0101", True, dt.datetime(2026, 8, 17), 0.25, 10**13)  # the formulas' cached values


def test_error_cells_are_read_by_openpyxl(tmp_path: Path) -> None:
    """python-calamine gives an error cell as empty, so an amount of #N/A would become 0: such a
    file is read by openpyxl, which gives the error's text (refused by the amount's check)."""
    path = every_kind_of_cell(tmp_path / "sel.xlsx")
    path = with_sheet_xml(path.read_bytes(), tmp_path / "galat.xlsx", lambda xml: xml.replace(
        '<c r="A12"><f>1+1</f><v>2</v></c>', '<c r="A12" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))  # fmt: skip
    rows = assert_same_rows(path, reader="openpyxl")
    assert rows[11][0] == "#DIV/0!"


def with_cells(tmp_path: Path, name: str, cells: str) -> Path:
    """A realisasi workbook whose sheet gets ``cells`` (raw XML) as one more row at its end, and
    no <dimension> (openpyxl would stop at the one it has: A1:F4)."""
    path = bad_files.good_realisasi(tmp_path, 2026)

    def edit(xml: str) -> str:
        return re.sub(r"<dimension [^>]*/>", "", xml).replace("</sheetData>", cells + "</sheetData>")

    return with_sheet_xml(path.read_bytes(), tmp_path / name, edit)


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="200000"><c r="XFD200000"><v>1</v></c></row>',  # calamine would ask for 100 GB
        '<row r="5"><c r="A800000"><v>1</v></c></row>',  # a row beyond its <row> elements
        '<row r="5"><c r="XFD5"><v>1</v></c></row>',  # 16.384 columns by the rows (and ROW_SLACK)
        '<row r="5"><c><v>1</v></c><c s="0"/></row>',  # cells placed by their order, not their r
        '<row r="5"><c s="0" r="A5"><v>1</v></c></row>',  # the position not first
        '<row r="5"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="A5">'
        "<x:v>1</x:v></x:c></row>",
    ],
)
def test_a_sheet_calamine_cannot_bound_is_read_by_openpyxl(tmp_path: Path, cells: str) -> None:
    """calamine holds a sheet as one dense box of cells (32 bytes each, from the first filled
    cell to the last): a 2-cell file with a value in XFD200000 aborts the process asking for
    100 GB. Files whose box the scan cannot bound within MAX_CELLS go to openpyxl."""
    path = with_cells(tmp_path, "jauh.xlsx", cells)
    assert not workbook_rows._calamine_can_read(path)
    with first_sheet(path) as sheet:
        assert sheet is not None and sheet.reader == "openpyxl"
        assert next(sheet.rows)[0] == "kode_satker"


def test_an_ordinary_sheet_is_read_by_calamine(tmp_path: Path) -> None:
    path = with_cells(tmp_path, "dekat.xlsx", '<row r="9"><c r="F9" t="n"><v>7</v></c></row>')
    assert workbook_rows._calamine_can_read(path)
    assert assert_same_rows(path)[-1] == (None, None, None, None, None, 7)


def test_row_numbers_and_columns_start_at_a1(tmp_path: Path) -> None:
    """calamine starts a sheet at its first filled cell; the readers count rows and columns from
    A1 (a header in row 2 or column B is not a header in row 1)."""
    book = Workbook()
    book.active["C3"] = "kode_satker"
    book.active["D5"] = 170019
    book.save(tmp_path / "geser.xlsx")
    rows = assert_same_rows(tmp_path / "geser.xlsx")
    assert rows == [(), (), (None, None, "kode_satker"), (), (None, None, None, 170019)]
    sheet = read_sheet(tmp_path / "geser.xlsx", columns=["kode_satker"], max_rows=10)
    assert [error.row for error in sheet.errors] == [1]  # row 1 is not the header


def test_the_first_worksheet_is_read(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "pertama"
    book.active.append(["kode_satker"])
    book.create_sheet("kedua").append(["lain"])
    book.move_sheet("kedua", offset=-1)  # the second created is now the first
    book.save(tmp_path / "dua.xlsx")
    assert assert_same_rows(tmp_path / "dua.xlsx") == [("lain",)]


def test_excels_escaped_characters_are_read_as_characters(tmp_path: Path) -> None:
    """A difference kept on purpose (imports/workbook_rows.py names them): Excel writes a
    carriage return in a text as _x000D_ (an address pasted with a line break); calamine reads
    the character, openpyxl left the seven characters in the text, which then went into the
    registry as they were."""
    path = with_cells(
        tmp_path, "escape.xlsx", '<row r="5"><c r="A5" t="inlineStr"><is><t>Jl. Merdeka_x000D_</t></is></c></row>'
    )
    assert reference_rows(path)[-1] == ("Jl. Merdeka_x000D_",)
    assert read_rows(path)[1][-1] == ("Jl. Merdeka\r",)
