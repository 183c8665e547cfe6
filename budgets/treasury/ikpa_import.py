"""The ``ikpa`` import kind: the IKPA indicators the product cannot compute (belanja kontraktual,
penyelesaian tagihan, pengelolaan UP/TUP, dispensasi SPM) per satker and month, as the treasury's
monitoring (OM-SPAN) publishes them, into ``IkpaTreasuryFigure`` (source "import", linked to its
upload, recorded by the importer).

Two layouts, one set of rules: the product's own template (header row 1: ``kode_satker, tahun,
bulan, kontraktual, tagihan, up_tup, dispensasi``) and OM-SPAN's "Monitoring IKPA" export as it is
downloaded (budgets/treasury/ikpa_reader.py turns its satker rows into the template's cells). An
empty cell is no figure for that indicator (a stored one stays); a figure typed by the admin that
a file overwrites shows in the preview as old -> new with the change of source. From an export,
the treasury's own values of what the product computes (revisi, deviasi, penyerapan, capaian
output, nilai akhir) are kept apart, for display beside the product's estimate
(``IkpaTreasuryPublished``), never as figures of the computation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.scoping import scoped
from budgets.import_kinds import MONTH, SATKER, YEAR, satker_prefill, satker_row, satker_year_problem
from budgets.models import FiscalYear, IkpaTreasuryFigure, IkpaTreasuryPublished, Satker
from budgets.models.ikpa_published import PUBLISHED_VALUES
from budgets.ro_entry import DecimalError, parse_decimal
from budgets.services.common import closed_year_reason
from budgets.treasury.ikpa_reader import FIGURE_COLUMNS, PUBLISHED, find_export, read_export
from budgets.treasury.layouts import IKPA_LAYOUTS, Layout
from budgets.treasury.reader import TreasuryFileError
from core.formats import month_name
from core.messages import message_of
from core.messages import text as msg
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import CellError, RowError, Sheet

if TYPE_CHECKING:
    from accounts.models import User

CENT = Decimal("0.01")
Source = IkpaTreasuryFigure.Source


def parse_ikpa_value(value: Any) -> Decimal | None:
    """An indicator's value 0-100, two decimals; None for an empty cell or "-" (no figure). A
    number cell is rounded half up to two decimals, as OM-SPAN shows it; typed text may have two
    decimals at most (``95,5`` or ``95.5``)."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-")):
        return None
    try:
        if isinstance(value, float | Decimal) and not isinstance(value, bool):
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) > 1000:
                raise InvalidOperation
            number = number.quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            number = parse_decimal(value, label=_("Nilai"))
    except (DecimalError, InvalidOperation) as error:
        raise CellError(str(error) if isinstance(error, DecimalError) else msg(gettext_noop(
            "Nilai harus angka 0-100, mis. 95,5."))) from None  # fmt: skip
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(msg(gettext_noop("Nilai IKPA harus di antara 0 dan 100; ditemukan %(value)s."),
                            value=str(number).replace(".", ",")))  # fmt: skip
    return number


VALUE_HELP = gettext_lazy("Nilai 0-100 dari OM-SPAN (desimal dengan koma atau titik, mis. 95,5); kosong: tidak ada "
                          "nilai untuk indikator ini (nilai yang tersimpan tetap).")  # fmt: skip


def _value_column(name: str, what: Any, example: str) -> Column:
    """A column named as the indicator's CONTRACT key (IkpaTreasuryFigure.Indicator)."""
    return Column(name, format_lazy("{} {}", what, VALUE_HELP), parse_ikpa_value, example=example)


@dataclass
class IkpaSheet(Sheet):
    """The engine's Sheet; from an OM-SPAN export, the file's own headers for the messages."""

    labels: dict[str, str] = field(default_factory=dict)
    layout: Layout | None = None


