"""The import kinds of budget execution data (realisasi, pagu, rpd), and the columns and template
rows that the programme kinds share with them (a satker, a year, a month, a regency)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import permissions
from accounts.roles import Can
from accounts.scoping import get_scoped_or_404, scoped
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    FiscalYear,
    MonthlyReport,
    Output,
    Realization,
    Regency,
    RpdPlan,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from budgets.non_physical import dk_account_problem
from budgets.selectors import effective_pagu_by_type
from budgets.services import PaguLine, pagu_revise, realization_set, rpd_editability_many, rpd_frozen_refusal, rpd_set
from budgets.services.common import closed_year_reason
from budgets.services.editability import ReturnTargets, line_lock, month_lock, returned_targets
from budgets.views.common import satker_code_or_404
from core.formats import excerpt, format_rupiah
from core.messages import message
from core.messages import text as msg  # (``text`` is a local name in places)
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import CellError, Sheet, parse_amount, parse_code, parse_int, parse_regency_code

if TYPE_CHECKING:
    from accounts.models import User


# -- columns the kinds share ---------------------------------------------------------------------

AMOUNT_HELP = gettext_lazy("Rupiah bulat: angka, atau teks format Indonesia seperti 1.250.000.")


def amount_help(text: Any) -> Any:
    return format_lazy("{}{}", text, AMOUNT_HELP)


SATKER = Column(
    "kode_satker", gettext_lazy("Kode satker 6 digit (teks; angka nol di depan tetap)."),
    lambda v: parse_code(v, digits=6, label=_("Kode satker")), text=True, example="170019",
)  # fmt: skip
YEAR = Column("tahun", gettext_lazy("Tahun anggaran, mis. 2026."), lambda v: parse_int(v, low=2000, high=2100),
              example="2026")  # fmt: skip
MONTH = Column("bulan", gettext_lazy("Bulan 1-12."), lambda v: parse_int(v, low=1, high=12),
               choices=tuple(str(m) for m in range(1, 13)), example="10")  # fmt: skip
COMPONENT = Column(
    "kode_komponen", gettext_lazy("Kode komponen 3 digit, mis. 051 (OVOP)."),
    lambda v: parse_code(v, digits=3, label=_("Kode komponen")), text=True, example="051",
)  # fmt: skip
ACCOUNT = Column(
    "kode_akun", gettext_lazy("Kode akun 6 digit, mis. 521211."),
    lambda v: parse_code(v, digits=6, label=_("Kode akun")), text=True, example="521211",
)  # fmt: skip
RO_CODE = re.compile(r"^\d{4}\.[A-Z]{3}\.\d{3}$")


def parse_ro_code(value: Any) -> str | None:
    """An RO's full code ``kegiatan.KRO.RO`` (6503.RBS.001; lower-case letters are read the
    same); None for an empty cell."""
    if value is None:
        return None
    code = str(value).strip().upper()
    if not RO_CODE.match(code):
        raise CellError(
            msg(
                gettext_noop("Kode RO harus berformat kegiatan.KRO.RO, mis. 6503.RBS.001; ditemukan '%(value)s'."),
                value=excerpt(value),
            )
        )
    return code


def outputs_by_code() -> dict[str, Output]:
    """Every RO by its full code (6503.RBS.001)."""
    return {o.full_code: o for o in Output.objects.select_related("output_class__activity")}


REGENCY = Column(
    "kode_kabkota", gettext_lazy("Kode kabupaten/kota Kemendagri, mis. 17.71 (1771 juga dibaca)."),
    parse_regency_code, text=True, example="17.71",
)  # fmt: skip


def regency_rows(user: User) -> list[tuple[str, str, str]]:
    """The code sheet of a template with REGENCY (ImportKind.regency_rows): an officer's own
    province's regencies, every one for the directorate (the rows' rules check the year's map)."""
    regencies = Regency.objects.select_related("province").order_by("kemendagri_code")
    if not permissions.reads_all_provinces(user):
        regencies = regencies.filter(province_id=user.province_id)
    return [(r.kemendagri_code, r.name, r.province.name) for r in regencies]


