"""The HTML renderer of a report: a django-tables2 table built from the report's columns,
sortable on every column, with a totals footer. A column's labels, badges and links come with
the column (core/reporting/spec.py): this module knows no report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.formats import MONTH_NAMES, format_decimal
from core.reporting.spec import Column, ReportResult, ReportSpec
from core.templatetags.ui import angka, persen

NUMERIC = {"money", "percent", "number", "int"}


def display(kind: str, value: Any) -> Any:
    if value is None:
        return "-"
    if kind in {"money", "int"}:
        return angka(value)
    if kind == "percent":
        return persen(value)
    if kind == "number":
        return format_decimal(value, 2)
    if kind == "bool":
        return _("Ya") if value else _("Tidak")
    if kind == "month":
        return MONTH_NAMES.get(value, value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return value


class ReportColumn(tables.Column):
    def __init__(
        self, *, spec_column: Column, footer_value: Any, first: bool, year: int | None = None, **kwargs: Any
    ) -> None:
        self.kind = spec_column.kind
        self.spec_column = spec_column
        self.year = year
        numeric = self.kind in NUMERIC
        attrs = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}} if numeric else {}
        footer = _("Jumlah") if first else (display(self.kind, footer_value) if footer_value is not None else "")
        super().__init__(
            verbose_name=spec_column.label,
            accessor=tables.A(spec_column.key),
            order_by=(f"_sort_{spec_column.key}",),
            attrs=attrs,
            footer=footer,
            empty_values=(),
            **kwargs,
        )

    def render(self, value: Any) -> Any:
        column = self.spec_column
        if value is None:
            return display(self.kind, value)
        if column.link is not None and value and self.year is not None:
            return format_html('<a href="{}">{}</a>', column.link(value, self.year), value)
        if column.badges is not None:
            return format_html('<span class="badge text-bg-{}">{}</span>', column.badges.get(value, "secondary"),
                               (column.labels or {}).get(value, value))  # fmt: skip
        if column.labels is not None:
            return column.labels.get(value, value)
        return display(self.kind, value)


def sortable(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    """Rows with a None-safe sort key per column (None sorts last, never a TypeError)."""
    return [
        {**row, **{f"_sort_{c.key}": (row.get(c.key) is None, row.get(c.key) or 0) if c.kind in NUMERIC
                   else (row.get(c.key) is None, str(row.get(c.key) or "")) for c in columns}}
        for row in rows
    ]  # fmt: skip


class ReportTable(tables.Table):
    """A report as a table. Its body is rendered from plain (class, value) pairs computed here
    (``body_rows``), joined into HTML here (``body_html``, shown by templates/reports/table.html),
    not by django-tables2's per-cell template machinery: the outputs report nationally is 2.000
    cells, and resolving each cell's column attributes, accessor and localisation in the template
    took most of its 130 ms. Header (sorting links), footer and empty text stay django-tables2's."""

    @cached_property
    def body_rows(self) -> list[list[tuple[str, Any]]]:
        columns = [(column.name, column.column, "num" if column.column.kind in NUMERIC else "")
                   for column in self.columns]  # fmt: skip
        return [[(css, report_column.render(row.record.get(key))) for key, report_column, css in columns]
                for row in self.rows]  # fmt: skip

    @cached_property
    def body_html(self) -> SafeString:
        """The body's rows as HTML, each cell escaped and localised exactly as ``{{ cell }}`` in a
        template (``render_value_in_context``): the template language's loop and variable lookups
        cost about 20 µs a cell, 40 ms of the outputs page nationally."""
        context = Context(autoescape=True)
        html = []
        for row in self.body_rows:
            html.append("<tr>")
            for css, value in row:
                cell = render_value_in_context(value, context)
                html.append(f'<td class="{css}">{cell}</td>' if css else f"<td>{cell}</td>")
            html.append("</tr>\n")
        return mark_safe("".join(html))  # noqa: S308 (every cell escaped above; css is "num" or "")


def report_table(
    spec: ReportSpec, result: ReportResult, request: HttpRequest, year: int, *, orderable: bool = True
) -> tables.Table:
    """``orderable=False``: in the order of the rows, without sorting links (a page with several
    tables, or one served from a cache that does not key on ``sort``); its scrolling box is then
    focusable instead (templates/reports/table_static.html)."""
    columns = {
        column.key: ReportColumn(
            spec_column=column,
            footer_value=result.totals.get(column.key) if column.kind in NUMERIC else None,
            first=index == 0,
            year=year,
        )
        for index, column in enumerate(spec.columns)
    }
    meta = type("Meta", (), {
        "attrs": {"class": "table table-sm table-striped table-hover align-middle"},
        "empty_text": _("Tidak ada data untuk filter ini."),
        "order_by_field": "sort",
        "orderable": orderable,
        "show_footer": True,
        "template_name": "reports/table.html" if orderable else "reports/table_static.html",
    })  # fmt: skip
    table_class = type("ReportTable", (ReportTable,), {**columns, "Meta": meta})
    table = table_class(sortable(result.rows, spec.columns))
    tables.RequestConfig(request, paginate=False).configure(table)
    return table
