"""The realization reports of CONTRACT through HTTP: the published figures against the demo
data, every format, every role's scope, and bad parameters answered with 400."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from budgets.models import Province, Satker
from reports.catalog import REPORTS
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URLS = {name: reverse(f"reports:{spec.name}") for name, spec in REPORTS.items()}


@pytest.fixture
def demo(demo_data: str) -> None:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end)."""


def signed_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    return client_for(get_user_model().objects.get(username=username))


def get_json(client: Client, name: str, **params: object) -> dict:
    response = client.get(URLS[name], {**params, "format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_2022_dk_and_directorate_totals(demo) -> None:
    client = signed_in("viewer")
    assert get_json(client, "realization", year=2022, authority="DK")["totals"]["persen"] == 97.97
    assert get_json(client, "realization", year=2022)["totals"]["persen"] == 98.68


def test_2022_province_ranking_top_five_and_twenty_above_average(demo) -> None:
    data = get_json(signed_in("reviewer"), "provinces", year=2022, authority="DK")
    top = [(row["rank"], row["province_name"]) for row in data["rows"] if row["top_five"]]
    assert top == [(1, "Bengkulu"), (2, "Kalimantan Utara"), (3, "Nusa Tenggara Timur"), (4, "Sulawesi Tengah"),
                   (5, "Sulawesi Barat")]  # fmt: skip
    assert data["totals"]["above_average"] == 20
    assert sum(not row["below_average"] for row in data["rows"]) == 20
    assert data["columns"][:3] == ["rank", "province", "province_name"]
    assert {"province", "province_name", "pagu", "realisasi", "persen", "rank", "top_five", "below_average"} <= set(
        data["rows"][0]
    )


def test_2022_ranking_without_authority_ranks_the_provinces_only(demo) -> None:
    """Without ``authority`` the ranking is the year's provincial one (DK in 2022): 20 provinces
    above the weighted average, and DKI Jakarta is its Industry Service alone: the central units'
    Rp53 miliar stand apart, outside the ranking."""
    data = get_json(signed_in("viewer"), "provinces", year=2022)
    assert data["params"]["authority"] == "DK" and data["params"]["month"] == 12
    totals = data["totals"]
    assert totals["average_weighted"] == 97.97 and totals["above_average"] == 20
    assert sum(not row["below_average"] for row in data["rows"]) == 20
    # The statement's "five provinces under the average of Ditjen IKMA (97,05 %)": the plain mean of
    # the 34 provinces' percentages, computed by the report, with five under it.
    assert totals["average_unweighted"] == 97.05 and totals["below_average_unweighted"] == 5
    below_mean = sum(row["persen"] < totals["average_unweighted"] for row in data["rows"])
    assert below_mean == 5
    # Exactly one DK satker under the year's threshold (91,20 %), in a province that existed.
    satkers = get_json(signed_in("viewer"), "satkers", year=2022, authority="DK")
    assert satkers["params"]["threshold"] == 91.20
    under = [row for row in satkers["rows"] if row["persen"] < 91.20]
    assert len(under) == 1 and under[0]["province"] not in {"92", "95", "96", "97"}
    persen = [Decimal(str(row["persen"])) for row in data["rows"]]
    assert Decimal(str(totals["average_unweighted"])) == (sum(persen) / len(persen)).quantize(Decimal("0.01"))
    jakarta = next(row for row in data["rows"] if row["province"] == "31")
    provincial = Satker.objects.get(code="310019").budget_lines.filter(fiscal_year__year=2022)
    assert jakarta["pagu"] == sum(line.pagu for line in provincial)
    central = get_json(signed_in("viewer"), "realization", year=2022, authority="KP")["totals"]
    assert totals["central_pagu_efektif"] == central["pagu_efektif"] > 50_000_000_000
    assert totals["central_persen"] == central["persen"]
    assert len(data["rows"]) == 34 and totals["provinces_incomplete"] == 0
    assert {(row["months_approved"], row["months_expected"]) for row in data["rows"]} == {(12, 12)}
    # The national summary without authority stays the whole directorate.
    assert get_json(signed_in("viewer"), "realization", year=2022)["totals"]["persen"] == 98.68


def test_the_ranking_names_its_averages_in_html_and_xlsx(demo) -> None:
    client = signed_in("viewer")
    page = client.get(URLS["provinces"], {"year": 2022}).content.decode()
    assert "Rata-rata tertimbang (total realisasi dibagi total pagu efektif): 97,97 %" in page
    assert "Rata-rata sederhana (rerata persentase provinsi)" in page
    assert "Kantor Pusat (unit pusat direktorat, tidak diperingkat" in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(URLS["provinces"], {"year": 2022, "format": "xlsx"}).content))
    labels = {row[0]: row[1] for row in book.active.iter_rows(values_only=True) if row and row[0]}
    assert labels["Rata-rata tertimbang (total realisasi / total pagu efektif)"] == pytest.approx(0.9797)
    assert "Rata-rata sederhana (rerata persentase provinsi)" in labels
    assert labels["Provinsi di atas rata-rata tertimbang"] == 20


