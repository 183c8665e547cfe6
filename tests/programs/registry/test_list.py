"""The registry list: scope, search, filters, keyset paging (no gaps, no repeats, also across
equal names), the capped count, the streaming exports and constant query counts."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from budgets.models import Regency
from programs.models import Enterprise
from programs.registry import views as registry_views
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise, make_many

pytestmark = pytest.mark.django_db

LIST = reverse("programs:registry-list")


def names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].rows]


def ids(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].rows]


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


@pytest.fixture
def second_regency(province) -> Regency:
    return Regency.objects.create(
        kemendagri_code="17.01", province=province, name="Kabupaten Bengkulu Selatan", kind="kabupaten"
    )


@pytest.fixture
def registry(regency, second_regency, other_regency) -> dict[str, Enterprise]:
    return {
        "keripik": make_enterprise(regency, "CV. Keripik Sanjai Amak", nib="0012345678901", kbli="10792"),
        "kopi": make_enterprise(
            second_regency,
            "Kopi Bengkulu Robusta",
            kbli="11050",
            data_year=2022,
            workers_male=25,
            investment=2_000_000_000,
        ),
        "batik": make_enterprise(regency, "Batik Besurek", kbli="13134"),
        "aceh": make_enterprise(other_regency, "PT Kopi Gayo Arabika", nib="1100000000001", kbli="10761"),
    }


def test_officer_sees_own_province_and_directorate_sees_all(officer, reviewer, registry) -> None:
    assert names(client_for(officer).get(LIST)) == ["Batik Besurek", "CV. Keripik Sanjai Amak", "Kopi Bengkulu Robusta"]
    assert len(names(client_for(reviewer).get(LIST))) == 4


def test_search_by_part_of_the_normalised_name(officer, reviewer, registry) -> None:
    assert names(client_for(officer).get(LIST, {"q": "SANJAI"})) == ["CV. Keripik Sanjai Amak"]
    assert names(client_for(officer).get(LIST, {"q": "pt keripik"})) == ["CV. Keripik Sanjai Amak"]
    assert names(client_for(reviewer).get(LIST, {"q": "kopi"})) == ["Kopi Bengkulu Robusta", "PT Kopi Gayo Arabika"]
    assert names(client_for(officer).get(LIST, {"q": "kopi gayo"})) == []  # Aceh is out of scope


def test_search_by_exact_nib(officer, reviewer, registry) -> None:
    assert names(client_for(officer).get(LIST, {"q": "0012345678901"})) == ["CV. Keripik Sanjai Amak"]
    assert names(client_for(officer).get(LIST, {"q": "1100000000001"})) == []
    assert names(client_for(reviewer).get(LIST, {"q": "1100000000001"})) == ["PT Kopi Gayo Arabika"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "11"}, ["PT Kopi Gayo Arabika"]),
        ({"kbli": "10792"}, ["CV. Keripik Sanjai Amak"]),
        ({"kbli": "10"}, ["CV. Keripik Sanjai Amak", "PT Kopi Gayo Arabika"]),
        ({"size_class": "MENENGAH"}, ["Kopi Bengkulu Robusta"]),
        ({"data_year": "2022"}, ["Kopi Bengkulu Robusta"]),
        ({"province": "17", "kbli": "13"}, ["Batik Besurek"]),
    ],
)
def test_filters(reviewer, registry, params, expected) -> None:
    assert names(client_for(reviewer).get(LIST, params)) == expected


def test_regency_filter(officer, registry, second_regency) -> None:
    assert names(client_for(officer).get(LIST, {"regency": second_regency.pk})) == ["Kopi Bengkulu Robusta"]


def test_bad_filter_shows_an_error_and_no_rows(officer, registry, other_regency) -> None:
    client = client_for(officer)
    response = client.get(LIST, {"kbli": "1"})
    assert response.status_code == 200 and names(response) == []
    assert "KBLI 5 digit atau golongan 2 digit" in response.content.decode()
    # Another province is not a choice for an officer: refused, never shown.
    assert names(client.get(LIST, {"province": "11"})) == []
    assert names(client.get(LIST, {"regency": other_regency.pk})) == []


def walk(client: Client, params: dict[str, str]) -> tuple[list[list[int]], object]:
    pages, response = [], client.get(LIST, params)
    while True:
        pages.append(ids(response))
        if not response.context["next_url"]:
            return pages, response
        response = client.get(LIST, query_of(response.context["next_url"]))


def test_keyset_pages_continue_exactly_where_the_previous_ended(officer, regency, monkeypatch) -> None:
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 7)
    make_many(regency, 20, prefix="Usaha")
    # 13 enterprises with the same normalised name: the id breaks the tie across page ends.
    for _index in range(13):
        make_enterprise(regency, "CV Sama Persis")
    make_many(regency, 10, prefix="Zaitun")
    expected = list(Enterprise.objects.order_by("name_normalized", "id").values_list("id", flat=True))

    pages, last = walk(client_for(officer), {})

    assert [row for page in pages for row in page] == expected  # no gaps, no repeats, in name order
    assert [len(page) for page in pages] == [7] * 6 + [1]

    # Back again with the "previous" links: the same pages in reverse.
    client, response, back = client_for(officer), last, [pages[-1]]
    while response.context["previous_url"]:
        response = client.get(LIST, query_of(response.context["previous_url"]))
        back.append(ids(response))
    assert back[::-1] == pages


@pytest.mark.parametrize("params", [{"q": "kopi"}, {"q": "kopi", "province": "17"}, {"q": "kopi", "kbli": "10"}])
def test_searched_pages_continue_exactly_both_ways(reviewer, regency, other_regency, monkeypatch, params) -> None:
    # A searched page reads the keys first, then its rows by primary key: the same pages.
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 3)
    make_many(regency, 6, prefix="Abon Kopi", kbli="10792")
    make_many(regency, 12, prefix="Batik")  # no match
    make_many(other_regency, 5, prefix="Kopi Gayo", kbli="10761")
    make_many(regency, 7, prefix="Tenun", kbli="13134")
    make_many(regency, 8, prefix="Zaitun Kopi", kbli="10792")
    expected = list(
        Enterprise.objects.filter(name_normalized__contains="kopi")
        .filter(**({"province__bps_code": params["province"]} if "province" in params else {}))
        .filter(**({"kbli__startswith": params["kbli"]} if "kbli" in params else {}))
        .order_by("name_normalized", "id")
        .values_list("id", flat=True)
    )
    assert len(expected) > 10

    pages, last = walk(client_for(reviewer), params)

    assert [row for page in pages for row in page] == expected
    client, response, back = client_for(reviewer), last, [pages[-1]]
    while response.context["previous_url"]:
        response = client.get(LIST, query_of(response.context["previous_url"]))
        back.append(ids(response))
    assert back[::-1] == pages


def test_paging_keeps_the_filters(reviewer, regency, other_regency, monkeypatch) -> None:
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 4)
    make_many(regency, 9, prefix="Bengkulu")
    make_many(other_regency, 9, prefix="Aceh")

    pages, _last = walk(client_for(reviewer), {"province": "11"})

    found = Enterprise.objects.filter(pk__in=[pk for page in pages for pk in page])
    assert found.count() == 9 and set(found.values_list("province__bps_code", flat=True)) == {"11"}


def test_malformed_cursor_falls_back_to_the_first_page(officer, registry) -> None:
    client = client_for(officer)
    for cursor in ("garbage", "WyJhIiwtMV0", "WyJcdTAwMDAiLDFd", "x" * 500):  # ["a",-1], ["\u0000",1]
        response = client.get(LIST, {"after": cursor})
        assert response.status_code == 200 and len(names(response)) == 3
        assert client.get(LIST, {"before": cursor}).status_code == 200


def test_count_is_capped_instead_of_counting_the_whole_table(officer, regency, monkeypatch) -> None:
    # A name search (like a regency or a 5-digit KBLI) is not a key of the registry summary.
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 5)
    monkeypatch.setattr(registry_views, "COUNT_LIMIT", 10)
    make_many(regency, 8)
    page = client_for(officer).get(LIST, {"q": "usaha"}).content.decode()
    assert "8 IKM cocok" in page
    make_many(regency, 8, start=8)
    page = client_for(officer).get(LIST, {"q": "usaha"}).content.decode()
    assert "Lebih dari 10 IKM cocok" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 16),  # the officer's province
        ({"kbli": "10"}, 12),
        ({"kbli": "13", "size_class": "KECIL"}, 4),
        ({"data_year": "2022"}, 4),
    ],
)
def test_count_of_summary_filters_is_exact_from_the_summary(
    officer, regency, other_regency, monkeypatch, params, expected
) -> None:
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 3)
    monkeypatch.setattr(registry_views, "COUNT_LIMIT", 5)
    make_many(regency, 8, kbli="10792")
    make_many(regency, 4, start=8, kbli="10761", data_year=2022)
    make_many(regency, 4, start=12, kbli="13134")
    make_many(other_regency, 9)  # Aceh: out of the officer's scope
    response = client_for(officer).get(LIST, params)
    assert response.context["next_url"]  # more than one page: the count is not the page's length
    assert (response.context["matched"], response.context["more_than_limit"]) == (expected, False)


def list_queries(client: Client, params: dict[str, str], django_assert_max_num_queries, grow) -> None:
    with django_assert_max_num_queries(30) as small:
        assert client.get(LIST, params).status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, params)
        assert response.status_code == 200


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
@pytest.mark.parametrize("params", [{}, {"q": "usaha", "kbli": "10", "size_class": "KECIL"}])
def test_list_query_count_is_constant(
    request, persona, params, regency, other_regency, django_assert_max_num_queries
) -> None:
    make_many(regency, 60)
    make_many(other_regency, 60)
    client = client_for(request.getfixturevalue(persona))

    def grow() -> None:
        make_many(regency, 600, start=60)
        make_many(other_regency, 600, start=60)

    list_queries(client, params, django_assert_max_num_queries, grow)
    second_page = query_of(client.get(LIST, params).context["next_url"])
    with django_assert_max_num_queries(30) as deep:
        assert client.get(LIST, second_page).status_code == 200
    assert len(deep.captured_queries) <= 12


# --- Exports ---------------------------------------------------------------------------------


def content(response) -> bytes:
    return response.getvalue() if response.streaming else response.content


def test_xlsx_export_streams_the_filtered_rows_with_numbers(officer, registry) -> None:
    response = client_for(officer).get(LIST, {"kbli": "10", "format": "xlsx"})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    title = sheet["A1"].value
    assert "Registri IKM" in title and "KBLI 10" in title and "Bengkulu" in title
    assert sheet["A1"].font.bold and sheet["A3"].font.bold and sheet["A3"].value == "NIB"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1  # the Bengkulu officer's KBLI 10 row only
    headers = [cell.value for cell in sheet[3]]
    row = dict(zip(headers, rows[0], strict=True))
    assert row["NIB"] == "0012345678901"  # text, leading zeros kept
    assert row["Nama usaha"] == "CV. Keripik Sanjai Amak"
    assert row["Investasi (Rp)"] == 100_000_000 and isinstance(row["Tenaga kerja"], int) and row["Tenaga kerja"] == 5
    investment_cell = sheet.cell(row=4, column=headers.index("Investasi (Rp)") + 1)
    assert investment_cell.data_type == "n" and investment_cell.number_format == "#,##0"


def test_xlsx_export_continues_on_a_new_sheet_past_the_row_limit(reviewer, regency, monkeypatch) -> None:
    from programs.registry import tables as tables_registry

    monkeypatch.setattr(tables_registry, "XLSX_MAX_ROWS", 13)  # 3 header rows + 10 data rows per sheet
    make_many(regency, 25)
    workbook = openpyxl.load_workbook(io.BytesIO(content(client_for(reviewer).get(LIST, {"format": "xlsx"}))))
    assert [sheet.max_row for sheet in workbook.worksheets] == [13, 13, 8]


def test_csv_and_json_exports_have_the_same_rows_and_scope(officer, reviewer, registry) -> None:
    rows = list(csv.DictReader(io.StringIO(content(client_for(officer).get(LIST, {"format": "csv"})).decode())))
    assert [row["nama_usaha"] for row in rows] == ["Batik Besurek", "CV. Keripik Sanjai Amak", "Kopi Bengkulu Robusta"]
    assert rows[1]["nib"] == "0012345678901" and rows[1]["investasi"] == "100000000"

    payload = json.loads(content(client_for(reviewer).get(LIST, {"q": "kopi", "format": "json"})))
    assert payload["report"] == "registry" and payload["params"]["q"] == "kopi"
    assert [row["nama_usaha"] for row in payload["rows"]] == ["Kopi Bengkulu Robusta", "PT Kopi Gayo Arabika"]
    assert payload["rows"][0]["investasi"] == 2_000_000_000 and payload["rows"][0]["skala_usaha"] == "Menengah"
    assert payload["rows"][1]["provinsi"] == "11"


def test_export_with_bad_filter_or_format_is_400(officer, registry) -> None:
    client = client_for(officer)
    assert client.get(LIST, {"kbli": "1", "format": "xlsx"}).status_code == 400
    assert client.get(LIST, {"format": "pdf"}).status_code == 400


def test_anonymous_cannot_export(anonymous, registry) -> None:
    assert anonymous.get(LIST, {"format": "csv"}).status_code == 302


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_query_count_is_constant(reviewer, regency, other_regency, fmt, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    make_many(regency, 20)
    with django_assert_max_num_queries(20) as small:
        content(client.get(LIST, {"format": fmt}))
    make_many(other_regency, 2500)  # more than one chunk of the iterator
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, {"format": fmt})
        body = content(response)
    assert body


def test_xlsx_export_keeps_text_that_looks_like_a_formula_as_text(officer, regency) -> None:
    make_enterprise(regency, "Keripik Sanjai", owner='=HYPERLINK("http://x.example","klik")', kbli="10792")
    response = client_for(officer).get(LIST, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    headers = [cell.value for cell in sheet[3]]
    owner = sheet.cell(row=4, column=headers.index("Nama pemilik") + 1)
    assert owner.data_type == "s" and owner.value.startswith("=HYPERLINK")
