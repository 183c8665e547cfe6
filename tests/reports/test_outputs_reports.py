"""The programme reports against the demo data through HTTP: the published 2022 outputs
(DOMAIN.md, seed-article.txt) on the approved basis, every format for every role, the OVOP
report, and the dashboard and narrative that show them."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from programs.records.report import KEYS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OUTPUTS = reverse("reports:outputs")
OVOP = reverse("reports:ovop")
PUBLISHED_2022 = {
    "wub": 13_220, "ovop_centres": 1_574, "product_development": 1_133, "exhibition_ikm": 306,
    "exhibition_value": 46_900_000_000, "i40": 20, "restructuring_ikm": 99, "restructuring_value": 10_860_000_000,
    "sni": 41, "iso": 13, "haccp": 29, "hki": 472, "partnership": 67,
}  # fmt: skip
ROLES = ["officer-17", "reviewer", "viewer", "admin"]


@pytest.fixture
def demo(demo_data: str) -> None:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end)."""


def signed_in(username: str) -> Client:
    return client_for(get_user_model().objects.get(username=username))


def get_json(client: Client, url: str, **params: object) -> dict:
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_2022_directorate_outputs_are_the_published_ones(demo) -> None:
    data = get_json(signed_in("viewer"), OUTPUTS, year=2022)
    totals = data["totals"]
    assert {key: totals[key] for key in PUBLISHED_2022} == PUBLISHED_2022
    # every province with a DIPA in 2022: the 34 of the DK map (the central units are in DKI Jakarta's row)
    assert len(data["rows"]) == 34
    for key in KEYS:
        assert totals[key] == sum(row[key] for row in data["rows"])
    assert data["params"]["basis"] == "approved"


def test_2022_deconcentration_grew_4579_entrepreneurs_2572_with_legality(demo) -> None:
    data = get_json(signed_in("reviewer"), OUTPUTS, year=2022, authority="DK")
    assert (data["totals"]["wub"], data["totals"]["wub_legal"]) == (4_579, 2_572)
    assert len(data["rows"]) == 34 and all(row["wub"] > 0 for row in data["rows"])
    # The directorate's figures are mostly the central units' and partly the provinces'.
    everyone = get_json(signed_in("reviewer"), OUTPUTS, year=2022)["totals"]
    central = get_json(signed_in("reviewer"), OUTPUTS, year=2022, authority="KP")["totals"]
    assert central["wub"] == everyone["wub"] - 4_579
    assert 0 < data["totals"]["product_development"] < central["product_development"]
    assert data["totals"]["ovop_centres"] == 1_574 and central["ovop_centres"] == 0


def test_2022_targets_and_achievement(demo) -> None:
    totals = get_json(signed_in("viewer"), OUTPUTS, year=2022)["totals"]
    # The demo sets a target where its figures achieve something: every published indicator and
    # the others it has figures for; an indicator its figures do not name has neither.
    achieved = [key for key in KEYS if totals[key] > 0]
    assert set(PUBLISHED_2022) <= set(achieved)
    for key in achieved:
        assert totals[f"{key}_target"] > 0
        assert 80 <= totals[f"{key}_persen"] <= 125
    assert all(totals[f"{key}_target"] == 0 for key in KEYS if key not in achieved)


def test_2022_submitted_basis_and_month(demo) -> None:
    client = signed_in("reviewer")
    approved = get_json(client, OUTPUTS, year=2022)["totals"]
    assert get_json(client, OUTPUTS, year=2022, basis="submitted")["totals"]["wub"] == approved["wub"]
    june = get_json(client, OUTPUTS, year=2022, month=6)["totals"]
    assert 0 < june["wub"] < approved["wub"] and june["ovop_centres"] == approved["ovop_centres"]


@pytest.mark.parametrize("url", [OUTPUTS, OVOP])
@pytest.mark.parametrize("username", ROLES)
def test_every_format_for_every_role(demo, url, username) -> None:
    client = signed_in(username)
    for year in (2022, 2023):
        data = get_json(client, url, year=year)
        assert len(data["rows"]) == 34  # province-level figures: every role sees every province of the year
        rows = list(csv.DictReader(io.StringIO(client.get(url, {"year": year, "format": "csv"}).content.decode())))
        assert [row["province"] for row in rows] == [row["province"] for row in data["rows"]]
        workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"year": year, "format": "xlsx"}).content))
        assert workbook.active.max_row >= 3 + 34
        html = client.get(url, {"year": year})
        assert html.status_code == 200 and "Bengkulu" in html.content.decode()
    assert Client().get(url, {"year": 2022}).status_code == 302


