"""Reading a treasury workbook by its layout (budgets/treasury/layouts.py): pure parsing, nothing
looked up in the database and nothing written.

Every problem is collected as a RowError (row, column, message) and a file with any is refused
whole by the kind; a file no layout recognises is one error naming the supported layouts.

The DIPA/POK print is a hierarchy whose level is read from the shape of the code in the code
column: program ``019.05.WA``, kegiatan ``6503`` (4 digits), KRO ``6503.RBS`` or ``RBS`` (3
letters), RO ``6503.RBS.001`` (or ``001`` right under its KRO), komponen ``051`` (3 digits under
an RO), sub-komponen ``A`` (one letter), akun ``521211`` (6 digits); a row without a code is a
detail (rincian) of the akun above it. Its amounts are in thousands of rupiah: each is multiplied
by the layout's unit (1000) and must then be whole rupiah.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from budgets.treasury.layouts import MONTH_LABELS, Layout
from core.formats import excerpt, format_number
from core.messages import text as msg
from imports.file_checks import ImportFileError
from imports.reader import DAMAGED_WORKBOOK, CellError, RowError, parse_amount
from imports.workbook_rows import first_sheet

HEADER_SEARCH_ROWS = 40  # the header row is looked for in the first rows only
MONTHS = range(1, 13)


class TreasuryFileError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors[:3]))


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().lower().rstrip(".:") if value is not None else ""


def _label_matches(cell: str, labels: tuple[str, ...]) -> bool:
    return any(cell == label or cell.startswith(label + " ") or cell.startswith(label + "/") for label in labels)


@dataclass
class Located:
    """A workbook's layout and where its columns are."""

    layout: Layout
    header_row: int  # 1-based
    positions: dict[str, int]  # column -> 0-based index
    month_positions: dict[int, int]  # month -> 0-based index
    title_text: str  # the title block, lower-case, one line per row
    header_labels: dict[str, str]  # column -> the header cell as written (for messages)


DEFAULT_MAX_ROWS = 200_000  # imports' IMPORT_MAX_ROWS is passed in by the kind


def _rows(path: str | Path, max_rows: int = DEFAULT_MAX_ROWS) -> list[tuple[Any, ...]]:
    """Every row of the first sheet from row 1, as every import reads cells (imports/workbook_rows.py)."""
    try:
        with first_sheet(path) as sheet:
            if sheet is None:
                raise TreasuryFileError([RowError(0, "", msg(gettext_noop("Berkas tidak berisi lembar kerja.")))])
            rows = []
            for row in sheet.rows:
                if len(rows) >= max_rows + HEADER_SEARCH_ROWS:
                    raise TreasuryFileError([RowError(0, "", msg(
                        gettext_noop("Berkas berisi lebih dari %(max)s baris data; bagi menjadi beberapa berkas."),
                        max=format_number(max_rows)))])  # fmt: skip
                rows.append(tuple(row))
            return rows
    except DAMAGED_WORKBOOK:
        raise ImportFileError(msg(gettext_noop(
            "Berkas .xlsx rusak atau bukan buku kerja Excel; buka di Excel lalu simpan ulang sebagai .xlsx."
        ))) from None  # fmt: skip


def _locate(rows: list[tuple[Any, ...]], layout: Layout) -> Located | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [_norm(value) for value in row]
        positions: dict[str, int] = {}
        labels: dict[str, str] = {}
        months: dict[int, int] = {}
        for position, cell in enumerate(cells):
            if not cell:
                continue
            month = next((m for m, names in zip(MONTHS, MONTH_LABELS, strict=True) if cell in names), None)
            if month is not None and month not in months:
                months[month] = position
                continue
            for column, column_labels in layout.columns.items():
                if column not in positions and _label_matches(cell, column_labels):
                    positions[column], labels[column] = position, str(row[position]).strip()
                    break
        if not all(column in positions for column in layout.required):
            continue
        if layout.monthly and len(months) < 12:
            continue
        if not layout.monthly and "realisasi" in layout.required and len(months) == 12:
            continue  # a twelve-month file is the monthly layout's
        title = "\n".join(" ".join(_norm(v) for v in r if v is not None) for r in rows[:index])
        if not any(marker in title for marker in layout.title_markers):
            continue
        return Located(layout, index + 1, positions, months if layout.monthly else {}, title, labels)
    return None


