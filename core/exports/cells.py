"""A table's columns and their cells as the exports write them: the one column type of the
reports (core/reporting/) and of the list exports (table_export.py), and the values an XLSX cell
takes (numbers as numbers with Excel's formats, text that openpyxl accepts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.formats import MONTH_NAMES


@dataclass(frozen=True)
class Column:
    key: str  # the CONTRACT key (JSON and CSV)
    label: str
    kind: str = "text"  # text money percent number int bool month date datetime
    # Values shown by a label instead of themselves (a status code, a group key): in HTML always,
    # in XLSX only with ``labels_in_files`` (JSON and CSV keep the keys: CONTRACT).
    labels: Mapping[Any, Any] | None = None
    labels_in_files: bool = False
    badges: Mapping[Any, str] | None = None  # HTML: a value shown as a badge of this colour
    link: Callable[[Any, int], str] | None = None  # HTML: the cell's link, from (value, the report's year)


XLSX_FORMATS = {
    "money": "#,##0",
    "int": "0",
    "percent": "0.00%",
    "number": "0.00",
    "date": "dd-mm-yyyy",
    "datetime": "dd-mm-yyyy hh:mm",
}
HEADER_ROW = 3  # row 1: title and filters; row 2: empty; row 3: column labels


def xlsx_text(text: str) -> str:
    """Text openpyxl accepts: a control character typed into a name (any but NUL passes a form)
    made it raise, and the export was a server error."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def xlsx_text_cell(worksheet: Any, value: Any) -> Any:
    """A value for a write-only sheet's row: text that starts with "=" (a name or a header typed
    as ``=HYPERLINK(...)``) as a text cell, unchanged, never a live formula (openpyxl writes
    such a string as a formula); any other value as it is. The one rule of every XLSX export."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "percent":
        return float(value) / 100  # Excel's percent format multiplies by 100
    if isinstance(value, Decimal):
        return float(value)
    if column.kind == "month":
        return str(MONTH_NAMES.get(value, value))
    if column.labels_in_files and column.labels is not None:
        return str(column.labels.get(value, value))
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        return xlsx_text(value)
    return value