# -- the template's satker -----------------------------------------------------------------------


def template_satker(user: User, query: Mapping[str, str]) -> Satker | None:
    """The satker a template is pre-filled for: ``?satker=`` (one the user may change; another is a
    404), else a province's own provincial satker; None for the directorate without ``?satker=``."""
    code = query.get("satker")
    if code:
        return get_scoped_or_404(Satker.objects.all(), user, for_edit=True, code=satker_code_or_404(code))
    if permissions.of_a_province(user):
        return scoped(Satker.objects.filter(is_central=False), user, for_edit=True).order_by("code").first()
    return None


def satker_prefill(user: User, query: Mapping[str, str], rows_of: Callable[[Satker], list[dict[str, Any]]]) -> Prefill:
    """A template pre-filled with ``rows_of(satker)`` for the template's satker (none without one)."""
    satker = template_satker(user, query)
    return Prefill(rows_of(satker), satker.code) if satker else Prefill()


def satker_row(satker: Satker) -> list[dict[str, Any]]:
    """The template of a kind of many rows per satker: its code filled in once."""
    return [{"kode_satker": satker.code}]


# -- the gates of a row: the same for every kind of a satker's year or month ----------------------

RowProblem = tuple[str, str]  # (column, message)


def satker_year_problem(
    code: str, year: int, editable: Mapping[str, Satker], years: Mapping[int, FiscalYear]
) -> RowProblem | None:
    """The first gate a row of a satker's year fails: the satker is one the user may change, the
    year exists and is open. None: it passes."""
    if code not in editable:
        return "kode_satker", msg(gettext_noop("Satker %(code)s tidak ada atau di luar cakupan Anda."), code=code)
    fiscal_year = years.get(year)
    if fiscal_year is None:
        return "tahun", msg(gettext_noop("Tahun anggaran %(year)s tidak ada."), year=year)
    closed = closed_year_reason(fiscal_year)
    return ("tahun", closed) if closed else None


def satker_month_problem(
    code: str,
    year: int,
    month: int,
    *,
    editable: Mapping[str, Satker],
    years: Mapping[int, FiscalYear],
    reports: Mapping[tuple[str, int, int], MonthlyReport],
    today: date,
) -> RowProblem | None:
    """As ``satker_year_problem``, then whether the month may still change (``month_lock``: the
    web form's rule), reported on the year or the month column."""
    problem = satker_year_problem(code, year, editable, years)
    if problem:
        return problem
    lock = month_lock(fiscal_year=years[year], month=month, report=reports.get((code, year, month)), today=today)
    return ("tahun" if lock.on_year else "bulan", lock.reason) if lock else None


def _dipa_lines(satker: Satker, year: int) -> QuerySet[BudgetLine]:
    """The satker's budget lines of ``year``, in the DIPA's order."""
    lines = BudgetLine.objects.filter(satker=satker, fiscal_year__year=year).select_related(
        "component", "account", "output__output_class__activity"
    )
    return lines.order_by("component__code", "account__code")


