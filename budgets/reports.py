"""Realization figures: each report is one function returning rows from one annotated queryset.

The reports issue adds renderers (HTML, XLSX, CSV, JSON) on top of these rows; the demo data
test asserts the public figures through the very same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from budgets.models import BudgetLine, MonthlyReport, Province, Realization, Satker

Status = MonthlyReport.Status
BASIS_STATUSES = {
    # Official figures count approved reports; "submitted" adds those awaiting review.
    "approved": [Status.APPROVED],
    "submitted": [Status.APPROVED, Status.SUBMITTED],
}


@dataclass(frozen=True)
class RealizationFilter:
    year: int
    month: int | None = None  # as of the end of this month (cumulative); None = whole year
    authority: str | None = None  # KP / DK / TP; None = all of the directorate's satkers
    basis: str = "approved"
    province: str | None = None  # BPS code

    def satker_q(self, path: str = "") -> Q:
        """Satkers of the year (those with an authority that year), optionally of one authority."""
        prefix = f"{path}__" if path else ""
        q = Q(**{f"{prefix}authorities__fiscal_year__year": self.year})
        if self.authority:
            q &= Q(**{f"{prefix}authorities__authority": self.authority})
        if self.province:
            q &= Q(**{f"{prefix}province__bps_code": self.province})
        return q


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with two decimals (half up), as the directorate publishes them."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _lines(filters: RealizationFilter) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(
        fiscal_year__year=filters.year, satker__in=Satker.objects.filter(filters.satker_q())
    )


def _realizations(filters: RealizationFilter) -> QuerySet[Realization]:
    realizations = Realization.objects.filter(
        report__fiscal_year__year=filters.year,
        report__status__in=BASIS_STATUSES[filters.basis],
        report__satker__in=Satker.objects.filter(filters.satker_q()),
    )
    if filters.month:
        realizations = realizations.filter(report__month__lte=filters.month)
    return realizations


def _sum_per_row(queryset: QuerySet, group: str, expression: Any) -> Coalesce:
    """Sum(expression) of ``queryset`` rows whose ``group`` is the outer row, 0 when none."""
    return Coalesce(
        Subquery(
            queryset.filter(**{group: OuterRef("pk")}).values(group).annotate(total=Sum(expression)).values("total"),
            output_field=BigIntegerField(),
        ),
        Value(0, output_field=BigIntegerField()),
    )


def _with_figures(queryset: QuerySet, filters: RealizationFilter, path: str) -> QuerySet:
    """Annotate pagu, blokir, pagu_efektif and realisasi on rows reached from a satker by
    ``path`` ("" for satkers themselves, "province" for provinces)."""
    satker = "satker__" + path if path else "satker"
    return queryset.annotate(
        pagu=_sum_per_row(_lines(filters), satker, F("pagu")),
        blokir=_sum_per_row(_lines(filters), satker, F("blokir")),
        realisasi=_sum_per_row(_realizations(filters), "report__" + satker, F("amount")),
    ).annotate(pagu_efektif=F("pagu") - F("blokir"))


def _rows(queryset: QuerySet, keys: dict[str, str]) -> list[dict[str, Any]]:
    """Rows as dicts with the CONTRACT's keys; ``keys`` maps each key to its lookup (renamed
    here because names like ``province`` are fields of the models themselves)."""
    rows = []
    for values in queryset.values(*keys.values(), "pagu", "blokir", "pagu_efektif", "realisasi"):
        row = {key: values[lookup] for key, lookup in keys.items()}
        row.update({key: values[key] for key in ("pagu", "blokir", "pagu_efektif", "realisasi")})
        row["persen"] = percent(row["realisasi"], row["pagu_efektif"])
        rows.append(row)
    return rows


def _reporting_satkers(filters: RealizationFilter) -> QuerySet[Satker]:
    """Satkers of the filter that have a DIPA (budget lines) in the year: a satker or province
    without budget has no percentage to rank."""
    return Satker.objects.filter(filters.satker_q(), budget_lines__fiscal_year__year=filters.year)


def realization_by_province(filters: RealizationFilter) -> list[dict[str, Any]]:
    """One row per province that has satkers with a DIPA in the year (and authority)."""
    provinces = Province.objects.filter(pk__in=_reporting_satkers(filters).values("province")).order_by("bps_code")
    return _rows(_with_figures(provinces, filters, "province"), {"province": "bps_code", "province_name": "name"})


def realization_by_satker(filters: RealizationFilter) -> list[dict[str, Any]]:
    satkers = Satker.objects.filter(pk__in=_reporting_satkers(filters).values("pk")).order_by("code")
    return _rows(
        _with_figures(satkers, filters, ""),
        {"satker": "code", "satker_name": "name", "province": "province__bps_code"},
    )


def realization_total(filters: RealizationFilter) -> dict[str, Any]:
    """The totals of the filtered satkers: pagu, blokir, pagu_efektif, realisasi, persen."""
    pagu = _lines(filters).aggregate(pagu=Coalesce(Sum("pagu"), 0), blokir=Coalesce(Sum("blokir"), 0))
    realisasi = _realizations(filters).aggregate(total=Coalesce(Sum("amount"), 0))["total"]
    pagu_efektif = pagu["pagu"] - pagu["blokir"]
    return {**pagu, "pagu_efektif": pagu_efektif, "realisasi": realisasi, "persen": percent(realisasi, pagu_efektif)}
