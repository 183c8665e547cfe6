"""The programme output reports: ``/reports/outputs/`` (CONTRACT: what the money produced, per
province, with national totals) and ``/reports/ovop/`` (OVOP: the sentra coached in the year, and
the stars awarded in the latest award cycle up to that year).

Each report reads the filter's satkers and provinces, then one GROUP BY per kind of record
(per satker, and kind or indicator where needed), and adds the satkers up per province in
Python: a fixed number of queries whatever the number of provinces, satkers or records, each
reading the year's records once by the (year, ...) indexes. (Correlated subqueries per province
and satker, 32 figures of 42 satkers, took 9 s at 500.000 facilitations.) Totals are the sums of
the rows (every record belongs to exactly one satker, hence one province).

What counts (documented on purpose, the figures depend on it):

- A record belongs to the province of its satker, as realization does in ``budgets.reports.queries``;
  the central units (KP) sit in DKI Jakarta, so without ``authority`` their outputs are in that
  row. ``authority`` keeps the satkers with that authority in the year (their SatkerAuthority),
  ``province`` the satkers of that province.
- Monthly records (WUB, facilitations, poverty activities) count when their monthly report is
  APPROVED (``basis=approved``, the official figures) or APPROVED or SUBMITTED
  (``basis=submitted``: awaiting review too); drafts and returned reports never count.
  ``month`` counts the records of January up to that month (cumulative).
- OVOP sentra have no monthly report: a sentra counts when it has a coaching record
  (OvopCoaching) of the year, whatever the basis and the month. Awards are no coaching: the
  OVOP report shows them apart, for the latest cycle up to the year (OvopCandidate of the
  province's satker: proposals, administrative check, stars awarded, the coaching level they
  imply, and the moves of re-evaluated awards against the earlier stars).
- Targets (``<key>_target``) are the year's OutputTarget of the rows' satkers, whatever the
  month; ``<key>_persen`` is the achievement against it (None without a target).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Subquery, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.reports.queries import BASIS_STATUSES, RealizationFilter, satkers_of
from core.data_version import APPROVED
from core.reporting.spec import BuildContext, Column, ReportResult, ReportSpec, percent
from programs.models import (
    MONEY_KEYS,
    CommodityGroup,
    OutputIndicator,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    ReportOutput,
    coaching_level_for,
)

OUTPUT_PARAMS = frozenset({"year", "month", "province", "authority", "basis"})
# OVOP coaching is yearly and has no monthly report: neither month nor basis applies.
OVOP_PARAMS = frozenset({"year", "province", "authority"})

KEYS: tuple[str, ...] = tuple(OutputIndicator.values)
STARS = (1, 2, 3, 4, 5)


# --- What counts, for a filter ----------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceRow:
    bps_code: str
    name: str


@dataclass
class Satkers:
    """The filter's satkers and their provinces (read once, with budgets' satkers_of(); every
    figure is grouped by satker and added up per province in Python: a handful of GROUP BY
    queries whatever the number of provinces, satkers and records, each reading the year's
    records once)."""

    province_of: dict[int, str]  # satker id -> province BPS code
    provinces: list[ProvinceRow]  # the provinces with satkers in the filter, by BPS code
    # The fiscal year's id: compared to the records' column as a constant, PostgreSQL knows how
    # many records the year has and reads them from their (year, satker, ...) index alone
    # (through a join or a subquery it guessed an average year and scanned the table).
    year_id: int | None

    @classmethod
    def of(cls, filters: RealizationFilter) -> Satkers:
        satkers = satkers_of(filters)
        names = {info.province: info.province_name for info in satkers.values()}
        return cls(
            province_of={pk: info.province for pk, info in satkers.items()},
            provinces=[ProvinceRow(code, names[code]) for code in sorted(names)],
            year_id=next((info.fiscal_year_id for info in satkers.values()), None),
        )

    @property
    def ids(self) -> list[int]:
        return sorted(self.province_of)

    def per_province(self, per_satker: dict[tuple, int], key: Callable[[tuple], Any]) -> dict[tuple[str, Any], int]:
        """``per_satker`` (satker id first in each key) added up per (province, ``key(rest)``)."""
        totals: dict[tuple[str, Any], int] = defaultdict(int)
        for (satker, *rest), value in per_satker.items():
            totals[(self.province_of[satker], key(tuple(rest)))] += value or 0
        return totals


def _grouped(queryset: QuerySet, satker: str, by: tuple[str, ...], **aggregates: Any) -> dict[str, dict[tuple, int]]:
    """Each aggregate of ``queryset`` per (satker, *by): {aggregate name: {(satker, *by): value}}."""
    fields = (satker, *by)
    rows = queryset.order_by().values(*fields).annotate(**aggregates)
    result: dict[str, dict[tuple, int]] = {name: {} for name in aggregates}
    for row in rows:
        key = tuple(row[name] for name in fields)
        for name in aggregates:
            result[name][key] = row[name]
    return result


def _achievements(filters: RealizationFilter, satkers: Satkers) -> dict[tuple[str, str], int]:
    """Each CONTRACT key's figure per (province BPS code, key): the monthly records' figures from the
    reports' output summary (programs/records/output_summary.py), OVOP sentra from their coaching."""
    figures: dict[tuple[str, str], int] = defaultdict(int)
    counted = ReportOutput.objects.filter(fiscal_year_id=satkers.year_id, report__satker_id__any=satkers.ids,
                                          report__status__in=BASIS_STATUSES[filters.basis])  # fmt: skip
    if filters.month:
        counted = counted.filter(report__month__lte=filters.month)
    for satker, indicator, amount in (
        counted.order_by().values_list("report__satker_id", "indicator").annotate(total=Sum("amount"))
    ):
        figures[(satkers.province_of[satker], indicator)] += amount
    # OVOP sentra have no monthly report: a sentra coached in the year counts.
    coachings = OvopCoaching.objects.filter(year=filters.year, sentra__satker_id__any=satkers.ids)
    centres = _grouped(coachings, "sentra__satker", (), n=Count("sentra", distinct=True))["n"]
    for (province, _name), value in satkers.per_province(centres, lambda rest: "ovop_centres").items():
        figures[(province, "ovop_centres")] += value
    return figures


