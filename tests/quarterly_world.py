"""A past fiscal year (2024) for the quarterly report's tests: Bengkulu's and Aceh's satkers with a
DIPA of two ROs, the first quarter's monthly reports approved with realization and RO rows, and the
people who act on the report (officer, head, acting head, other province's head, reviewer, admin,
viewer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import Delegation
from budgets.models import (
    Account,
    Activity,
    Authority,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputClass,
    OutputVolumeTarget,
    QuarterlyReport,
    SatkerAuthority,
    SpendingType,
)
from tests.factories import UserFactory
from tests.writes import add_realization

YEAR = 2024
D = Decimal
Status = MonthlyReport.Status


@dataclass
class World:
    fiscal_year: FiscalYear
    satker: object
    other_satker: object
    line_a: BudgetLine  # RO A: 100.000.000
    line_b: BudgetLine  # RO B: 100.000.000
    ro_a: Output
    ro_b: Output
    officer: object
    other_officer: object
    head: object
    other_head: object
    acting: object  # an officer of Bengkulu, Plh of the head in 2024-2026
    second_officer: object
    reviewer: object
    admin: object
    viewer: object


def build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> World:
    fiscal_year = FiscalYear.objects.create(year=YEAR)
    for each in (satker, other_satker):
        SatkerAuthority.objects.create(satker=each, fiscal_year=fiscal_year, authority=Authority.DK)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    component = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    account = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    account_b = Account.objects.create(code="524111", name="Perjalanan", spending_type=goods)
    activity = Activity.objects.create(code="6503", name="Pengembangan IKM", name_en="SME development")
    kro = OutputClass.objects.create(activity=activity, code="RBS", name="Pelayanan publik")
    ro_a = Output.objects.create(output_class=kro, code="001", name="Wirausaha baru", name_en="WUB", unit="orang")
    ro_b = Output.objects.create(output_class=kro, code="002", name="Sentra dibina", name_en="Centres", unit="sentra")
    line_a = BudgetLine.objects.create(satker=satker, fiscal_year=fiscal_year, component=component, account=account,
                                       pagu=100_000_000, output=ro_a)  # fmt: skip
    line_b = BudgetLine.objects.create(satker=satker, fiscal_year=fiscal_year, component=component,
                                       account=account_b, pagu=100_000_000, output=ro_b)  # fmt: skip
    BudgetLine.objects.create(satker=other_satker, fiscal_year=fiscal_year, component=component, account=account,
                              pagu=50_000_000, output=ro_a)  # fmt: skip
    for output in (ro_a, ro_b):
        OutputVolumeTarget.objects.create(satker=satker, fiscal_year=fiscal_year, output=output, volume=D(10))
    province = satker.province
    head = UserFactory(username="head-17", role="HEAD", province=province)
    other_head = UserFactory(username="head-11", role="HEAD", province=other_satker.province)
    acting = UserFactory(username="plh-17", role="OFFICER", province=province)
    Delegation.objects.create(head=head, acting=acting, starts_on=date(2024, 1, 1), ends_on=date(2099, 12, 31),
                              decree="800/1/2024")  # fmt: skip
    second = UserFactory(username="officer2-17", role="OFFICER", province=province)
    return World(fiscal_year, satker, other_satker, line_a, line_b, ro_a, ro_b, officer, other_officer, head,
                 other_head, acting, second, reviewer, admin_user, viewer)  # fmt: skip


def month_report(world: World, month: int, *, status: str = Status.APPROVED, amount_a: int = 0, amount_b: int = 0,
                 progress_a: str = "0", progress_b: str = "0", satker=None) -> MonthlyReport:  # fmt: skip
    """A monthly report of 2024 with its realization per RO line and RO rows."""
    from budgets.calendar import report_due_date

    satker = satker or world.satker
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=world.fiscal_year, month=month, status=status,
                                          due_date=report_due_date(YEAR, month, []))  # fmt: skip
    if satker == world.satker:
        if amount_a:
            add_realization(report=report, line=world.line_a, amount=amount_a)
        if amount_b:
            add_realization(report=report, line=world.line_b, amount=amount_b)
        OutputAchievement.objects.create(report=report, output=world.ro_a, volume=D(1), physical_progress=D(progress_a))
        OutputAchievement.objects.create(report=report, output=world.ro_b, volume=D(1), physical_progress=D(progress_b))
    return report


def first_quarter_on_target(world: World) -> None:
    """January-March approved: 40 % absorbed (target 15 %), physical progress close to financial."""
    month_report(world, 1, amount_a=10_000_000, amount_b=10_000_000, progress_a="10", progress_b="10")
    month_report(world, 2, amount_a=10_000_000, amount_b=10_000_000, progress_a="20", progress_b="20")
    month_report(world, 3, amount_a=20_000_000, amount_b=20_000_000, progress_a="35", progress_b="35")


def now_date() -> date:
    return timezone.localdate()


def quarterly(world: World, period: int = 1, *, year_end: bool = False) -> QuarterlyReport | None:
    kind = QuarterlyReport.Kind.YEAR_END if year_end else QuarterlyReport.Kind.QUARTER
    return QuarterlyReport.objects.filter(satker=world.satker, fiscal_year=world.fiscal_year, period=period,
                                          kind=kind).first()  # fmt: skip