def test_satker_report_states_the_years_threshold(demo) -> None:
    client = signed_in("reviewer")
    assert get_json(client, "satkers", year=2022)["params"]["threshold"] == 91.20
    assert get_json(client, "satkers", year=2023)["params"]["threshold"] == 90.00


def test_2023_five_provinces_under_90_and_the_pagu(demo) -> None:
    client = signed_in("officer-17")  # province-level aggregates are for every role
    data = get_json(client, "provinces", year=2023, authority="DK")
    under = {row["province_name"]: row["persen"] for row in data["rows"] if row["persen"] < 90}
    assert under == {"Riau": 81.18, "Aceh": 86.58, "Jawa Timur": 88.43, "Kepulauan Bangka Belitung": 88.59,
                     "Jawa Tengah": 89.57}  # fmt: skip
    assert get_json(client, "realization", year=2023, authority="DK")["totals"]["pagu"] == 49_050_000_000


def test_satkers_below_the_threshold(demo) -> None:
    client = signed_in("reviewer")
    default = get_json(client, "satkers", year=2022, below="")
    assert [row["satker"] for row in default["rows"]] == ["110019"]
    assert default["params"]["below"] is None
    explicit = get_json(client, "satkers", year=2022, authority="DK", below="97.05")
    assert len(explicit["rows"]) == 5
    everyone = get_json(client, "satkers", year=2022)
    assert len(everyone["rows"]) == 38  # 34 DK satkers and the 4 central units
    assert sum(row["below_threshold"] for row in everyone["rows"]) == 1


def test_officer_sees_only_own_province_below_province_level(demo) -> None:
    client = signed_in("officer-17")
    satkers = get_json(client, "satkers", year=2022)
    assert [row["satker"] for row in satkers["rows"]] == ["170019"]
    submissions = get_json(client, "submissions", year=2023)
    assert {row["satker"] for row in submissions["rows"]} == {"170019"}
    assert client.get(URLS["satkers"], {"year": 2022, "province": "11"}).status_code == 404
    assert client.get(URLS["monthly"], {"year": 2022, "province": "11", "format": "json"}).status_code == 404
    own = get_json(client, "monthly", year=2022)
    national = get_json(signed_in("reviewer"), "monthly", year=2022)
    assert own["rows"][-1]["realisasi_kumulatif"] < national["rows"][-1]["realisasi_kumulatif"]
    # Province-level reports show every province.
    assert len(get_json(client, "provinces", year=2022, authority="DK")["rows"]) == 34


def test_jakarta_officer_does_not_see_the_central_units(demo) -> None:
    client = client_for(UserFactory(role="OFFICER", province=Province.objects.get(bps_code="31")))
    rows = get_json(client, "satkers", year=2022)["rows"]
    assert [row["satker"] for row in rows] == ["310019"]
    assert Satker.objects.filter(province__bps_code="31", is_central=True).count() == 4


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("username", ["officer-17", "reviewer", "viewer", "admin"])
def test_every_report_answers_every_format_for_every_role(demo, name, username) -> None:
    client = signed_in(username)
    for fmt in ("html", "xlsx", "csv", "json"):
        response = client.get(URLS[name], {"year": 2023, "format": fmt})
        assert response.status_code == 200, (name, fmt, response.content[:300])
    assert Client().get(URLS[name]).status_code == 302