def _targets(filters: RealizationFilter, satkers: Satkers) -> dict[tuple[str, str], int]:
    targets = OutputTarget.objects.filter(fiscal_year=satkers.year_id, satker_id__any=satkers.ids)
    per_satker = _grouped(targets, "satker", ("indicator",), total=Sum("target"))["total"]
    return dict(satkers.per_province(per_satker, lambda rest: f"{rest[0]}_target"))


# --- The outputs report ------------------------------------------------------------------------


def _with_persen(row: dict[str, Any]) -> dict[str, Any]:
    for key in KEYS:
        row[f"{key}_persen"] = percent(row[key], row[f"{key}_target"])
    return row


def output_rows(filters: RealizationFilter) -> list[dict[str, Any]]:
    """One row per province with satkers in the filter: each CONTRACT key, its target and %."""
    satkers = Satkers.of(filters)
    figures = {**_achievements(filters, satkers), **_targets(filters, satkers)}
    rows = []
    for province in satkers.provinces:
        row: dict[str, Any] = {"province": province.bps_code, "province_name": province.name}
        for key in KEYS:
            row[key] = figures.get((province.bps_code, key), 0)
            row[f"{key}_target"] = figures.get((province.bps_code, f"{key}_target"), 0)
        rows.append(_with_persen(row))
    return rows


def output_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    for key in KEYS:
        totals[key] = sum(row[key] for row in rows)
        totals[f"{key}_target"] = sum(row[f"{key}_target"] for row in rows)
    return _with_persen(totals)


