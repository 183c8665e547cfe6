"""The demo's public page: the two past demo years (2022 and 2023, whose published figures the
demo reproduces) are switched on, as the directorate's admin would, when their demo data is
loaded. A year loaded earlier is left as it is: an admin who withdrew it keeps it withdrawn."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from accounts.roles import PROFILES, Role
from budgets.models import FiscalYear
from budgets.services.publication import publication_set

PUBLISHED_DEMO_YEARS = (2022, 2023)


def publication_demo_load(*, loaded_years: Iterable[int]) -> list[int]:
    """Publish the demo years among ``loaded_years`` (the years whose demo data this run wrote)."""
    wanted = [year for year in loaded_years if year in PUBLISHED_DEMO_YEARS]
    if not wanted:
        return []
    admin = get_user_model().objects.get(username=PROFILES[Role.ADMIN].demo_username)
    return [
        fiscal_year.year
        for fiscal_year in FiscalYear.objects.filter(year__in=wanted).order_by("year")
        if publication_set(fiscal_year=fiscal_year, published=True, by=admin)
    ]
