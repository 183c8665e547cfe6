"""The RPD grid in the browser: row, month and grand totals follow the typing (a row turns green
when it adds up to its spending type's effective pagu), Enter walks down a month and on to the
next, and the plan saves without a leave-page question."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import RpdPlan
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rpd_totals_follow_the_typing_and_enter_walks_the_grid(new_page, officer, satker, dipa):
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    sign_in(page, officer.username)
    page.goto(reverse("budgets:rpd-entry", args=[satker.code, dipa.fiscal_year.year]))

    def cell(spending_type, month: int):
        return page.locator(f"#id_rpd_{spending_type.pk}_{month}")

    def row_total(spending_type):
        return page.locator("tbody tr", has=cell(spending_type, 1)).locator("[data-row-total]")

    january_total = page.locator("tfoot [data-col-total]").first
    grand_total = page.locator("tfoot [data-grand-total]")

    cell(dipa.goods, 1).click()
    cell(dipa.goods, 1).press_sequentially("100000000")
    assert row_total(dipa.goods).inner_text() == "100.000.000"
    assert "text-danger" in row_total(dipa.goods).get_attribute("class")  # 140.000.000 to plan
    cell(dipa.goods, 1).press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_rpd_{dipa.capital.pk}_1"
    cell(dipa.capital, 1).press_sequentially("30.000.000")
    assert january_total.inner_text() == "130.000.000"
    cell(dipa.capital, 1).press("Enter")  # the last line: on to February's first
    assert page.evaluate("document.activeElement.id") == f"id_rpd_{dipa.goods.pk}_2"
    cell(dipa.goods, 2).press_sequentially("40000000")
    assert row_total(dipa.goods).inner_text() == "140.000.000"
    assert "text-success" in row_total(dipa.goods).get_attribute("class")
    assert grand_total.inner_text() == "170.000.000"

    with page.expect_navigation():
        page.get_by_role("button", name="Simpan RPD").click()
    assert dialogs == []
    assert "disimpan" in page.locator(".alert-success").inner_text()
    assert sorted(RpdPlan.objects.filter(amount__gt=0).values_list("spending_type__code", "month", "amount")) == [
        ("52", 1, 100_000_000),
        ("52", 2, 40_000_000),
        ("53", 1, 30_000_000),
    ]
    assert grand_total.inner_text() == "170.000.000"
