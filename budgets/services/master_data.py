"""Writes that matter in ``budgets``: keyword-only, atomic, named ``<noun>_<verb>``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.calendar import rpd_window_bounds
from budgets.evidence_rule_targets import DEFAULT_RULES
from budgets.master_data import MasterData
from budgets.models import (
    Account,
    Activity,
    Authority,
    BudgetComponent,
    BudgetLine,
    EvidenceRule,
    FiscalYear,
    Holiday,
    IkpaAbsorptionTarget,
    IkpaDeviationPoint,
    IkpaWeight,
    IkpaYearRule,
    Output,
    OutputClass,
    Province,
    Regency,
    RegencyPeriod,
    RpdWindow,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from budgets.regions import satker_absence

MASTER_DATA_REASON = "load_master_data"
# National holidays on the same date every year. The moveable ones (Idul Fitri, Nyepi, Waisak,
# Imlek...) and collective leave are set each year by joint ministerial decree (SKB) and listed
# in holidays.csv; for the years after the file's last one these fixed dates are still created so
# that those years' due dates are not early on New Year's Day or Independence Day, and the admins
# enter the rest (or the file is extended) when the SKB is out.
FIXED_HOLIDAYS = [
    ((1, 1), "Tahun Baru Masehi"),
    ((5, 1), "Hari Buruh Internasional"),
    ((6, 1), "Hari Lahir Pancasila"),
    ((8, 17), "Hari Kemerdekaan Republik Indonesia"),
    ((12, 25), "Hari Raya Natal"),
]
# Earlier loads created every quarter's window as its first month's 1st-10th day. Such a window
# nobody has edited since is brought to the treasury's rule; an edited one is the admin's.
OLD_RPD_WINDOW_DAYS = 10
# The channel switched from deconcentration to co-administration in fiscal year 2024.
FIRST_TP_YEAR = 2024


def default_authority(*, is_central: bool, year: int) -> Authority:
    """Central units are KP; provincial services were DK until 2023 and are TP from 2024."""
    if is_central:
        return Authority.KP
    return Authority.TP if year >= FIRST_TP_YEAR else Authority.DK


@dataclass(frozen=True)
class SyncCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} baru, {self.updated} diperbarui, {self.unchanged} tetap"
        return f"{text}, {self.deleted} dihapus" if self.deleted else text


def _sync(model: type[models.Model], key: str, wanted: list[dict[str, Any]]) -> SyncCount:
    """Create or update ``model`` rows so that each wanted row exists with these values.

    Rows not in ``wanted`` are left alone (admins may add their own). Only rows that differ are
    written, in bulk and with history, so a second run writes nothing.
    """
    return _sync_by(model, (key,), wanted)


def _create_missing(model: type[models.Model], keys: tuple[str, ...], wanted: list[dict[str, Any]]) -> SyncCount:
    """Create the wanted rows that do not exist yet; existing rows are configuration owned by
    the admins and are never overwritten."""
    existing = set(model.objects.values_list(*keys))
    to_create = [model(**values) for values in wanted if tuple(values[k] for k in keys) not in existing]
    if to_create:
        bulk_create_with_history(to_create, model, default_change_reason=MASTER_DATA_REASON)
    return SyncCount(created=len(to_create), unchanged=len(wanted) - len(to_create))


def _sync_outputs(data: MasterData) -> dict[str, SyncCount]:
    """Kegiatan, KRO and RO from outputs.csv (RO code ``kegiatan.KRO.RO``)."""
    summary: dict[str, SyncCount] = {}
    activities: dict[str, dict[str, Any]] = {}
    for r in data.outputs:
        activity = r.values["ro"].split(".")[0]
        activities.setdefault(
            activity, {"code": activity, "name": r.values["activity_name"], "name_en": r.values["activity_name_en"]}
        )
    summary["kegiatan"] = _sync(Activity, "code", list(activities.values()))
    activity_pk = dict(Activity.objects.values_list("code", "pk"))
    classes = {}
    for r in data.outputs:
        activity, kro, _ro = r.values["ro"].split(".")
        classes.setdefault(
            (activity, kro), {"activity_id": activity_pk[activity], "code": kro, "name": r.values["kro_name"]}
        )
    summary["KRO"] = _sync_by(OutputClass, ("activity_id", "code"), list(classes.values()))
    class_pk = {
        (activity, code): pk for pk, activity, code in OutputClass.objects.values_list("pk", "activity__code", "code")
    }
    summary["RO"] = _sync_by(
        Output,
        ("output_class_id", "code"),
        [
            {
                "output_class_id": class_pk[tuple(r.values["ro"].split(".")[:2])],
                "code": r.values["ro"].split(".")[2],
                "name": r.values["name"],
                "name_en": r.values["name_en"],
                "unit": r.values["unit"],
                "cumulative": r.values["cumulative"],
                "measured_by": r.values["measured_by"] or "",
            }
            for r in data.outputs
        ],
    )
    return summary


def _sync_by(model: type[models.Model], keys: tuple[str, ...], wanted: list[dict[str, Any]]) -> SyncCount:
    """``_sync`` by a natural key of one or several fields."""
    existing = {tuple(getattr(obj, key) for key in keys): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for values in wanted:
        obj = existing.get(tuple(values[key] for key in keys))
        if obj is None:
            to_create.append(model(**values))
            continue
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            fields.update(changed)
            to_update.append(obj)
    if to_create:
        bulk_create_with_history(to_create, model, default_change_reason=MASTER_DATA_REASON)
    if to_update:
        bulk_update_with_history(to_update, model, sorted(fields), default_change_reason=MASTER_DATA_REASON)
    return SyncCount(len(to_create), len(to_update), len(wanted) - len(to_create) - len(to_update))


def _lines_without_output() -> int:
    """Budget lines recorded before ROs existed belong to their component's RO."""
    lines = list(
        BudgetLine.objects.filter(output__isnull=True, component__output__isnull=False).select_related("component")
    )
    for line in lines:
        line.output_id = line.component.output_id
    if lines:
        bulk_update_with_history(lines, BudgetLine, ["output"], default_change_reason=MASTER_DATA_REASON)
    return len(lines)