def outputs_report(filters: RealizationFilter, context: BuildContext | None = None) -> ReportResult:
    rows = output_rows(filters)
    return ReportResult("outputs", rows, output_totals(rows), {"basis": filters.basis})


def output_kpis(*, year: int, authority: str | None = None, month: int | None = None) -> dict[str, Any]:
    """The year's national output figures (CONTRACT keys, targets and %) on the approved basis,
    as of the end of ``month`` (None: the whole year), for the dashboard and the narrative (the
    report's few queries)."""
    return output_totals(output_rows(RealizationFilter(year=year, authority=authority, month=month)))


# --- The OVOP report -------------------------------------------------------------------------


def ovop_report(filters: RealizationFilter, context: BuildContext | None = None) -> ReportResult:
    """Per province: the sentra coached in the year, their IKM units and commodity groups; and
    the latest award cycle up to the year: new proposals, how many passed the administrative
    check, re-evaluations, the stars awarded (1-5), the coaching level they imply (4-5 stars:
    central, 3: province, 1-2: regency) and the re-evaluated awards' moves against their earlier
    stars. Two GROUP BY queries (the cycle is a subquery)."""
    satkers = Satkers.of(filters)
    figures: dict[tuple[str, str], int] = defaultdict(int)
    coachings = OvopCoaching.objects.filter(year=filters.year, sentra__satker_id__any=satkers.ids)
    grouped = _grouped(coachings, "sentra__satker", ("sentra__commodity_group",),
                       centres=Count("pk"), units=Sum("sentra__unit_count"))  # fmt: skip
    for name in ("centres", "units"):
        for (province, _all), value in satkers.per_province(grouped[name], lambda rest: None).items():
            figures[(province, name)] += value
    for (province, group), value in satkers.per_province(grouped["centres"], lambda rest: rest[0]).items():
        figures[(province, f"group_{group.lower()}")] += value
    cycle = _award_figures(filters.year, satkers, figures)
    rows = []
    for province in satkers.provinces:
        row: dict[str, Any] = {"province": province.bps_code, "province_name": province.name, "cycle": cycle}
        row.update({key: figures.get((province.bps_code, key), 0) for key in OVOP_KEYS})
        rows.append(_ovop_derived(row))
    totals = _ovop_derived({"cycle": cycle, **{key: sum(row[key] for row in rows) for key in OVOP_KEYS}})
    return ReportResult("ovop", rows, totals)


OVOP_KEYS = (
    "centres", "units", *(f"group_{code.lower()}" for code in CommodityGroup.values), "proposals", "admin_passed",
    "reevaluated", "awarded", *(f"stars_{stars}" for stars in STARS), "moves_up", "moves_same", "moves_down",
)  # fmt: skip


def _award_figures(year: int, satkers: Satkers, figures: dict[tuple[str, str], int]) -> int | None:
    """The latest cycle up to ``year``: its candidates' figures per province into ``figures``;
    returns the cycle's year (None: no cycle or no candidate in the filter)."""
    latest = OvopCycle.objects.filter(year__lte=year).order_by("-year").values("pk")[:1]
    candidates = OvopCandidate.objects.filter(cycle_id=Subquery(latest), satker_id__any=satkers.ids)
    new, again = Q(re_evaluates__isnull=True), Q(re_evaluates__isnull=False, awarded_stars__isnull=False)
    earlier = F("re_evaluates__awarded_stars")
    grouped = _grouped(
        candidates, "satker", ("cycle__year", "awarded_stars"),
        proposals=Count("pk", filter=new), admin_passed=Count("pk", filter=new & Q(admin_check_passed=True)),
        reevaluated=Count("pk", filter=Q(re_evaluates__isnull=False)),
        awarded=Count("pk", filter=Q(awarded_stars__isnull=False)),
        moves_up=Count("pk", filter=again & Q(awarded_stars__gt=earlier)),
        moves_same=Count("pk", filter=again & Q(awarded_stars=earlier)),
        moves_down=Count("pk", filter=again & Q(awarded_stars__lt=earlier)),
    )  # fmt: skip
    cycle = None
    for name, per_satker in grouped.items():
        for (province, _all), value in satkers.per_province(per_satker, lambda rest: None).items():
            figures[(province, name)] += value
    for (province, stars), value in satkers.per_province(grouped["awarded"], lambda rest: rest[1]).items():
        if stars is not None:
            figures[(province, f"stars_{stars}")] += value
    for _satker, cycle_year, _stars in grouped["proposals"]:
        cycle = cycle_year
    return cycle


