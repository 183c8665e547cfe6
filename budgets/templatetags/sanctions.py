"""``{% satker_sanctions satker fiscal_year as proposals %}``: the sanction proposals of a
satker-year, for templates/budgets/_sanctions.html (the satker page's view need not know)."""

from __future__ import annotations

from django import template

from budgets.models import FiscalYear, SanctionProposal, Satker

register = template.Library()


@register.simple_tag
def satker_sanctions(satker: Satker, fiscal_year: FiscalYear) -> list[SanctionProposal]:
    # The page has already put the satker through the scoping gate: these are its own proposals.
    return list(SanctionProposal.objects.filter(satker=satker, fiscal_year=fiscal_year).order_by("-proposed_at"))
