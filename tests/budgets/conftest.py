"""A satker-year with a DIPA, for the budget execution tests: the current fiscal year (so that
every month up to now can be entered), two lines for Bengkulu and one for Aceh."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from budgets.models import Account, BudgetComponent, BudgetLine, FiscalYear, SpendingType


@dataclass
class Dipa:
    fiscal_year: FiscalYear
    goods: SpendingType
    capital: SpendingType
    ovop: BudgetLine  # 052 goods: 100.000.000, blokir 10.000.000
    travel: BudgetLine  # 052 goods: 50.000.000
    machine: BudgetLine  # 053 capital: 30.000.000
    other_line: BudgetLine  # Aceh


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def dipa(satker, other_satker, today) -> Dipa:
    fiscal_year = FiscalYear.objects.create(year=today.year)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    capital = SpendingType.objects.create(code="53", name="Belanja Modal", name_en="Capital")
    ovop = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    material = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    travel = Account.objects.create(code="524111", name="Belanja Perjalanan Dinas Biasa", spending_type=goods)
    machine = Account.objects.create(code="532111", name="Belanja Modal Peralatan dan Mesin", spending_type=capital)

    def line(satker, account, pagu: int, blokir: int = 0) -> BudgetLine:
        return BudgetLine.objects.create(
            satker=satker, fiscal_year=fiscal_year, component=ovop, account=account, pagu=pagu, blokir=blokir
        )

    return Dipa(
        fiscal_year=fiscal_year,
        goods=goods,
        capital=capital,
        ovop=line(satker, material, 100_000_000, 10_000_000),
        travel=line(satker, travel, 50_000_000),
        machine=line(satker, machine, 30_000_000),
        other_line=line(other_satker, material, 80_000_000),
    )
