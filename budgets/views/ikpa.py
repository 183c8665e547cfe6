"""A satker's IKPA page (issue 24): month by month each indicator and the composite, the page III
deviation per spending type, absorption per quarter and type against IKPA's targets and, apart,
the directorate's own targets, the revisions counted per semester, and where every imported value
came from. Estimates: the official IKPA is the treasury's (OM-SPAN)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import data_access_required
from budgets.calendar import as_of_month
from budgets.ikpa import rules
from budgets.ikpa.compute import SatkerIkpa
from budgets.ikpa.selectors import treasury_published
from budgets.ikpa.year_rules import year_rules
from budgets.models import BudgetRevision, IkpaTreasuryFigure, Satker, SpendingType
from budgets.reports.ikpa import satker_ikpa
from budgets.reports.queries import RealizationFilter
from budgets.views.common import satker_year_or_404
from core.formats import MONTH_CHOICES
from core.reporting.spec import percent


def _absorption_rows(latest: SatkerIkpa, ikpa: rules.YearRules, fiscal_year: Any) -> list[dict[str, Any]]:
    """Per quarter counted (and per spending type): realization to the quarter's end over the
    effective pagu, against IKPA's target of the type; the quarter's score; and, apart, the whole
    satker's absorption against the directorate's own target."""
    own_targets = {1: fiscal_year.target_q1, 2: fiscal_year.target_q2, 3: fiscal_year.target_q3,
                   4: fiscal_year.target_q4}  # fmt: skip
    pagu = latest.pagu_by_type
    rows = []
    for quarter, realized in sorted(latest.realized_by_quarter.items()):
        targets = ikpa.absorption_targets.get(quarter, {})
        types = [
            {"code": code, "pagu": pagu[code], "realized": realized.get(code, 0),
             "absorbed": percent(realized.get(code, 0), pagu[code]), "target": targets.get(code)}
            for code in sorted(pagu) if pagu[code] > 0
        ]  # fmt: skip
        total_pagu = sum(row["pagu"] for row in types)
        rows.append({
            "quarter": quarter, "types": types, "score": latest.quarter_scores.get(quarter),
            "absorbed": percent(sum(row["realized"] for row in types), total_pagu),
            "own_target": own_targets[quarter],
        })  # fmt: skip
    return rows


@data_access_required()
@require_safe
def satker_ikpa_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    today = timezone.localdate()
    month = as_of_month(fiscal_year.year, today)
    months = list(range(1, month + 1))
    ikpa = year_rules(fiscal_year)
    filters = RealizationFilter(year=fiscal_year.year, month=month, satkers=Satker.objects.filter(pk=satker.pk))
    _satkers, by_satker = satker_ikpa(filters, fiscal_year, today, months, ikpa)
    by_month = by_satker.get(satker.pk, {})
    latest = by_month.get(month)
    names = dict(MONTH_CHOICES)
    types = sorted({code for value in by_month.values() for row in value.type_deviations.values() for code in row})
    type_names = dict(SpendingType.objects.filter(code__in=types).values_list("code", "name"))
    revisions = BudgetRevision.objects.filter(satker=satker, fiscal_year=fiscal_year, number__gt=0).order_by("date")
    figures = (
        IkpaTreasuryFigure.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .select_related("upload", "entered_by")
        .order_by("month", "indicator")
    )
    deviation_rows = [
        {"name": names[m], "by_type": [latest.type_deviations.get(m, {}).get(code) for code in types],
         "deviation": latest.month_deviations.get(m), "score": latest.month_scores.get(m)}
        for m in months if latest
    ]  # fmt: skip
    return render(request, "budgets/satker_ikpa.html", {
        "satker": satker, "fiscal_year": fiscal_year, "month": month, "month_name": names[month],
        "rules": ikpa, "indicators": rules.INDICATORS, "imported_keys": rules.IMPORTED,
        "rows": [{"month": m, "name": names[m], "ikpa": by_month[m]} for m in months if m in by_month],
        "latest": latest,
        "types": [(code, type_names.get(code, "")) for code in types],
        "deviation_rows": deviation_rows,
        "absorption": _absorption_rows(latest, ikpa, fiscal_year) if latest else [],
        "revisions": [(revision, revision.treasury_code in ikpa.counted_revision_codes) for revision in revisions],
        "figures": figures,
        # The treasury's own value (OM-SPAN's export), beside the estimate: the official one.
        "published": treasury_published([satker.pk], fiscal_year, month).get(satker.pk),
    })  # fmt: skip