class RealizationImport(ImportKind):
    """`realisasi`: kode_satker, tahun, bulan, kode_komponen, kode_akun, realisasi (monthly, not
    cumulative). Natural key: satker + year + month + component + account."""

    name = "realisasi"
    title = gettext_lazy("Realisasi bulanan")
    columns = (
        SATKER, YEAR, MONTH, COMPONENT, ACCOUNT,
        Column("realisasi", amount_help(gettext_lazy(
            "Realisasi bulan itu saja (tidak kumulatif); baris yang kolom ini kosong dilewati, isi 0 untuk nol. "
        )), parse_amount, example="1.250.000"),
    )  # fmt: skip

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        """The satker's budget lines for this month, with the month's stored amounts: the template
        doubles as the month's current state, and sending it back unchanged changes nothing."""

        def rows(satker: Satker) -> list[dict[str, Any]]:
            stored = dict(
                Realization.objects.filter(report__satker=satker, report__fiscal_year__year=today.year,
                                           report__month=today.month).values_list("line_id", "amount")
            )  # fmt: skip
            return [{"kode_satker": satker.code, "tahun": today.year, "bulan": today.month,
                     "kode_komponen": line.component.code, "kode_akun": line.account.code,
                     "realisasi": stored.get(line.pk)}
                    for line in _dipa_lines(satker, today.year)]  # fmt: skip

        return satker_prefill(user, query, rows)

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
            values = self.parse_cells(plan, number, cells)
            if values is not None:
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
        targets: dict[int, ReturnTargets | None] = {}  # per report, asked once
        accepted: list[tuple[int, dict[str, Any], BudgetLine]] = []
        for number, values in parsed:
            satker_code, year, month = values["kode_satker"], values["tahun"], values["bulan"]
            key = (satker_code, year, month, values["kode_komponen"], values["kode_akun"])
            if key in seen:
                plan.error(
                    number, "kode_akun", msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."), row=seen[key])
                )
                continue
            seen[key] = number
            problem = satker_month_problem(satker_code, year, month, editable=editable, years=years,
                                           reports=reports, today=today)  # fmt: skip
            if problem:
                plan.error(number, *problem)
                continue
            fiscal_year, report = years[year], reports.get((satker_code, year, month))
            line = lines.get((satker_code, year, values["kode_komponen"], values["kode_akun"]))
            if line is None:
                missing = {"c": values["kode_komponen"], "a": values["kode_akun"], "s": satker_code, "y": year}
                plan.error(
                    number,
                    "kode_akun",
                    msg(gettext_noop("Baris pagu %(c)s.%(a)s tidak ada di DIPA %(s)s tahun %(y)s."), **missing),
                )
                continue
            old = existing.get((report.pk, line.pk)) if report else None
            if (old or 0) != values["realisasi"]:
                if report is not None and report.pk not in targets:
                    targets[report.pk] = returned_targets(report)
                locked = line_lock(targets.get(report.pk) if report else None, line_id=line.pk)
                if locked:
                    plan.error(number, "realisasi", locked)
                    continue
            action = "new" if old is None else ("unchanged" if old == values["realisasi"] else "changed")
            # (cell_changes lists only what differs: nothing for an unchanged row.)
            changes = cell_changes({"realisasi": "realisasi"}, {"realisasi": old}, values) if old is not None else []
            plan.rows.append(PlannedRow(number, key, action, {**values, "line": line, "fiscal_year": fiscal_year},
                                        changes))  # fmt: skip
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
                    msg(
                        gettext_noop(
                            "Realisasi kumulatif %(line)s menjadi %(cumulative)s, melebihi pagu efektif %(pagu)s."
                        ),
                        line=str(line),
                        cumulative=format_rupiah(cumulative),
                        pagu=format_rupiah(line.pagu_efektif),
                    ),
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


# What a changed pagu row may change, as the file names it (the preview's old -> new).
PAGU_COLUMNS = {"pagu": "pagu", "blokir": "blokir", "kode_ro": "kode_ro"}


