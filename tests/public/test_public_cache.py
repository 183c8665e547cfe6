"""The public page served from the shared cache (outside a transaction, where the data versions
count): a repeated anonymous request reads no report, an approval shows on the next request, a
withdrawal takes the year off at once. A small past year: Bengkulu and Aceh, one satker each."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    SatkerAuthority,
    SpendingType,
)
from budgets.services.publication import publication_set
from tests.queries import counted_queries
from tests.writes import add_realization

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2023


@pytest.fixture
def published_year(satker, other_satker, admin_user) -> FiscalYear:
    fiscal_year = FiscalYear.objects.create(year=YEAR)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    component = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    account = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    for unit, amounts in ((satker, (30_000_000, 20_000_000)), (other_satker, (10_000_000, 5_000_000))):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=fiscal_year, authority="DK")
        line = BudgetLine.objects.create(satker=unit, fiscal_year=fiscal_year, component=component, account=account,
                                         pagu=100_000_000)  # fmt: skip
        for month, amount in enumerate(amounts, start=1):
            report = MonthlyReport.objects.create(satker=unit, fiscal_year=fiscal_year, month=month,
                                                  status="APPROVED", due_date=date(YEAR, month, 28))  # fmt: skip
            add_realization(report=report, line=line, amount=amount)
    MonthlyReport.objects.filter(satker=other_satker, month=2).update(status="SUBMITTED")
    publication_set(fiscal_year=fiscal_year, published=True, by=admin_user)
    return fiscal_year


def test_a_repeated_request_reads_no_report_and_an_approval_shows_on_the_next(published_year, other_satker) -> None:
    client = Client()
    first = client.get(f"/public/?year={YEAR}")
    assert "Angka per 31 Januari 2023" in first.content.decode()  # Aceh's February awaits review
    with counted_queries() as queries:
        again = client.get(f"/public/?year={YEAR}")
    assert again.content == first.content
    # The data versions alone: the published years are part of the cached answer.
    assert len(queries) == 1, [query["sql"] for query in queries]
    MonthlyReport.objects.filter(satker=other_satker, month=2).update(status="APPROVED")
    after = client.get(f"/public/?year={YEAR}").content.decode()
    assert "Angka per 28 Februari 2023" in after
    assert "Rp65.000.000" in after  # 50 + 15 million realized over both provinces' two months


def test_the_files_are_cached_like_the_page(published_year) -> None:
    client = Client()
    for path in (f"/public/data.json?year={YEAR}", f"/public/provinsi.csv?year={YEAR}"):
        first = client.get(path)
        with counted_queries() as queries:
            again = client.get(path)
        assert again.content == first.content and len(queries) == 1, path


def test_a_withdrawn_year_is_gone_at_once_though_its_page_was_cached(published_year, admin_user) -> None:
    client = Client()
    assert client.get(f"/public/?year={YEAR}").status_code == 200
    assert client.get(f"/public/data.json?year={YEAR}").status_code == 200
    publication_set(fiscal_year=published_year, published=False, by=admin_user)
    assert client.get(f"/public/?year={YEAR}").status_code == 404
    assert client.get(f"/public/data.json?year={YEAR}").status_code == 404
    assert "Belum ada tahun anggaran yang dipublikasikan" in client.get("/public/").content.decode()