def test_same_rows_in_every_format(demo) -> None:
    client = signed_in("reviewer")
    params = {"year": 2022, "authority": "DK", "month": 6}
    data = get_json(client, "provinces", **params)
    rows = list(
        csv.DictReader(io.StringIO(client.get(URLS["provinces"], {**params, "format": "csv"}).content.decode()))
    )
    assert [r["province"] for r in rows] == [r["province"] for r in data["rows"]]
    assert [int(r["realisasi"]) for r in rows] == [r["realisasi"] for r in data["rows"]]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(URLS["provinces"], {**params, "format": "xlsx"}).content))
    sheet = workbook.active
    assert "Tahun 2022" in sheet["A1"].value and "Dekonsentrasi" in sheet["A1"].value and "Juni" in sheet["A1"].value
    header = [cell.value for cell in sheet[3]]
    assert header[:3] == ["Peringkat", "Kode BPS", "Provinsi"]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")
    realisasi = header.index("Realisasi") + 1
    persen = header.index("Realisasi (%)") + 1
    values = [sheet.cell(row=4 + i, column=realisasi).value for i in range(len(data["rows"]))]
    assert values == [r["realisasi"] for r in data["rows"]]
    first_persen = sheet.cell(row=4, column=persen)
    assert isinstance(first_persen.value, float) and first_persen.number_format == "0.00%"
    assert abs(first_persen.value * 100 - data["rows"][0]["persen"]) < 1e-9
    assert sheet.cell(row=4, column=realisasi).number_format == "#,##0"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"month": "13"}, "month"),
        ({"province": "99"}, "province"),
        ({"authority": "XX"}, "authority"),
        ({"format": "pdf"}, "format"),
        ({"basis": "everything"}, "basis"),
        ({"provinse": "17"}, "__all__"),
    ],
)
def test_bad_parameters_are_400_with_the_reason(demo, query, field) -> None:
    client = signed_in("reviewer")
    html = client.get(URLS["provinces"], query)
    assert html.status_code == 400
    assert "Parameter laporan tidak valid" in html.content.decode()
    if "format" not in query:
        response = client.get(URLS["provinces"], {**query, "format": "json"})
        assert response.status_code == 400
        assert field in json.loads(response.content)["errors"]


def test_below_only_where_it_applies(demo) -> None:
    client = signed_in("reviewer")
    assert client.get(URLS["provinces"], {"below": "90"}).status_code == 400
    assert client.get(URLS["satkers"], {"below": "abc"}).status_code == 400
    assert client.get(URLS["satkers"], {"year": 2022, "below": "90"}).status_code == 200


def test_basis_submitted_counts_reports_awaiting_review(demo) -> None:
    client = signed_in("reviewer")
    approved = get_json(client, "realization", year=2023, authority="KP")["totals"]["realisasi"]
    submitted = get_json(client, "realization", year=2023, authority="KP", basis="submitted")["totals"]["realisasi"]
    assert submitted > approved


