"""The one place that decides how a CSV export is written.

The default (``?format=csv``) is the CONTRACT form: comma-separated, dot decimals, no BOM,
exactly as before. ``?format=csv&dialect=id`` is the same columns and rows for Excel with
Indonesian regional settings, which splits on ``;``, reads ``,`` as the decimal mark and only
takes the file as UTF-8 when it starts with a BOM (without these it opens everything in one
column and mangles names with accents). Integers are written as they are (no thousands
separators: Excel would read ``1.500`` as one and a half)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

BOM = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    key: str  # the ``dialect=`` value ("" for the CONTRACT default)
    delimiter: str
    decimal_mark: str
    bom: bool


DEFAULT = CsvDialect("", ",", ".", False)
INDONESIAN = CsvDialect("id", ";", ",", True)
DIALECTS = {DEFAULT.key: DEFAULT, INDONESIAN.key: INDONESIAN}
DIALECT_PARAM = "dialect"


def dialect_from(value: str | None) -> CsvDialect | None:
    """The dialect named by ``?dialect=`` (absent or empty: the default); None when unknown."""
    return DIALECTS.get(value or "")


def requested_dialect(request: HttpRequest) -> CsvDialect | None:
    return dialect_from(request.GET.get(DIALECT_PARAM))


def unknown_dialect_message() -> str:
    return _("Dialek CSV tidak dikenal: kosongkan atau pilih id (Excel Indonesia).")


def localized(value: Any, dialect: CsvDialect) -> Any:
    """A cell's text in ``dialect``: numbers with a fractional part take its decimal mark; text,
    integers and booleans are untouched (a NIB or a code never changes)."""
    if dialect.decimal_mark == "." or isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", dialect.decimal_mark)
    return value


class _Echo:
    """A file-like object whose write returns the text, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: CsvDialect) -> Iterator[str]:
    """The file's lines (streamable): the header, then each row, values already in their CSV
    text (None as ""; formula guards applied by the caller), numbers localised to ``dialect``.
    The csv module quotes any value holding the delimiter, so a name with ";" stays one cell."""
    writer = csv.writer(_Echo(), delimiter=dialect.delimiter, lineterminator="\n")
    first = writer.writerow(list(header))
    yield (BOM + first) if dialect.bom else first
    for row in rows:
        yield writer.writerow([localized(value, dialect) for value in row])


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: CsvDialect) -> str:
    return "".join(csv_lines(header, rows, dialect))
