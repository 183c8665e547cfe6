"""Reading the rows of an import workbook (first sheet, header in row 1) and the cell values
officers type: numbers or Indonesian-formatted text, codes kept as text.

Every problem is collected as (row, column, message) so a whole file can be reported at once.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from python_calamine import CalamineError

from core.formats import MAX_RUPIAH, RupiahError, excerpt, format_number, parse_rupiah
from core.messages import text as msg  # (``text`` is a local name here)
from imports.file_checks import ImportFileError
from imports.workbook_rows import first_sheet


class CellError(ValueError):
    """A cell's value is not acceptable; the message is shown next to its row and column."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number (header = 1)
    column: str  # the header name, or "" for the whole row / file
    message: str

    def __str__(self) -> str:
        where = _("baris %(row)s") % {"row": self.row} if self.row else _("berkas")
        if self.column:
            return _("%(where)s, kolom %(column)s: %(message)s") % {
                "where": where,
                "column": self.column,
                "message": self.message,
            }
        return f"{where}: {self.message}"


@dataclass
class Sheet:
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def normalize_header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


PROGRESS_EVERY = 2_000  # rows between two progress reports while reading


# What calamine, openpyxl (imports/workbook_rows.py reads a few files with it), zipfile and the
# XML parser raise on a zip that passed check_xlsx but holds no readable workbook (a .docx
# renamed, a sheet cut short, a damaged part).
DAMAGED_WORKBOOK = (OSError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, ParseError, CalamineError)


def read_sheet(
    path: str | Path,
    *,
    columns: list[str],
    max_rows: int,
    progress: Callable[[int, int], None] | None = None,
    optional: Sequence[str] = (),
) -> Sheet:
    """See _read_sheet; a workbook that cannot be read is an ImportFileError, never a crash."""
    try:
        return _read_sheet(path, columns=columns, max_rows=max_rows, progress=progress, optional=optional)
    except DAMAGED_WORKBOOK:
        raise ImportFileError(
            msg(
                gettext_noop(
                    "Berkas .xlsx rusak atau bukan buku kerja Excel; buka di Excel lalu simpan ulang sebagai .xlsx."
                )
            )
        ) from None


def _read_sheet(
    path: str | Path,
    *,
    columns: list[str],
    max_rows: int,
    progress: Callable[[int, int], None] | None = None,
    optional: Sequence[str] = (),
) -> Sheet:
    """The data rows of the first sheet as {column: value}; header problems (missing, unknown or
    repeated columns; the ``optional`` ones may be missing) and too many rows are errors. Empty
    rows are skipped; formulas are read by their cached values; text is trimmed (the cells'
    values are openpyxl's: imports/workbook_rows.py).
    ``progress(rows_read, rows_declared)`` is called now and then (the declared count is the
    sheet's dimension, 0 when the file does not say)."""
    with first_sheet(path) as sheet:
        result = Sheet(columns=columns)
        if sheet is None:
            result.errors.append(RowError(0, "", msg(gettext_noop("Berkas tidak berisi lembar kerja."))))
            return result
        rows = sheet.rows
        header = next(rows, None)
        if header is None or not any(normalize_header(cell) for cell in header):
            result.errors.append(
                RowError(
                    1, "", msg(gettext_noop("Baris 1 harus berisi judul kolom: %(cols)s."), cols=", ".join(columns))
                )
            )
            return result
        names = [normalize_header(cell) for cell in header]
        _check_header_lengths(names, result)
        if result.errors:
            return result
        _check_header(names, columns, result, optional)
        if result.errors:
            return result
        positions = list({name: index for index, name in enumerate(names) if name}.items())
        width = len(names)
        declared = max(sheet.declared - 1, 0)
        for number, values in enumerate(rows, start=2):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number - 1, declared)
            if len(values) < width:
                values = (*values, *(None,) * (width - len(values)))
            # Text trimmed, and empty text no value. Inline: once a cell, a million times for 100.000 rows.
            cells = {name: (value.strip() or None) if type(value := values[index]) is str else value
                     for name, index in positions}  # fmt: skip
            if all(value is None for value in cells.values()):
                continue
            if _too_long(number, cells, result):
                if len(result.errors) >= MAX_LONG_CELL_ERRORS:
                    break
                continue
            if len(result.rows) >= max_rows:
                result.errors.append(
                    RowError(
                        number,
                        "",
                        msg(
                            gettext_noop("Berkas berisi lebih dari %(max)s baris data; bagi menjadi beberapa berkas."),
                            max=format_number(max_rows),
                        ),
                    )
                )
                break
            result.rows.append((number, cells))
        if not result.rows and not result.errors:
            result.errors.append(
                RowError(
                    0,
                    "",
                    msg(gettext_noop("Berkas tidak berisi baris data; isi data mulai baris 2, di bawah judul kolom.")),
                )
            )
        return result


