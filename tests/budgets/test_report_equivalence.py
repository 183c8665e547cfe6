"""The realization reports, read from their summaries through UNION queries, give the figures
of the plain aggregates over the base rows: random data, every kind of filter.

The "plain aggregate" here is the definition itself, computed in Python from every budget
line, realization row and RPD plan: nothing shared with budgets/reports/queries.py.
"""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets import realization_summary
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    ComponentRealization,
    FiscalYear,
    MonthlyReport,
    Realization,
    RpdPlan,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from budgets.reports.queries import (
    BASIS_STATUSES,
    RealizationFilter,
    monthly_report,
    national_summary,
    percent,
    province_ranking,
    realization_total,
    satker_report,
)
from budgets.services import realization_set
from tests.factories import ProvinceFactory, SatkerFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
STATUSES = ["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"]


@pytest.fixture
def random_year():
    """Five provinces of one to three satkers (one without a DIPA), three authorities, three
    components, twelve months of reports in every status, realization on random lines, RPD."""
    rng = random.Random(20251128)  # noqa: S311 (test data, not secrets)
    fiscal_year = FiscalYear.objects.create(year=YEAR)
    goods = SpendingType.objects.create(code="52", name="Barang", name_en="Goods")
    capital = SpendingType.objects.create(code="53", name="Modal", name_en="Capital")
    accounts = [
        Account.objects.create(code="521211", name="Bahan", spending_type=goods),
        Account.objects.create(code="524111", name="Perjalanan", spending_type=goods),
        Account.objects.create(code="532111", name="Mesin", spending_type=capital),
    ]
    components = [
        BudgetComponent.objects.create(code=f"05{i}", name=f"Komponen {i}", name_en=f"C{i}") for i in range(3)
    ]
    satkers = []
    for p in range(5):
        code = f"{61 + p}"
        province = ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-R{p}")
        for s in range(1 + p % 3):
            satker = SatkerFactory(province=province, code=f"{code}00{s}9")
            authority = rng.choice(["KP", "DK", "TP"])
            SatkerAuthority.objects.create(satker=satker, fiscal_year=fiscal_year, authority=authority)
            satkers.append(satker)
    lines = []
    for satker in satkers[1:]:  # the first has no DIPA
        for component in components:
            for account in rng.sample(accounts, rng.randint(1, 3)):
                pagu = rng.randint(10, 500) * 1_000_000
                blokir = rng.choice([0, pagu // 10])
                line = BudgetLine.objects.create(satker=satker, fiscal_year=fiscal_year, component=component,
                                                 account=account, pagu=pagu, blokir=blokir)  # fmt: skip
                lines.append(line)
    for satker in satkers:
        for month in range(1, 13):
            RpdPlan.objects.create(satker=satker, fiscal_year=fiscal_year, spending_type=rng.choice([goods, capital]),
                                   month=month, amount=rng.randint(0, 50) * 1_000_000)  # fmt: skip
    reports = {}
    for satker in satkers:
        for month in rng.sample(range(1, 13), 9):
            reports[(satker.pk, month)] = MonthlyReport.objects.create(
                satker=satker, fiscal_year=fiscal_year, month=month, due_date=f"{YEAR}-12-31",
                status=rng.choice(STATUSES),
            )  # fmt: skip
    rows = []
    for line in lines:
        for (satker_id, _month), report in reports.items():
            if satker_id == line.satker_id and rng.random() < 0.7:
                rows.append(Realization(report=report, line=line, amount=rng.randint(0, 8) * 1_000_000))
    Realization.objects.bulk_create(rows)
    realization_summary.refresh(report.pk for report in reports.values())
    return fiscal_year


def plain(filters: RealizationFilter) -> dict:
    """The definition: per satker of the filter, sums over its lines, counted realization and RPD."""
    authority = dict(
        SatkerAuthority.objects.filter(fiscal_year__year=filters.year).values_list("satker_id", "authority")
    )
    satkers = {
        pk: info
        for pk, *info in SatkerAuthority.objects.filter(fiscal_year__year=filters.year).values_list(
            "satker_id", "satker__code", "satker__province__bps_code"
        )
        if (filters.authority is None or authority[pk] == filters.authority)
        and (filters.province is None or info[1] == filters.province)
    }
    figures = defaultdict(lambda: {"pagu": 0, "blokir": 0, "realisasi": 0, "rpd": 0, "lines": 0})
    components = defaultdict(lambda: {"pagu": 0, "blokir": 0, "realisasi": 0, "lines": 0})
    for line in BudgetLine.objects.select_related("component"):
        if line.satker_id in satkers and (filters.component is None or line.component.code == filters.component):
            for target in (figures[line.satker_id], components[line.component.code]):
                target["pagu"] += line.pagu
                target["blokir"] += line.blokir
                target["lines"] += 1
    for row in Realization.objects.select_related("report", "line__component"):
        report = row.report
        if (report.satker_id in satkers and report.status in BASIS_STATUSES[filters.basis]
                and (filters.month is None or report.month <= filters.month)
                and (filters.component is None or row.line.component.code == filters.component)):  # fmt: skip
            figures[report.satker_id]["realisasi"] += row.amount
            components[row.line.component.code]["realisasi"] += row.amount
    by_month = defaultdict(lambda: {"rpd": 0, "realisasi": 0})
    for plan in RpdPlan.objects.all():
        if plan.satker_id in satkers:
            by_month[plan.month]["rpd"] += plan.amount  # the whole year, month by month
            if filters.month is None or plan.month <= filters.month:
                figures[plan.satker_id]["rpd"] += plan.amount
    for row in Realization.objects.select_related("report"):
        if row.report.satker_id in satkers and row.report.status in BASIS_STATUSES[filters.basis]:
            by_month[row.report.month]["realisasi"] += row.amount
    return {
        "satkers": satkers,
        "figures": figures,
        "components": components,
        "by_month": by_month,
        "authority": authority,
    }


def money(figures: dict, with_rpd: bool) -> tuple:
    pagu_efektif = figures["pagu"] - figures["blokir"]
    return (figures["pagu"], figures["blokir"], pagu_efektif, figures["rpd"] if with_rpd else None,
            figures["realisasi"], percent(figures["realisasi"], pagu_efektif))  # fmt: skip


def reported(row: dict) -> tuple:
    return (row["pagu"], row["blokir"], row["pagu_efektif"], row["rpd"], row["realisasi"], row["persen"])


def summed(rows) -> dict:
    total = {"pagu": 0, "blokir": 0, "realisasi": 0, "rpd": 0, "lines": 0}
    for row in rows:
        for key in total:
            total[key] += row.get(key, 0)
    return total


FILTERS = [
    {},
    {"basis": "submitted"},
    {"month": 6},
    {"authority": "DK"},
    {"authority": "TP", "month": 9, "basis": "submitted"},
    {"component": "051"},
    {"component": "052", "month": 3},
    {"province": "63"},
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_reports_equal_the_plain_aggregates(random_year, params) -> None:
    filters = RealizationFilter(year=YEAR, **params)
    expected = plain(filters)
    with_rpd = "component" not in params
    figures, satkers = expected["figures"], expected["satkers"]

    total = summed(figures.values())
    assert reported(realization_total(filters)) == money(total, with_rpd)

    satker_rows = satker_report(filters, below=None, threshold=Decimal("50")).rows
    assert {row["satker"]: reported(row) for row in satker_rows} == {
        satkers[pk][0]: money(f, with_rpd) for pk, f in figures.items() if f["lines"]
    }

    # The ranking: provincial satkers of one authority (the filter's, else the year's most common
    # provincial one); the central units apart, never in their province's row.
    ranking = province_ranking(filters, today=date(YEAR + 1, 1, 1))
    central = set(Satker.objects.filter(is_central=True).values_list("pk", flat=True))
    provincial = Counter(a for pk, a in expected["authority"].items() if pk not in central and a != "KP")
    assert ranking.params["authority"] == (
        params.get("authority") or min(provincial, key=lambda a: (-provincial[a], a))
    )
    ranked = {pk: f for pk, f in figures.items()
              if pk not in central and expected["authority"][pk] == ranking.params["authority"]}  # fmt: skip
    by_province = defaultdict(list)
    for pk, f in ranked.items():
        by_province[satkers[pk][1]].append(f)
    assert {row["province"]: reported(row) for row in ranking.rows} == {
        code: money(summed(rows), with_rpd) for code, rows in by_province.items() if summed(rows)["lines"]
    }
    assert reported(ranking.totals) == money(summed(ranked.values()), with_rpd)
    central_total = money(summed(f for pk, f in figures.items() if pk in central), with_rpd)
    assert (ranking.totals["central_pagu_efektif"], ranking.totals["central_realisasi"]) == (
        central_total[2],
        central_total[4],
    )

    national = national_summary(filters)
    authorities = defaultdict(list)
    for pk, f in figures.items():
        authorities[expected["authority"][pk]].append(f)
    assert {row["key"]: reported(row) for row in national.rows if row["group"] == "authority"} == {
        a: money(summed(rows), with_rpd) for a, rows in authorities.items() if summed(rows)["pagu"]
    }
    assert {row["key"]: reported(row) for row in national.rows if row["group"] == "component"} == {
        code: money({**c, "rpd": 0}, False) for code, c in expected["components"].items() if c["lines"]
    }

    if "component" not in params:
        monthly = monthly_report(replace(filters, month=None), fiscal_year=random_year)
        assert {row["month"]: (row["rpd"], row["realisasi"]) for row in monthly.rows} == {
            month: (expected["by_month"][month]["rpd"], expected["by_month"][month]["realisasi"])
            for month in range(1, 13)
        }


def test_realization_set_keeps_the_summaries_current(random_year, today) -> None:
    admin = UserFactory(username="admin-eq", role="ADMIN")
    line = BudgetLine.objects.filter(fiscal_year=random_year).first()
    report = MonthlyReport.objects.filter(satker=line.satker, status__in=["DRAFT", "RETURNED"]).first()
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    realization_set(satker=line.satker, fiscal_year=fiscal_year, month=report.month, amounts={line.pk: 1_234_000},
                    expected_version=report.version, by=admin, today=today.replace(year=YEAR + 1))  # fmt: skip
    assert realization_summary.differences() == []
    report.refresh_from_db()
    assert report.realized_total == sum(report.realizations.values_list("amount", flat=True))


def test_the_rebuild_command_finds_and_repairs_a_difference(random_year) -> None:
    call_command("rebuild_realization_summary", "--check")
    planted = ComponentRealization.objects.first()
    ComponentRealization.objects.filter(pk=planted.pk).update(amount=1)
    report = MonthlyReport.objects.first()
    MonthlyReport.objects.filter(pk=report.pk).update(realized_total=7)
    out = io.StringIO()
    with pytest.raises(CommandError, match="berbeda pada 2 tempat"):
        call_command("rebuild_realization_summary", "--check", stdout=out)
    listed = out.getvalue()
    assert f"laporan {planted.report_id} komponen {planted.component_id}: 1," in listed
    assert f"laporan {report.pk}: jumlah 7," in listed
    call_command("rebuild_realization_summary")
    call_command("rebuild_realization_summary", "--check")