def _ovop_derived(row: dict[str, Any]) -> dict[str, Any]:
    levels = {"level_central": 0, "level_province": 0, "level_regency": 0}
    names = {"PUSAT": "level_central", "PROVINSI": "level_province", "KABKOTA": "level_regency"}
    for stars in STARS:
        levels[names[coaching_level_for(stars)]] += row[f"stars_{stars}"]
    row.update(levels)
    weighted = sum(stars * row[f"stars_{stars}"] for stars in STARS)
    row["average_stars"] = (
        (Decimal(weighted) / Decimal(row["awarded"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if row["awarded"]
        else None
    )
    return row


# --- The specs ----------------------------------------------------------------------------------


def _output_columns() -> tuple[Column, ...]:
    columns = [Column("province", _("Kode BPS")), Column("province_name", _("Provinsi"))]
    for key, label in OutputIndicator.choices:
        kind = "money" if key in MONEY_KEYS else "int"
        columns += [
            Column(key, label, kind),
            Column(f"{key}_target", format_lazy(_("Target {label}"), label=label), kind),
            Column(f"{key}_persen", format_lazy(_("Capaian {label} (%)"), label=label), "percent"),
        ]
    return tuple(columns)


def _ovop_columns() -> tuple[Column, ...]:
    return (
        Column("province", _("Kode BPS")),
        Column("province_name", _("Provinsi")),
        Column("centres", _("Sentra dibina"), "int"),
        Column("units", _("Unit IKM di sentra"), "int"),
        *(Column(f"group_{code.lower()}", label, "int") for code, label in CommodityGroup.choices),
        Column("cycle", _("Siklus penghargaan"), "int"),
        Column("proposals", _("Usulan baru"), "int"),
        Column("admin_passed", _("Lolos seleksi administrasi"), "int"),
        Column("reevaluated", _("Dievaluasi ulang"), "int"),
        Column("awarded", _("IKM berbintang"), "int"),
        *(Column(f"stars_{stars}", format_lazy(_("Bintang {stars}"), stars=stars), "int") for stars in STARS),
        Column("average_stars", _("Rata-rata bintang"), "number"),
        Column("level_central", _("Dibina pusat (4-5 bintang)"), "int"),
        Column("level_province", _("Dibina provinsi (3 bintang)"), "int"),
        Column("level_regency", _("Dibina kabupaten/kota (1-2 bintang)"), "int"),
        Column("moves_up", _("Naik bintang"), "int"),
        Column("moves_same", _("Bintang tetap"), "int"),
        Column("moves_down", _("Turun bintang"), "int"),
    )


OUTPUTS = ReportSpec(
    "outputs",
    _("Capaian output program"),
    _output_columns(),
    outputs_report,
    params=OUTPUT_PARAMS,
    cacheable=True,
    approved_versions=(APPROVED,),
)
OVOP = ReportSpec(
    "ovop",
    _("Sentra OVOP dibina dan bintang OVOP"),
    _ovop_columns(),
    ovop_report,
    params=OVOP_PARAMS,
    cacheable=True,
    # No monthly report: what it reads (coaching, awards) raises the approved figures' version.
    versions=(APPROVED,),
)

SPECS: tuple[ReportSpec, ...] = (OUTPUTS, OVOP)
