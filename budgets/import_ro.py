"""The `capaian_ro` import kind: a month's RO rows (capaian RO) from a workbook, written through the
same service as the monthly report page (``output_achievement_set``), under the same rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import scoped
from budgets.import_kinds import MONTH, SATKER, YEAR, parse_ro_code, satker_month_problem, satker_prefill
from budgets.models import BudgetLine, FiscalYear, MonthlyReport, Output, OutputAchievement, Satker
from budgets.ro_entry import DecimalError, dipa_outputs, parse_decimal
from budgets.services.editability import ReturnTargets, line_lock, returned_targets
from budgets.services.outputs import NOTE_LENGTH, RoEntry, output_achievement_set
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import CellError, Sheet, parse_text

if TYPE_CHECKING:
    from accounts.models import User


def parse_required_ro_code(value: Any) -> str:
    """The row's RO code, required here (the pagu file may leave it empty)."""
    code = parse_ro_code(value)
    if code is None:
        raise CellError(_("Wajib diisi."))
    return code


def _number(value: Any, label: str, low: Decimal, high: Decimal | None) -> Decimal:
    if value is None:
        raise CellError(_("Wajib diisi."))
    try:
        number = parse_decimal(value, label=label)
    except DecimalError as error:
        raise CellError(str(error)) from None
    if number < low or (high is not None and number > high):
        if high is None:
            raise CellError(_("%(label)s tidak boleh negatif.") % {"label": label})
        raise CellError(_("%(label)s harus di antara %(low)s dan %(high)s.") % {"label": label, "low": low,
                                                                                "high": high})  # fmt: skip
    return number


def parse_volume(value: Any) -> Decimal:
    return _number(value, _("Volume"), Decimal(0), None)


def parse_progress(value: Any) -> Decimal:
    return _number(value, _("Progres fisik"), Decimal(0), Decimal(100))


# The columns a stored RO row holds, in the order of the plan's (volume, physical_progress, note):
# what the preview's old -> new compares.
ACHIEVEMENT_COLUMNS = {"volume": "volume", "progres_fisik": "progres_fisik", "keterangan": "keterangan"}


