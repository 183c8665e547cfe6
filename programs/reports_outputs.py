"""The programme output reports: ``/reports/outputs/`` (CONTRACT: what the money produced, per
province, with national totals) and ``/reports/ovop/`` (OVOP centres coached and their stars).

Each report is ONE annotated queryset over Province: every figure is a correlated subquery
(count or sum of the records of the province's satkers), so the query count does not depend on
the number of provinces, satkers or records; totals are the sums of the rows (every record
belongs to exactly one satker, hence one province).

What counts (documented on purpose, the figures depend on it):

- A record belongs to the province of its satker, as realization does in ``budgets.reports``;
  the central units (KP) sit in DKI Jakarta, so without ``authority`` their outputs are in that
  row. ``authority`` keeps the satkers with that authority in the year (their SatkerAuthority),
  ``province`` the satkers of that province.
- Monthly records (WUB, facilitations, poverty activities) count when their monthly report is
  APPROVED (``basis=approved``, the official figures) or APPROVED or SUBMITTED
  (``basis=submitted``: awaiting review too); drafts and returned reports never count.
  ``month`` counts the records of January up to that month (cumulative).
- OVOP centres have no monthly report: a centre counts when it has a rating (was coached) in
  the year, whatever the basis and the month.
- Targets (``<key>_target``) are the year's OutputTarget of the rows' satkers, whatever the
  month; ``<key>_persen`` is the achievement against it (None without a target).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.models import Province, Satker
from budgets.report_specs import BuildContext, Column, ReportSpec, register_report
from budgets.reports import BASIS_STATUSES, RealizationFilter, ReportResult, percent
from programs.models import (
    CommodityGroup,
    Facilitation,
    FacilitationKind,
    NewEntrepreneur,
    OutputIndicator,
    OutputTarget,
    OvopRating,
    PovertyActivity,
    coaching_level_for,
)
from programs.narrative import ProgrammeFigures

OUTPUT_PARAMS = frozenset({"year", "month", "province", "authority", "basis"})
# OVOP ratings are yearly and have no monthly report: neither month nor basis applies.
OVOP_PARAMS = frozenset({"year", "province", "authority"})

# The indicators whose figure is a money amount (rupiah); the others are counts.
MONEY_KEYS = {OutputIndicator.EXHIBITION_VALUE.value, OutputIndicator.RESTRUCTURING_VALUE.value}
# Facilitation kind counted by each count indicator, and the kind whose value each money one sums.
KIND_OF = {
    "product_development": FacilitationKind.PRODUCT,
    "exhibition_ikm": FacilitationKind.EXHIBITION,
    "exhibition_value": FacilitationKind.EXHIBITION,
    "i40": FacilitationKind.INDUSTRY_40,
    "restructuring_ikm": FacilitationKind.RESTRUCTURING,
    "restructuring_value": FacilitationKind.RESTRUCTURING,
    "sni": FacilitationKind.SNI,
    "iso": FacilitationKind.ISO,
    "haccp": FacilitationKind.HACCP,
    "halal": FacilitationKind.HALAL,
    "hki": FacilitationKind.HKI,
    "partnership": FacilitationKind.PARTNERSHIP,
}
KEYS: tuple[str, ...] = tuple(OutputIndicator.values)
STARS = (1, 2, 3, 4, 5)
ZERO = Value(0, output_field=BigIntegerField())


# --- What counts, for a filter ----------------------------------------------------------------


def _satkers(filters: RealizationFilter) -> QuerySet[Satker]:
    """The satkers of the filter: with an authority in the year (of ``authority`` when given),
    of ``province`` when given, within ``filters.satkers`` when the caller limits them."""
    satkers = Satker.objects.filter(filters.satker_q())
    if filters.satkers is not None:
        satkers = satkers.filter(pk__in=filters.satkers.values("pk"))
    return satkers


def _provinces(filters: RealizationFilter) -> QuerySet[Province]:
    return Province.objects.filter(pk__in=_satkers(filters).values("province")).order_by("bps_code")


def _monthly(model: type, filters: RealizationFilter) -> QuerySet:
    """Monthly records of the year whose report counts on the basis, up to the month (the
    satkers come from ``_per_province``)."""
    records = model.objects.filter(fiscal_year__year=filters.year, report__status__in=BASIS_STATUSES[filters.basis])
    if filters.month:
        records = records.filter(month__lte=filters.month)
    return records


def _per_province(queryset: QuerySet, filters: RealizationFilter, aggregate: Any, satker: str = "satker") -> Coalesce:
    """``aggregate`` over the rows of ``queryset`` that belong (through ``satker``) to the
    filter's satkers of the outer province; 0 when none.

    Two correlated levels: the province's few satkers, then each satker's records, which the
    database finds by index on (year, satker) whatever its statistics say; correlating the
    records to the province directly let PostgreSQL (without fresh statistics) scan every
    record of the year once per province."""
    per_satker = queryset.filter(**{satker: OuterRef("pk")}).order_by().values(satker).annotate(total=aggregate)
    satkers = (
        _satkers(filters)
        .filter(province=OuterRef("pk"))
        .order_by()
        .annotate(figure=Coalesce(Subquery(per_satker.values("total"), output_field=BigIntegerField()), ZERO))
        .values("province")
        .annotate(total=Sum("figure"))
    )
    return Coalesce(Subquery(satkers.values("total"), output_field=BigIntegerField()), ZERO)


def _achievements(filters: RealizationFilter) -> dict[str, Coalesce]:
    """The expression of each CONTRACT key, per province row."""
    wub = _monthly(NewEntrepreneur, filters)
    facilitations = _monthly(Facilitation, filters)
    ratings = OvopRating.objects.filter(year=filters.year)
    figures = {
        "wub": _per_province(wub, filters, Count("pk")),
        "wub_legal": _per_province(wub.filter(nib__isnull=False), filters, Count("pk")),
        # OVOP centres have no monthly report: a centre rated (coached) in the year counts.
        "ovop_centres": _per_province(ratings, filters, Count("centre", distinct=True), satker="centre__satker"),
        "poverty_beneficiaries": _per_province(_monthly(PovertyActivity, filters), filters, Sum("beneficiaries")),
    }
    for key, kind in KIND_OF.items():
        of_kind = facilitations.filter(kind=kind)
        figures[key] = _per_province(of_kind, filters, Sum("value") if key in MONEY_KEYS else Count("pk"))
    return {key: figures[key] for key in KEYS}


def _targets(filters: RealizationFilter) -> dict[str, Coalesce]:
    targets = OutputTarget.objects.filter(fiscal_year__year=filters.year)
    return {f"{key}_target": _per_province(targets.filter(indicator=key), filters, Sum("target")) for key in KEYS}


# --- The outputs report ------------------------------------------------------------------------


def _with_persen(row: dict[str, Any]) -> dict[str, Any]:
    for key in KEYS:
        row[f"{key}_persen"] = percent(row[key], row[f"{key}_target"])
    return row


def output_rows(filters: RealizationFilter) -> list[dict[str, Any]]:
    """One row per province with satkers in the filter: each CONTRACT key, its target and %."""
    figures = {**_achievements(filters), **_targets(filters)}
    provinces = _provinces(filters).annotate(**figures)
    rows = []
    for values in provinces.values("bps_code", "name", *figures):
        row = {"province": values["bps_code"], "province_name": values["name"]}
        row.update({key: values[key] for key in figures})
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


def output_kpis(*, year: int, authority: str | None = None) -> dict[str, Any]:
    """The year's national output figures (CONTRACT keys, targets and %) on the approved basis,
    for the dashboard and the narrative: one query."""
    return output_totals(output_rows(RealizationFilter(year=year, authority=authority)))


# --- The OVOP report -------------------------------------------------------------------------


def ovop_report(filters: RealizationFilter, context: BuildContext | None = None) -> ReportResult:
    """Per province: the centres coached (rated) in the year, their IKM units, the star
    distribution, the coaching level it implies (4-5 stars: central, 3: province, 1-2: regency)
    and the centres per commodity group."""
    ratings = OvopRating.objects.filter(year=filters.year)

    def per_province(queryset: QuerySet, aggregate: Any) -> Coalesce:
        return _per_province(queryset, filters, aggregate, satker="centre__satker")

    figures = {
        "centres": per_province(ratings, Count("pk")),
        "units": per_province(ratings, Sum("centre__unit_count")),
        **{f"stars_{stars}": per_province(ratings.filter(stars=stars), Count("pk")) for stars in STARS},
        **{
            f"group_{code.lower()}": per_province(ratings.filter(centre__commodity_group=code), Count("pk"))
            for code in CommodityGroup.values
        },
    }
    rows = []
    for values in _provinces(filters).annotate(**figures).values("bps_code", "name", *figures):
        row = {"province": values["bps_code"], "province_name": values["name"]}
        row.update({key: values[key] for key in figures})
        rows.append(_ovop_derived(row))
    totals = _ovop_derived({key: sum(row[key] for row in rows) for key in figures})
    return ReportResult("ovop", rows, totals)


def _ovop_derived(row: dict[str, Any]) -> dict[str, Any]:
    levels = {"level_central": 0, "level_province": 0, "level_regency": 0}
    names = {"PUSAT": "level_central", "PROVINSI": "level_province", "KABKOTA": "level_regency"}
    for stars in STARS:
        levels[names[coaching_level_for(stars)]] += row[f"stars_{stars}"]
    row.update(levels)
    weighted = sum(stars * row[f"stars_{stars}"] for stars in STARS)
    row["average_stars"] = (
        (Decimal(weighted) / Decimal(row["centres"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if row["centres"]
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
        *(Column(f"stars_{stars}", format_lazy(_("Bintang {stars}"), stars=stars), "int") for stars in STARS),
        Column("average_stars", _("Rata-rata bintang"), "number"),
        Column("level_central", _("Dibina pusat (4-5 bintang)"), "int"),
        Column("level_province", _("Dibina provinsi (3 bintang)"), "int"),
        Column("level_regency", _("Dibina kabupaten/kota (1-2 bintang)"), "int"),
        *(Column(f"group_{code.lower()}", label, "int") for code, label in CommodityGroup.choices),
    )


OUTPUTS = ReportSpec(
    "outputs",
    "programs:report-outputs",
    _("Capaian output program"),
    _output_columns(),
    outputs_report,
    params=OUTPUT_PARAMS,
)
OVOP = ReportSpec(
    "ovop",
    "programs:report-ovop",
    _("Sentra OVOP dan bintangnya"),
    _ovop_columns(),
    ovop_report,
    params=OVOP_PARAMS,
)

register_report(OUTPUTS)
register_report(OVOP)


# --- For the dashboard and the narrative -------------------------------------------------------


def programme_figures(*, year: int, authority: str | None, as_of: date | None) -> ProgrammeFigures:
    """The narrative's figures: the outputs of all satkers and of the provincial authority
    (``authority``: DK or TP; None when the year has no provincial satkers). Two queries."""
    return ProgrammeFigures(
        year=year,
        directorate=output_kpis(year=year),
        authority=authority,
        provincial=output_kpis(year=year, authority=authority) if authority else None,
        as_of=as_of,
    )
