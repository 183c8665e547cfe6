"""Renderers of a report's rows: JSON, CSV and XLSX here (HTML in the view's template). They
format and never compute: the same rows come out of every format."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import safe_json
from core.exports.cells import HEADER_ROW, XLSX_FORMATS, xlsx_value
from core.exports.csv_dialect import DEFAULT, CsvDialect, csv_text, localized
from core.exports.csv_safety import spreadsheet_safe
from core.reporting.spec import ReportResult, ReportSpec


def json_value(value: Any) -> Any:
    """Money as integers, percentages as numbers with two decimals, dates as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def json_payload(spec: ReportSpec, result: ReportResult, params: dict[str, Any]) -> dict[str, Any]:
    """The CONTRACT's JSON shape of a report: report, params, columns, rows, totals."""
    return {
        "report": spec.name,
        "params": {**params, **{key: json_value(value) for key, value in result.params.items()}},
        "columns": [column.key for column in spec.columns],
        "rows": [{column.key: json_value(row.get(column.key)) for column in spec.columns} for row in result.rows],
        "totals": {key: json_value(value) for key, value in result.totals.items()},
    }


def as_json(spec: ReportSpec, result: ReportResult, params: dict[str, Any]) -> HttpResponse:
    payload = json_payload(spec, result, params)
    return HttpResponse(safe_json.dumps(payload, ensure_ascii=False), content_type=JSON_CONTENT_TYPE)


def csv_value(value: Any, dialect: CsvDialect = DEFAULT) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return str(localized(json_value(value), dialect))


def as_csv(spec: ReportSpec, result: ReportResult, filename: str, dialect: CsvDialect = DEFAULT) -> HttpResponse:
    """The rows in the CONTRACT's CSV, or in ``dialect`` (core/exports/csv_dialect.py)."""
    rows = ([csv_value(row.get(column.key), dialect) for column in spec.columns] for row in result.rows)
    body = csv_text([column.key for column in spec.columns], rows, dialect)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_xlsx(spec: ReportSpec, result: ReportResult, title: str, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    widths = []
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=str(column.label))
        cell.font = Font(bold=True)
        widths.append(len(str(column.label)))
    for offset, row in enumerate(result.rows, start=1):
        for index, column in enumerate(spec.columns, start=1):
            value = xlsx_value(column, row.get(column.key))
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # user text (a name) stays text, never a live formula
            if column.kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[column.kind]
            shown = f"{value:,.0f}" if column.kind == "money" and isinstance(value, int) else str(value or "")
            widths[index - 1] = max(widths[index - 1], len(shown))
    last_row = HEADER_ROW + len(result.rows)
    totals_row = last_row + 1
    keys = [column.key for column in spec.columns]
    if any(key in result.totals for key in keys):
        sheet.cell(row=totals_row, column=1, value=_("Jumlah")).font = Font(bold=True)
        for index, column in enumerate(spec.columns, start=1):
            if column.key in result.totals and column.kind in {"money", "percent", "int", "number"} and index > 1:
                cell = sheet.cell(row=totals_row, column=index, value=xlsx_value(column, result.totals[column.key]))
                cell.font = Font(bold=True)
                cell.number_format = XLSX_FORMATS.get(column.kind, "General")
    summary_row = totals_row + 2
    for column in spec.summary:
        if column.key in result.totals:
            sheet.cell(row=summary_row, column=1, value=str(column.label)).font = Font(bold=True)
            cell = sheet.cell(row=summary_row, column=2, value=xlsx_value(column, result.totals[column.key]))
            cell.number_format = XLSX_FORMATS.get(column.kind, "General")
            summary_row += 1
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(spec.columns))}{max(last_row, HEADER_ROW + 1)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