class OutputAchievementImport(ImportKind):
    """`capaian_ro`: kode_satker, tahun, bulan, kode_ro, volume, progres_fisik, keterangan (the
    volume added that month, not cumulative). Natural key: satker + year + month + RO."""

    name = "capaian_ro"
    title = gettext_lazy("Capaian RO bulanan")
    columns = (
        SATKER, YEAR, MONTH,
        Column("kode_ro", gettext_lazy("Kode RO kegiatan.KRO.RO, mis. 6503.RBS.001 (RO DIPA satker tahun itu)."),
               parse_required_ro_code, text=True, example="6503.RBS.001"),
        Column("volume", gettext_lazy(
            "Volume yang bertambah bulan itu saja (tidak kumulatif), dalam satuan RO; 0 bila tidak ada. Baris yang "
            "kolom volume dan progres_fisik-nya kosong dilewati."
        ), parse_volume, example="2,5"),
        Column("progres_fisik", gettext_lazy("Progres fisik pekerjaan RO, 0-100 (persen)."), parse_progress,
               example="40"),
        Column("keterangan", gettext_lazy("Keterangan singkat (opsional)."),
               lambda v: parse_text(v, max_length=NOTE_LENGTH, required=False), example="Pelatihan angkatan I"),
    )  # fmt: skip

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        """The satker's ROs of the year for this month, with the month's stored rows: sending the
        template back unchanged changes nothing."""

        def rows(satker: Satker) -> list[dict[str, Any]]:
            fiscal_year = FiscalYear.objects.filter(year=today.year).first()
            if fiscal_year is None:
                return []
            stored = {
                row.output_id: row
                for row in OutputAchievement.objects.filter(
                    report__satker=satker, report__fiscal_year=fiscal_year, report__month=today.month
                )
            }
            found = []
            for output in dipa_outputs(satker=satker, fiscal_year=fiscal_year):
                row = stored.get(output.pk)
                found.append({"kode_satker": satker.code, "tahun": today.year, "bulan": today.month,
                              "kode_ro": output.full_code, "volume": row.volume if row else None,
                              "progres_fisik": row.physical_progress if row else None,
                              "keterangan": row.note if row else None})  # fmt: skip
            return found

        return satker_prefill(user, query, rows)

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan(self.name)
        editable = {s.code: s for s in scoped(Satker.objects.all(), user, for_edit=True)}
        years = {fy.year: fy for fy in FiscalYear.objects.all()}
        parsed: list[tuple[int, dict[str, Any]]] = []
        for number, cells in sheet.rows:
            if cells.get("volume") is None and cells.get("progres_fisik") is None:
                # A template line left empty is not a zero: skipping it never overwrites a stored row.
                plan.skipped += 1
                continue
            values = self.parse_cells(plan, number, cells)
            if values is not None:
                parsed.append((number, values))

        wanted = {values["kode_satker"] for _n, values in parsed}
        outputs: dict[tuple[str, int], dict[str, Output]] = defaultdict(dict)
        lines = (
            BudgetLine.objects.filter(satker__code__in=wanted, output__isnull=False)
            .select_related("satker", "fiscal_year", "output__output_class__activity")
            .order_by()
        )
        for line in lines:
            outputs[(line.satker.code, line.fiscal_year.year)][line.output.full_code] = line.output
        reports = {
            (r.satker.code, r.fiscal_year.year, r.month): r
            for r in MonthlyReport.objects.filter(satker__code__in=wanted).select_related("satker", "fiscal_year")
        }
        existing = {
            (row.report_id, row.output_id): (row.volume, row.physical_progress, row.note)
            for row in OutputAchievement.objects.filter(report__satker__code__in=wanted)
        }
        seen: dict[tuple, int] = {}
        targets: dict[int, ReturnTargets | None] = {}  # per report, asked once
        for number, values in parsed:
            code, year, month, ro = values["kode_satker"], values["tahun"], values["bulan"], values["kode_ro"]
            key = (code, year, month, ro)
            if key in seen:
                plan.error(number, "kode_ro", _("Baris ganda: sama dengan baris %(row)s.") % {"row": seen[key]})
                continue
            seen[key] = number
            problem = satker_month_problem(code, year, month, editable=editable, years=years, reports=reports,
                                           today=today)  # fmt: skip
            if problem:
                plan.error(number, *problem)
                continue
            output = outputs[(code, year)].get(ro)
            if output is None:
                plan.error(number, "kode_ro", _("RO %(ro)s tidak ada di DIPA %(satker)s tahun %(year)s.")
                           % {"ro": ro, "satker": code, "year": year})  # fmt: skip
                continue
            report = reports.get((code, year, month))
            wanted_row = (values["volume"], values["progres_fisik"], values["keterangan"])
            old = existing.get((report.pk, output.pk)) if report else None
            if old != wanted_row and report is not None:
                if report.pk not in targets:
                    targets[report.pk] = returned_targets(report)
                locked = line_lock(targets[report.pk], output_id=output.pk)
                if locked:
                    plan.error(number, "kode_ro", locked)
                    continue
            action = "new" if old is None else ("unchanged" if old == wanted_row else "changed")
            changes = cell_changes(ACHIEVEMENT_COLUMNS, dict(zip(ACHIEVEMENT_COLUMNS, old, strict=True)), values) if (
                old is not None) else []  # fmt: skip
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": editable[code], "fiscal_year": years[year], "output": output,
            }, changes))  # fmt: skip
        return plan

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        by_month: dict[tuple[int, int, int], dict[int, RoEntry]] = defaultdict(dict)
        context: dict[tuple[int, int, int], tuple[Satker, FiscalYear]] = {}
        for row in plan.rows:
            if row.action == "unchanged":
                continue
            values = row.values
            key = (values["satker"].pk, values["fiscal_year"].pk, values["bulan"])
            context[key] = (values["satker"], values["fiscal_year"])
            by_month[key][values["output"].pk] = RoEntry(values["volume"], values["progres_fisik"],
                                                         values["keterangan"])  # fmt: skip
        for key, entries in by_month.items():
            satker, fiscal_year = context[key]
            output_achievement_set(satker=satker, fiscal_year=fiscal_year, month=key[2], entries=entries,
                                   expected_version=None, by=user, reason=reason)  # fmt: skip
