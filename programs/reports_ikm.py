"""The IKM registry report (/reports/ikm/): registry counts, workers, investment, production
value and size classes per province, then per KBLI group (two-digit division), with national
totals.

``year`` is the data-collection year: the report counts enterprises whose ``data_year`` is at
most that year, i.e. the registry as collected up to then. The registry keeps one current
record per enterprise (no yearly snapshots), so an enterprise surveyed again later counts from
its newest collection year.

The report parameters are the fixed set of budgets/report_params.py, so the KBLI breakdown
cannot be a ``kbli=`` parameter: it comes as extra rows of the same report, told apart by
``group`` ("province" rows first, then "kbli" rows). The province rows alone add up to the
totals; so do the KBLI rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from budgets.models import Province
from budgets.report_specs import Column, ReportSpec, register_report
from budgets.reports import RealizationFilter, ReportResult
from programs.models import Enterprise, SizeClass

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
    return {
        "enterprises": Count("id"),
        "workers": Coalesce(Sum(F("workers_male") + F("workers_female")), Value(0)),
        "investment": Coalesce(Sum("investment"), Value(0)),
        "production_value": Coalesce(Sum("production_value"), Value(0)),
        "small": Count("id", filter=Q(size_class=SizeClass.SMALL)),
        "medium": Count("id", filter=Q(size_class=SizeClass.MEDIUM)),
        "large": Count("id", filter=Q(size_class=SizeClass.LARGE)),
    }


def registry_enterprises(year: int, province: str | None) -> QuerySet[Enterprise]:
    enterprises = Enterprise.objects.filter(data_year__lte=year)
    if province:
        enterprises = enterprises.filter(province__bps_code=province)
    return enterprises


def ikm_report(filters: RealizationFilter) -> ReportResult:
    """Province rows (every province, zeros included, so a province without records shows), then
    KBLI-group rows; three queries whatever the registry's size."""
    enterprises = registry_enterprises(filters.year, filters.province)
    provinces = Province.objects.order_by("bps_code")
    if filters.province:
        provinces = provinces.filter(bps_code=filters.province)
    per_province = {row["province"]: row for row in enterprises.order_by().values("province").annotate(**_figures())}
    rows: list[dict[str, Any]] = []
    for province in provinces:
        figures = per_province.get(province.pk, ZERO)
        rows.append({"group": "province", "province": province.bps_code, "province_name": province.name,
                     "kbli": None, "kbli_name": None, **{key: figures[key] for key in FIGURES}})  # fmt: skip
    totals = {key: sum(row[key] for row in rows) for key in FIGURES}
    per_group = (
        enterprises.order_by()
        .annotate(kbli_group=Substr("kbli", 1, 2))
        .values("kbli_group")
        .annotate(**_figures())
        .order_by("kbli_group")
    )
    for figures in per_group:
        group = figures["kbli_group"]
        rows.append({"group": "kbli", "province": filters.province, "province_name": None, "kbli": group,
                     "kbli_name": KBLI_GROUPS.get(group, ""), **{key: figures[key] for key in FIGURES}})  # fmt: skip
    return ReportResult("ikm", rows, totals, {"year": filters.year})


IKM_REPORT = ReportSpec(
    "ikm",
    "programs:report-ikm",
    _("Registri IKM per provinsi dan KBLI"),
    (
        Column("group", _("Kelompok")),
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
)


register_report(IKM_REPORT)
