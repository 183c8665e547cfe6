"""The IKPA figures only the treasury publishes (OM-SPAN's Monitoring IKPA: belanja kontraktual,
penyelesaian tagihan, pengelolaan UP/TUP, dispensasi SPM) for every demo satker and every month of
2022 and 2023, as if the directorate's admin had imported each year's export: source "import",
linked to one demo upload per year (recorded as imported, without a stored file), so that the IKPA
pages show them as the imported figures they stand for in real use.

Deterministic and plausible: most satkers score 94-100 on contracts, invoices and UP/TUP with a
little movement from month to month, about one in eight lower (78-90) on one of them; dispensasi,
an indicator scored 0-100 in 2022-2023 (PER-5/PB/2022), is 100 (no dispensation) for most satkers,
and a few lose points from the month they needed one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budgets.calendar import following_month
from budgets.models import BudgetLine, FiscalYear, IkpaTreasuryFigure, Satker
from demo.budgets import DEMO_REASON, JAKARTA
from imports.models import Upload

IKPA_DEMO_YEARS = (2022, 2023)
SEED = "ikma-ikpa-demo"
CENT = Decimal("0.01")
PERFORMANCE = ("kontraktual", "tagihan", "up_tup")


def _value(number: float) -> Decimal:
    return min(Decimal(100), Decimal(str(number)).quantize(CENT, rounding=ROUND_HALF_UP))


def demo_figures(code: str, year: int) -> dict[int, dict[str, Decimal]]:
    """Month -> indicator -> value of one satker-year (pure: the same every load)."""
    rng = random.Random(f"{SEED}-{year}-{code}")  # noqa: S311 - demo figures, not secrets
    weak = rng.choice(PERFORMANCE) if rng.random() < 0.125 else None
    base = {key: rng.uniform(78, 90) if key == weak else rng.uniform(94, 100) for key in PERFORMANCE}
    dispensation_from = rng.choice(range(4, 13)) if rng.random() < 0.1 else None
    figures = {}
    for month in range(1, 13):
        values = {key: _value(base[key] + rng.uniform(-2, 1.5)) for key in PERFORMANCE}
        dispensed = dispensation_from is not None and month >= dispensation_from
        values["dispensasi"] = Decimal("95.00") if dispensed else Decimal("100.00")
        figures[month] = values
    return figures


def _published_at(year: int, month: int) -> datetime:
    """The export of a month is imported on the 10th of the next month, at 09:00."""
    following_year, following = following_month(year, month)
    return datetime.combine(date(following_year, following, 10), time(9, 0), tzinfo=JAKARTA)


def ikpa_demo_load(*, years: Sequence[int] | None = None) -> dict[int, int]:
    """Per year loaded, the number of figures written; a year whose demo satkers already have
    figures, or that has no demo satkers, is left as it is."""
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return {}
    written = {}
    for year in sorted(set(IKPA_DEMO_YEARS if years is None else years) & set(IKPA_DEMO_YEARS)):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None or IkpaTreasuryFigure.objects.filter(fiscal_year=fiscal_year).exists():
            continue
        with_lines = BudgetLine.objects.filter(fiscal_year=fiscal_year).values("satker")
        satkers = {satker.code: satker for satker in Satker.objects.filter(pk__in=with_lines)}
        if not satkers:
            continue
        written[year] = _write_year(fiscal_year, satkers, admin)
    return written


def _write_year(fiscal_year: FiscalYear, satkers: dict, admin) -> int:
    year = fiscal_year.year
    now = timezone.now()
    upload = Upload.objects.create(
        kind="ikpa", original_name=f"monitoring-ikpa-{year}-demo.xlsx", uploaded_by=admin,
        status=Upload.Status.IMPORTED, confirmed_by=admin, confirmed_at=now, checked_at=now, finished_at=now,
        row_count=len(satkers) * 12, new_count=len(satkers) * 12,
    )  # fmt: skip
    objects = []
    for code, satker in sorted(satkers.items()):
        for month, values in demo_figures(code, year).items():
            published = _published_at(year, month)
            for indicator, value in values.items():
                figure = IkpaTreasuryFigure(
                    satker=satker, fiscal_year=fiscal_year, month=month, indicator=indicator, value=value,
                    source=IkpaTreasuryFigure.Source.IMPORT, upload=upload, entered_by=admin, entered_at=published,
                )  # fmt: skip
                figure._history_user, figure._history_date = admin, published
                objects.append(figure)
    bulk_create_with_history(objects, IkpaTreasuryFigure, batch_size=1000, default_change_reason=DEMO_REASON)
    return len(objects)