def locate(rows: list[tuple[Any, ...]], layouts: tuple[Layout, ...]) -> Located:
    for layout in layouts:
        found = _locate(rows, layout)
        if found is not None:
            return found
    raise TreasuryFileError([RowError(0, "", msg(
        gettext_noop("Tata letak berkas tidak dikenal: tidak ditemukan judul laporan dan baris judul kolom yang "
                     "sesuai. Tata letak yang didukung: %(layouts)s."),
        layouts="; ".join(layout.title for layout in layouts),
    ))])  # fmt: skip


# -- the title block ------------------------------------------------------------------------------

SATKER_IN_TITLE = re.compile(r"satker[^0-9\n]{0,40}?\(?(\d{6})\)?")
YEAR_IN_TITLE = re.compile(r"\b(?:tahun anggaran|t\.\s?a\.?|tahun)\s*:?\s*(\d{4})\b")
MONTH_IN_TITLE = re.compile(r"(?:bulan|periode)\s*:?\s*([a-z]+|\d{1,2}\b)")


def title_satker(located: Located) -> str | None:
    found = SATKER_IN_TITLE.search(located.title_text)
    return found.group(1) if found else None


def title_year(located: Located) -> int:
    found = YEAR_IN_TITLE.search(located.title_text)
    if not found:
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop(
            "Tahun anggaran tidak ditemukan di judul berkas (mis. \"TAHUN ANGGARAN 2026\").")))])  # fmt: skip
    return int(found.group(1))


def month_of_word(word: str) -> int | None:
    """The month a title names, short or long (``okt``, ``oktober``); None for any other word."""
    return next((month for month, names in zip(MONTHS, MONTH_LABELS, strict=True) if word in names), None)


def title_month(located: Located) -> int:
    found = MONTH_IN_TITLE.search(located.title_text)
    word = found.group(1) if found else ""
    month = int(word) if word.isdigit() and 1 <= int(word) <= 12 else None  # "BULAN : 10"
    month = month or month_of_word(word)
    if month is None:
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop(
            "Bulan tidak ditemukan di judul berkas (mis. \"Bulan : Oktober\"); berkas satu bulan harus menyebut "
            "bulannya.")))])  # fmt: skip
    return month


def check_unit(located: Located) -> None:
    layout = located.layout
    if layout.unit != 1 and not any(marker in located.title_text for marker in layout.unit_markers):
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop(
            "Judul berkas tidak menyatakan satuan jumlah \"dalam ribuan rupiah\"; tata letak %(layout)s dicetak dalam "
            "ribuan rupiah, sehingga berkas tanpa pernyataan itu tidak dibaca."), layout=layout.title))])  # fmt: skip


# -- cells ----------------------------------------------------------------------------------------

_ID_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_ID_DECIMAL = re.compile(r"^-?\d+(,\d+)?$")
_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def amount_of(value: Any, unit: int) -> int:
    """Whole rupiah from an amount cell in ``unit`` rupiah; empty (or "-") is 0. In rupiah (unit
    1) the cell is read as every import reads amounts (``imports.reader.parse_amount``). In
    thousands a fraction may stand (text written the Indonesian way: 1.250 or 1.250,5) as long as
    the rupiah come out whole."""
    if isinstance(value, str) and value.strip() in ("", "-"):
        value = None
    if unit == 1:
        return parse_amount(value)
    if value is None:
        return 0
    if isinstance(value, bool):
        raise CellError(msg(gettext_noop("'%(value)s' bukan angka."), value=excerpt(value)))
    try:
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            cleaned = re.sub(r"^rp\.?", "", re.sub(r"\s+", "", str(value)).lower())
            if _ID_GROUPED.match(cleaned):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            elif _ID_DECIMAL.match(cleaned):
                cleaned = cleaned.replace(",", ".")
            elif not _PLAIN_DECIMAL.match(cleaned):
                raise InvalidOperation
            number = Decimal(cleaned)
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise CellError(msg(gettext_noop("'%(value)s' bukan angka."), value=excerpt(value))) from None
    if number < 0:
        raise CellError(msg(gettext_noop("Jumlah tidak boleh negatif.")))
    rupiah = number * unit
    if rupiah != rupiah.to_integral_value():
        raise CellError(msg(gettext_noop("'%(value)s' dikali %(unit)s tidak menjadi rupiah bulat."),
                            value=excerpt(value), unit=format_number(unit)))  # fmt: skip
    if rupiah >= 10**15:
        raise CellError(msg(gettext_noop("'%(value)s' terlalu besar."), value=excerpt(value)))
    return int(rupiah)