def _sync_periods(wanted: list[dict[str, Any]]) -> SyncCount:
    """The regencies' earlier provinces as the file has them (natural key: regency and end date)."""
    existing = {(p.regency_id, p.valid_to): p for p in RegencyPeriod.objects.all()}
    to_create, to_update = [], []
    for values in wanted:
        period = existing.get((values["regency_id"], values["valid_to"]))
        if period is None:
            to_create.append(RegencyPeriod(**values))
        elif any(getattr(period, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(period, field, value)
            to_update.append(period)
    if to_create:
        bulk_create_with_history(to_create, RegencyPeriod, default_change_reason=MASTER_DATA_REASON)
    if to_update:
        bulk_update_with_history(
            to_update, RegencyPeriod, ["province", "valid_from", "source"], default_change_reason=MASTER_DATA_REASON
        )
    return SyncCount(len(to_create), len(to_update), len(wanted) - len(to_create) - len(to_update))


def _withdraw_impossible_authorities() -> int:
    """Authority rows an earlier load gave a satker for a year it could not hold money in (a
    province not yet created, a satker before its first year) are removed while that year has no
    budget line of the satker; rows with lines are the admin's to correct (the admin form says why)."""
    impossible = [
        authority
        for authority in SatkerAuthority.objects.select_related("satker__province", "fiscal_year")
        if satker_absence(authority.satker, authority.fiscal_year.year)
        and not authority.satker.budget_lines.filter(fiscal_year_id=authority.fiscal_year_id).exists()
    ]
    for authority in impossible:
        authority._change_reason = MASTER_DATA_REASON
        authority.delete()
    return len(impossible)


def _renew_old_default_windows(wanted: list[dict[str, Any]]) -> int:
    """Bring the windows an earlier load created with the old default (the 1st-10th day of the
    quarter's first month) and nobody has edited since to the wanted dates; returns how many."""
    wanted_by_key = {(w["fiscal_year_id"], w["quarter"]): w for w in wanted}
    edited = set(RpdWindow.history.exclude(history_change_reason=MASTER_DATA_REASON).values_list("id", flat=True))
    stale = []
    for window in RpdWindow.objects.filter(satker=None).select_related("fiscal_year"):
        target = wanted_by_key.get((window.fiscal_year_id, window.quarter))
        first_month = 3 * window.quarter - 2
        old_default = (
            date(window.fiscal_year.year, first_month, 1),
            date(window.fiscal_year.year, first_month, OLD_RPD_WINDOW_DAYS),
        )
        if target is None or window.pk in edited or (window.opens_on, window.closes_on) != old_default:
            continue
        if (window.opens_on, window.closes_on) == (target["opens_on"], target["closes_on"]):
            continue
        window.opens_on, window.closes_on = target["opens_on"], target["closes_on"]
        stale.append(window)
    if stale:
        bulk_update_with_history(stale, RpdWindow, ["opens_on", "closes_on"], default_change_reason=MASTER_DATA_REASON)
    return len(stale)


def _fiscal_year_parameters(data: MasterData, through_year: int) -> list[dict[str, Any]]:
    """One row per year from the first listed year to ``through_year``; unlisted later years copy
    the last listed one."""
    listed = {row.values["year"]: row.values for row in data.fiscal_years}
    wanted, last = [], None
    for year in range(min(listed), max(through_year, max(listed)) + 1):
        last = listed.get(year, last)
        wanted.append({**last, "year": year})
    return wanted


def _listed_year(listed: set[int], year: int) -> int | None:
    """The file's rows that apply to ``year``: its own, else the last listed year before it."""
    earlier = [y for y in listed if y <= year]
    return max(earlier) if earlier else None


def _ikpa_year_data(
    data: MasterData, year_rows: list[dict[str, Any]], fiscal_year_by_year: dict[int, int]
) -> dict[str, SyncCount]:
    """IKPA's year rules, deviation curve and absorption targets per spending type, created when
    missing (the admin's edits are kept); years after a file's last one copy it. A year's curve
    is loaded only when the year has no point at all (a curve is one whole, never mixed)."""
    summary: dict[str, SyncCount] = {}
    rules = {r.values["year"]: r.values for r in data.ikpa_year_rules}
    rule_rows = []
    for row in year_rows:
        source = _listed_year(set(rules), row["year"])
        if source is not None:
            values = {k: v for k, v in rules[source].items() if k != "year"}
            rule_rows.append({"fiscal_year_id": fiscal_year_by_year[row["year"]], **values})
    summary["aturan IKPA"] = _create_missing(IkpaYearRule, ("fiscal_year_id",), rule_rows)

    curves: dict[int, list[dict[str, Any]]] = {}
    for r in data.ikpa_deviation_curve:
        curves.setdefault(r.values["year"], []).append(r.values)
    with_curve = set(IkpaDeviationPoint.objects.values_list("fiscal_year_id", flat=True).distinct())
    point_rows = []
    for row in year_rows:
        fiscal_year_id = fiscal_year_by_year[row["year"]]
        source = _listed_year(set(curves), row["year"])
        if source is not None and fiscal_year_id not in with_curve:
            point_rows += [
                {"fiscal_year_id": fiscal_year_id, "deviation": p["deviation"], "score": p["score"]}
                for p in curves[source]
            ]
    summary["kurva deviasi IKPA"] = _create_missing(IkpaDeviationPoint, ("fiscal_year_id", "deviation"), point_rows)

    targets: dict[int, list[dict[str, Any]]] = {}
    for r in data.ikpa_absorption_targets:
        targets.setdefault(r.values["year"], []).append(r.values)
    spending_type_by_code = dict(SpendingType.objects.values_list("code", "pk"))
    target_rows = []
    for row in year_rows:
        source = _listed_year(set(targets), row["year"])
        for t in targets.get(source, []) if source is not None else []:
            target_rows.append(
                {
                    "fiscal_year_id": fiscal_year_by_year[row["year"]],
                    "quarter": t["quarter"],
                    "spending_type_id": spending_type_by_code[t["spending_type"]],
                    "target": t["target"],
                }
            )
    summary["target penyerapan IKPA"] = _create_missing(
        IkpaAbsorptionTarget, ("fiscal_year_id", "quarter", "spending_type_id"), target_rows
    )
    return summary


@transaction.atomic
def _default_evidence_rules() -> SyncCount:
    """The default evidence rules when there are none at all (the admin's edits are never touched)."""
    if EvidenceRule.objects.exists():
        return SyncCount(unchanged=EvidenceRule.objects.count())
    rules = [
        EvidenceRule(target=target, condition=condition, kinds=kinds, needs_number=needs_number, active=active,
                     note=note)
        for target, condition, kinds, needs_number, active, note in DEFAULT_RULES
    ]  # fmt: skip
    bulk_create_with_history(rules, EvidenceRule, default_change_reason="aturan bawaan")
    return SyncCount(created=len(rules))


def master_data_load(*, data: MasterData, through_year: int) -> dict[str, SyncCount]:
    """Load the checked master data. Idempotent: reference lists are synced to the files,
    per-year configuration (fiscal years, authorities, IKPA weights, holidays, RPD windows) is only
    created when missing."""
    summary: dict[str, SyncCount] = {}
    summary["provinsi"] = _sync(
        Province,
        "bps_code",
        [
            {
                "bps_code": r.values["bps_code"],
                "kemendagri_code": r.values["kemendagri_code"],
                "name": r.values["name"],
                "name_en": r.values["name_en"],
                "iso_code": r.values["iso_3166_2"],
                "valid_from": r.values["valid_from"],
                "valid_to": r.values["valid_to"],
            }
            for r in data.provinces
        ],
    )
    province_by_kemendagri = dict(Province.objects.values_list("kemendagri_code", "pk"))
    province_by_bps = dict(Province.objects.values_list("bps_code", "pk"))
    summary["kabupaten/kota"] = _sync(
        Regency,
        "kemendagri_code",
        [
            {
                "kemendagri_code": r.values["kemendagri_code"],
                "province_id": province_by_kemendagri[r.values["province_kemendagri_code"]],
                "name": r.values["name"],
                "kind": r.values["kind"],
            }
            for r in data.regencies
        ],
    )
    regency_by_code = dict(Regency.objects.values_list("kemendagri_code", "pk"))
    summary["riwayat provinsi kabupaten/kota"] = _sync_periods(
        [
            {
                "regency_id": regency_by_code[r.values["kemendagri_code"]],
                "province_id": province_by_bps[r.values["province_bps_code"]],
                "valid_from": r.values["valid_from"],
                "valid_to": r.values["valid_to"],
                "source": r.values["source"],
            }
            for r in data.regency_history
        ]
    )
    summary["satker"] = _sync(
        Satker,
        "code",
        [
            {
                "code": r.values["code"],
                "name": r.values["name"],
                "province_id": province_by_bps[r.values["province_bps_code"]],
                "is_central": r.values["is_central"],
                "first_year": r.values["first_year"],
            }
            for r in data.satkers
        ],
    )
    summary["jenis belanja"] = _sync(SpendingType, "code", [dict(r.values) for r in data.spending_types])
    summary.update(_sync_outputs(data))
    output_by_code = {output.full_code: output.pk for output in Output.objects.select_related("output_class__activity")}
    summary["komponen"] = _sync(
        BudgetComponent,
        "code",
        [
            {
                "code": r.values["code"],
                "name": r.values["name"],
                "name_en": r.values["name_en"],
                "output_id": output_by_code.get(r.values["ro"]),
            }
            for r in data.components
        ],
    )
    summary["baris pagu tanpa RO, diisi RO komponennya"] = SyncCount(updated=_lines_without_output())
    spending_type_by_code = dict(SpendingType.objects.values_list("code", "pk"))
    summary["akun"] = _sync(
        Account,
        "code",
        [
            {
                "code": r.values["code"],
                "name": r.values["name"],
                "spending_type_id": spending_type_by_code[r.values["code"][:2]],
            }
            for r in data.accounts
        ],
    )

    year_rows = _fiscal_year_parameters(data, through_year)
    summary["tahun anggaran"] = _create_missing(FiscalYear, ("year",), year_rows)
    fiscal_year_by_year = dict(FiscalYear.objects.values_list("year", "pk"))

    weights = {(r.values["year"], r.values["indicator"]): r.values["weight"] for r in data.ikpa_weights}
    last_weighted_year = max((year for year, _ in weights), default=None)
    weight_rows = []
    for row in year_rows:
        source_year = row["year"] if row["year"] <= (last_weighted_year or 0) else last_weighted_year
        for (year, indicator), weight in weights.items():
            if year == source_year:
                weight_rows.append(
                    {"fiscal_year_id": fiscal_year_by_year[row["year"]], "indicator": indicator, "weight": weight}
                )
    summary["bobot IKPA"] = _create_missing(IkpaWeight, ("fiscal_year_id", "indicator"), weight_rows)
    summary.update(_ikpa_year_data(data, year_rows, fiscal_year_by_year))

    authority_rows = []
    for satker in Satker.objects.filter(code__in=[r.values["code"] for r in data.satkers]).select_related("province"):
        satker_pk, is_central = satker.pk, satker.is_central
        for row in year_rows:
            if satker_absence(satker, row["year"]):
                continue
            authority_rows.append(
                {
                    "satker_id": satker_pk,
                    "fiscal_year_id": fiscal_year_by_year[row["year"]],
                    "authority": default_authority(is_central=is_central, year=row["year"]),
                }
            )
    summary["kewenangan satker"] = _create_missing(SatkerAuthority, ("satker_id", "fiscal_year_id"), authority_rows)
    withdrawn = _withdraw_impossible_authorities()
    summary["kewenangan satker"] = SyncCount(**{**vars(summary["kewenangan satker"]), "deleted": withdrawn})
    # December's report is due in January, so holidays are needed one year past the last fiscal year.
    years = sorted({row["year"] for row in year_rows} | {row["year"] + 1 for row in year_rows})
    listed_years = {r.values["date"].year for r in data.holidays}
    holiday_rows = [dict(r.values) for r in data.holidays] + [
        {"date": date(year, month, day), "name": name, "kind": Holiday.Kind.HOLIDAY}
        for year in years
        if year not in listed_years
        for (month, day), name in FIXED_HOLIDAYS
    ]
    # A day an admin deleted (an SKB revision may cancel collective leave) is not brought back.
    deleted = set(Holiday.history.filter(history_type="-").values_list("date", flat=True))
    summary["hari libur dan cuti bersama"] = _create_missing(
        Holiday, ("date",), [row for row in holiday_rows if row["date"] not in deleted]
    )

    # The windows count the Holiday table as it now stands, so a holiday an admin entered counts too.
    closed = set(Holiday.objects.filter(date__year__in=years).values_list("date", flat=True))
    published = {(r.values["year"], r.values["quarter"]): r.values["closes_on"] for r in data.rpd_cutoffs}
    window_rows = []
    for row in year_rows:
        for quarter in range(1, 5):
            opens_on, closes_on = rpd_window_bounds(row["year"], quarter, closed, published)
            window_rows.append(
                {
                    "fiscal_year_id": fiscal_year_by_year[row["year"]],
                    "quarter": quarter,
                    "satker_id": None,
                    "opens_on": opens_on,
                    "closes_on": closes_on,
                }
            )
    created = _create_missing(RpdWindow, ("fiscal_year_id", "quarter", "satker_id"), window_rows)
    renewed = _renew_old_default_windows(window_rows)
    summary["jendela RPD"] = SyncCount(created.created, renewed, created.unchanged - renewed)
    summary["aturan bukti dukung"] = _default_evidence_rules()
    return summary
