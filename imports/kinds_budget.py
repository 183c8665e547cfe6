"""Import kinds that write budget execution data (realisasi, pagu; rpd to follow)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.calendar import last_started_month
from budgets.models import Account, BudgetComponent, BudgetLine, FiscalYear, MonthlyReport, Realization, Satker
from budgets.money import format_rupiah
from budgets.services import realization_set
from ikmsite.accounts.scoping import scoped
from imports.importer import ImportPlan, PlannedRow
from imports.reader import CellError, Sheet, parse_amount, parse_code, parse_int

if TYPE_CHECKING:
    from ikmsite.accounts.models import User


class RealizationImporter:
    """`realisasi`: kode_satker, tahun, bulan, kode_komponen, kode_akun, realisasi (monthly, not
    cumulative). Natural key: satker + year + month + component + account."""

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("realisasi")
        editable = {s.code: s for s in scoped(Satker.objects.all(), user, for_edit=True)}
        years = {fy.year: fy for fy in FiscalYear.objects.all()}
        lines: dict[tuple[str, int, str, str], BudgetLine] = {}
        parsed: list[tuple[int, dict[str, Any]]] = []
        for number, cells in sheet.rows:
            values: dict[str, Any] = {}
            for column, parse in (
                ("kode_satker", lambda v: parse_code(v, digits=6, label=_("Kode satker"))),
                ("tahun", lambda v: parse_int(v, low=2000, high=2100)),
                ("bulan", lambda v: parse_int(v, low=1, high=12)),
                ("kode_komponen", lambda v: parse_code(v, digits=3, label=_("Kode komponen"))),
                ("kode_akun", lambda v: parse_code(v, digits=6, label=_("Kode akun"))),
                ("realisasi", parse_amount),
            ):
                try:
                    values[column] = parse(cells.get(column))
                except CellError as error:
                    plan.error(number, column, str(error))
            if len(values) == 6:
                parsed.append((number, values))

        wanted_satkers = {values["kode_satker"] for _n, values in parsed}
        for line in BudgetLine.objects.filter(satker__code__in=wanted_satkers).select_related(
            "satker", "fiscal_year", "component", "account"
        ):
            lines[(line.satker.code, line.fiscal_year.year, line.component.code, line.account.code)] = line
        reports = {
            (r.satker.code, r.fiscal_year.year, r.month): r
            for r in MonthlyReport.objects.filter(satker__code__in=wanted_satkers).select_related(
                "satker", "fiscal_year"
            )
        }
        existing = {
            (r.report_id, r.line_id): r.amount
            for r in Realization.objects.filter(report__satker__code__in=wanted_satkers).only(
                "report", "line", "amount"
            )
        }
        seen: dict[tuple, int] = {}
        accepted: list[tuple[int, dict[str, Any], BudgetLine]] = []
        for number, values in parsed:
            satker_code, year, month = values["kode_satker"], values["tahun"], values["bulan"]
            key = (satker_code, year, month, values["kode_komponen"], values["kode_akun"])
            if key in seen:
                plan.error(number, "kode_akun", _("Baris ganda: sama dengan baris %(row)s.") % {"row": seen[key]})
                continue
            seen[key] = number
            if satker_code not in editable:
                plan.error(number, "kode_satker", _("Satker %(code)s tidak ada atau di luar cakupan Anda.")
                           % {"code": satker_code})  # fmt: skip
                continue
            fiscal_year = years.get(year)
            if fiscal_year is None:
                plan.error(number, "tahun", _("Tahun anggaran %(year)s tidak ada.") % {"year": year})
                continue
            if fiscal_year.is_closed:
                plan.error(number, "tahun", _("Tahun anggaran %(year)s sudah ditutup.") % {"year": year})
                continue
            if month > last_started_month(year, today):
                plan.error(
                    number, "bulan", _("Bulan %(month)s/%(year)s belum berjalan.") % {"month": month, "year": year}
                )
                continue
            report = reports.get((satker_code, year, month))
            if report is not None and report.is_locked:
                plan.error(number, "bulan", _("Laporan bulan %(month)s/%(year)s berstatus %(status)s dan terkunci.")
                           % {"month": month, "year": year, "status": report.get_status_display()})  # fmt: skip
                continue
            line = lines.get((satker_code, year, values["kode_komponen"], values["kode_akun"]))
            if line is None:
                missing = {"c": values["kode_komponen"], "a": values["kode_akun"], "s": satker_code, "y": year}
                plan.error(
                    number, "kode_akun", _("Baris pagu %(c)s.%(a)s tidak ada di DIPA %(s)s tahun %(y)s.") % missing
                )
                continue
            old = existing.get((report.pk, line.pk)) if report else None
            action = "new" if old is None else ("unchanged" if old == values["realisasi"] else "changed")
            plan.rows.append(PlannedRow(number, key, action, {**values, "line": line, "fiscal_year": fiscal_year}))
            accepted.append((number, values, line))
        self._check_cumulative(plan, accepted)
        return plan

    def _check_cumulative(self, plan: ImportPlan, accepted: list[tuple[int, dict[str, Any], BudgetLine]]) -> None:
        """The file's months replace those months; with the months it does not touch, a line's
        total must stay within its effective pagu."""
        months_in_file: dict[int, set[int]] = defaultdict(set)
        file_total: dict[int, int] = defaultdict(int)
        last_row: dict[int, int] = {}
        for number, values, line in accepted:
            months_in_file[line.pk].add(values["bulan"])
            file_total[line.pk] += values["realisasi"]
            last_row[line.pk] = number
        if not accepted:
            return
        others = self._outside_totals(months_in_file)
        for number, _values, line in accepted:
            if number != last_row[line.pk]:
                continue
            cumulative = others.get(line.pk, 0) + file_total[line.pk]
            if cumulative > line.pagu_efektif:
                plan.error(
                    number,
                    "realisasi",
                    _("Realisasi kumulatif %(line)s menjadi %(cumulative)s, melebihi pagu efektif %(pagu)s.")
                    % {"line": line, "cumulative": format_rupiah(cumulative), "pagu": format_rupiah(line.pagu_efektif)},
                )

    @staticmethod
    def _outside_totals(months_in_file: dict[int, set[int]]) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for line_id, month, amount in Realization.objects.filter(line__in=list(months_in_file)).values_list(
            "line", "report__month", "amount"
        ):
            if month not in months_in_file[line_id]:
                totals[line_id] += amount
        return totals

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        by_month: dict[tuple[int, int, int], dict[int, int]] = defaultdict(dict)
        context: dict[tuple[int, int, int], tuple[Satker, FiscalYear]] = {}
        for row in plan.rows:
            line: BudgetLine = row.values["line"]
            key = (line.satker_id, row.values["fiscal_year"].pk, row.values["bulan"])
            context[key] = (line.satker, row.values["fiscal_year"])
            if row.action != "unchanged":
                by_month[key][line.pk] = row.values["realisasi"]
        for key, amounts in by_month.items():
            satker, fiscal_year = context[key]
            realization_set(satker=satker, fiscal_year=fiscal_year, month=key[2], amounts=amounts,
                            expected_version=None, by=user, reason=reason)  # fmt: skip


class PaguImporter:
    """`pagu`: kode_satker, tahun, kode_komponen, kode_akun, pagu, blokir. Natural key: satker +
    year + component + account. Only directorate admins record pagu; each satker-year with a
    change becomes one DIPA revision whose reason names the upload."""

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("pagu")
        if not user.is_admin:
            plan.error(0, "", _("Hanya admin direktorat yang mengimpor pagu."))
            return plan
        satkers = {s.code: s for s in Satker.objects.all()}
        years = {fy.year: fy for fy in FiscalYear.objects.all()}
        components = {c.code: c for c in BudgetComponent.objects.all()}
        accounts = {a.code: a for a in Account.objects.all()}
        existing = {
            (line.satker_id, line.fiscal_year_id, line.component_id, line.account_id): line
            for line in BudgetLine.objects.filter(satker__code__in={
                str(cells.get("kode_satker") or "").strip() for _n, cells in sheet.rows})
        }  # fmt: skip
        seen: dict[tuple, int] = {}
        for number, cells in sheet.rows:
            values: dict[str, Any] = {}
            for column, parse in (
                ("kode_satker", lambda v: parse_code(v, digits=6, label=_("Kode satker"))),
                ("tahun", lambda v: parse_int(v, low=2000, high=2100)),
                ("kode_komponen", lambda v: parse_code(v, digits=3, label=_("Kode komponen"))),
                ("kode_akun", lambda v: parse_code(v, digits=6, label=_("Kode akun"))),
                ("pagu", parse_amount),
                ("blokir", parse_amount),
            ):
                try:
                    values[column] = parse(cells.get(column))
                except CellError as error:
                    plan.error(number, column, str(error))
            if len(values) < 6:
                continue
            satker, fiscal_year = satkers.get(values["kode_satker"]), years.get(values["tahun"])
            component, account = components.get(values["kode_komponen"]), accounts.get(values["kode_akun"])
            lookups = [
                ("kode_satker", satker, _("Satker")),
                ("tahun", fiscal_year, _("Tahun anggaran")),
                ("kode_komponen", component, _("Komponen")),
                ("kode_akun", account, _("Akun")),
            ]
            for column, found, label in lookups:
                if found is None:
                    plan.error(
                        number,
                        column,
                        _("%(label)s %(value)s tidak dikenal.") % {"label": label, "value": values[column]},
                    )
            if None in (satker, fiscal_year, component, account):
                continue
            if fiscal_year.is_closed:
                plan.error(number, "tahun", _("Tahun anggaran %(year)s sudah ditutup.") % {"year": fiscal_year.year})
                continue
            if values["blokir"] > values["pagu"]:
                plan.error(number, "blokir", _("Blokir melebihi pagu."))
                continue
            key = (satker.pk, fiscal_year.pk, component.pk, account.pk)
            if key in seen:
                plan.error(number, "kode_akun", _("Baris ganda: sama dengan baris %(row)s.") % {"row": seen[key]})
                continue
            seen[key] = number
            line = existing.get(key)
            if line is None:
                action = "new"
            else:
                action = "unchanged" if (line.pagu, line.blokir) == (values["pagu"], values["blokir"]) else "changed"
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": satker, "fiscal_year": fiscal_year, "component": component, "account": account,
            }))  # fmt: skip
        return plan

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        from budgets.models import BudgetRevision
        from budgets.services import PaguLine, pagu_revise

        by_dipa: dict[tuple[int, int], list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            if row.action != "unchanged":
                by_dipa[(row.values["satker"].pk, row.values["fiscal_year"].pk)].append(row)
        for rows in by_dipa.values():
            first = rows[0].values
            pagu_revise(
                satker=first["satker"], fiscal_year=first["fiscal_year"], kind=BudgetRevision.Kind.PAGU,
                date=timezone.localdate(), reason=reason, by=user,
                lines=[PaguLine(r.values["component"], r.values["account"], r.values["pagu"], r.values["blokir"])
                       for r in rows],
            )  # fmt: skip