def code_of(value: Any) -> str:
    """A code cell as text; a number cell that lost its leading zeros (051 -> 51) is padded back to 3."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        return text.zfill(3) if len(text) < 3 else text
    return re.sub(r"\s+", "", str(value)).upper()


# -- the DIPA/POK print ---------------------------------------------------------------------------

PROGRAM = re.compile(r"^\d{3}\.\d{2}\.[A-Z]{2}$")
ACTIVITY = re.compile(r"^\d{4}$")
KRO_FULL = re.compile(r"^(\d{4})\.([A-Z]{3})$")
KRO_SHORT = re.compile(r"^[A-Z]{3}$")
RO_FULL = re.compile(r"^(\d{4})\.([A-Z]{3})\.(\d{3})$")
THREE_DIGITS = re.compile(r"^\d{3}$")
SUBCOMPONENT = re.compile(r"^[A-Z]$")
ACCOUNT = re.compile(r"^\d{6}$")


@dataclass
class PokAccount:
    """One akun row of the print, in rupiah, with where it sits."""

    row: int
    ro: str  # 6503.RBS.001
    component: str  # 051
    account: str  # 521211
    pagu: int
    blokir: int
    rpd: dict[int, int]  # month -> amount
    details: int = 0  # the sum of its detail rows
    detail_rows: int = 0


@dataclass
class PokFile:
    layout: Layout
    satker: str | None
    year: int
    accounts: list[PokAccount] = field(default_factory=list)
    has_rpd: bool = False


def read_pok(path: str | Path, layouts: tuple[Layout, ...], max_rows: int = DEFAULT_MAX_ROWS) -> PokFile:
    """The akun rows of a DIPA/POK print, or TreasuryFileError with every problem found."""
    rows = _rows(path, max_rows)
    located = locate(rows, layouts)
    check_unit(located)
    result = PokFile(located.layout, title_satker(located), title_year(located))
    errors: list[RowError] = []
    _PokWalk(located, errors, result).walk(rows)
    if result.has_rpd:
        _check_rpd(result, located, errors)
    if errors:
        raise TreasuryFileError(errors)
    if not result.accounts:
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop("Berkas tidak berisi baris akun (kode 6 digit).")))])
    return result


class _PokWalk:
    """Walks the rows below the header keeping the hierarchy's current codes."""

    def __init__(self, located: Located, errors: list[RowError], result: PokFile):
        self.located, self.errors, self.result = located, errors, result
        self.activity = self.kro = self.ro = self.component = ""
        self.previous_level = ""
        self.account: PokAccount | None = None

    def label(self, column: str) -> str:
        return self.located.header_labels.get(column, column)

    def error(self, number: int, column: str, message: str) -> None:
        self.errors.append(RowError(number, self.label(column) if column else "", message))

    def cell(self, row: tuple[Any, ...], column: str) -> Any:
        position = self.located.positions.get(column)
        return row[position] if position is not None and position < len(row) else None

    def amount(self, number: int, row: tuple[Any, ...], column: str) -> int | None:
        try:
            return amount_of(self.cell(row, column), self.located.layout.unit)
        except CellError as problem:
            self.error(number, column, str(problem))
            return None

    def walk(self, rows: list[tuple[Any, ...]]) -> None:
        for number, row in enumerate(rows[self.located.header_row :], start=self.located.header_row + 1):
            if not any(value is not None and str(value).strip() for value in row):
                continue
            code = code_of(self.cell(row, "kode"))
            if code and re.fullmatch(r"\(?\d{1,2}\)?", code) and not self.previous_level:
                continue  # the column-number row under the header: (1) (2) (3) ...
            self.row(number, row, code)
        self.close_account()

    def row(self, number: int, row: tuple[Any, ...], code: str) -> None:
        if not code:
            self.detail(number, row)
            return
        self.close_account()
        if PROGRAM.match(code):
            self.level("program")
        elif ACTIVITY.match(code):
            self.activity, self.kro, self.ro, self.component = code, "", "", ""
            self.level("kegiatan")
        elif match := KRO_FULL.match(code):
            self.activity, self.kro, self.ro, self.component = match.group(1), match.group(2), "", ""
            self.level("kro")
        elif KRO_SHORT.match(code):
            if not self.activity:
                self.error(number, "kode", msg(gettext_noop("KRO %(code)s tidak berada di bawah kegiatan."), code=code))
            self.kro, self.ro, self.component = code, "", ""
            self.level("kro")
        elif match := RO_FULL.match(code):
            self.activity, self.kro, self.ro, self.component = match.group(1), match.group(2), code, ""
            self.level("ro")
        elif THREE_DIGITS.match(code) and self.previous_level == "kro":
            self.ro, self.component = f"{self.activity}.{self.kro}.{code}", ""
            self.level("ro")
        elif THREE_DIGITS.match(code):
            if not self.ro:
                self.error(
                    number,
                    "kode",
                    msg(
                        gettext_noop(
                            "Komponen %(code)s tidak berada di bawah RO (tulis RO lengkap, mis. 6503.RBS.001)."
                        ),
                        code=code,
                    ),
                )
            self.component = code
            self.level("komponen")
        elif SUBCOMPONENT.match(code):
            if not self.component:
                self.error(number, "kode", msg(gettext_noop("Sub-komponen %(code)s tidak berada di bawah komponen."),
                                               code=code))  # fmt: skip
            self.level("subkomponen")
        elif ACCOUNT.match(code):
            self.open_account(number, row, code)
        else:
            self.error(
                number,
                "kode",
                msg(
                    gettext_noop(
                        "Kode '%(code)s' tidak dikenali tingkatnya (program 019.05.WA, kegiatan 4 digit, KRO 6503.RBS, "
                        "RO 6503.RBS.001, komponen 3 digit, sub-komponen satu huruf, akun 6 digit)."
                    ),
                    code=excerpt(code),
                ),
            )
            self.level("")

    def level(self, name: str) -> None:
        self.previous_level = name

    def open_account(self, number: int, row: tuple[Any, ...], code: str) -> None:
        self.level("akun")
        if not (self.ro and self.component):
            self.error(number, "kode", msg(gettext_noop("Akun %(code)s tidak berada di bawah RO dan komponen."),
                                           code=code))  # fmt: skip
            return
        pagu = self.amount(number, row, "jumlah")
        blokir = self.amount(number, row, "blokir") if "blokir" in self.located.positions else 0
        rpd: dict[int, int] = {}
        for month, position in self.located.month_positions.items():
            try:
                rpd[month] = amount_of(row[position] if position < len(row) else None, self.located.layout.unit)
            except CellError as problem:
                self.errors.append(RowError(number, str(self.header_month(month)), str(problem)))
        if pagu is None or blokir is None or len(rpd) != len(self.located.month_positions):
            return
        if blokir > pagu:
            self.error(number, "blokir", msg(gettext_noop("Blokir %(blokir)s melebihi jumlah akun %(pagu)s."),
                                             blokir=format_number(blokir), pagu=format_number(pagu)))  # fmt: skip
            return
        if any(rpd.values()):
            self.result.has_rpd = True
        self.account = PokAccount(number, self.ro, self.component, code, pagu, blokir, rpd)

    def header_month(self, month: int) -> str:
        return MONTH_LABELS[month - 1][0].upper()

    def detail(self, number: int, row: tuple[Any, ...]) -> None:
        if self.previous_level not in ("akun", "detail"):
            return  # a title or a subtotal line between levels: nothing to read
        self.level("detail")
        raw = self.cell(row, "jumlah")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return  # a heading among the details ("> Honor narasumber"): no amount of its own
        amount = self.amount(number, row, "jumlah")
        if self.account is not None and amount is not None:
            self.account.details += amount
            self.account.detail_rows += 1

    def close_account(self) -> None:
        account, self.account = self.account, None
        if account is None:
            return
        if account.detail_rows and account.details != account.pagu:
            self.error(
                account.row,
                "jumlah",
                msg(
                    gettext_noop(
                        "Jumlah rincian di bawah akun %(account)s (%(details)s) tidak sama dengan jumlah akunnya "
                        "(%(pagu)s)."
                    ),
                    account=account.account,
                    details=format_number(account.details),
                    pagu=format_number(account.pagu),
                ),
            )
        self.result.accounts.append(account)


