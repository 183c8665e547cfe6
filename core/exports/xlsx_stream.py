"""A streaming XLSX writer for exports of up to millions of rows.

openpyxl's write-only mode keeps memory flat but spends ~90 % of a large export turning cells
into XML (1.000.000 registry rows: 199 s, measured by `make bench`), and the file is sent only
once it is complete, so a proxy's timeout cuts long exports off. This writer produces the same
kind of workbook ~20 times faster and yields it in pieces while the rows are still being read:
the download starts at once and memory stays constant.

What it writes is deliberately small and standard (ECMA-376): one worksheet per
``MAX_SHEET_ROWS`` rows, strings inline (no shared-string table to hold in memory; text that
looks like a formula stays text), whole numbers with the ``#,##0`` format, a bold title row and
header row, frozen panes under the header, an autofilter and column widths. Tests read every
file back with openpyxl. Everything else (templates, reports, reading uploads) uses openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

MAX_SHEET_ROWS = 1_048_576  # Excel's limit per worksheet
MAX_CELL_CHARS = 32_767
ROWS_PER_CHUNK = 2_000  # rows encoded before the bytes produced so far are handed to the response
HEADER_ROWS = 3  # title, blank, column labels
# Characters XML 1.0 does not allow (a stray control character typed into a name would make
# the whole file unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STYLE_PLAIN, STYLE_BOLD, STYLE_TITLE, STYLE_NUMBER, STYLE_DECIMAL, STYLE_DATE = range(6)
NUMBER_STYLES = {"int": STYLE_NUMBER, "money": STYLE_NUMBER, "decimal": STYLE_DECIMAL}


@dataclass(frozen=True)
class XlsxColumn:
    label: str
    kind: str = "text"  # text | int | money | decimal | date
    width: float = 14


def stream_xlsx(
    *, sheet_name: str, title: str, columns: Sequence[XlsxColumn], rows: Iterable[Sequence[Any]],
    max_sheet_rows: int = MAX_SHEET_ROWS,
) -> Iterator[bytes]:  # fmt: skip
    """The workbook's bytes, piece by piece. ``rows`` is consumed lazily, once."""
    sink = _Sink()
    pending = _Lookahead(rows)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        sheets = 0
        while sheets == 0 or pending.has_more():
            sheets += 1
            with archive.open(f"xl/worksheets/sheet{sheets}.xml", "w", force_zip64=True) as part:
                yield from _write_sheet(part, sink, title, columns, pending.take(max_sheet_rows - HEADER_ROWS))
        names = [sheet_name if number == 1 else f"{sheet_name} {number}" for number in range(1, sheets + 1)]
        for name, content in _package_parts(names).items():
            archive.writestr(name, content)
    yield sink.take()


def _write_sheet(part: Any, sink: _Sink, title: str, columns: Sequence[XlsxColumn], rows: Iterable) -> Iterator[bytes]:
    """One worksheet: title, labels, then ``rows``, handing on the bytes ready so far every
    ROWS_PER_CHUNK rows."""
    widths = "".join(
        f'<col min="{n}" max="{n}" width="{column.width}" customWidth="1"/>' for n, column in enumerate(columns, 1)
    )
    part.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROWS}" topLeftCell="A{HEADER_ROWS + 1}" activePane="bottomLeft" state="frozen"/>'
        f"</sheetView></sheetViews><cols>{widths}</cols><sheetData>".encode()
    )
    letters = [_column_letter(index) for index in range(len(columns))]
    title_cell = f'<c r="A1" s="{STYLE_TITLE}" t="inlineStr"><is><t>{_text(title)}</t></is></c>'
    labels = "".join(
        f'<c r="{letter}{HEADER_ROWS}" s="{STYLE_BOLD}" t="inlineStr"><is><t>{_text(column.label)}</t></is></c>'
        for letter, column in zip(letters, columns, strict=True)
    )
    part.write(f'<row r="1">{title_cell}</row><row r="{HEADER_ROWS}">{labels}</row>'.encode())
    kinds = [column.kind for column in columns]
    number = HEADER_ROWS
    buffer: list[str] = []
    for row in rows:
        number += 1
        buffer.append(_row_xml(number, row, letters, kinds))
        if len(buffer) >= ROWS_PER_CHUNK:
            part.write("".join(buffer).encode())
            buffer.clear()
            yield sink.take()
    part.write("".join(buffer).encode())
    part.write(f'</sheetData><autoFilter ref="A{HEADER_ROWS}:{letters[-1]}{number}"/></worksheet>'.encode())


class _Lookahead:
    """An iterator that can tell whether another row is coming (a full sheet is followed by
    another only then) and hand out the rows of one sheet at a time."""

    _EMPTY = object()

    def __init__(self, iterable: Iterable) -> None:
        self._iterator = iter(iterable)
        self._next: Any = self._EMPTY

    def has_more(self) -> bool:
        if self._next is self._EMPTY:
            self._next = next(self._iterator, self._EMPTY)
        return self._next is not self._EMPTY

    def take(self, count: int) -> Iterator:
        for _taken in range(count):
            if not self.has_more():
                return
            item, self._next = self._next, self._EMPTY
            yield item


def _row_xml(number: int, row: Sequence[Any], letters: list[str], kinds: list[str]) -> str:
    cells = []
    for letter, kind, value in zip(letters, kinds, row, strict=True):
        if value is None or value == "":
            continue
        ref = f"{letter}{number}"
        if isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float | Decimal) and kind != "text":
            style = NUMBER_STYLES.get(kind, STYLE_PLAIN)
            cells.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
        elif isinstance(value, date) and not isinstance(value, datetime):
            cells.append(f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t{_space(value)}>{_text(value)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


EXCEL_EPOCH = date(1899, 12, 30)


def _text(value: Any) -> str:
    return escape(_NOT_XML.sub("", str(value))[:MAX_CELL_CHARS])


def _space(value: Any) -> str:
    text = str(value)
    return ' xml:space="preserve"' if text != text.strip() else ""


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _package_parts(sheet_names: list[str]) -> dict[str, str]:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>'
        for n in range(1, len(sheet_names) + 1)
    )
    sheets = "".join(
        f'<sheet name={quoteattr(name[:31])} sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheet_names, 1)
    )
    sheet_links = "".join(
        f'<Relationship Id="rId{n}" Type="{office}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheet_names) + 1)
    )
    styles_id = len(sheet_names) + 1
    return {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{relationships}">'
        f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{main}" xmlns:r="{office}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{relationships}">{sheet_links}'
        f'<Relationship Id="rId{styles_id}" Type="{office}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": STYLES.format(head=head, main=main),
    }


# Cell formats by index: plain, bold, title (bold 12 pt), #,##0, #,##0.00, d mmmm yyyy.
STYLES = (
    '{head}<styleSheet xmlns="{main}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="d mmmm yyyy"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="12"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


class _Sink:
    """Where zipfile writes: it collects the bytes until the generator hands them on. It cannot
    seek, so zipfile writes each part with a data descriptor, in one pass."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data
