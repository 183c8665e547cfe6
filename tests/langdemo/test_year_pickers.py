"""Every year picker (dashboard, reports, ledger) offers the fiscal years that have data first,
newest first, then the years without any, labelled "(belum ada data)"; one helper for all."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine, FiscalYear
from budgets.selectors import year_options
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(dipa) -> int:
    """The running year (the DIPA) and 2022 have data; the two years between have none."""
    current = dipa.fiscal_year.year
    old = FiscalYear.objects.create(year=current - 4)
    line = dipa.ovop
    BudgetLine.objects.create(satker=line.satker, fiscal_year=old, component=line.component, account=line.account,
                              pagu=1_000_000)  # fmt: skip
    for year in (current - 1, current - 2):
        FiscalYear.objects.create(year=year)
    return current


def picker(html: str, select_id: str) -> list[tuple[str, str, bool]]:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S)
    assert select, select_id
    return [
        (value, label.strip(), "selected" in attrs)
        for value, attrs, label in re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', select.group(0))
    ]


def expected(current: int, language: str = "id") -> list[tuple[str, str]]:
    none = "(belum ada data)" if language == "id" else "(no data yet)"
    return [(str(current), str(current)), (str(current - 4), str(current - 4)),
            (str(current - 1), f"{current - 1} {none}"), (str(current - 2), f"{current - 2} {none}")]  # fmt: skip


def test_year_options_put_the_years_with_data_first(years, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        options = year_options()
    assert [(option.year, option.has_data) for option in options] == [
        (years, True), (years - 4, True), (years - 1, False), (years - 2, False)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "select_id"),
    [("dashboard:home", "dashboard-year"), ("reports:provinces", "id_year"), ("budgets:ledger", "ledger-year")],
)
def test_every_picker_lists_years_with_data_first(years, reviewer, url, select_id) -> None:
    html = client_for(reviewer).get(reverse(url)).content.decode()
    options = picker(html, select_id)
    assert [(value, label) for value, label, _selected in options] == expected(years)
    # The default stays the running year, and it is the one shown selected.
    assert [value for value, _label, selected in options if selected] == [str(years)]


def test_a_year_without_data_can_still_be_chosen(years, reviewer) -> None:
    html = client_for(reviewer).get(reverse("reports:provinces"), {"year": years - 1}).content.decode()
    assert [value for value, _label, selected in picker(html, "id_year") if selected] == [str(years - 1)]


def test_the_report_filter_bar_reads_the_years_once_and_the_components_only_when_needed(years, reviewer,
                                                                                        dipa) -> None:  # fmt: skip
    """The year picker's options are read once per page (a select iterates them twice); the
    components only for the picker shown or a component asked for, not for a JSON answer."""
    client = client_for(reviewer)

    def queries(**query: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reports:provinces"), query)
        assert response.status_code == (400 if query.get("component") == "ZZZ" else 200)
        return [q["sql"] for q in captured.captured_queries]

    page = queries()
    assert sum('"has_data"' in sql for sql in page) == 1
    assert sum("budgets_budgetcomponent" in sql for sql in page) == 1
    assert not any("budgets_budgetcomponent" in sql for sql in queries(format="json"))
    # A component asked for is still checked against the components.
    assert (
        sum("budgets_budgetcomponent" in sql for sql in queries(format="json", component=dipa.ovop.component.code)) == 1
    )
    queries(format="json", component="ZZZ")