def test_ovop_2022_and_2023_sentra_coached_and_groups(demo) -> None:
    client = signed_in("viewer")
    first = get_json(client, OVOP, year=2022)["totals"]
    assert first["centres"] == 1_574
    groups = ("pangan", "tenun", "batik", "anyaman", "gerabah", "lainnya")
    assert all(first[f"group_{group}"] > 0 for group in groups)
    assert sum(first[f"group_{group}"] for group in groups) == 1_574
    assert first["units"] >= 5 * 1_574
    # Awards are no coaching: the 2022 cycle starred 77 IKM, counted apart from the 1.574 sentra.
    assert (first["cycle"], first["awarded"], sum(first[f"stars_{n}"] for n in range(1, 6))) == (2022, 77, 77)
    assert first["level_central"] + first["level_province"] + first["level_regency"] == 77
    second = get_json(client, OVOP, year=2023)["totals"]
    assert second["centres"] > 1_500 and second["cycle"] == 2022
    rows = get_json(client, OVOP, year=2022)["rows"]
    assert all(row["centres"] > 0 for row in rows)


def test_2022_narrative_tells_the_outputs_as_the_statement_does(demo) -> None:
    client = signed_in("viewer")
    text = client.get(reverse("dashboard:narrative"), {"year": 2022, "lang": "id"}).content.decode()
    assert (
        "Kinerja kegiatan dekonsentrasi bidang industri telah menumbuhkan 4.579 wirausaha baru (WUB), 2.572 di "
        "antaranya telah memperoleh legalitas usaha, sepanjang 2022."
    ) in text
    for phrase in ("membina 1.574 sentra OVOP", "pengembangan produk kepada 1.133 pelaku IKM",
                   "penumbuhan 13.220 wirausaha baru", "pameran bagi 306 pelaku IKM dengan total transaksi mencapai "
                   "Rp46,9 miliar", "industri 4.0 kepada 20 IKM", "Sebanyak 99 pelaku IKM",
                   "Rp10,86 miliar", "sertifikasi SNI kepada 41 IKM",
                   "sertifikasi ISO kepada 13 IKM", "kekayaan intelektual kepada 472 IKM", "HACCP kepada 29 IKM",
                   "kemitraan kepada 67 IKM"):  # fmt: skip
        assert phrase in text
    assert text.index("97,97 %") < text.index("4.579")  # the realization first, then the outputs
    english = client.get(reverse("dashboard:narrative"), {"year": 2022, "lang": "en"}).content.decode()
    assert (
        "The performance of the deconcentration activity in the field of industry has grown 4,579 new "
        "entrepreneurs (WUB), 2,572 of whom have obtained business legality, throughout 2022."
    ) in english
    assert "IDR 46.9 billion" in english and "IDR 10.86 billion" in english and "13,220 new entrepreneurs" in english


def test_2022_dashboard_shows_the_outputs(demo) -> None:
    response = signed_in("reviewer").get(reverse("dashboard:home"), {"year": 2022})
    assert response.status_code == 200
    programmes = response.context["programmes"]
    assert programmes["totals"]["wub"] == 13_220
    page = response.content.decode()
    assert 'data-kpi="wub">13.220<' in page and 'data-kpi="hki">472<' in page
    assert "Rp46.900.000.000" in page
    assert f'href="{OUTPUTS}?year=2022"' in page
    assert "4.579 wirausaha baru (WUB)" in " ".join(response.context["narrative"])
    dk = signed_in("reviewer").get(reverse("dashboard:home"), {"year": 2022, "authority": "DK"})
    assert dk.context["programmes"]["totals"]["wub"] == 4_579
    assert f'href="{OUTPUTS}?year=2022&amp;authority=DK"' in dk.content.decode()


def test_export_report_command_writes_the_outputs(demo, tmp_path) -> None:
    target = tmp_path / "outputs.json"
    call_command("export_report", "outputs", year=2022, format="json", authority="DK", output=target,
                 stdout=io.StringIO())  # fmt: skip
    data = json.loads(target.read_text())
    assert data["report"] == "outputs"
    assert (data["totals"]["wub"], data["totals"]["wub_legal"]) == (4_579, 2_572)
