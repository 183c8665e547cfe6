"""The rows of an uploaded workbook's first worksheet, read with python-calamine (Rust: a
100.000-row sheet in ~2 s where openpyxl's streaming reader takes ~15-30 s), each value as
openpyxl's ``iter_rows(values_only=True)`` gives it with ``data_only=True``, so the readers
(imports/reader.py, budgets/treasury/reader.py) and everything after them see the same values:

- a number cell is an int when it is whole (calamine gives every number as a float), a float
  otherwise; a date cell a datetime (calamine gives a date at midnight), a time a time, a
  duration a timedelta; booleans, text (numbers stored as text keep their leading zeros) and
  formulas' cached values as they are;
- an empty cell is None (calamine gives ""), and so is a cell holding the empty string;
- row 1 is the sheet's row 1 and column A its column A, empty rows included, so row numbers
  and column positions are the sheet's own (calamine would start at the first filled cell).

Two kinds of file are read with openpyxl instead, found by scanning the zip's XML before
calamine opens it (``_calamine_can_read``, ~0,5 s for 100.000 rows):

- a sheet with error cells (#N/A, #DIV/0!): python-calamine turns them into empty cells, and
  an empty amount is 0, so a failed VLOOKUP would be imported as zero instead of refused;
- a sheet whose cells may span a box of more than MAX_CELLS, or whose cells' positions the
  scan cannot bound: calamine holds the whole box in memory, every cell of it (32 bytes a
  cell), so a 2-cell file with a value in XFD200000 makes it ask for 100 GB and abort the
  process (no exception to catch); openpyxl streams such a sheet row by row.

Both are rare in officers' files; openpyxl reads them as it read every file before.

Where calamine differs from openpyxl and is kept (tests/imports/test_calamine_reader.py): a
sheet ends at its last value (openpyxl went on with empty rows to its <dimension>, and stopped
there even when values came after it); Excel's escapes in text (_x000D_, a carriage return) are
read as the character (openpyxl left the seven characters in the text); a whole number written
with a decimal point ("5.0", which Excel never writes) is an int.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetTypeEnum

# Whole floats up to 2**53 are exact: openpyxl reads the digits Excel writes ("1250000") as an
# int. Larger numbers Excel writes with an exponent ("1.2345678901234568E+17"), a float to openpyxl too.
EXACT_FLOAT = 2**53


@dataclass
class SheetRows:
    rows: Iterator[tuple[Any, ...]]  # from row 1, one tuple a row, values as openpyxl gives them
    declared: int  # the sheet's last row number (openpyxl: its <dimension>); 0 when unknown
    reader: str  # "calamine" or "openpyxl" (for the tests and the bench)


@contextmanager
def first_sheet(path: str | Path) -> Iterator[SheetRows | None]:
    """The rows of the workbook's first worksheet (None when it has none). Raises what a damaged
    workbook raises (see imports.reader.DAMAGED_WORKBOOK)."""
    if _calamine_can_read(path):
        with CalamineWorkbook.from_path(str(path)) as workbook:
            index = next((i for i, s in enumerate(workbook.sheets_metadata) if s.typ == SheetTypeEnum.WorkSheet), None)
            if index is None:
                yield None
                return
            sheet = workbook.get_sheet_by_index(index)
            last_row = sheet.end[0] + 1 if sheet.end else 0
            yield SheetRows(_calamine_rows(sheet), last_row, "calamine")
        return
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        yield None if sheet is None else SheetRows(sheet.iter_rows(values_only=True), sheet.max_row or 0, "openpyxl")
    finally:
        workbook.close()


def _calamine_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    start = sheet.start
    if start is None:  # a sheet without a value
        return
    # iter_rows gives every row from row 1 but the columns from the first filled one.
    padding = (None,) * start[1]
    for row in sheet.iter_rows():
        # The common cells (text, numbers) converted inline: this runs a million times for a
        # 100.000-row file, and a call a cell would cost a second.
        yield padding + tuple([
            (value or None) if (kind := type(value)) is str
            else (int(value) if value.is_integer() and -EXACT_FLOAT < value < EXACT_FLOAT else value) if kind is float
            else _other(value)
            for value in row
        ])  # fmt: skip


def _other(value: Any) -> Any:
    """A cell neither text nor a number: a date at midnight is a datetime, as openpyxl gives it."""
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


# -- the scan before calamine ------------------------------------------------------------------

WIDE_REF = re.compile(rb"""<c r=["']([A-Z]{2,})""")  # a cell in column AA or beyond
PREFIXED_CELL = re.compile(rb":c[\s>/]")  # <x:c ...>: calamine reads those as cells too
ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")
ROW_SLACK = 1_000  # blank rows a sheet may have between its filled ones (no <row> element)
# A sheet with up to 200.000 rows of 30 columns (calamine: ~32 bytes a cell of the box).
MAX_CELLS = 6_000_000


def _calamine_can_read(path: str | Path) -> bool:
    """Whether every part that may hold a worksheet (any part naming sheetData: calamine finds
    the sheets through the relationships, so no part is trusted by its name) has no error cell,
    only cells whose first attribute is their position (r="B7": what Excel, LibreOffice, Google
    Sheets, openpyxl and XlsxWriter write), and all of them inside a box of at most MAX_CELLS:
    as many rows as the part has <row> elements (and ROW_SLACK) by its widest column (Z when
    none is beyond). Done on the bytes: a few counts, and one regular expression over the cells'
    starts (~0,5 s for 100.000 rows of 11 columns)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return all(_part_fits(archive, entry) for entry in archive.infolist())
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False  # openpyxl then says the workbook is damaged, as it always did


def _part_fits(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    with archive.open(entry) as part:
        data = part.read()  # check_xlsx has bounded every part (and the whole) before this
    if b"sheetData" not in data:
        return True
    if data.count(b":c") and PREFIXED_CELL.search(data):
        return False
    if (data.count(b'"e"') or data.count(b"'e'")) and ERROR_TYPE.search(data):
        return False
    columns = max((_column_number(letters) for letters in set(WIDE_REF.findall(data))), default=26)
    rows = data.count(b"<row") + ROW_SLACK
    if rows * columns > MAX_CELLS:
        return False
    return not _misplaced(rows).search(data)


def _misplaced(rows: int) -> re.Pattern[bytes]:
    """A cell that does not state its position first (calamine would place it after the one
    before), whose position is not letters then digits, or whose row is beyond ``rows``."""
    digits = str(rows)
    beyond = [f"[0-9]{{{len(digits) + 1},}}"]  # more digits
    for index, digit in enumerate(digits):  # as many digits, a larger one at ``index``
        if digit != "9":
            beyond.append(f"{digits[:index]}[{int(digit) + 1}-9][0-9]{{{len(digits) - index - 1}}}")
    return re.compile(
        rb"""<c(?:[>/]|\s(?!r=["'])|\sr=["'](?:(?![A-Z]+[0-9]+["'])|[A-Z]+(?:%s)["']))""" % "|".join(beyond).encode()
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
