"""Import kinds that write budget execution data (realisasi, pagu, rpd)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.scoping import scoped
from budgets.calendar import last_started_month, quarter_of
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Realization,
    RpdPlan,
    RpdRevision,
    RpdWindow,
    Satker,
    SpendingType,
)
from budgets.services import RpdEditability, realization_set, rpd_set
from core.formats import format_rupiah
from imports.importer import ImportPlan, PlannedRow, refuse_readers
from imports.reader import CellError, Sheet, parse_amount, parse_code, parse_int

if TYPE_CHECKING:
    from accounts.models import User


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
            if cells.get("realisasi") is None:
                # A template line left empty is not a zero: skipping it never overwrites a
                # month's stored amount (type 0 to record nothing spent).
                plan.skipped += 1
                continue
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
        if not permissions.may_record_pagu(user):
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


SatkerYear = tuple[str, int]  # (satker code, year)
# The satker-year of a row with an error; None where the cell was unreadable (it matches any).
TroubledSatkerYear = tuple[str | None, int | None]


def rpd_editability_many(pairs: list[tuple[Satker, FiscalYear]], today: date) -> dict[tuple[int, int], RpdEditability]:
    """``rpd_editability`` for many satker-years in two queries, keyed (satker id, fiscal year id).

    Same rules, order and messages as budgets.services.rpd.rpd_editability (a test holds them
    equal); rpd_set checks again under its lock when the import is applied."""
    satker_ids = {satker.pk for satker, _fy in pairs}
    year_ids = {fiscal_year.pk for _s, fiscal_year in pairs}
    planned: set[tuple[int, int]] = set()
    used_windows: dict[int, set[int]] = defaultdict(set)
    for satker_id, fiscal_year_id, window_id in (
        RpdRevision.objects.filter(satker_id__in=satker_ids)
        .filter(Q(fiscal_year_id__in=year_ids) | Q(window__fiscal_year_id__in=year_ids))
        .values_list("satker_id", "fiscal_year_id", "window_id")
    ):
        planned.add((satker_id, fiscal_year_id))
        if window_id is not None:
            used_windows[satker_id].add(window_id)
    open_today = list(
        RpdWindow.objects.filter(fiscal_year_id__in=year_ids, opens_on__lte=today, closes_on__gte=today)
        .filter(Q(satker__isnull=True) | Q(satker_id__in=satker_ids))
        .order_by(F("satker").desc(nulls_last=True), "closes_on")
    )
    result: dict[tuple[int, int], RpdEditability] = {}
    for satker, fiscal_year in pairs:
        key = (satker.pk, fiscal_year.pk)
        if fiscal_year.is_closed:
            result[key] = RpdEditability(False, _("Tahun anggaran sudah ditutup."))
            continue
        if key not in planned:
            result[key] = RpdEditability(True, _("RPD awal dapat diisi kapan saja selama tahun anggaran terbuka."))
            continue
        windows = [w for w in open_today if w.fiscal_year_id == fiscal_year.pk and w.satker_id in (None, satker.pk)]
        window = next((w for w in windows if w.pk not in used_windows[satker.pk]), None)
        if window is not None:
            result[key] = RpdEditability(
                True,
                _("Jendela perubahan RPD terbuka sampai %(until)s; RPD dapat diubah satu kali.")
                % {"until": window.closes_on.strftime("%d-%m-%Y")},
                window,
            )
        elif any(w.pk in used_windows[satker.pk] for w in windows):
            result[key] = RpdEditability(
                False, _("RPD sudah diubah satu kali pada jendela triwulan ini; minta admin membuka jendela baru.")
            )
        else:
            result[key] = RpdEditability(
                False,
                _("Di luar jendela perubahan RPD triwulan %(q)s; minta admin membuka jendela.")
                % {"q": quarter_of(today.month) if today.year == fiscal_year.year else "-"},
            )
    return result


class RpdImporter:
    """`rpd`: kode_satker, tahun, bulan, jenis_belanja, rencana. Natural key: satker + year +
    spending type + month; one row is one cell of the web form's RPD grid.

    Cells the file does not mention keep their stored value (0 when nothing is stored), exactly
    as the realization import treats months it does not mention. Officers upload either the
    whole grid (the template is pre-filled with it) or only the cells they move; leaving a row
    out never erases a plan. To empty a month, write 0 (an empty `rencana` cell also counts
    as 0). The merged grid must then pass the web form's rules: each spending type's twelve
    months add up to its effective pagu; spending types without a DIPA line stay at 0.

    A satker-year whose cells all equal the stored plan is not written, so it needs no RPD
    window and re-importing a file changes nothing. A satker-year that changes is saved by one
    `rpd_set` call, as the web form saves it: one RpdRevision, history per changed cell, and the
    once-per-window rule (the first plan of a year needs no window)."""

    COLUMNS: tuple[tuple[str, Any], ...] = (
        ("kode_satker", lambda v: parse_code(v, digits=6, label=_("Kode satker"))),
        ("tahun", lambda v: parse_int(v, low=2000, high=2100)),
        ("bulan", lambda v: parse_int(v, low=1, high=12)),
        ("jenis_belanja", lambda v: parse_code(v, digits=2, label=_("Kode jenis belanja"))),
        ("rencana", parse_amount),
    )

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("rpd")
        if refuse_readers(plan, user):
            return plan
        parsed, troubled = self._parse(plan, sheet)
        codes = {values["kode_satker"] for _n, values in parsed}
        wanted_years = {values["tahun"] for _n, values in parsed}
        editable = {s.code: s for s in scoped(Satker.objects.filter(code__in=codes), user, for_edit=True)}
        years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in=wanted_years)}
        types = {st.code: st for st in SpendingType.objects.all()}
        pagu = self._effective_pagu(codes, wanted_years)
        stored = self._stored_plan(codes, wanted_years)

        seen: dict[tuple, int] = {}
        for number, values in parsed:
            satker_year = (values["kode_satker"], values["tahun"])
            key = (*satker_year, values["jenis_belanja"], values["bulan"])
            problem = self._row_problem(values, seen.get(key), editable, years, types, pagu.get(satker_year))
            seen.setdefault(key, number)
            if problem is not None:
                plan.error(number, *problem)
                troubled.add(satker_year)
                continue
            old = stored.get(satker_year, {}).get(key[2:])
            amount = values["rencana"]
            action = "unchanged" if (old or 0) == amount else ("new" if old is None else "changed")
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": editable[values["kode_satker"]], "fiscal_year": years[values["tahun"]],
                "spending_type": types[values["jenis_belanja"]],
            }))  # fmt: skip
        self._check_satker_years(plan, troubled, pagu, stored, types, today)
        return plan

    def _parse(
        self, plan: ImportPlan, sheet: Sheet
    ) -> tuple[list[tuple[int, dict[str, Any]]], set[TroubledSatkerYear]]:
        """Rows whose every cell reads; and the satker-years with a row that does not (their
        totals cannot be judged, so only the cell errors are reported for them)."""
        parsed: list[tuple[int, dict[str, Any]]] = []
        troubled: set[TroubledSatkerYear] = set()
        for number, cells in sheet.rows:
            values: dict[str, Any] = {}
            for column, parse in self.COLUMNS:
                try:
                    values[column] = parse(cells.get(column))
                except CellError as error:
                    plan.error(number, column, str(error))
            if len(values) == len(self.COLUMNS):
                parsed.append((number, values))
            else:
                troubled.add((values.get("kode_satker"), values.get("tahun")))
        return parsed, troubled

    @staticmethod
    def _effective_pagu(codes: set[str], years: set[int]) -> dict[SatkerYear, dict[str, int]]:
        """Effective pagu per spending type code of each satker-year's DIPA (a type with a line
        whose pagu is all blocked is present with 0)."""
        pagu: dict[SatkerYear, dict[str, int]] = defaultdict(dict)
        for code, year, type_code, total in (
            BudgetLine.objects.filter(satker__code__in=codes, fiscal_year__year__in=years)
            .values("satker__code", "fiscal_year__year", "account__spending_type__code")
            .annotate(total=Sum(F("pagu") - F("blokir")))
            .values_list("satker__code", "fiscal_year__year", "account__spending_type__code", "total")
        ):
            pagu[(code, year)][type_code] = total
        return pagu

    @staticmethod
    def _stored_plan(codes: set[str], years: set[int]) -> dict[SatkerYear, dict[tuple[str, int], int]]:
        stored: dict[SatkerYear, dict[tuple[str, int], int]] = defaultdict(dict)
        for code, year, type_code, month, amount in RpdPlan.objects.filter(
            satker__code__in=codes, fiscal_year__year__in=years
        ).values_list("satker__code", "fiscal_year__year", "spending_type__code", "month", "amount"):
            stored[(code, year)][(type_code, month)] = amount
        return stored

    @staticmethod
    def _row_problem(
        values: dict[str, Any],
        first_row: int | None,
        editable: dict[str, Satker],
        years: dict[int, FiscalYear],
        types: dict[str, SpendingType],
        pagu: dict[str, int] | None,
    ) -> tuple[str, str] | None:
        """(column, message) of the first rule the row breaks, or None."""
        satker_code, year, type_code = values["kode_satker"], values["tahun"], values["jenis_belanja"]
        if first_row is not None:
            return "bulan", _("Baris ganda: sama dengan baris %(row)s.") % {"row": first_row}
        if satker_code not in editable:
            return "kode_satker", _("Satker %(code)s tidak ada atau di luar cakupan Anda.") % {"code": satker_code}
        fiscal_year = years.get(year)
        if fiscal_year is None:
            return "tahun", _("Tahun anggaran %(year)s tidak ada.") % {"year": year}
        if fiscal_year.is_closed:
            return "tahun", _("Tahun anggaran %(year)s sudah ditutup.") % {"year": year}
        if type_code not in types:
            return "jenis_belanja", _("Jenis belanja %(code)s tidak dikenal; pilih salah satu: %(codes)s.") % {
                "code": type_code, "codes": ", ".join(sorted(types))}  # fmt: skip
        if not pagu:
            return "kode_satker", _("Belum ada pagu untuk satker %(satker)s tahun %(year)s, sehingga RPD belum dapat "
                                    "diisi.") % {"satker": satker_code, "year": year}  # fmt: skip
        if type_code not in pagu and values["rencana"]:
            return "jenis_belanja", _(
                "Jenis belanja %(code)s tidak ada di DIPA satker %(satker)s tahun %(year)s; rencananya hanya boleh 0."
            ) % {"code": type_code, "satker": satker_code, "year": year}
        return None

    def _check_satker_years(
        self,
        plan: ImportPlan,
        troubled: set[TroubledSatkerYear],
        pagu: dict[SatkerYear, dict[str, int]],
        stored: dict[SatkerYear, dict[tuple[str, int], int]],
        types: dict[str, SpendingType],
        today: date,
    ) -> None:
        """The rules of a whole satker-year that changes: it may be changed now, and each
        spending type of the merged grid adds up to its effective pagu."""
        by_satker_year: dict[SatkerYear, list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            by_satker_year[row.key[:2]].append(row)
        changing = {
            satker_year: rows
            for satker_year, rows in by_satker_year.items()
            if not self._troubled(satker_year, troubled) and any(row.action != "unchanged" for row in rows)
        }
        if not changing:
            return
        pairs = [(rows[0].values["satker"], rows[0].values["fiscal_year"]) for rows in changing.values()]
        editability = rpd_editability_many(pairs, today)
        for (satker, fiscal_year), (satker_year, rows) in zip(pairs, changing.items(), strict=True):
            first_change = next(row for row in rows if row.action != "unchanged")
            allowed = editability[(satker.pk, fiscal_year.pk)]
            if not allowed.allowed:
                refusal = {"satker": satker.code, "year": fiscal_year.year, "reason": allowed.reason}
                plan.error(
                    first_change.row,
                    "rencana",
                    _("RPD satker %(satker)s tahun %(year)s tidak dapat diubah: %(reason)s") % refusal,
                )
                continue
            self._check_totals(plan, rows, pagu[satker_year], stored.get(satker_year, {}), types)

    @staticmethod
    def _troubled(satker_year: SatkerYear, troubled: set[TroubledSatkerYear]) -> bool:
        return any(code in (None, satker_year[0]) and year in (None, satker_year[1]) for code, year in troubled)

    @staticmethod
    def _check_totals(
        plan: ImportPlan,
        rows: list[PlannedRow],
        pagu: dict[str, int],
        stored: dict[tuple[str, int], int],
        types: dict[str, SpendingType],
    ) -> None:
        grid = {**stored, **{row.key[2:]: row.values["rencana"] for row in rows}}
        last_row_of_type = {row.key[2]: row.row for row in rows}
        planned_types = {type_code for (type_code, _m), amount in grid.items() if amount}
        for type_code in sorted(set(pagu) | planned_types):
            total = sum(amount for (code, _m), amount in grid.items() if code == type_code)
            expected = pagu.get(type_code, 0)
            if total == expected:
                continue
            # On the type's last row in the file; a type the file leaves out, on the file's last row.
            row, column = (last_row_of_type[type_code], "rencana") if type_code in last_row_of_type else (
                rows[-1].row, "jenis_belanja")  # fmt: skip
            plan.error(
                row,
                column,
                _("Jumlah RPD %(type)s %(total)s harus sama dengan pagu efektifnya %(pagu)s (selisih %(diff)s).")
                % {
                    "type": f"{type_code} {types[type_code].name}",
                    "total": format_rupiah(total),
                    "pagu": format_rupiah(expected),
                    "diff": format_rupiah(total - expected),
                },
            )

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        by_satker_year: dict[tuple[int, int], list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            by_satker_year[(row.values["satker"].pk, row.values["fiscal_year"].pk)].append(row)
        for rows in by_satker_year.values():
            if all(row.action == "unchanged" for row in rows):
                continue
            satker, fiscal_year = rows[0].values["satker"], rows[0].values["fiscal_year"]
            grid = {
                (type_id, month): amount
                for type_id, month, amount in RpdPlan.objects.filter(satker=satker, fiscal_year=fiscal_year)
                .values_list("spending_type_id", "month", "amount")
            }  # fmt: skip
            grid.update({(row.values["spending_type"].pk, row.values["bulan"]): row.values["rencana"] for row in rows})
            rpd_set(satker=satker, fiscal_year=fiscal_year, plan=grid, by=user, reason=reason)
