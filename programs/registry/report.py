"""The IKM registry report (/reports/ikm/): registry counts, workers, investment, production
value and size classes per province, then per KBLI group (two-digit division), with national
totals.

``year`` is the data-collection year: the report counts enterprises whose ``data_year`` is at
most that year, i.e. the registry as collected up to then. The registry keeps one current
record per enterprise (no yearly snapshots), so an enterprise surveyed again later counts from
its newest collection year.

The report parameters are the fixed set of reports/params.py, so the KBLI breakdown
cannot be a ``kbli=`` parameter: it comes as extra rows of the same report, told apart by
``group`` ("province" rows first, then "kbli" rows). The province rows alone add up to the
totals; so do the KBLI rows.

The figures come from RegistrySummary, kept current by every write of the registry in its own
transaction (programs/registry/summary.py), so the report is as fresh as the enterprises and
costs the same at 4,4 million enterprises as at a thousand; a test compares it with the direct
aggregate over the enterprises on random data (tests/programs/registry/test_summary.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from budgets.models import Province
from budgets.reports.queries import RealizationFilter
from budgets.reports.specs import GROUP
from core.data_version import APPROVED, REGISTRY
from core.reporting.spec import Column, ReportResult, ReportSpec
from programs.models import RegistrySummary
from programs.registry.services import FIRST_DATA_YEAR
from programs.registry.summary import present

# KBLI 2020 category C (manufacturing): the two-digit divisions 10-33.
KBLI_GROUPS: dict[str, str] = {
    "10": _("Industri makanan"),
    "11": _("Industri minuman"),
    "12": _("Industri pengolahan tembakau"),
    "13": _("Industri tekstil"),
    "14": _("Industri pakaian jadi"),
    "15": _("Industri kulit, barang dari kulit dan alas kaki"),
    "16": _("Industri kayu, barang dari kayu dan gabus, dan barang anyaman"),
    "17": _("Industri kertas dan barang dari kertas"),
    "18": _("Industri pencetakan dan reproduksi media rekaman"),
    "19": _("Industri produk dari batu bara dan pengilangan minyak bumi"),
    "20": _("Industri bahan kimia dan barang dari bahan kimia"),
    "21": _("Industri farmasi, produk obat kimia dan obat tradisional"),
    "22": _("Industri karet, barang dari karet dan plastik"),
    "23": _("Industri barang galian bukan logam"),
    "24": _("Industri logam dasar"),
    "25": _("Industri barang logam, bukan mesin dan peralatannya"),
    "26": _("Industri komputer, barang elektronik dan optik"),
    "27": _("Industri peralatan listrik"),
    "28": _("Industri mesin dan perlengkapan ytdl"),
    "29": _("Industri kendaraan bermotor, trailer dan semi trailer"),
    "30": _("Industri alat angkutan lainnya"),
    "31": _("Industri furnitur"),
    "32": _("Industri pengolahan lainnya"),
    "33": _("Jasa reparasi dan pemasangan mesin dan peralatan"),
}

FIGURES = ("enterprises", "workers", "investment", "production_value", "small", "medium", "large")
ZERO = dict.fromkeys(FIGURES, 0)


def _figures() -> dict[str, Any]:
    """The report's figures as sums over RegistrySummary rows (each row already holds its
    key's count, size classes and sums)."""
    return {
        "enterprises": Sum("enterprises"),
        "workers": Sum(F("workers_male") + F("workers_female")),
        "investment": Sum("investment"),
        "production_value": Sum("production_value"),
        "small": Sum("small"),
        "medium": Sum("medium"),
        "large": Sum("large"),
    }


def registry_summary(year: int, province: str | None) -> QuerySet[RegistrySummary]:
    """The summary rows of the registry as collected up to ``year`` (of one province)."""
    summary = present(RegistrySummary.objects.filter(data_year__lte=year))
    if province:
        summary = summary.filter(province__bps_code=province)
    return summary


def ikm_report(filters: RealizationFilter) -> ReportResult:
    """Province rows (every province on the year's map, zeros included, so a province without
    records shows; a record counts for its regency's province in its data year), then KBLI-group
    rows; three queries, over RegistrySummary (a few thousand rows whatever the registry's size:
    see programs.registry.summary), never over the enterprises themselves."""
    summary = registry_summary(filters.year, filters.province)
    provinces = Province.objects.existing_in(filters.year).order_by("bps_code")
    if filters.province:
        provinces = provinces.filter(bps_code=filters.province)
    per_province = {row["province"]: row for row in summary.order_by().values("province").annotate(**_figures())}
    rows: list[dict[str, Any]] = []
    for province in provinces:
        figures = per_province.get(province.pk, ZERO)
        rows.append({"group": "province", "province": province.bps_code, "province_name": province.name,
                     "kbli": None, "kbli_name": None, **{key: figures[key] for key in FIGURES}})  # fmt: skip
    totals = {key: sum(row[key] for row in rows) for key in FIGURES}
    per_group = summary.order_by().values("kbli_group").annotate(**_figures()).order_by("kbli_group")
    for figures in per_group:
        group = figures["kbli_group"]
        rows.append({"group": "kbli", "province": filters.province, "province_name": None, "kbli": group,
                     "kbli_name": KBLI_GROUPS.get(group, ""), **{key: figures[key] for key in FIGURES}})  # fmt: skip
    return ReportResult("ikm", rows, totals, {"year": filters.year})


IKM_REPORT = ReportSpec(
    "ikm",
    _("Registri IKM per provinsi dan KBLI"),
    (
        GROUP,
        Column("province", _("Kode BPS")),
        Column("province_name", _("Provinsi")),
        Column("kbli", _("Golongan KBLI")),
        Column("kbli_name", _("Uraian KBLI")),
        Column("enterprises", _("Jumlah IKM"), "money"),
        Column("workers", _("Tenaga kerja"), "money"),
        Column("investment", _("Investasi (Rp)"), "money"),
        Column("production_value", _("Nilai produksi (Rp)"), "money"),
        Column("small", _("Kecil"), "money"),
        Column("medium", _("Menengah"), "money"),
        Column("large", _("Besar"), "money"),
    ),
    lambda filters, context: ikm_report(filters),
    params=frozenset({"year", "province"}),
    below_province=False,
    # Built once per data version, like the budget reports: the summary rows raise the registry's
    # version (core.data_version), the provinces the reports' and the approved figures'.
    cacheable=True,
    versions=(APPROVED, REGISTRY),
    data_years=range(FIRST_DATA_YEAR, 2101),  # the registry's data years, as its filter allows
)

SPECS: tuple[ReportSpec, ...] = (IKM_REPORT,)