class IkpaFigureImport(ImportKind):
    """`ikpa`: kode_satker, tahun, bulan, kontraktual, tagihan, up_tup, dispensasi, or OM-SPAN's
    Monitoring IKPA export. Natural key: satker + year + month + indicator."""

    name = "ikpa"
    title = gettext_lazy("Nilai IKPA dari OM-SPAN (kontraktual, tagihan, UP/TUP, dispensasi)")
    layouts = IKPA_LAYOUTS
    reads_template = True  # besides the export, the template of its columns (the upload page offers it)
    columns = (
        SATKER,
        YEAR,
        Column("bulan", gettext_lazy("Bulan 1-12: nilai IKPA sampai dengan bulan ini (kumulatif sejak Januari)."),
               MONTH.parse, choices=MONTH.choices, example="3"),
        _value_column("kontraktual", gettext_lazy("Belanja kontraktual."), "100"),
        _value_column("tagihan", gettext_lazy("Penyelesaian tagihan."), "98,5"),
        _value_column("up_tup", gettext_lazy("Pengelolaan UP dan TUP."), "95"),
        Column("dispensasi", gettext_lazy(
            "Dispensasi SPM. Sampai 2023 nilai indikator 0-100 (100: tanpa dispensasi); sejak 2024 poin yang "
            "dikurangkan dari nilai IKPA (0: tanpa dispensasi), 0-100. Desimal dengan koma atau titik; kosong: tidak "
            "ada nilai (nilai yang tersimpan tetap)."), parse_ikpa_value, example="100"),
    )  # fmt: skip

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        return satker_prefill(user, query, satker_row)

    def read(self, path: Any, *, max_rows: int, progress: Callable[[int, int], None] | None = None) -> Sheet:
        """OM-SPAN's export when the workbook is one (its title and header), else the template."""
        found = find_export(Path(path), self.layouts)
        if found is None:
            return super().read(path, max_rows=max_rows, progress=progress)
        rows, located = found
        try:
            export = read_export(rows, located)
        except TreasuryFileError as refused:
            return IkpaSheet(columns=[], errors=refused.errors, layout=located.layout)
        return IkpaSheet(columns=self.column_names, rows=export.rows, labels=export.labels, layout=export.layout)

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan(self.name)
        labels: dict[str, str] = getattr(sheet, "labels", {})
        cells_of = dict(sheet.rows)
        parsed = self.parsed_rows(plan, sheet)
        codes = {values["kode_satker"] for _number, values in parsed}
        editable = {s.code: s for s in scoped(Satker.objects.filter(code__in=codes), user, for_edit=True)}
        years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in={v["tahun"] for _n, v in parsed})}
        where = {"satker__in": list(editable.values()), "fiscal_year__in": list(years.values())}
        stored = {(f.satker_id, f.fiscal_year_id, f.month, f.indicator): f
                  for f in IkpaTreasuryFigure.objects.filter(**where)}  # fmt: skip
        stored_published = {(p.satker_id, p.fiscal_year_id, p.month): p
                            for p in IkpaTreasuryPublished.objects.filter(**where)}  # fmt: skip
        seen: dict[tuple[str, int, int], int] = {}
        for number, values in parsed:
            code, year, month = values["kode_satker"], values["tahun"], values["bulan"]
            problem = satker_year_problem(code, year, editable, years)
            if problem:
                plan.error(number, *problem)
                continue
            if (code, year, month) in seen:
                first = seen[(code, year, month)]
                plan.error(number, "bulan", msg(gettext_noop(
                    "Baris ganda: satker, tahun dan bulan sama dengan baris %(row)s."), row=first))  # fmt: skip
                continue
            seen[(code, year, month)] = number
            published = self._published(plan, number, cells_of[number].get(PUBLISHED))
            if published is False:
                continue
            given = {column: values[column] for column in FIGURE_COLUMNS if values[column] is not None}
            if not given and not (published and any(v is not None for v in published.values())):
                plan.skipped += 1  # a pre-filled line left empty, or a satker without any figure
                continue
            satker, fiscal_year = editable[code], years[year]
            old = {c: stored.get((satker.pk, fiscal_year.pk, month, c)) for c in given}
            old_published = stored_published.get((satker.pk, fiscal_year.pk, month))
            row = self._planned(number, satker, fiscal_year, month, given, old, labels)
            if published is not None:
                self._plan_published(row, published, old_published, labels)
            plan.rows.append(row)
        if labels:  # an export: its errors name its own columns
            plan.errors = [RowError(e.row, labels.get(e.column, e.column), e.message) for e in plan.errors]
        return plan

    @staticmethod
    def _published(plan: ImportPlan, number: int, raw: Mapping[str, Any] | None) -> dict[str, Any] | bool | None:
        """The treasury's published values of an export row (None: a template row; False: an error reported)."""
        if raw is None:
            return None
        values: dict[str, Any] = {}
        for column, cell in raw.items():
            try:
                values[column] = parse_ikpa_value(cell)
            except CellError as error:
                plan.error(number, column, message_of(error))
        return values if len(values) == len(raw) else False

    @staticmethod
    def _planned(
        number: int,
        satker: Satker,
        fiscal_year: FiscalYear,
        month: int,
        given: dict[str, Decimal],
        old: dict[str, IkpaTreasuryFigure | None],
        labels: Mapping[str, str],
    ) -> PlannedRow:
        columns = {c: labels.get(c, c) for c in given}
        old_values = {c: figure.value for c, figure in old.items() if figure is not None}
        changes = cell_changes(columns, old_values, given)
        typed = [c for c, figure in old.items() if figure is not None and figure.source != Source.IMPORT]
        if typed:  # the admin's typed figures become the file's
            changes.append([_("sumber"), str(Source(old[typed[0]].source).label), str(Source.IMPORT.label)])
        if not old_values:
            action = "new"
        else:
            action = "changed" if changes else "unchanged"
        key = (satker.code, str(fiscal_year.year), month_name(month))
        values = {"satker": satker, "fiscal_year": fiscal_year, "month": month, "figures": given, "published": None}
        return PlannedRow(number, key, action, values, changes)

    @staticmethod
    def _plan_published(
        row: PlannedRow, published: dict[str, Any], old: IkpaTreasuryPublished | None, labels: Mapping[str, str]
    ) -> None:
        """The treasury's published values replace the month's stored ones as a whole (display only);
        on a row that changes, each that changes is listed like the figures."""
        new = {column: published.get(column) for column in PUBLISHED_VALUES}
        stored = {column: getattr(old, column) for column in PUBLISHED_VALUES} if old is not None else {}
        changes = cell_changes({c: labels.get(c, c) for c in PUBLISHED_VALUES}, stored, new)
        if not changes:
            return
        row.values["published"] = new
        if row.action != "new":
            row.changes += changes
            row.action = "changed"

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        rows = [row for row in plan.rows if row.action != "unchanged"]
        if not rows:
            return
        satkers = {row.values["satker"].pk for row in rows}
        fiscal_years = {row.values["fiscal_year"] for row in rows}
        # Re-checked at the write: the year may have closed, the user's access may have changed.
        for fiscal_year in fiscal_years:
            closed = closed_year_reason(fiscal_year)
            if closed:
                raise ValidationError(closed)
        if scoped(Satker.objects.filter(pk__in=satkers), user, for_edit=True).count() != len(satkers):
            raise PermissionDenied(_("Satker berkas di luar cakupan Anda."))
        where = {"satker_id__in": satkers, "fiscal_year__in": list(fiscal_years)}
        stored = {(f.satker_id, f.fiscal_year_id, f.month, f.indicator): f
                  for f in IkpaTreasuryFigure.objects.select_for_update().filter(**where)}  # fmt: skip
        stored_published = {(p.satker_id, p.fiscal_year_id, p.month): p
                            for p in IkpaTreasuryPublished.objects.select_for_update().filter(**where)}  # fmt: skip
        now = timezone.now()
        for row in rows:
            satker, fiscal_year, month = row.values["satker"], row.values["fiscal_year"], row.values["month"]
            for indicator, value in row.values["figures"].items():
                figure = stored.get((satker.pk, fiscal_year.pk, month, indicator))
                if figure is not None and figure.value == value and figure.source == Source.IMPORT:
                    continue
                if figure is None:
                    figure = IkpaTreasuryFigure(satker=satker, fiscal_year=fiscal_year, month=month,
                                                indicator=indicator)  # fmt: skip
                figure.value, figure.source, figure.upload_id = value, Source.IMPORT, plan.upload_id
                figure.entered_by, figure.entered_at = user, now
                figure._history_user, figure._change_reason = user, reason
                figure.save()
            if row.values["published"] is not None:
                published = stored_published.get((satker.pk, fiscal_year.pk, month)) or IkpaTreasuryPublished(
                    satker=satker, fiscal_year=fiscal_year, month=month)  # fmt: skip
                for column, value in row.values["published"].items():
                    setattr(published, column, value)
                published.upload_id, published.entered_by, published.entered_at = plan.upload_id, user, now
                published._history_user, published._change_reason = user, reason
                published.save()
