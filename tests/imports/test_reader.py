"""Reading import sheets: header rules, empty rows, row limit, cached formula values, and the
cell parsers (Indonesian numbers, codes as text)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from imports.reader import (
    CellError,
    parse_amount,
    parse_code,
    parse_int,
    parse_regency_code,
    parse_text,
    read_sheet,
)

COLUMNS = ["kode_satker", "tahun", "bulan", "realisasi"]


def make(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_rows_are_read_by_case_insensitive_trimmed_headers_and_empty_rows_skipped(tmp_path: Path) -> None:
    path = make(tmp_path / "r.xlsx", [
        [" Kode_Satker ", "TAHUN", "bulan", "Realisasi"],
        ["170019", 2026, 1, "1.250.000"],
        [None, None, None, None],
        ["  ", None, "", None],
        ["170019", 2026, 2, 2500000],
    ])  # fmt: skip
    sheet = read_sheet(path, columns=COLUMNS, max_rows=100)
    assert sheet.errors == []
    assert [(number, row["bulan"], row["realisasi"]) for number, row in sheet.rows] == [
        (2, 1, "1.250.000"), (5, 2, 2500000)
    ]  # fmt: skip


def test_missing_unknown_and_repeated_columns_are_named(tmp_path: Path) -> None:
    path = make(tmp_path / "h.xlsx", [["kode_satker", "tahun", "tahun", "nilai"], ["170019", 2026, 2026, 1]])
    messages = [(e.row, e.column, e.message) for e in read_sheet(path, columns=COLUMNS, max_rows=10).errors]
    assert (1, "tahun", "Kolom tahun muncul dua kali.") in messages
    assert any(column == "nilai" and "tidak dikenal" in message for _, column, message in messages)
    assert (1, "bulan", "Kolom bulan tidak ada.") in messages
    assert (1, "realisasi", "Kolom realisasi tidak ada.") in messages


def test_empty_workbook_is_an_error(tmp_path: Path) -> None:
    sheet = read_sheet(make(tmp_path / "e.xlsx", []), columns=COLUMNS, max_rows=10)
    assert "Baris 1 harus berisi judul kolom" in sheet.errors[0].message


def test_row_limit(tmp_path: Path) -> None:
    path = make(tmp_path / "l.xlsx", [COLUMNS] + [["170019", 2026, 1, 1]] * 5)
    sheet = read_sheet(path, columns=COLUMNS, max_rows=3)
    assert len(sheet.rows) == 3
    assert "lebih dari 3 baris" in sheet.errors[-1].message


def test_formulas_are_read_by_their_cached_value(tmp_path: Path) -> None:
    # openpyxl writes formulas without cached values; a file saved by Excel carries them. Write
    # the cached value into the XML by hand, as Excel does.
    import zipfile

    path = make(tmp_path / "f.xlsx", [COLUMNS, ["170019", 2026, 1, "=1000*2"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>1000*2</f><v />" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace("<f>1000*2</f><v />", "<f>1000*2</f><v>2000</v>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    sheet = read_sheet(path, columns=COLUMNS, max_rows=10)
    assert sheet.rows[0][1]["realisasi"] == 2000


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1250000, 1_250_000), (1250000.0, 1_250_000), ("1.250.000", 1_250_000), ("1.250.000,00", 1_250_000),
     ("Rp 7.500", 7_500), (None, 0), (Decimal("12"), 12)],
)  # fmt: skip
def test_amounts(value: object, expected: int) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5", "negatif"), (-5, "negatif"), ("satu juta", "bukan jumlah rupiah"), (1.5, "rupiah bulat"),
     ("1.250.000,50", "rupiah bulat"), (True, "angka")],
)  # fmt: skip
def test_bad_amounts(value: object, message: str) -> None:
    with pytest.raises(CellError, match=message):
        parse_amount(value)


def test_month_and_year() -> None:
    assert parse_int(12, low=1, high=12) == 12
    assert parse_int("3", low=1, high=12) == 3
    assert parse_int(3.0, low=1, high=12) == 3
    for bad, message in [(13, "di antara 1 dan 12"), ("tiga", "bukan bilangan bulat"), (2.5, "bukan bilangan bulat"),
                         (None, "Wajib")]:  # fmt: skip
        with pytest.raises(CellError, match=message):
            parse_int(bad, low=1, high=12)


def test_codes_keep_or_regain_leading_zeros() -> None:
    assert parse_code("019101", digits=6, label="kode satker") == "019101"
    assert parse_code(19101, digits=6, label="kode satker") == "019101"  # Excel dropped the zero
    assert parse_code(220551017193, digits=13, label="NIB") == "0220551017193"
    assert parse_code(None, digits=13, label="NIB", required=False) is None
    with pytest.raises(CellError, match="NIB harus 13 digit"):
        parse_code("12345", digits=13, label="NIB")
    with pytest.raises(CellError, match="kode satker harus 6 digit"):
        parse_code("17OO19", digits=6, label="kode satker")


def test_regency_codes() -> None:
    assert parse_regency_code("32.73") == "32.73"
    assert parse_regency_code("3273") == "32.73"
    assert parse_regency_code(3273) == "32.73"
    assert parse_regency_code(32.73) == "32.73"  # typed into a number cell
    assert parse_regency_code(17.1) == "17.10"  # 17.10 in a number cell loses its last zero
    with pytest.raises(CellError, match=r"PP\.RR"):
        parse_regency_code("Bandung")


def test_text() -> None:
    assert parse_text("  Keripik  ", max_length=20) == "Keripik"
    with pytest.raises(CellError, match="Paling panjang"):
        parse_text("x" * 21, max_length=20)
    with pytest.raises(CellError, match="Wajib"):
        parse_text(None, max_length=20)