# No header of any kind is near this long, nor any text a kind keeps (the longest, an address or a
# description, is a few hundred characters): a longer cell is refused before it is quoted anywhere.
MAX_HEADER_CHARS = 100
MAX_CELL_CHARS = 5_000
MAX_LONG_CELL_ERRORS = 100  # a file of overlong cells stops being read after this many


def _check_header_lengths(names: list[str], result: Sheet) -> None:
    for position, name in enumerate(names, start=1):
        if len(name) > MAX_HEADER_CHARS:
            result.errors.append(
                RowError(1, "", msg(gettext_noop("Judul kolom ke-%(position)s terlalu panjang (%(length)s karakter, "
                                                 "paling panjang %(max)s); baris 1 hanya berisi judul kolom."),
                                    position=position, length=format_number(len(name)), max=MAX_HEADER_CHARS))
            )  # fmt: skip


def _too_long(number: int, cells: dict[str, Any], result: Sheet) -> bool:
    long = [name for name, value in cells.items() if isinstance(value, str) and len(value) > MAX_CELL_CHARS]
    for name in long:
        result.errors.append(
            RowError(number, name, msg(gettext_noop("Isi sel terlalu panjang (%(length)s karakter, paling panjang "
                                                    "%(max)s)."),
                                       length=format_number(len(cells[name])), max=format_number(MAX_CELL_CHARS)))
        )  # fmt: skip
    return bool(long)


def _check_header(names: list[str], columns: list[str], result: Sheet, optional: Sequence[str] = ()) -> None:
    seen: set[str] = set()
    for name in names:
        if not name:
            continue
        if name in seen:
            result.errors.append(
                RowError(1, name, msg(gettext_noop("Kolom %(name)s muncul dua kali."), name=excerpt(name)))
            )
        elif name not in columns:
            result.errors.append(
                RowError(
                    1,
                    name,
                    msg(
                        gettext_noop("Kolom %(name)s tidak dikenal; kolom yang benar: %(cols)s."),
                        name=excerpt(name),
                        cols=", ".join(columns),
                    ),
                )
            )
        seen.add(name)
    for missing in [c for c in columns if c not in seen and c not in optional]:
        result.errors.append(RowError(1, missing, msg(gettext_noop("Kolom %(name)s tidak ada."), name=missing)))


# --- Cell values --------------------------------------------------------------------------


def parse_amount(value: Any) -> int:
    """Whole rupiah from a number cell or Indonesian text (1.250.000 / 1.250.000,00)."""
    if value is None:
        return 0
    if type(value) is int and 0 <= value < MAX_RUPIAH:  # most number cells: nothing to check further
        return value
    if isinstance(value, bool):
        raise CellError(msg(gettext_noop("Isi dengan angka.")))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        try:
            number = int(value)
        except (OverflowError, ValueError):  # infinity ("1e999" in the sheet), NaN
            raise CellError(msg(gettext_noop("'%(value)s' bukan jumlah rupiah."), value=excerpt(value))) from None
        if value != number:
            raise CellError(msg(gettext_noop("Jumlah harus rupiah bulat (tanpa sen).")))
    else:
        try:
            number = parse_rupiah(str(value))
        except RupiahError as error:
            raise CellError(msg(error.msgid, **error.params)) from None  # keeps the msgid
    if number < 0:
        raise CellError(msg(gettext_noop("Jumlah tidak boleh negatif.")))
    try:
        return parse_rupiah(number)
    except RupiahError as error:  # a number cell of 10^15 rupiah or more
        raise CellError(msg(error.msgid, **error.params)) from None  # keeps the msgid


