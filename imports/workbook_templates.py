"""The downloadable template of each import kind: a data sheet whose header is the contract,
code columns formatted as text (leading zeros survive), dropdowns for codes and kinds, rows
pre-filled with the satker's own lines where that saves typing, and an instructions sheet."""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from budgets.models import BudgetLine, Realization, RpdPlan, Satker
from imports.kinds import ImportKind

TEXT_COLUMNS = {"kode_satker", "kode_komponen", "kode_akun", "kode_kabkota", "nib", "kbli", "jenis_belanja"}
DATA_ROWS = 1000  # rows given text format and dropdowns


def prefilled_rows(kind: ImportKind, satker: Satker | None, today: date) -> list[dict[str, object]]:
    """Rows the satker will certainly need: its budget lines for this month's realization,
    its DIPA lines for pagu, its twelve months per spending type for RPD."""
    if satker is None:
        return []
    base = {"kode_satker": satker.code, "tahun": today.year}
    lines = BudgetLine.objects.filter(satker=satker, fiscal_year__year=today.year).select_related(
        "component", "account"
    )
    if kind.name == "realisasi":
        # The month's stored amounts are filled in: the template doubles as the month's current
        # state, and sending it back unchanged changes nothing.
        stored = dict(
            Realization.objects.filter(report__satker=satker, report__fiscal_year__year=today.year,
                                       report__month=today.month).values_list("line_id", "amount")
        )  # fmt: skip
        return [{**base, "bulan": today.month, "kode_komponen": line.component.code, "kode_akun": line.account.code,
                 "realisasi": stored.get(line.pk)}
                for line in lines.order_by("component__code", "account__code")]  # fmt: skip
    if kind.name == "pagu":
        return [{**base, "kode_komponen": line.component.code, "kode_akun": line.account.code, "pagu": line.pagu,
                 "blokir": line.blokir} for line in lines.order_by("component__code", "account__code")]  # fmt: skip
    if kind.name == "rpd":
        planned = {
            (row["spending_type__code"], row["month"]): row["total"]
            for row in RpdPlan.objects.filter(satker=satker, fiscal_year__year=today.year)
            .values("spending_type__code", "month").annotate(total=Sum("amount"))
        }  # fmt: skip
        types = sorted({line.account.code[:2] for line in lines} | {code for code, _m in planned})
        return [{**base, "bulan": month, "jenis_belanja": code, "rencana": planned.get((code, month), 0)}
                for code in types for month in range(1, 13)]  # fmt: skip
    return [{"kode_satker": satker.code}] if "kode_satker" in kind.column_names else []


def template_workbook(kind: ImportKind, satker: Satker | None, today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    names = kind.column_names
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(kind.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(len(column.name) + 2, len(column.example) + 4, 12)
        if column.name in TEXT_COLUMNS:
            for row in range(2, DATA_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True, showErrorMessage=True,
                errorTitle=_("Nilai tidak dikenal"), error=_("Pilih salah satu nilai dari daftar."),
            )  # fmt: skip
            validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
            sheet.add_data_validation(validation)
    for number, row in enumerate(prefilled_rows(kind, satker, today), start=2):
        for index, name in enumerate(names, start=1):
            value = row.get(name)
            if value is not None:
                sheet.cell(row=number, column=index, value=str(value) if name in TEXT_COLUMNS else value)

    guide = workbook.create_sheet(_("petunjuk"))
    guide.append([_("Petunjuk pengisian: %(title)s") % {"title": kind.title}])
    guide["A1"].font = Font(bold=True, size=12)
    for line in [
        _("Isi lembar 'data' mulai baris 2; satu baris satu catatan. Jangan mengubah judul kolom di baris 1."),
        _("Baris kosong dilewati. Berkas diterima seluruhnya atau ditolak seluruhnya: setiap kesalahan ditampilkan "
          "dengan nomor baris, kolom dan pesannya."),
        _("Mengunggah berkas yang sama dua kali tidak menggandakan data: baris yang sudah ada diperbarui."),
        _("Kode (satker, komponen, akun, kabupaten/kota, NIB, KBLI) ditulis sebagai teks agar angka nol di depan "
          "tetap."),
    ]:  # fmt: skip
        guide.append([line])
    guide.append([])
    guide.append([_("Kolom"), _("Isi"), _("Contoh")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        guide.append([column.name, str(column.description), column.example])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 28
    for row in guide.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        if len(row) > 1:
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
