"""``?format=xlsx`` of the site's list pages: every row the page's filters select (not one page
of them), as raw values (numbers as numbers, codes as text, dates as dates) under a title row
naming what was filtered.

Rows go into an openpyxl write-only workbook (each row is written out as it comes) saved into
a temporary file that the response streams and closes, and querysets are read in chunks: memory
stays flat whatever the number of rows. The look is the reports' (core/exports/cells.py): title
row, empty row, bold frozen header with a filter, the reports' number formats.

Two ways in: ``table_sheet()`` turns a django-tables2 table into a sheet, ``Sheet`` takes columns
and rows directly; ``xlsx_response()`` writes one or more sheets. ``TableExportMixin`` gives a
FilterView with a table its export in a few lines."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from django_tables2 import BooleanColumn, DateColumn, DateTimeColumn, RequestConfig, Table
from django_tables2.columns import BoundColumn
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts import permissions
from core.exports.cells import HEADER_ROW, XLSX_FORMATS, Column, xlsx_text, xlsx_text_cell, xlsx_value
from core.safe_json import SafeJSONEncoder

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_FORMATS = ("html", "xlsx")
CHUNK_SIZE = 2000
# A sheet holds 1.048.576 rows; past that the rows continue on a new sheet with the same header.
XLSX_MAX_ROWS = 1_048_576
# The reports' formats, plus counts (people, units) shown with thousands separators like money.
NUMBER_FORMATS = {**XLSX_FORMATS, "count": "#,##0"}
# Write-only sheets cannot measure their cells afterwards: widths are set up front from the kind.
KIND_WIDTHS = {"money": 16, "count": 12, "int": 8, "percent": 10, "number": 10, "date": 12, "datetime": 17}
TEXT_WIDTH = 18
# django-tables2 gives these columns' export value as text (an ISO date, "True"); Excel wants the
# date or the boolean itself.
RAW_VALUE_COLUMNS = (DateColumn, DateTimeColumn, BooleanColumn)
KIND_OF_COLUMN = ((DateTimeColumn, "datetime"), (DateColumn, "date"), (BooleanColumn, "bool"))


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's tab
    heading: str  # row 1: what the rows are and how they were filtered
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


# --- Writing ---------------------------------------------------------------------------------


def cell_value(column: Column, value: Any) -> Any:
    if isinstance(value, SafeData):  # a table's render_* output: its text, never its HTML
        value = html.unescape(strip_tags(value)).strip()
    return xlsx_value(column, value)


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> FileResponse:
    """One workbook of ``sheets`` as an attachment named ``filename``.xlsx."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    part = 1
    worksheet = _start_sheet(workbook, sheet, part)
    written = HEADER_ROW
    for row in sheet.rows:
        if written >= XLSX_MAX_ROWS:
            _finish_sheet(worksheet, sheet, written)
            part += 1
            worksheet, written = _start_sheet(workbook, sheet, part), HEADER_ROW
        worksheet.append([_cell(worksheet, column, value) for column, value in zip(sheet.columns, row, strict=True)])
        written += 1
    _finish_sheet(worksheet, sheet, written)


def _cell(worksheet: Any, column: Column, value: Any) -> Any:
    value = cell_value(column, value)
    if isinstance(value, str) and value.startswith("="):
        return xlsx_text_cell(worksheet, value)
    if value is None or column.kind not in NUMBER_FORMATS:
        return value  # text stays text: codes and NIBs keep their leading zeros
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def _start_sheet(workbook: Workbook, sheet: Sheet, part: int) -> Any:
    name = str(sheet.name) if part == 1 else f"{str(sheet.name)[:27]} {part}"
    worksheet = workbook.create_sheet(title=name[:31])
    for index, column in enumerate(sheet.columns, start=1):
        width = max(KIND_WIDTHS.get(column.kind, TEXT_WIDTH), len(str(column.label)) + 2)
        worksheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
    worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    title = WriteOnlyCell(worksheet, value=xlsx_text(str(sheet.heading)))  # the filters as typed (?q=)
    title.font = Font(bold=True, size=12)
    worksheet.append([title])
    for _row in range(HEADER_ROW - 2):
        worksheet.append([])
    labels = []
    for column in sheet.columns:
        label = WriteOnlyCell(worksheet, value=str(column.label))
        label.font = Font(bold=True)
        labels.append(label)
    worksheet.append(labels)
    return worksheet


def _finish_sheet(worksheet: Any, sheet: Sheet, last_row: int) -> None:
    last_column = get_column_letter(max(len(sheet.columns), 1))
    worksheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(last_row, HEADER_ROW + 1)}"


# --- django-tables2 tables -------------------------------------------------------------------


