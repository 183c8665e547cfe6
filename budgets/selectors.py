"""Small reads of master data used by several pages (reports proper live in reports.py)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from budgets.models import Authority, FiscalYear, SatkerAuthority
from ikmsite.accounts.scoping import scoped


def current_fiscal_year() -> FiscalYear | None:
    """The fiscal year of today's date, or the latest one before it."""
    return FiscalYear.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()


def satker_count_by_authority(*, user, fiscal_year: FiscalYear) -> list[tuple[str, str, int]]:
    """(code, label, number of satkers) for each authority in ``fiscal_year``, within the user's scope."""
    counts = dict(
        scoped(SatkerAuthority.objects.filter(fiscal_year=fiscal_year), user)
        .values_list("authority")
        .annotate(satkers=Count("pk"))
        .order_by()
    )
    return [(code, label, counts.get(code, 0)) for code, label in Authority.choices]
