"""A fiscal year (2025) with DIPAs for Bengkulu and Aceh, for the ledger, reminder and sanction
tests: January 2025's report is due on Friday 7 February 2025 (5th working day)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    Holiday,
    MonthlyReport,
    SpendingType,
    TimelinessStep,
)
from tests.factories import UserFactory

JANUARY_DUE = date(2025, 2, 7)


def make_year(satker, other_satker, *, step: str = TimelinessStep.SUBMISSION) -> FiscalYear:
    fiscal_year = FiscalYear.objects.create(year=2025, timeliness_step=step)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    component = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    account = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    for unit in (satker, other_satker):
        BudgetLine.objects.create(satker=unit, fiscal_year=fiscal_year, component=component, account=account,
                                  pagu=100_000_000)  # fmt: skip
    return fiscal_year


def holiday(day: date) -> Holiday:
    return Holiday.objects.create(date=day, name="Libur")


def sent_report(satker, fiscal_year, month: int, on: date, *, on_time: bool, status: str = "SUBMITTED"):
    at = timezone.make_aware(datetime(on.year, on.month, on.day, 10))
    return MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=month, due_date=JANUARY_DUE if month == 1 else on,
        status=status, submitted_at=at, submitted_on_time=on_time,
    )  # fmt: skip


def head_of(province, email: str = "kadis@disperin.bengkuluprov.go.id"):
    return UserFactory(username=f"head-{province.bps_code}", role="HEAD", province=province, email=email)
