"""What a document holds, whatever it is printed as: the letterhead (kop), a title, facts about
the report, tables and the signature block. Money is whole rupiah here and printed in thousands
of rupiah (PP 39/2006 forms); the PDF and the XLSX show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from core.formats import format_date, format_decimal, format_number, format_thousands, format_volume

# Kinds of cell: text, code (monospaced text), money (whole rupiah, shown in thousands), percent
# (a number such as 97.97), volume (an RO volume), int (a count).
NUMERIC_KINDS = {"money", "percent", "volume", "int"}
# Official documents are written in Indonesian whatever the interface language (UU 24/2009
# art. 27), as the e-mails to satkers are: their text is not marked for translation.
UNSIGNED = "Belum diverifikasi Kepala Dinas"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


def format_cell(kind: str, value: Any) -> str:
    """A cell as the PDF prints it (Indonesian number format, core.formats)."""
    if value is None or value == "":
        return "" if kind in {"text", "code"} else "-"
    if kind == "money":
        return format_thousands(int(value))
    if kind == "percent":
        return format_decimal(Decimal(value), 2)
    if kind == "volume":
        return format_volume(Decimal(value))
    if kind == "int":
        return format_number(int(value))
    return str(value)


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    # One value per column (None: empty); the first is usually the word "Jumlah".
    totals: list[Any] | None = None
    empty: str = ""  # said instead of the rows when there are none
    note: str = ""  # under the table

    def printed_rows(self) -> list[list[tuple[Column, str]]]:
        return [[(column, format_cell(column.kind, value)) for column, value in zip(self.columns, row, strict=True)]
                for row in self.rows]  # fmt: skip

    def printed_totals(self) -> list[tuple[Column, str]] | None:
        if self.totals is None:
            return None
        return [(column, "" if value is None else format_cell(column.kind, value))
                for column, value in zip(self.columns, self.totals, strict=True)]  # fmt: skip


@dataclass(frozen=True)
class Signature:
    """The signature block: signed when the head (or the acting head) verified the report."""

    place: str
    signed: bool
    day: date | None = None
    title: str = ""  # "Kepala Dinas", "Plh. Kepala Dinas", "Plt. Kepala Dinas"
    name: str = ""
    nip: str = ""
    organisation: str = ""  # the satker, under the title

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {format_date(self.day)}" if self.day else self.place

    @property
    def unsigned_text(self) -> str:
        return UNSIGNED


@dataclass
class Document:
    kop: list[str]  # the letterhead's lines, from the top (PEMERINTAH PROVINSI ..., DINAS ...)
    title: str
    facts: list[tuple[str, str]]  # (label, value) under the title: satker, period, status...
    tables: list[Table]
    # None: a document nobody signs (the directorate's consolidation, printed from the system).
    signature: Signature | None
    filename: str  # without the extension
    landscape: bool = True
    notes: list[str] = field(default_factory=list)  # the amounts' unit, sources
    # (heading, text) after the tables: the report's narrative.
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        """Unsigned documents carry the DRAF watermark (a document without a signature block
        does not)."""
        return self.signature is not None and not self.signature.signed
