"""The treasury's files as import kinds of the import engine (imports/): the upload, the check
into a preview (new / changed / unchanged, old -> new per cell), the confirmation, the audit and the
history are the engine's; what is read and written is here.

- ``sakti_pok``: the DIPA/POK print of SAKTI -> the satker-year's budget lines (RO, komponen, akun,
  pagu, blokir) through a DIPA revision (``pagu_revise``: only directorate admins record pagu, so
  an officer's file may change the RPD only), and the RPD per spending type and month through
  ``rpd_set`` (the window and the frozen months of budgets/services/rpd.py).
- ``omspan_realisasi``: the realization per akun and month of OM-SPAN/SAKTI -> the treasury's
  figure (``TreasuryRealization``) always, and the month's realization entries where the month may
  still be changed (budgets/services/editability.py) and the akun names one budget line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import permissions
from accounts.scoping import scoped
from budgets.import_kinds import RealizationImport, outputs_by_code, satker_year_problem
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    FiscalYear,
    MonthlyReport,
    Realization,
    RpdPlan,
    Satker,
    SatkerAuthority,
    SpendingType,
    TreasuryRealization,
)
from budgets.non_physical import dk_account_problem
from budgets.services import PaguLine, pagu_revise, realization_set, rpd_editability, rpd_frozen_refusal, rpd_set
from budgets.services.editability import line_lock, month_lock, returned_targets
from budgets.treasury import examples
from budgets.treasury.layouts import POK_LAYOUTS, REALIZATION_LAYOUTS, Layout
from budgets.treasury.reader import PokFile, RealizationFile, TreasuryFileError, read_pok, read_realization
from core.formats import format_rupiah, month_name
from core.messages import text as msg
from imports.kinds import Column, ImportKind
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import Sheet

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class TreasurySheet(Sheet):
    """The engine's Sheet, carrying what the layout's reader made of the file."""

    parsed: Any = None


def _described(name: str, help_text: Any) -> Column:
    """A column of a published layout, for the upload page's list (the reader reads the cells)."""
    return Column(name, help_text, lambda value: value)


class TreasuryImport(ImportKind):
    layouts: tuple[Layout, ...] = ()
    reader: Callable[[Any, tuple[Layout, ...]], Any]

    def read(self, path: Any, *, max_rows: int, progress: Callable[[int, int], None] | None = None) -> Sheet:
        try:
            parsed = type(self).reader(Path(path), self.layouts, max_rows)
        except TreasuryFileError as refused:
            return TreasurySheet(columns=[], errors=refused.errors)
        return TreasurySheet(columns=[], parsed=parsed)

    def satker_year(
        self, plan: ImportPlan, code: str | None, year: int, user: User
    ) -> tuple[Satker, FiscalYear] | None:
        """The file's satker (one the user may change) and its open fiscal year, or None after an error."""
        if code is None:
            plan.error(0, "", msg(gettext_noop(
                "Kode satker tidak ditemukan di judul berkas (mis. \"SATKER : (170019) ...\").")))  # fmt: skip
            return None
        editable = {satker.code: satker for satker in scoped(Satker.objects.filter(code=code), user, for_edit=True)}
        years = {fiscal_year.year: fiscal_year for fiscal_year in FiscalYear.objects.filter(year=year)}
        problem = satker_year_problem(code, year, editable, years)  # the CONTRACT kinds' gate, on the whole file
        if problem:
            plan.error(0, "", problem[1])
            return None
        satker, fiscal_year = editable[code], years[year]
        return satker, fiscal_year


# -- the DIPA/POK print ---------------------------------------------------------------------------

LINE_COLUMNS = {"pagu": "pagu", "blokir": "blokir", "kode_ro": "RO"}


