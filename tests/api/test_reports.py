"""/api/v1/reports/<name>/: the page's ?format=json, byte for byte, for every report, every kind
of token (the personas' accounts) and the province filter, with the page's parameter checking
(400 with the same body) and scope (404 for another province below province level)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.catalog import REPORTS
from tests.api.conftest import api_client, issue
from tests.conftest import client_for
from tests.queries import counted_queries

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "other_officer", "reviewer", "viewer", "admin_user", "head")


@pytest.fixture
def people(request, approved) -> dict:
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def page_and_api(user, name: str, query: dict) -> tuple:
    page = client_for(user).get(reverse(f"reports:{name}"), {**query, "format": "json"})
    api = api_client(issue(user)).get(f"/api/v1/reports/{name}/", query)
    return page, api


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_api_answers_what_the_page_answers(name: str, people: dict, approved) -> None:
    year = approved.fiscal_year.year
    below_province = REPORTS[name].below_province
    for persona, user in people.items():
        for query in ({"year": year}, {"year": year, "province": "11"}, {"year": year, "province": "17"}):
            page, api = page_and_api(user, name, query)
            assert api.status_code == page.status_code, (persona, query)
            if page.status_code == 200:
                assert api.content == page.content, (persona, query)
                assert api["Content-Type"] == page["Content-Type"]
            else:
                # Below province level, another province is out of a province's roles' scope.
                own = {"officer": "17", "head": "17", "other_officer": "11"}.get(persona)
                assert below_province and own not in (None, query.get("province")), (persona, query)
                assert api.status_code == 404 and "error" in json.loads(api.content)


def test_figures_within_the_scope(people, approved) -> None:
    """The officer's token reads its own province's satkers, the viewer's every province's."""
    year = approved.fiscal_year.year
    rows = {}
    for persona in ("officer", "viewer"):
        body = json.loads(api_client(issue(people[persona])).get("/api/v1/reports/satkers/", {"year": year}).content)
        rows[persona] = sorted(row["satker"] for row in body["rows"])
    assert rows == {"officer": ["170019"], "viewer": ["110019", "170019"]}


@pytest.mark.parametrize(
    "query",
    [{"year": "abc"}, {"year": "1999"}, {"month": "13"}, {"nonsense": "1"}, {"below": "x"}, {"authority": "XX"}],
)
def test_a_refused_parameter_is_the_pages_400(query, viewer, approved) -> None:
    page, api = page_and_api(viewer, "satkers", query)
    assert (page.status_code, api.status_code) == (400, 400)
    assert api.content == page.content
    assert set(json.loads(api.content)) == {"error", "errors"}


def test_a_repeated_parameter_is_refused(viewer, approved) -> None:
    response = api_client(issue(viewer)).get(f"/api/v1/reports/provinces/?year={approved.fiscal_year.year}&year=2020")
    assert response.status_code == 400
    assert "year" in json.loads(response.content)["errors"]


@pytest.mark.django_db(transaction=True)  # the page cache is used outside a transaction only
def test_the_page_and_the_api_share_the_cache(viewer, approved) -> None:
    """One entry: the page's JSON built it, the API reads it without building the report again."""
    year = approved.fiscal_year.year
    client_for(viewer).get(reverse("reports:provinces"), {"year": year, "format": "json"})
    client = api_client(issue(viewer))
    client.get("/api/v1/reports/provinces/", {"year": year})  # the token's first use writes last_used_at
    with counted_queries() as cached:
        client.get("/api/v1/reports/provinces/", {"year": year})
    reports_read = [q for q in cached if "budgets_realization" in q["sql"] or "budgets_budgetline" in q["sql"]]
    assert not reports_read, reports_read


@pytest.mark.parametrize("username", ["viewer", "officer-17"])
def test_the_demo_figures_through_the_api(demo_data, username: str) -> None:
    """The published 2022 figures, as the page gives them, to a leadership token and a province's."""
    user = get_user_model().objects.get(username=username)
    for name, query in (("provinces", {"year": 2022, "authority": "DK"}), ("satkers", {"year": 2022}),
                        ("realization", {"year": 2022})):  # fmt: skip
        page, api = page_and_api(user, name, query)
        assert api.status_code == 200 and api.content == page.content
    body = json.loads(api_client(issue(user)).get("/api/v1/reports/realization/", {"year": 2022}).content)
    assert body["totals"]["persen"] == 98.68
