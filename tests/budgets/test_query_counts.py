"""Budget execution pages cost a constant number of queries, whatever the number of lines,
months and reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import Account, BudgetLine, MonthlyReport
from tests.conftest import client_for
from tests.factories import SatkerFactory

pytestmark = pytest.mark.django_db


def grow(satker, dipa, extra_lines: int) -> None:
    goods = dipa.goods
    for index in range(extra_lines):
        account = Account.objects.create(code=f"5219{index:02d}", name=f"Akun {index}", spending_type=goods)
        BudgetLine.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, component=dipa.ovop.component,
                                  account=account, pagu=1_000_000)  # fmt: skip


def enter_and_submit(client, satker, dipa) -> MonthlyReport:
    lines = BudgetLine.objects.filter(satker=satker, fiscal_year=dipa.fiscal_year)
    data = {"version": 0, "action": "submit", **{f"line_{line.pk}": "1.000" for line in lines}}
    client.post(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]), data)
    return MonthlyReport.objects.get(satker=satker, month=1)


@pytest.mark.parametrize("page", ["grid", "report", "satker-year", "pagu", "rpd"])
def test_pages_do_not_grow_with_lines(page, officer, satker, dipa, django_assert_max_num_queries) -> None:
    client = client_for(officer)

    def url() -> str:
        report = MonthlyReport.objects.filter(satker=satker, month=1).first()
        args = [satker.code, dipa.fiscal_year.year]
        return {
            "grid": reverse("budgets:realization-entry", args=[*args, 1]),
            "report": reverse("budgets:report-detail", args=[report.pk]) if report else "",
            "satker-year": reverse("budgets:satker-year", args=args),
            "pagu": reverse("budgets:pagu", args=args),
            "rpd": reverse("budgets:rpd-entry", args=args),
        }[page]

    enter_and_submit(client, satker, dipa)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url()).status_code == 200
    grow(satker, dipa, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url()).status_code == 200


def test_review_queue_does_not_grow_with_reports(reviewer, dipa, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)

    def add_reports(count: int, start: int) -> None:
        for index in range(start, start + count):
            satker = SatkerFactory(code=f"{600000 + index}")
            MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, due_date="2026-02-06",
                                         status=MonthlyReport.Status.SUBMITTED)  # fmt: skip

    add_reports(1, 0)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("budgets:report-list"), {"status": ""})
    add_reports(20, 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("budgets:report-list"), {"status": ""})
    assert len(response.context["table"].page.object_list) == 21