def parse_int(value: Any, *, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high`` (a month, a year, a count, stars)."""
    if value is None:
        raise CellError(msg(gettext_noop("Wajib diisi.")))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(
            msg(gettext_noop("Sel berisi tanggal, bukan bilangan bulat; ubah format sel menjadi Angka atau Teks."))
        )
    try:
        if isinstance(value, bool):
            raise ValueError
        number = Decimal(str(value).replace(".", "").replace(",", ".")) if isinstance(value, str) else Decimal(value)
        # Inside the try: comparing a signalling NaN (the text "sNaN") raises InvalidOperation.
        whole = number == number.to_integral_value()
    except (InvalidOperation, ValueError):
        raise CellError(msg(gettext_noop("'%(value)s' bukan bilangan bulat."), value=excerpt(value))) from None
    if not whole:
        raise CellError(msg(gettext_noop("'%(value)s' bukan bilangan bulat."), value=excerpt(value)))
    if not low <= number <= high:
        raise CellError(msg(gettext_noop("Harus di antara %(low)s dan %(high)s."), low=low, high=high))
    return int(number)


def parse_code(value: Any, *, digits: int, label: str, required: bool = True) -> str | None:
    """A fixed-length numeric code kept as text. A number cell has lost its leading zeros
    (Excel drops them), so it is padded back to ``digits``."""
    if value is None:
        if required:
            raise CellError(msg(gettext_noop("Wajib diisi.")))
        return None
    if isinstance(value, bool):  # a TRUE/FALSE cell is not a code (bool is an int to Python)
        raise CellError(msg(gettext_noop("%(label)s harus %(digits)s digit angka; ditemukan '%(value)s'."),
                            label=str(label), digits=digits, value=excerpt(value)))  # fmt: skip
    if isinstance(value, float) and value.is_integer():  # (not int(value): infinity and NaN raise)
        value = int(value)
    text = str(value).strip() if not isinstance(value, int) else f"{value:0{digits}d}"
    if not (len(text) == digits and text.isascii() and text.isdigit()):
        raise CellError(msg(gettext_noop("%(label)s harus %(digits)s digit angka; ditemukan '%(value)s'."),
                            label=str(label), digits=digits, value=excerpt(value)))  # fmt: skip
    return text


def parse_regency_code(value: Any) -> str:
    """Kemendagri regency code 'PP.RR'; '3273' and the number 3273 are read the same."""
    if value is None:
        raise CellError(msg(gettext_noop("Wajib diisi.")))
    if isinstance(value, float) and not value.is_integer():  # (False for infinity and NaN, too)
        value = f"{value:05.2f}"  # 17.10 typed into a number cell arrives as 17.1
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    text = f"{int(value):04d}" if whole else str(value).strip()
    if len(text) == 4 and text.isdigit():
        text = f"{text[:2]}.{text[2:]}"
    if not (len(text) == 5 and text[2] == "." and text[:2].isdigit() and text[3:].isdigit()):
        raise CellError(
            msg(
                gettext_noop("Kode kabupaten/kota harus berbentuk PP.RR (mis. 32.73); ditemukan '%(value)s'."),
                value=excerpt(value),
            )
        )
    return text


def parse_text(value: Any, *, max_length: int, required: bool = True) -> str:
    if value is None:
        if required:
            raise CellError(msg(gettext_noop("Wajib diisi.")))
        return ""
    text = str(value).strip() if not isinstance(value, dt.date) else value.isoformat()
    if len(text) > max_length:
        raise CellError(msg(gettext_noop("Paling panjang %(max)s karakter."), max=max_length))
    return text


DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")


def parse_date(value: Any, *, required: bool = False) -> dt.date | None:
    """A date from a date cell (Excel's own) or typed as text: 17-08-2026, 17/08/2026 or 2026-08-17.
    A number cell is refused: Excel shows a date typed into a General cell as its serial number,
    which no one would recognise in the error list."""
    if value is None:
        if required:
            raise CellError(_("Wajib diisi."))
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise CellError(
        _("'%(value)s' bukan tanggal; tulis sebagai tanggal Excel atau teks HH-BB-TTTT, mis. 17-08-2026.")
        % {"value": excerpt(value)}
    )