def test_monthly_report_cumulates_and_scores(demo) -> None:
    data = get_json(signed_in("reviewer"), "monthly", year=2022, authority="DK")
    rows = data["rows"]
    assert [row["month"] for row in rows] == list(range(1, 13))
    assert rows[-1]["realisasi_kumulatif"] == sum(row["realisasi"] for row in rows)
    assert rows[-1]["serapan"] == 97.97
    assert [row["target_serapan"] for row in rows if row["target_serapan"] is not None] == [15, 50, 70, 90]
    # Issue 24: the page III figures are the satkers' own (per spending type), averaged, never
    # computed on the national sums; the directorate's value is /reports/ikpa/'s deviasi mean.
    national = [abs(row["realisasi"] - row["rpd"]) * 100 / row["rpd"] for row in rows]
    assert all(0 <= row["skor_deviasi"] <= 100 for row in rows)
    assert all(abs(row["deviasi"] - figure) > 0.01 for row, figure in zip(rows, national, strict=True))
    ikpa = get_json(signed_in("reviewer"), "ikpa", year=2022, authority="DK", month=12)
    assert data["totals"]["skor_deviasi"] == ikpa["totals"]["deviasi"]
    # IKPA's absorption against its targets per spending type, apart from the directorate's targets.
    quarter_ends = [row for row in rows if row["month"] % 3 == 0]
    assert all(0 <= row["skor_penyerapan_ikpa"] <= 100 for row in quarter_ends)
    assert quarter_ends[2]["target_ikpa"] == "51: 75, 52: 70, 53: 70, 57: 75"
    assert all(row["target_ikpa"] is None for row in rows if row["month"] % 3)
    as_of_june = get_json(signed_in("reviewer"), "monthly", year=2022, authority="DK", month=6)
    assert len(as_of_june["rows"]) == 6


def test_submissions_matrix_counts(demo) -> None:
    data = get_json(signed_in("reviewer"), "submissions", year=2023)
    assert len(data["rows"]) == 38 * 12
    assert data["totals"]["late"] >= 1
    statuses = {row["status"] for row in data["rows"]}
    assert {"APPROVED", "SUBMITTED", "RETURNED", "DRAFT"} <= statuses
    page = signed_in("reviewer").get(URLS["submissions"], {"year": 2023}).content.decode()
    assert "Ketepatan waktu laporan bulanan" in page


def test_export_report_command_writes_the_same_json(demo, tmp_path) -> None:
    target = tmp_path / "ranking.json"
    call_command("export_report", "provinces", year=2022, format="json", authority="DK", output=target,
                 stdout=io.StringIO())  # fmt: skip
    data = json.loads(target.read_text())
    assert data["report"] == "provinces"
    assert Decimal(str(data["totals"]["persen"])) == Decimal("97.97")


def test_satker_rows_drill_down_to_the_satker_year(demo) -> None:
    page = signed_in("reviewer").get(URLS["satkers"], {"year": 2022, "province": "17"}).content.decode()
    assert f'href="{reverse("budgets:satker-year", args=["170019", 2022])}"' in page


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_report_table_body_matches_django_tables2s_own_rendering(demo, name: str) -> None:
    """The report tables' fast body (ReportTable.body_rows) shows exactly the cells, classes and
    order django-tables2's own template shows, sorted too."""
    import re

    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    from budgets.models import FiscalYear
    from budgets.reports.queries import RealizationFilter
    from budgets.reports.specs import BuildContext
    from core.reporting.html import report_table

    spec = REPORTS[name]
    request = RequestFactory().get("/", {"sort": "-" + spec.columns[-1].key})
    request.user = get_user_model().objects.get(username="reviewer")
    year = 2023
    filters = RealizationFilter(year=year)
    result = spec.build(filters, BuildContext(FiscalYear.objects.get(year=year), None, False, timezone.localdate()))
    table = report_table(spec, result, request, year)

    def cells(html: str) -> list[str]:
        body = html[html.index("<tbody") : html.index("</tbody>")]
        found = re.findall(r"<td[^>]*>.*?</td>", body, re.DOTALL)
        return [re.sub(r"\s+>", ">", re.sub(r"\s+", " ", cell)).strip() for cell in found]

    ours = render_to_string(table.template_name, {"table": table, "request": request})
    theirs = render_to_string("django_tables2/bootstrap5-responsive.html", {"table": table, "request": request})
    assert cells(ours) == cells(theirs)
    assert len(cells(ours)) >= len(spec.columns)


def test_the_report_menu_keeps_its_order(demo) -> None:
    # The menu lists the catalogue in order: the budget's reports, the registry, the programmes'.
    response = signed_in("reviewer").get(URLS["realization"], {"year": 2022})
    menu = [spec.name for spec in response.context["reports"]]
    assert menu == ["realization", "provinces", "satkers", "monthly", "submissions", "ro", "quarterly", "evidence",
                    "ikpa", "ikm", "outputs", "ovop"]  # fmt: skip
