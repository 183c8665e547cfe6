"""/api/v1/registry/: the token's scope, the list page's filters, a keyset cursor that walks the
whole scoped registry with neither a repeat nor a gap (names tied included), the export's fields."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from programs.registry.tables import EXPORT_COLUMNS
from tests.api.conftest import api_client, issue
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise, make_many
from tests.queries import counted_queries

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/registry/"


@pytest.fixture
def registry(regency, other_regency):
    make_many(regency, 23, prefix="Bengkulu")
    make_many(other_regency, 7, prefix="Aceh")
    # Three of one name: the cursor breaks ties by id.
    for _ in range(3):
        make_enterprise(regency, "Keripik Sama", nib=None)


def walk(client, limit: int, **filters) -> list[dict]:
    rows, cursor, pages = [], None, 0
    while True:
        response = client.get(REGISTRY, {**filters, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        assert len(body["results"]) <= limit
        rows += body["results"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return rows
        assert pages < 100


def test_the_cursor_walks_the_scoped_registry_without_repeats_or_gaps(registry, officer, viewer) -> None:
    viewer_rows = walk(api_client(issue(viewer)), 4)
    assert len(viewer_rows) == 33
    officer_rows = walk(api_client(issue(officer)), 4)
    assert len(officer_rows) == 26 and {row["provinsi"] for row in officer_rows} == {"17"}
    names = [row["nama_usaha"] for row in officer_rows]
    assert names == sorted(names) and names.count("Keripik Sama") == 3
    # Every row once: the same set as one page holding them all.
    everything = json.loads(api_client(issue(viewer)).get(REGISTRY, {"limit": 1000}).content)["results"]
    assert sorted(json.dumps(row, sort_keys=True) for row in viewer_rows) == sorted(
        json.dumps(row, sort_keys=True) for row in everything
    )


def test_the_rows_are_the_json_exports(registry, officer) -> None:
    api = json.loads(api_client(issue(officer)).get(REGISTRY, {"limit": 1000}).content)["results"]
    export = json.loads(b"".join(client_for(officer).get(reverse("programs:registry-list"), {"format": "json"})
                                 .streaming_content))["rows"]  # fmt: skip
    assert api == export
    assert list(api[0]) == [column.key for column in EXPORT_COLUMNS]


def test_filters_as_the_list_page(registry, officer, viewer) -> None:
    client = api_client(issue(viewer))
    assert {row["provinsi"] for row in walk(client, 50, province="11")} == {"11"}
    assert len(walk(client, 50, q="keripik")) == 3
    assert {row["kode_kabkota"] for row in walk(client, 50, regency="11.71")} == {"11.71"}
    assert walk(client, 50, regency="1171") == walk(client, 50, regency="11.71")
    # The officer's token cannot filter to another province: the choice is not theirs (400).
    refused = api_client(issue(officer)).get(REGISTRY, {"province": "11"})
    assert refused.status_code == 400 and "province" in json.loads(refused.content)["errors"]
    assert api_client(issue(officer)).get(REGISTRY, {"regency": "11.71"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"cursor": "not-a-cursor"}, {"cursor": ""}, {"cursor": "W10"}, {"limit": "0"}, {"limit": "1001"},
     {"limit": "x"}, {"kbli": "1"}, {"data_year": "1800"}, {"regency": "99.99"}, {"other": "1"}],
)  # fmt: skip
def test_a_bad_cursor_or_filter_is_400(query, registry, viewer) -> None:
    response = api_client(issue(viewer)).get(REGISTRY, query)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert set(body) == {"error", "errors"} and body["errors"]


def test_a_page_costs_the_same_at_any_depth(viewer) -> None:
    from budgets.models import Province, Regency

    province = Province.objects.create(bps_code="17", kemendagri_code="17", name="Bengkulu", iso_code="ID-BE")
    regency = Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")
    make_many(regency, 60)
    client = api_client(issue(viewer))
    client.get(REGISTRY, {"limit": 1})  # the token's first use writes last_used_at
    with counted_queries() as first:
        body = json.loads(client.get(REGISTRY, {"limit": 10}).content)
    for _ in range(3):
        body = json.loads(client.get(REGISTRY, {"limit": 10, "cursor": body["next"]}).content)
    with counted_queries() as deep:
        client.get(REGISTRY, {"limit": 10, "cursor": body["next"]})
    assert len(deep) == len(first) <= 9, [q["sql"][:120] for q in deep]