class PaguImport(ImportKind):
    """`pagu`: kode_satker, tahun, kode_komponen, kode_akun, pagu, blokir and the optional kode_ro.
    Natural key: satker + year + component + account. Without kode_ro (files made before the
    column) a line keeps its RO, and a new line gets its component's. Only directorate admins
    record pagu; each satker-year with a change (pagu, blokir or RO) becomes one DIPA revision whose
    reason names the upload."""

    name = "pagu"
    title = gettext_lazy("Pagu per baris DIPA")
    columns = (
        SATKER, YEAR, COMPONENT, ACCOUNT,
        Column("pagu", amount_help(gettext_lazy("Pagu baris. ")), parse_amount, example="150.000.000"),
        Column("blokir", amount_help(gettext_lazy("Bagian pagu yang diblokir (0 bila tidak ada). ")), parse_amount,
               example="0"),
        Column("kode_ro", gettext_lazy(
            "Boleh dikosongkan atau tidak ada: RO baris (kegiatan.KRO.RO, mis. 6503.RBS.001). Kosong: baris "
            "yang sudah ada tetap pada RO-nya, baris baru memakai RO komponennya."),
            parse_ro_code, text=True, example="6503.RBS.001", optional=True),
    )  # fmt: skip
    capability = Can.RECORD_PAGU
    refusal = gettext_lazy("Hanya admin direktorat yang mengimpor pagu.")

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        """The satker's DIPA lines of the year with their amounts and RO."""

        def rows(satker: Satker) -> list[dict[str, Any]]:
            return [{"kode_satker": satker.code, "tahun": today.year, "kode_komponen": line.component.code,
                     "kode_akun": line.account.code, "pagu": line.pagu, "blokir": line.blokir,
                     "kode_ro": line.output.full_code if line.output else None}
                    for line in _dipa_lines(satker, today.year)]  # fmt: skip

        return satker_prefill(user, query, rows)

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("pagu")
        satkers = {s.code: s for s in Satker.objects.all()}
        years = {fy.year: fy for fy in FiscalYear.objects.all()}
        components = {c.code: c for c in BudgetComponent.objects.select_related("output__output_class__activity")}
        accounts = {a.code: a for a in Account.objects.all()}
        outputs = outputs_by_code()
        outputs_by_pk = {output.pk: output for output in outputs.values()}
        existing = {
            (line.satker_id, line.fiscal_year_id, line.component_id, line.account_id): line
            for line in BudgetLine.objects.filter(satker__code__in={
                str(cells.get("kode_satker") or "").strip() for _n, cells in sheet.rows})
        }  # fmt: skip
        authorities = {
            (satker_id, year_id): authority
            for satker_id, year_id, authority in SatkerAuthority.objects.values_list(
                "satker_id", "fiscal_year_id", "authority"
            )
        }
        seen: dict[tuple, int] = {}
        for number, cells in sheet.rows:
            values = self.parse_cells(plan, number, cells)
            if values is None:
                continue
            satker, fiscal_year = satkers.get(values["kode_satker"]), years.get(values["tahun"])
            component, account = components.get(values["kode_komponen"]), accounts.get(values["kode_akun"])
            lookups = [
                ("kode_satker", satker, message(gettext_noop("Satker"))),
                ("tahun", fiscal_year, message(gettext_noop("Tahun anggaran"))),
                ("kode_komponen", component, message(gettext_noop("Komponen"))),
                ("kode_akun", account, message(gettext_noop("Akun"))),
            ]
            for column, found, label in lookups:
                if found is None:
                    plan.error(
                        number,
                        column,
                        msg(gettext_noop("%(label)s %(value)s tidak dikenal."), label=label, value=values[column]),
                    )
            ro_code = values["kode_ro"]
            if ro_code and ro_code not in outputs:
                plan.error(number, "kode_ro", msg(
                    gettext_noop("RO %(code)s tidak dikenal: tidak ada di daftar RO (kegiatan.KRO.RO)."), code=ro_code,
                ))  # fmt: skip
                continue
            if None in (satker, fiscal_year, component, account):
                continue
            closed = closed_year_reason(fiscal_year)
            if closed:
                plan.error(number, "tahun", closed)
                continue
            if values["blokir"] > values["pagu"]:
                plan.error(number, "blokir", msg(gettext_noop("Blokir melebihi pagu.")))
                continue
            not_for_dk = dk_account_problem(authorities.get((satker.pk, fiscal_year.pk)), account.code)
            if not_for_dk:
                plan.error(number, "kode_akun", not_for_dk)
                continue
            key = (satker.pk, fiscal_year.pk, component.pk, account.pk)
            if key in seen:
                plan.error(
                    number, "kode_akun", msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."), row=seen[key])
                )
                continue
            seen[key] = number
            line = existing.get(key)
            output = _line_output(outputs.get(ro_code) if ro_code else None, line, component, outputs_by_pk)
            if output is None and line is None:
                plan.error(number, "kode_ro", msg(
                    gettext_noop("Komponen %(component)s belum memiliki RO: isi kolom kode_ro (mis. 6503.RBS.001)."),
                    component=component.code,
                ))  # fmt: skip
                continue
            changes: list[list[str]] = []
            if line is None:
                action = "new"
            else:
                wanted = (values["pagu"], values["blokir"], output.pk if output else None)
                action = "unchanged" if (line.pagu, line.blokir, line.output_id) == wanted else "changed"
                if action == "changed":
                    # The RO as the line has it and as it will (an empty kode_ro keeps the line's).
                    stored_ro = outputs_by_pk[line.output_id] if line.output_id is not None else None
                    changes = cell_changes(
                        PAGU_COLUMNS,
                        {"pagu": line.pagu, "blokir": line.blokir, "kode_ro": stored_ro and stored_ro.full_code},
                        {"pagu": values["pagu"], "blokir": values["blokir"], "kode_ro": output and output.full_code},
                    )
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": satker, "fiscal_year": fiscal_year, "component": component, "account": account,
                "output": output,
            }, changes))  # fmt: skip
        return plan

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        by_dipa: dict[tuple[int, int], list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            if row.action != "unchanged":
                by_dipa[(row.values["satker"].pk, row.values["fiscal_year"].pk)].append(row)
        for rows in by_dipa.values():
            first = rows[0].values
            pagu_revise(
                satker=first["satker"], fiscal_year=first["fiscal_year"], kind=BudgetRevision.Kind.PAGU,
                date=timezone.localdate(), reason=reason, by=user,
                lines=[PaguLine(r.values["component"], r.values["account"], r.values["pagu"], r.values["blokir"],
                                r.values["output"]) for r in rows],
            )  # fmt: skip


def _line_output(
    named: Output | None, line: BudgetLine | None, component: BudgetComponent, outputs: Mapping[int, Output]
) -> Output | None:
    """A pagu row's RO: the one the row names, else the line's own, else its component's. None
    only for a line stored without an RO (before RO existed) whose component has none either: it
    stays so, as the admin's revision form leaves it; a new line without an RO is refused."""
    if named is not None:
        return named
    if line is not None and line.output_id is not None:
        return outputs[line.output_id]
    return component.output


SatkerYear = tuple[str, int]  # (satker code, year)
# The satker-year of a row with an error; None where the cell was unreadable (it matches any).
TroubledSatkerYear = tuple[str | None, int | None]


class RpdImport(ImportKind):
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
    `rpd_set` call, as the web form saves it: one RpdRevision, history per changed cell, the
    once-per-window rule (the first plan of a year needs no window) and the frozen months (a
    change may not move a month that has begun; each row that does is refused)."""

    name = "rpd"
    title = gettext_lazy("Rencana penarikan dana (RPD)")
    columns = (
        SATKER, YEAR, MONTH,
        Column("jenis_belanja", gettext_lazy("Jenis belanja: 51, 52, 53 atau 57."),
               lambda v: parse_code(v, digits=2, label=_("Kode jenis belanja")), text=True,
               choices=("51", "52", "53", "57"), example="52"),
        Column("rencana", amount_help(gettext_lazy("Rencana penarikan bulan itu. ")), parse_amount,
               example="25.000.000"),
    )  # fmt: skip

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        """The satker's twelve months of the year for each spending type of its DIPA or its plan."""

        def rows(satker: Satker) -> list[dict[str, Any]]:
            planned = {
                (row["spending_type__code"], row["month"]): row["total"]
                for row in RpdPlan.objects.filter(satker=satker, fiscal_year__year=today.year)
                .values("spending_type__code", "month").annotate(total=Sum("amount"))
            }  # fmt: skip
            types = sorted({line.account.code[:2] for line in _dipa_lines(satker, today.year)}
                           | {code for code, _m in planned})  # fmt: skip
            return [{"kode_satker": satker.code, "tahun": today.year, "bulan": month, "jenis_belanja": code,
                     "rencana": planned.get((code, month), 0)} for code in types for month in range(1, 13)]  # fmt: skip

        return satker_prefill(user, query, rows)

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("rpd")
        parsed, troubled = self._parse(plan, sheet)
        codes = {values["kode_satker"] for _n, values in parsed}
        wanted_years = {values["tahun"] for _n, values in parsed}
        editable = {s.code: s for s in scoped(Satker.objects.filter(code__in=codes), user, for_edit=True)}
        years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in=wanted_years)}
        types = {st.code: st for st in SpendingType.objects.all()}
        pagu = self._effective_pagu(codes, wanted_years, editable, years, types)
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
            changes = cell_changes({"rencana": "rencana"}, {"rencana": old}, values) if action == "changed" else []
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": editable[values["kode_satker"]], "fiscal_year": years[values["tahun"]],
                "spending_type": types[values["jenis_belanja"]],
            }, changes))  # fmt: skip
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
            values = self.read_cells(plan, number, cells)
            if len(values) == len(self.columns):
                parsed.append((number, values))
            else:
                troubled.add((values.get("kode_satker"), values.get("tahun")))
        return parsed, troubled

    @staticmethod
    def _effective_pagu(
        codes: set[str],
        wanted_years: set[int],
        editable: dict[str, Satker],
        years: dict[int, FiscalYear],
        types: dict[str, SpendingType],
    ) -> dict[SatkerYear, dict[str, int]]:
        """The selector's effective pagu per spending type of the file's satker-years, keyed by
        the file's codes (a satker the user may not change is refused before its pagu is read)."""
        lines = BudgetLine.objects.filter(satker__code__in=codes, fiscal_year__year__in=wanted_years)
        code_of = {satker.pk: code for code, satker in editable.items()}
        year_of = {fiscal_year.pk: year for year, fiscal_year in years.items()}
        type_code_of = {spending_type.pk: code for code, spending_type in types.items()}
        return {
            (code_of[satker_id], year_of[year_id]): {type_code_of[type_id]: total for type_id, total in by_type.items()}
            for (satker_id, year_id), by_type in effective_pagu_by_type(lines).items()
            if satker_id in code_of and year_id in year_of
        }

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
            return "bulan", msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."), row=first_row)
        problem = satker_year_problem(satker_code, year, editable, years)
        if problem:
            return problem
        if type_code not in types:
            return "jenis_belanja", msg(
                gettext_noop("Jenis belanja %(code)s tidak dikenal; pilih salah satu: %(codes)s."),
                code=type_code, codes=", ".join(sorted(types)),
            )  # fmt: skip
        if not pagu:
            return "kode_satker", msg(
                gettext_noop("Belum ada pagu untuk satker %(satker)s tahun %(year)s, sehingga RPD belum dapat diisi."),
                satker=satker_code, year=year,
            )  # fmt: skip
        if type_code not in pagu and values["rencana"]:
            return "jenis_belanja", msg(
                gettext_noop(
                    "Jenis belanja %(code)s tidak ada di DIPA satker %(satker)s tahun %(year)s; rencananya hanya "
                    "boleh 0."
                ),
                code=type_code,
                satker=satker_code,
                year=year,
            )
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
                    msg(gettext_noop("RPD satker %(satker)s tahun %(year)s tidak dapat diubah: %(reason)s"), **refusal),
                )
                continue
            # A change plans only the months still to come: each row that moves a frozen month is refused.
            for row in rows:
                if row.action != "unchanged" and row.values["bulan"] in allowed.frozen_months:
                    refusal = rpd_frozen_refusal(fiscal_year.year, allowed.frozen_months, [row.values["bulan"]])
                    plan.error(
                        row.row,
                        "rencana",
                        msg(
                            gettext_noop("RPD satker %(satker)s tahun %(year)s tidak dapat diubah: %(reason)s"),
                            satker=satker.code,
                            year=fiscal_year.year,
                            reason=refusal,
                        ),
                    )
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
                msg(
                    gettext_noop(
                        "Jumlah RPD %(type)s %(total)s harus sama dengan pagu efektifnya %(pagu)s (selisih %(diff)s)."
                    ),
                    type=f"{type_code} {types[type_code].name}",
                    total=format_rupiah(total),
                    pagu=format_rupiah(expected),
                    diff=format_rupiah(total - expected),
                ),
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