class PokImport(TreasuryImport):
    name = "sakti_pok"
    title = gettext_lazy("DIPA/POK dari SAKTI: pagu, blokir dan RPD per akun")
    layouts = POK_LAYOUTS
    reader = staticmethod(read_pok)
    columns = (
        _described("KODE", gettext_lazy(
            "Kode berjenjang: program 019.05.WA, kegiatan 6503, KRO 6503.RBS, RO 6503.RBS.001, komponen 051, "
            "sub-komponen A, akun 521211; rincian tanpa kode.")),
        _described("URAIAN", gettext_lazy("Nama program, kegiatan, KRO, RO, komponen, akun atau rincian.")),
        _described("JUMLAH BIAYA", gettext_lazy("Dalam ribuan rupiah (dikalikan 1.000 saat dibaca); baris akun = "
                                                "pagu akun, rincian di bawahnya harus berjumlah sama.")),
        _described("BLOKIR", gettext_lazy("Boleh tidak ada: bagian pagu akun yang diblokir, dalam ribuan rupiah.")),
        _described("JAN ... DES", gettext_lazy("RPD per bulan pada baris akun, dalam ribuan rupiah; dua belas bulan "
                                               "harus berjumlah pagu akun dikurangi blokir.")),
    )  # fmt: skip

    def example_workbook(self) -> bytes:
        return examples.example_pok()

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan(self.name)
        pok: PokFile = sheet.parsed
        found = self.satker_year(plan, pok.satker, pok.year, user)
        if found is None:
            return plan
        satker, fiscal_year = found
        wanted = self._lines_of_file(plan, pok, satker, fiscal_year)
        existing = {
            (line.component.code, line.account.code): line
            for line in BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year)
            .select_related("component", "account", "output__output_class__activity")
        }  # fmt: skip
        realized = dict(
            Realization.objects.filter(line__in=list(existing.values())).values("line")
            .annotate(total=Sum("amount")).values_list("line", "total")
        )  # fmt: skip
        records_pagu = permissions.may_record_pagu(user)
        for key, line_values in wanted.items():
            self._plan_line(plan, satker, fiscal_year, key, line_values, existing.get(key), realized, records_pagu)
        absent = sorted(f"{c}.{a}" for (c, a), line in existing.items() if (c, a) not in wanted and line.pagu)
        if absent:
            plan.error(0, "", msg(gettext_noop(
                "Berkas DIPA/POK harus memuat seluruh baris DIPA satker; baris %(lines)s tercatat di aplikasi tetapi "
                "tidak ada di berkas."), lines=", ".join(absent)))  # fmt: skip
        if pok.has_rpd and plan.ok:
            self._plan_rpd(plan, pok, satker, fiscal_year, today)
        return plan

    def _lines_of_file(
        self, plan: ImportPlan, pok: PokFile, satker: Satker, fiscal_year: FiscalYear
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """The file's akun rows as budget lines (komponen x akun): sub-komponen of the same akun are
        added together, as the DIPA's line is; one line under two ROs is an error."""
        components = {c.code: c for c in BudgetComponent.objects.filter(code__in={a.component for a in pok.accounts})}
        accounts = {a.code: a for a in Account.objects.filter(code__in={a.account for a in pok.accounts})
                    .select_related("spending_type")}  # fmt: skip
        outputs = outputs_by_code()
        authority = SatkerAuthority.objects.filter(satker=satker, fiscal_year=fiscal_year).values_list(
            "authority", flat=True).first()  # fmt: skip
        wanted: dict[tuple[str, str], dict[str, Any]] = {}
        for row in pok.accounts:
            problems = []
            if row.component not in components:
                problems.append(msg(gettext_noop("Komponen %(code)s tidak dikenal (tidak ada di data induk komponen)."),
                                    code=row.component))  # fmt: skip
            if row.account not in accounts:
                problems.append(msg(gettext_noop("Akun %(code)s tidak dikenal (tidak ada di data induk akun)."),
                                    code=row.account))  # fmt: skip
            if row.ro not in outputs:
                problems.append(msg(gettext_noop("RO %(code)s tidak dikenal: tidak ada di daftar RO."), code=row.ro))
            not_for_dk = dk_account_problem(authority, row.account)
            if not_for_dk:
                problems.append(not_for_dk)
            for problem in problems:
                plan.error(row.row, "KODE", problem)
            if problems:
                continue
            key = (row.component, row.account)
            line = wanted.get(key)
            if line is None:
                wanted[key] = {"row": row.row, "output": outputs[row.ro], "component": components[row.component],
                               "account": accounts[row.account], "pagu": row.pagu, "blokir": row.blokir,
                               "rpd": dict(row.rpd)}  # fmt: skip
                continue
            if line["output"].full_code != row.ro:
                plan.error(row.row, "KODE", msg(gettext_noop(
                    "Komponen %(component)s akun %(account)s sudah tercantum di bawah RO %(first)s (baris %(line)s); "
                    "satu baris DIPA hanya di bawah satu RO."), component=row.component, account=row.account,
                    first=line["output"].full_code, line=line["row"]))  # fmt: skip
                continue
            line["pagu"] += row.pagu
            line["blokir"] += row.blokir
            for month, amount in row.rpd.items():
                line["rpd"][month] = line["rpd"].get(month, 0) + amount
        return wanted

    def _plan_line(
        self,
        plan: ImportPlan,
        satker: Satker,
        fiscal_year: FiscalYear,
        key: tuple[str, str],
        values: dict[str, Any],
        line: BudgetLine | None,
        realized: dict[int, int],
        records_pagu: bool,
    ) -> None:
        label = f"{key[0]}.{key[1]}"
        spent = realized.get(line.pk, 0) if line else 0
        if values["pagu"] - values["blokir"] < spent:
            plan.error(values["row"], "JUMLAH BIAYA", msg(gettext_noop(
                "Pagu efektif %(line)s menjadi %(pagu)s, di bawah realisasi yang sudah tercatat %(spent)s."),
                line=label, pagu=format_rupiah(values["pagu"] - values["blokir"]),
                spent=format_rupiah(spent)))  # fmt: skip
            return
        new = {"pagu": values["pagu"], "blokir": values["blokir"], "kode_ro": values["output"].full_code}
        if line is None:
            action, changes = "new", []
        else:
            old = {"pagu": line.pagu, "blokir": line.blokir, "kode_ro": line.output.full_code if line.output else None}
            changes = cell_changes(LINE_COLUMNS, old, new)
            action = "changed" if changes else "unchanged"
        if action != "unchanged" and not records_pagu:
            plan.error(values["row"], "JUMLAH BIAYA", msg(gettext_noop(
                "Berkas mengubah pagu, blokir atau RO baris %(line)s, dan pagu hanya dicatat oleh admin direktorat: "
                "minta admin mengimpor berkas DIPA/POK ini (RPD dapat Anda impor bila pagunya sudah sama)."),
                line=label))  # fmt: skip
            return
        plan.rows.append(PlannedRow(values["row"], (satker.code, str(fiscal_year.year), label), action, {
            **values, "satker": satker, "fiscal_year": fiscal_year, "line": line, "kind": "line",
        }, changes))  # fmt: skip

    def _plan_rpd(self, plan: ImportPlan, pok: PokFile, satker: Satker, fiscal_year: FiscalYear, today: date) -> None:
        """The page III of the file per spending type and month against the stored plan, through the
        RPD rules: a change needs an open window (the first plan of a year does not) and may not move
        a month that has begun; the refusal names those months."""
        types = {t.code: t for t in SpendingType.objects.all()}
        grid: dict[tuple[str, int], int] = defaultdict(int)
        last_row: dict[str, int] = {}
        for row in pok.accounts:
            for month, amount in row.rpd.items():
                grid[(row.account[:2], month)] += amount
            last_row[row.account[:2]] = row.row
        stored = {
            (code, month): amount
            for code, month, amount in RpdPlan.objects.filter(satker=satker, fiscal_year=fiscal_year)
            .values_list("spending_type__code", "month", "amount")
        }  # fmt: skip
        cells = sorted(set(grid) | {key for key, amount in stored.items() if amount})
        changed = [cell for cell in cells if grid.get(cell, 0) != stored.get(cell, 0)]
        if changed:
            allowed = rpd_editability(satker=satker, fiscal_year=fiscal_year, today=today)
            if not allowed.allowed:
                plan.error(0, "", msg(gettext_noop("RPD dari berkas tidak dapat disimpan: %(reason)s"),
                                      reason=allowed.reason))  # fmt: skip
                return
            frozen = sorted({month for _code, month in changed if month in allowed.frozen_months})
            if frozen:
                plan.error(0, "", msg(gettext_noop(
                    "RPD dari berkas DIPA/POK mengubah bulan yang sudah berjalan: %(reason)s"),
                    reason=rpd_frozen_refusal(fiscal_year.year, allowed.frozen_months, frozen)))  # fmt: skip
                return
        for code, month in cells:
            old, new = stored.get((code, month)), grid.get((code, month), 0)
            action = "unchanged" if (old or 0) == new else ("new" if old is None else "changed")
            changes = (
                cell_changes({"rencana": "RPD"}, {"rencana": old}, {"rencana": new}) if action == "changed" else []
            )
            plan.rows.append(PlannedRow(last_row.get(code, 0), (satker.code, str(fiscal_year.year), f"RPD {code}",
                                                                month_name(month)), action,
                                        {"kind": "rpd", "satker": satker, "fiscal_year": fiscal_year,
                                         "spending_type": types[code], "month": month, "amount": new},
                                        changes))  # fmt: skip

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        lines = [row for row in plan.rows if row.values["kind"] == "line"]
        rpd = [row for row in plan.rows if row.values["kind"] == "rpd"]
        first = (lines or rpd)[0].values
        satker, fiscal_year = first["satker"], first["fiscal_year"]
        changed_lines = [row.values for row in lines if row.action != "unchanged"]
        if changed_lines:
            had_lines = any(row.values["line"] is not None for row in lines)
            pagu_revise(
                satker=satker, fiscal_year=fiscal_year,
                kind=BudgetRevision.Kind.PAGU if had_lines else BudgetRevision.Kind.INITIAL,
                date=timezone.localdate(), reason=reason, by=user,
                lines=[PaguLine(v["component"], v["account"], v["pagu"], v["blokir"], v["output"])
                       for v in changed_lines],
            )  # fmt: skip
        if any(row.action != "unchanged" for row in rpd):
            grid = {(row.values["spending_type"].pk, row.values["month"]): row.values["amount"] for row in rpd}
            rpd_set(satker=satker, fiscal_year=fiscal_year, plan=grid, by=user, reason=reason)


# -- the realization per akun ---------------------------------------------------------------------


class TreasuryRealizationImport(TreasuryImport):
    name = "omspan_realisasi"
    title = gettext_lazy("Realisasi per akun dari OM-SPAN/SAKTI")
    layouts = REALIZATION_LAYOUTS
    reader = staticmethod(read_realization)
    columns = (
        _described("KODE SATKER", gettext_lazy("Satker setiap baris; harus sama dengan satker di judul berkas.")),
        _described("KOMPONEN", gettext_lazy("Boleh tidak ada: komponen 3 digit, agar realisasi masuk ke baris DIPA "
                                            "yang tepat bila satu akun ada di beberapa komponen.")),
        _described("KODE AKUN", gettext_lazy("Akun 6 digit.")),
        _described("REALISASI / JAN ... DES", gettext_lazy(
            "Rupiah: satu kolom REALISASI dengan bulan di judul (\"BULAN : OKTOBER\"), atau dua belas kolom "
            "bulan.")),
    )  # fmt: skip

    def example_workbook(self) -> bytes:
        return examples.example_realization()

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan(self.name)
        figures: RealizationFile = sheet.parsed
        found = self.satker_year(plan, figures.satker, figures.year, user)
        if found is None:
            return plan
        satker, fiscal_year = found
        accounts = {a.code: a for a in Account.objects.filter(code__in={c.account for c in figures.cells})}
        components = {c.code for c in BudgetComponent.objects.filter(
            code__in={c.component for c in figures.cells if c.component})}  # fmt: skip
        # Per (month, komponen or None, akun): the amount and its first row.
        groups: dict[tuple[int, str | None, str], list[int]] = {}
        seen: dict[tuple[int, str | None, str], int] = {}
        for cell in figures.cells:
            if cell.account not in accounts:
                plan.error(cell.row, "KODE AKUN", msg(gettext_noop(
                    "Akun %(code)s tidak dikenal (tidak ada di data induk akun)."), code=cell.account))  # fmt: skip
                continue
            if cell.component and cell.component not in components:
                plan.error(cell.row, "KOMPONEN", msg(gettext_noop("Komponen %(code)s tidak dikenal."),
                                                     code=cell.component))  # fmt: skip
                continue
            key = (cell.month, cell.component, cell.account)
            if key in seen and seen[key] != cell.row:
                plan.error(cell.row, "KODE AKUN", msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."),
                                                      row=seen[key]))  # fmt: skip
                continue
            seen[key] = cell.row
            groups[key] = [cell.row, cell.amount]
        if not plan.ok:
            return plan
        self._plan_groups(plan, satker, fiscal_year, accounts, groups, today)
        return plan

    def _plan_groups(
        self,
        plan: ImportPlan,
        satker: Satker,
        fiscal_year: FiscalYear,
        accounts: dict[str, Account],
        groups: dict[tuple[int, str | None, str], list[int]],
        today: date,
    ) -> None:
        lines = list(BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year).select_related(
            "component", "account"))  # fmt: skip
        by_key = {(line.component.code, line.account.code): line for line in lines}
        by_account: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in lines:
            by_account[line.account.code].append(line)
        akun_totals: dict[tuple[int, str], int] = defaultdict(int)
        for (month, _component, account), (_row, amount) in groups.items():
            akun_totals[(month, account)] += amount
        stored = {
            (month, code): amount
            for month, code, amount in TreasuryRealization.objects.filter(satker=satker, fiscal_year=fiscal_year)
            .values_list("month", "account__code", "amount")
        }  # fmt: skip
        reports = {r.month: r for r in MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year)}
        entered = {
            (report_id, line_id): amount
            for report_id, line_id, amount in Realization.objects.filter(report__in=list(reports.values()))
            .values_list("report_id", "line_id", "amount")
        }  # fmt: skip
        targets: dict[int, Any] = {}
        accepted: list[tuple[int, dict[str, Any], BudgetLine]] = []
        for (month, component, account), (row, amount) in sorted(groups.items(), key=lambda item: item[1][0]):
            total, old_total = akun_totals[(month, account)], stored.get((month, account))
            if old_total is None and not total:
                plan.skipped += 1  # nothing spent and nothing stored: no figure to keep
                continue
            report = reports.get(month)
            line = by_key.get((component, account)) if component else (
                by_account[account][0] if len(by_account[account]) == 1 else None)  # fmt: skip
            lock = month_lock(fiscal_year=fiscal_year, month=month, report=report, today=today)
            old_entry = entered.get((report.pk, line.pk)) if report and line else None
            writes = line is not None and lock is None and (old_entry or 0) != amount
            if writes and report is not None:
                if report.pk not in targets:
                    targets[report.pk] = returned_targets(report)
                writes = line_lock(targets[report.pk], line_id=line.pk) is None
            changes = cell_changes({"treasury": "perbendaharaan"}, {"treasury": old_total}, {"treasury": total}) \
                if old_total is not None else []  # fmt: skip
            if writes:
                changes += cell_changes({"entry": "realisasi"}, {"entry": old_entry}, {"entry": amount}) \
                    if old_entry is not None else []  # fmt: skip
                accepted.append((row, {"bulan": month, "realisasi": amount}, line))
            elif (old_entry or 0) != amount:
                # The entry stays as it is: the preview says why (the reconciliation will show the difference).
                changes.append(["catatan", "-", self._not_entered(lock, line, component, by_account[account],
                                                                  targets, report)])  # fmt: skip
            treasury_changes = old_total != total
            action = "new" if old_total is None else ("changed" if treasury_changes or writes else "unchanged")
            where = f"{component}.{account}" if component else account
            plan.rows.append(PlannedRow(row, (satker.code, str(fiscal_year.year), month_name(month), where), action, {
                "month": month, "account": accounts[account], "total": total, "satker": satker,
                "fiscal_year": fiscal_year, "line": line if writes else None, "amount": amount,
            }, changes))  # fmt: skip
        # What the entries would make of each line's cumulative realization: within its effective pagu.
        RealizationImport()._check_cumulative(plan, accepted)

    @staticmethod
    def _not_entered(lock, line, component, lines_of_account, targets, report) -> str:
        """Why a treasury figure is kept without becoming the month's entry."""
        if lock is not None:
            return _("hanya angka perbendaharaan: %(reason)s") % {"reason": lock.reason}
        if line is None and not component and len(lines_of_account) > 1:
            return _("hanya angka perbendaharaan: akun ini ada di beberapa komponen; tambahkan kolom KOMPONEN")
        if line is None:
            return _("hanya angka perbendaharaan: baris DIPA akun ini tidak ada")
        locked = line_lock(targets.get(report.pk) if report else None, line_id=line.pk)
        return _("hanya angka perbendaharaan: %(reason)s") % {"reason": locked or "-"}

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        first = plan.rows[0].values if plan.rows else None
        if first is None:
            return
        satker, fiscal_year = first["satker"], first["fiscal_year"]
        totals = {(row.values["month"], row.values["account"].pk): row.values["total"] for row in plan.rows}
        stored = {(t.month, t.account_id): t for t in
                  TreasuryRealization.objects.filter(satker=satker, fiscal_year=fiscal_year)}  # fmt: skip
        for (month, account_id), total in totals.items():
            figure = stored.get((month, account_id))
            if figure is not None and figure.amount == total:
                continue
            if figure is None:
                figure = TreasuryRealization(satker=satker, fiscal_year=fiscal_year, month=month, account_id=account_id)
            figure.amount, figure.source = total, reason[:100]
            figure._history_user, figure._change_reason = user, reason
            figure.save()
        by_month: dict[int, dict[int, int]] = defaultdict(dict)
        for row in plan.rows:
            if row.values["line"] is not None:
                by_month[row.values["month"]][row.values["line"].pk] = row.values["amount"]
        for month, amounts in sorted(by_month.items()):
            realization_set(satker=satker, fiscal_year=fiscal_year, month=month, amounts=amounts,
                            expected_version=None, by=user, reason=reason)  # fmt: skip