def table_sheet(
    table: Table, *, name: str, heading: str, kinds: dict[str, str] | None = None, exclude: Sequence[str] = ()
) -> Sheet:
    """Every row of ``table`` (in its order, unpaginated) with its exportable columns: those not
    marked ``exclude_from_export``, visible and not in ``exclude`` (action and link-only
    columns). ``kinds`` names the columns holding money, counts or percentages; dates and
    booleans are known from their column class."""
    kinds = kinds or {}
    bound = [
        column
        for column in table.columns.iterall()
        if column.visible and not column.column.exclude_from_export and column.name not in exclude
    ]
    columns = [Column(column.name, _header(column), kinds.get(column.name) or _kind(column)) for column in bound]
    return Sheet(name, heading, columns, _table_rows(table, bound))


def _header(column: BoundColumn) -> str:
    header = column.header
    return html.unescape(strip_tags(header)).strip() if isinstance(header, SafeData) else str(header)


def _kind(column: BoundColumn) -> str:
    return next((kind for cls, kind in KIND_OF_COLUMN if isinstance(column.column, cls)), "text")


def _table_rows(table: Table, columns: list[BoundColumn]) -> Iterator[list[Any]]:
    records = table.data.data
    if isinstance(records, QuerySet):
        records = records.iterator(chunk_size=CHUNK_SIZE)  # prefetches run per chunk
    for record in records:
        row = BoundRow(record, table=table)
        yield [_table_value(table, row, column) for column in columns]


def _table_value(table: Table, row: BoundRow, column: BoundColumn) -> Any:
    """The table's own export value (``value_<name>``, else ``render_<name>`` as text, else the
    record's value with choices shown by label), but dates and booleans as themselves."""
    name = column.name
    custom = hasattr(table, f"value_{name}") or hasattr(table, f"render_{name}")
    if isinstance(column.column, RAW_VALUE_COLUMNS) and not custom:
        return column.accessor.resolve(row.record, quiet=True)
    return row.get_cell_value(name)


# --- Requests --------------------------------------------------------------------------------


def requested_format(request: HttpRequest) -> str | None:
    """``html`` (the default) or ``xlsx``; None for anything else."""
    fmt = request.GET.get("format") or "html"
    return fmt if fmt in PAGE_FORMATS else None


def unknown_format() -> JsonResponse:
    return JsonResponse({"error": _("Format tidak dikenal: pilih html atau xlsx.")}, status=400)


def invalid_filters(errors: Any) -> JsonResponse:
    return JsonResponse({"error": _("Filter tidak valid."), "errors": errors}, status=400, encoder=SafeJSONEncoder)


def query_with(request: HttpRequest, **changes: str | None) -> str:
    """The page's query string with ``changes`` (None removes a key): links that keep the filters."""
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode()


def export_heading(title: str, parts: Iterable[str]) -> str:
    """The title row: what the rows are, what filtered them, and when they were taken."""
    taken = _("diunduh %(at)s") % {"at": timezone.localtime().strftime("%d-%m-%Y %H:%M")}
    return " · ".join([str(title), *parts, taken])


def export_filename(*parts: Any) -> str:
    return "-".join([*(str(part) for part in parts), timezone.localtime().strftime("%Y%m%d-%H%M")])


def describe_filters(filterset: Any) -> list[str]:
    """The filters given, as "Label: value" (choices by their label)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    parts = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value is None or value == "":
            continue
        parts.append(f"{field.label}: {_shown(field, value)}")
    return parts


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def scope_note(user: Any, filters: list[str], province_label: str) -> list[str]:
    """An officer's rows are their province's even when no province was chosen: say so."""
    if permissions.reads_all_provinces(user) or any(part.startswith(f"{province_label}:") for part in filters):
        return filters
    return [f"{province_label}: {user.province}", *filters]


class TableExportMixin:
    """For a FilterView with a django-tables2 table (put it first among the bases): ``?format=xlsx``
    answers every row the filters select, in the table's order (``?sort=`` too), through the
    view's own queryset (so the user's scope); other formats are a 400. Templates get
    ``export_url``, the page's query with ``format=xlsx``."""

    export_name: Any  # the sheet's tab and the title row's first words
    export_filename: str
    export_kinds: dict[str, str] = {}
    export_exclude: tuple[str, ...] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = requested_format(request)
        if fmt is None:
            return unknown_format()
        if fmt == "html":
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        filterset = self.get_filterset(self.get_filterset_class())  # type: ignore[attr-defined]
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filters(filterset.errors)
        table = self.get_table_class()(filterset.qs, **self.get_table_kwargs())  # type: ignore[attr-defined]
        RequestConfig(request, paginate=False).configure(table)
        filters = describe_filters(filterset)
        if "province" in filterset.form.fields:
            filters = scope_note(request.user, filters, str(filterset.form.fields["province"].label))
        sheet = table_sheet(table, name=str(self.export_name), heading=export_heading(self.export_name, filters),
                            kinds=self.export_kinds, exclude=self.export_exclude)  # fmt: skip
        return xlsx_response([sheet], filename=export_filename(self.export_filename))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["export_url"] = query_with(self.request, format="xlsx", page=None)  # type: ignore[attr-defined]
        return context
