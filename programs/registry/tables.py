"""Renderers of registry rows: the HTML table of one keyset page, and the streaming exports of
every filtered row (XLSX streamed by core.exports.xlsx_stream while the rows are read, CSV and
JSON as streamed text). The exports read rows with ``values_list().iterator()``, so memory
stays constant whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core import safe_json
from core.exports.csv_dialect import DEFAULT, CsvDialect, csv_lines
from core.exports.csv_safety import spreadsheet_safe
from core.exports.xlsx_stream import XlsxColumn, stream_xlsx
from core.templatetags.ui import angka
from programs.models import Enterprise, SizeClass

CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX sheet holds 1.048.576 rows; the national registry has millions: continue on new sheets.
XLSX_MAX_ROWS = 1_048_576


class EnterpriseTable(tables.Table):
    """One page of the list. Not sortable: the list is ordered by name, the order its keyset
    pagination walks (any other order would need its own index and cursor)."""

    name = tables.Column(verbose_name=_("Nama usaha"), orderable=False)
    nib = tables.Column(verbose_name=_("NIB"), orderable=False, default="-")
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="regency__name", orderable=False)
    province = tables.Column(verbose_name=_("Provinsi"), accessor="province__name", orderable=False)
    kbli = tables.Column(verbose_name=_("KBLI"), orderable=False)
    workers = tables.Column(verbose_name=_("Tenaga kerja"), orderable=False, empty_values=(),
                            attrs={"td": {"class": "num"}, "th": {"class": "num"}})  # fmt: skip
    investment = tables.Column(verbose_name=_("Investasi (Rp)"), orderable=False,
                               attrs={"td": {"class": "num"}, "th": {"class": "num"}})  # fmt: skip
    size_class = tables.Column(verbose_name=_("Skala"), orderable=False)
    data_year = tables.Column(verbose_name=_("Tahun data"), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-striped table-hover align-middle"}
        empty_text = _("Tidak ada IKM yang cocok dengan pencarian dan filter ini.")
        sequence = ("name", "nib", "regency", "province", "kbli", "workers", "investment", "size_class", "data_year")

    def render_name(self, record: Enterprise, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("programs:registry-detail", args=[record.pk]), value)

    def render_nib(self, value: str) -> SafeString:
        return format_html('<span class="font-monospace">{}</span>', value)

    def render_workers(self, record: Enterprise) -> str:
        return angka(record.workers)

    def render_investment(self, value: int) -> str:
        return angka(value)

    def render_size_class(self, record: Enterprise) -> str:
        return record.get_size_class_display()


# --- Exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    key: str  # CSV/JSON key (the ``ikm`` import's names where they exist)
    label: str
    lookup: str | None  # values_list lookup; None: computed from the row
    kind: str = "text"  # text, int, money


EXPORT_COLUMNS = (
    ExportColumn("nib", _("NIB"), "nib"),
    ExportColumn("nama_usaha", _("Nama usaha"), "name"),
    ExportColumn("nama_pemilik", _("Nama pemilik"), "owner"),
    ExportColumn("provinsi", _("Kode provinsi (BPS)"), "province__bps_code"),
    ExportColumn("nama_provinsi", _("Provinsi"), "province__name"),
    ExportColumn("kode_kabkota", _("Kode kabupaten/kota"), "regency__kemendagri_code"),
    ExportColumn("nama_kabkota", _("Kabupaten/kota"), "regency__name"),
    ExportColumn("alamat", _("Alamat"), "address"),
    ExportColumn("kbli", _("KBLI"), "kbli"),
    ExportColumn("tenaga_kerja_l", _("Tenaga kerja laki-laki"), "workers_male", "int"),
    ExportColumn("tenaga_kerja_p", _("Tenaga kerja perempuan"), "workers_female", "int"),
    ExportColumn("tenaga_kerja", _("Tenaga kerja"), None, "int"),
    ExportColumn("investasi", _("Investasi (Rp)"), "investment", "money"),
    ExportColumn("nilai_produksi", _("Nilai produksi (Rp)"), "production_value", "money"),
    ExportColumn("skala_usaha", _("Skala usaha"), "size_class"),
    ExportColumn("tahun_pendataan", _("Tahun pendataan"), "data_year", "int"),
    ExportColumn("kode_satker", _("Satker pendata"), "satker__code"),
    ExportColumn("sentra", _("Sentra"), "centre__name"),
)
LOOKUPS = [column.lookup for column in EXPORT_COLUMNS if column.lookup]
NUMBER_FORMATS = {"int": "#,##0", "money": "#,##0"}
SIZE_LABELS = dict(SizeClass.choices)


def export_rows(queryset: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    """Every row of ``queryset`` in list order as values of EXPORT_COLUMNS, fetched in chunks."""
    rows = queryset.order_by("name_normalized", "id").values_list(*LOOKUPS).iterator(chunk_size=CHUNK_SIZE)
    for values in rows:
        record = dict(zip(LOOKUPS, values, strict=True))
        out = []
        for column in EXPORT_COLUMNS:
            if column.key == "tenaga_kerja":
                out.append(record["workers_male"] + record["workers_female"])
            elif column.key == "skala_usaha":
                out.append(str(SIZE_LABELS.get(record["size_class"], record["size_class"])))
            else:
                out.append(record[column.lookup])
        yield out


def as_xlsx(rows: Iterable[list[Any]], *, title: str, filename: str) -> StreamingHttpResponse:
    """The rows as a workbook streamed while they are read (core.exports.xlsx_stream: constant
    memory, the download starts at once; past XLSX_MAX_ROWS rows a sheet continues on the next)."""
    columns = [
        XlsxColumn(str(column.label), column.kind,
                   14 if column.kind != "text" else (40 if column.key in {"nama_usaha", "alamat"} else 18))
        for column in EXPORT_COLUMNS
    ]  # fmt: skip
    content = stream_xlsx(sheet_name=str(_("Registri IKM")), title=title, columns=columns, rows=rows,
                          max_sheet_rows=XLSX_MAX_ROWS)  # fmt: skip
    response = StreamingHttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def as_csv(rows: Iterable[list[Any]], *, filename: str, dialect: CsvDialect = DEFAULT) -> StreamingHttpResponse:
    """The rows streamed in the CONTRACT's CSV, or in ``dialect`` (core/exports/csv_dialect.py)."""
    cells = (["" if value is None else spreadsheet_safe(value) for value in row] for row in rows)
    response = StreamingHttpResponse(
        csv_lines([column.key for column in EXPORT_COLUMNS], cells, dialect), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_json(rows: Iterable[list[Any]], *, params: dict[str, Any], filename: str) -> StreamingHttpResponse:
    """``{"report": "registry", "params": {...}, "columns": [...], "rows": [{...}, ...]}``, streamed."""
    keys = [column.key for column in EXPORT_COLUMNS]

    def chunks() -> Iterator[str]:
        head = {"report": "registry", "params": params, "columns": keys}
        yield safe_json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        separator = ""
        for row in rows:
            yield separator + safe_json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False)
            separator = ", "
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    return response