def _check_rpd(result: PokFile, located: Located, errors: list[RowError]) -> None:
    """A file with page III columns: every akun's twelve months add up to its effective pagu."""
    for account in result.accounts:
        planned = sum(account.rpd.values())
        effective = account.pagu - account.blokir
        if planned != effective:
            errors.append(RowError(account.row, located.header_labels.get("jumlah", "jumlah"), msg(gettext_noop(
                "RPD Januari-Desember akun %(account)s berjumlah %(planned)s, tidak sama dengan pagu efektifnya "
                "%(effective)s (jumlah %(pagu)s - blokir %(blokir)s; dalam rupiah)."),
                account=account.account, planned=format_number(planned), effective=format_number(effective),
                pagu=format_number(account.pagu), blokir=format_number(account.blokir))))  # fmt: skip


# -- the realization per akun ----------------------------------------------------------------------


@dataclass
class RealizationCell:
    row: int
    satker: str
    component: str | None
    account: str
    month: int
    amount: int


@dataclass
class RealizationFile:
    layout: Layout
    satker: str | None  # the title block's, when it names one
    year: int
    cells: list[RealizationCell] = field(default_factory=list)
    months: set[int] = field(default_factory=set)  # the months the file reports


def read_realization(
    path: str | Path, layouts: tuple[Layout, ...], max_rows: int = DEFAULT_MAX_ROWS
) -> RealizationFile:
    """The realization cells of an OM-SPAN/SAKTI export, or TreasuryFileError with every problem found."""
    rows = _rows(path, max_rows)
    located = locate(rows, layouts)
    check_unit(located)
    layout = located.layout
    month = title_month(located) if layout.month_in_title else None
    result = RealizationFile(layout, title_satker(located), title_year(located))
    result.months = {month} if month else set(MONTHS)
    errors: list[RowError] = []
    satker_of_file = result.satker

    def cell(row: tuple[Any, ...], column: str) -> Any:
        position = located.positions.get(column)
        return row[position] if position is not None and position < len(row) else None

    def label(column: str) -> str:
        return located.header_labels.get(column, column)

    for number, row in _data_rows(rows, located.header_row):
        satker, account = code_of(cell(row, "satker")), code_of(cell(row, "akun"))
        if not account:
            if not satker:
                continue  # a total or a blank line
            errors.append(RowError(number, label("akun"), msg(gettext_noop("Wajib diisi."))))
            continue
        if not re.fullmatch(r"\d{6}", satker):
            errors.append(
                RowError(
                    number,
                    label("satker"),
                    msg(gettext_noop("Kode satker harus 6 digit angka; ditemukan '%(value)s'."), value=excerpt(satker)),
                )
            )
            continue
        if satker_of_file is None:
            satker_of_file = satker
        if satker != satker_of_file:
            errors.append(RowError(number, label("satker"), msg(gettext_noop(
                "Kode satker %(code)s tidak sama dengan satker berkas %(file)s; satu berkas untuk satu satker."),
                code=satker, file=satker_of_file)))  # fmt: skip
            continue
        if not ACCOUNT.match(account):
            errors.append(
                RowError(
                    number,
                    label("akun"),
                    msg(gettext_noop("Kode akun harus 6 digit angka; ditemukan '%(value)s'."), value=excerpt(account)),
                )
            )
            continue
        component = code_of(cell(row, "komponen")) or None
        if component is not None and not THREE_DIGITS.match(component):
            errors.append(
                RowError(
                    number,
                    label("komponen"),
                    msg(
                        gettext_noop("Kode komponen harus 3 digit angka; ditemukan '%(value)s'."),
                        value=excerpt(component),
                    ),
                )
            )
            continue
        amounts: dict[int, Any] = (
            {m: row[p] if p < len(row) else None for m, p in located.month_positions.items()}
            if layout.monthly else {month: cell(row, "realisasi")}
        )  # fmt: skip
        for cell_month, value in amounts.items():
            try:
                amount = amount_of(value, layout.unit)
            except CellError as problem:
                column = MONTH_LABELS[cell_month - 1][0].upper() if layout.monthly else label("realisasi")
                errors.append(RowError(number, column, str(problem)))
                continue
            result.cells.append(RealizationCell(number, satker, component, account, cell_month, amount))
    result.satker = satker_of_file
    if errors:
        raise TreasuryFileError(errors)
    if not result.cells:
        raise TreasuryFileError([RowError(0, "", msg(gettext_noop("Berkas tidak berisi baris realisasi per akun.")))])
    return result


COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def _data_rows(rows: list[tuple[Any, ...]], header_row: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows below the header, without the column-number row some prints have: (1) (2) (3)."""
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        filled = [str(value).strip() for value in row if value is not None and str(value).strip()]
        if filled and not all(COLUMN_NUMBER.match(value) for value in filled):
            yield number, row
