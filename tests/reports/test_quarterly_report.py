"""/reports/quarterly/ (CONTRACT): the JSON keys, satkers without a report, an officer's scope,
the parameters, and a query count constant in the number of satkers."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from budgets.models import Authority, BudgetLine, SatkerAuthority
from budgets.services import quarterly as service
from tests import quarterly_world as qw
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory

pytestmark = pytest.mark.django_db
URL = reverse("reports:quarterly")
KEYS = ["satker", "province", "quarter", "status", "due_date", "sent_on_time", "absorption", "absorption_target",
        "physical_progress", "obstacles_open"]  # fmt: skip


@pytest.fixture
def world(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> qw.World:
    world = qw.build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer)
    qw.first_quarter_on_target(world)
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    service.obstacle_add(report=report, by=world.officer, category="STAFF", description="d", follow_up="f", owner="o")
    report = service.quarterly_submit(report=report, by=world.officer, today=date(2024, 4, 2))
    service.quarterly_verify(report=report, by=world.head, today=date(2024, 4, 2))
    return world


def rows_of(client, **params) -> dict:
    response = client.get(URL, {"year": qw.YEAR, "format": "json", **params})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_json_rows_carry_the_contract_keys(world) -> None:
    data = rows_of(client_for(world.reviewer), quarter="1")
    assert data["report"] == "quarterly"
    assert all(key in data["columns"] for key in KEYS)
    by_satker = {row["satker"]: row for row in data["rows"]}
    bengkulu = by_satker["170019"]
    assert {key: bengkulu[key] for key in KEYS} == {
        "satker": "170019", "province": "17", "quarter": 1, "status": "VERIFIED", "due_date": "2024-04-05",
        "sent_on_time": True, "absorption": 40.0, "absorption_target": 15.0, "physical_progress": 35.0,
        "obstacles_open": 1,
    }  # fmt: skip
    aceh = by_satker["110019"]  # no report: missing, with the rule's due date
    assert aceh["status"] == "MISSING" and aceh["due_date"] == "2024-04-05" and aceh["sent_on_time"] is None
    assert data["totals"]["missing"] == 1


def test_year_end_and_other_quarters(world) -> None:
    data = rows_of(client_for(world.reviewer), quarter="year-end")
    assert {row["quarter"] for row in data["rows"]} == {"year-end"}
    assert {row["status"] for row in data["rows"]} == {"MISSING"}
    assert data["rows"][0]["due_date"] == "2025-01-07"
    assert rows_of(client_for(world.reviewer))["rows"][0]["quarter"] == 4  # a past year: its last quarter


def test_central_units_make_no_quarterly_report(world, central_satker) -> None:
    SatkerAuthority.objects.create(satker=central_satker, fiscal_year=world.fiscal_year, authority=Authority.KP)
    BudgetLine.objects.create(satker=central_satker, fiscal_year=world.fiscal_year, component=world.line_a.component,
                              account=world.line_a.account, pagu=10_000_000)  # fmt: skip
    data = rows_of(client_for(world.reviewer), quarter="1")
    assert central_satker.code not in {row["satker"] for row in data["rows"]}


def test_officer_sees_only_its_province(world) -> None:
    data = rows_of(client_for(world.officer), quarter="1")
    assert {row["satker"] for row in data["rows"]} == {"170019"}
    assert client_for(world.officer).get(URL, {"year": qw.YEAR, "province": "11"}).status_code == 404


def test_bad_quarter_is_a_400(world) -> None:
    response = client_for(world.reviewer).get(URL, {"year": qw.YEAR, "quarter": "5", "format": "json"})
    assert response.status_code == 400 and "quarter" in json.loads(response.content)["errors"]
    assert client_for(world.reviewer).get(URL, {"year": qw.YEAR, "month": "3"}).status_code == 400


def test_html_page(world) -> None:
    response = client_for(world.reviewer).get(URL, {"year": qw.YEAR, "quarter": "1"})
    assert response.status_code == 200 and "Laporan triwulan DK-TP" in response.content.decode()


def _more_satkers(world, count: int) -> None:
    for index in range(count):
        province = ProvinceFactory(bps_code=f"{30 + index}", name=f"Provinsi {index}")
        satker = SatkerFactory(province=province, code=f"{300000 + index}")
        SatkerAuthority.objects.create(satker=satker, fiscal_year=world.fiscal_year, authority=Authority.DK)
        BudgetLine.objects.create(satker=satker, fiscal_year=world.fiscal_year, component=world.line_a.component,
                                  account=world.line_a.account, pagu=10_000_000, output=world.ro_a)  # fmt: skip
        qw.month_report(world, 1, satker=satker)
        report = service.quarterly_prepare(satker=satker, fiscal_year=world.fiscal_year, period=1, by=world.admin)
        service.obstacle_add(report=report, by=world.admin, category="OTHER", description="d", follow_up="f",
                             owner="o")  # fmt: skip


def test_query_count_does_not_grow_with_satkers(world, django_assert_max_num_queries) -> None:
    client = client_for(world.reviewer)
    client.get(URL, {"year": qw.YEAR, "quarter": "1", "format": "json"})  # warm the session and caches
    with django_assert_max_num_queries(25) as small:
        rows_of(client, quarter="1")
    _more_satkers(world, 6)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        data = rows_of(client, quarter="1")
    assert len(data["rows"]) == 8
    assert len(large.captured_queries) == len(small.captured_queries)
