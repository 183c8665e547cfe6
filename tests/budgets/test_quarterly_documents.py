"""The quarterly and year-end report's official documents (PDF read back with pypdf, XLSX with
openpyxl) and the directorate's consolidation of a quarter: the figures equal /reports/quarterly/'s
JSON (computed from it, never typed), the obstacles, the narrative, the head's (or the acting
head's) signature or DRAF, the page's scope and a bounded number of queries."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budgets.models import QuarterlyReport
from budgets.services import quarterly as service
from core.formats import format_date, format_thousands
from tests import quarterly_world as qw
from tests.budgets.test_documents import _pdf_ready, needs_pdf, one_line, pdf_text
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status
AT_RISK = 12_345_678  # printed 12.346 (thousands, half up)


@pytest.fixture
def world(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> qw.World:
    world = qw.build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer)
    qw.first_quarter_on_target(world)
    for user, (first, last, nip) in {
        world.head: ("Rahmat", "Hidayat", "197001012000031001"),
        world.acting: ("Siti", "Aminah", "198002022005012002"),
    }.items():
        user.first_name, user.last_name, user.nip = first, last, nip
        user.save()
    return world


def prepared(world: qw.World) -> QuarterlyReport:
    """TW I prepared with a narrative and an obstacle (amount at risk 12.345.678 rupiah)."""
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    report = service.quarterly_narrative_set(
        report=report, by=world.officer, narrative="Pelaksanaan berjalan baik.", expected_version=report.version
    )
    service.obstacle_add(report=report, by=world.officer, category="PROCUREMENT", description="Lelang gagal",
                         amount_at_risk=AT_RISK, follow_up="Lelang ulang", owner="PPK")  # fmt: skip
    return qw.quarterly(world)


def verified(world: qw.World, by) -> QuarterlyReport:
    report = prepared(world)
    report = service.quarterly_submit(report=report, by=world.officer, today=date(2024, 4, 2))
    service.quarterly_verify(report=report, by=by, today=date(2024, 4, 2))
    return qw.quarterly(world)


def url(world: qw.World, name: str = "budgets:quarterly-pdf", q: str = "1") -> str:
    return reverse(name, args=[world.satker.code, qw.YEAR, q])


def json_rows(client, quarter: str = "1") -> dict:
    response = client.get(reverse("reports:quarterly"), {"year": qw.YEAR, "quarter": quarter, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def json_row(client, world: qw.World) -> dict:
    return next(row for row in json_rows(client)["rows"] if row["satker"] == world.satker.code)


@needs_pdf
def test_draft_pdf_has_the_title_the_json_figures_in_thousands_the_obstacles_and_draf(world) -> None:
    prepared(world)
    client = client_for(world.officer)
    response = client.get(url(world))
    assert response["Content-Disposition"] == f'inline; filename="laporan-triwulan-170019-{qw.YEAR}-1.pdf"'
    text = one_line(pdf_text(response))
    assert "PEMERINTAH PROVINSI BENGKULU" in text
    assert f"LAPORAN TRIWULAN I PELAKSANAAN DEKONSENTRASI TAHUN {qw.YEAR}" in text
    assert f"{world.satker.code} {world.satker.name}" in text
    row = json_row(client, world)
    assert row["realisasi"] > 0
    # The summary: pagu efektif and realization to the quarter's end, in thousands, as the JSON's.
    assert f"{format_thousands(row['pagu_efektif'])} {format_thousands(row['realisasi'])}" in text
    assert "ribuan rupiah" in text
    assert "6503.RBS.001" in text and "Wirausaha baru" in text and "Form A" in text
    assert "Lelang gagal" in text and "Lelang ulang" in text and "PPK" in text
    assert format_thousands(AT_RISK) == "12.346" and "12.346" in text
    assert "Pelaksanaan berjalan baik." in text
    assert "DRAF" in text and "Belum diverifikasi Kepala Dinas" in text and "NIP" not in text


@needs_pdf
def test_verified_pdf_is_signed_by_the_head_with_the_signed_figures(world) -> None:
    report = verified(world, world.head)
    client = client_for(world.officer)
    text = one_line(pdf_text(client.get(url(world))))
    assert f"Bengkulu, {format_date(timezone.localtime(report.verified_at).date())}" in text
    assert "Kepala Dinas" in text and "Plh." not in text
    assert "Rahmat Hidayat" in text and "NIP 197001012000031001" in text
    assert "DRAF" not in text and "Belum diverifikasi" not in text
    assert "diverifikasi dan ditandatangani" in text
    assert format_thousands(json_row(client, world)["realisasi"]) in text


@needs_pdf
def test_pdf_verified_by_the_acting_head_says_plh(world) -> None:
    verified(world, world.acting)
    text = one_line(pdf_text(client_for(world.reviewer).get(url(world))))
    assert "Plh. Kepala Dinas" in text
    assert "Siti Aminah" in text and "NIP 198002022005012002" in text
    assert "Rahmat Hidayat" not in text


@needs_pdf
def test_year_end_pdf_title(world) -> None:
    service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=4, year_end=True,
                              by=world.officer)  # fmt: skip
    text = one_line(pdf_text(client_for(world.officer).get(url(world, q="year-end"))))
    assert f"LAPORAN AKHIR TAHUN PELAKSANAAN DEKONSENTRASI TAHUN {qw.YEAR}" in text
    assert "Akhir tahun (Januari - Desember" in text


def test_xlsx_totals_equal_the_json(world) -> None:
    prepared(world)
    client = client_for(world.officer)
    response = client.get(url(world, "budgets:quarterly-xlsx"))
    assert response.status_code == 200
    assert f'filename="laporan-triwulan-170019-{qw.YEAR}-1.xlsx"' in response["Content-Disposition"]
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            .active.iter_rows()]  # fmt: skip
    assert rows[0][0] == "PEMERINTAH PROVINSI BENGKULU"
    row = json_row(client, world)
    header = next(index for index, values in enumerate(rows) if values[0] == "Pagu" and values[2] == "Pagu efektif")
    summary = rows[header + 1]
    assert [Decimal(str(value)) * 1000 for value in summary[2:4]] == [row["pagu_efektif"], row["realisasi"]]
    totals = [values for values in rows if values[0] == "Jumlah"]
    # Form A's total realization (exact, in thousands) is the summary's; the obstacles' at risk.
    assert Decimal(str(totals[0][10])) * 1000 == row["realisasi"]
    assert Decimal(str(totals[1][2])) * 1000 == AT_RISK
    assert "Pelaksanaan berjalan baik." in [values[0] for values in rows]
    assert "Belum diverifikasi Kepala Dinas" in [values[0] for values in rows]


@pytest.mark.parametrize("name", ["budgets:quarterly-pdf", "budgets:quarterly-xlsx"])
def test_scope_as_the_page(world, anonymous, name) -> None:
    prepared(world)
    assert client_for(world.other_officer).get(url(world, name)).status_code == 404
    response = anonymous.get(url(world, name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    # Not prepared yet: no document.
    assert client_for(world.officer).get(url(world, name, q="2")).status_code == 404


def test_page_shows_the_download_buttons_for_an_existing_report(world) -> None:
    client = client_for(world.officer)
    page = reverse("budgets:quarterly-detail", args=[world.satker.code, qw.YEAR, "1"])
    assert url(world) not in client.get(page).content.decode()
    prepared(world)
    body = client.get(page).content.decode()
    assert url(world) in body and url(world, "budgets:quarterly-xlsx") in body


@pytest.mark.parametrize("name", ["budgets:quarterly-pdf", "budgets:quarterly-xlsx"])
def test_queries_are_bounded(world, name, django_assert_max_num_queries) -> None:
    report = prepared(world)
    for index in range(5):
        service.obstacle_add(report=qw.quarterly(world), by=world.officer, category="STAFF",
                             description=f"Kendala {index}", follow_up="f", owner="o")  # fmt: skip
    assert report.obstacles.count() == 6
    if name == "budgets:quarterly-pdf" and _pdf_ready():
        pytest.skip(_pdf_ready())
    client = client_for(world.officer)
    with django_assert_max_num_queries(25):
        response = client.get(url(world, name))
    assert response.status_code == 200


# --- The directorate's consolidation -----------------------------------------------------------

NATIONAL = reverse("reports:quarterly-pdf")


@needs_pdf
def test_consolidation_lists_every_satker_with_the_json_totals(world) -> None:
    verified(world, world.head)
    client = client_for(world.reviewer)
    data = json_rows(client)
    assert len(data["rows"]) == 2
    response = client.get(NATIONAL, {"year": qw.YEAR, "quarter": "1"})
    assert response["Content-Disposition"] == f'inline; filename="rekap-laporan-triwulan-{qw.YEAR}-1.pdf"'
    text = one_line(pdf_text(response))
    assert "REKAPITULASI LAPORAN TRIWULAN I" in text and str(qw.YEAR) in text
    for row in data["rows"]:
        assert f"{row['satker']} {row['satker_name']} {row['province_name']}" in text
    pagu = sum(row["pagu_efektif"] for row in data["rows"])
    realized = sum(row["realisasi"] for row in data["rows"])
    assert (pagu, realized) == (data["totals"]["pagu_efektif"], data["totals"]["realisasi"])
    absorption = (Decimal(realized) * 100 / Decimal(pagu)).quantize(Decimal("0.01"))
    assert Decimal(str(data["totals"]["absorption"])) == absorption
    printed = f"{absorption:.2f}".replace(".", ",")
    assert f"Jumlah nasional {format_thousands(pagu)} {format_thousands(realized)} {printed}" in text
    assert "Diverifikasi Kepala Dinas" in text and "Belum ada" in text
    assert "DRAF" not in text and "Belum diverifikasi" not in text


@needs_pdf
def test_consolidation_of_a_province_shows_its_own_rows(world) -> None:
    text = one_line(pdf_text(client_for(world.officer).get(NATIONAL, {"year": qw.YEAR, "quarter": "1"})))
    assert world.satker.code in text and world.other_satker.code not in text
    assert "Bengkulu" in text


def test_consolidation_scope_and_parameters(world, anonymous) -> None:
    response = anonymous.get(NATIONAL, {"year": qw.YEAR})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    officer = client_for(world.officer)
    assert officer.get(NATIONAL, {"year": qw.YEAR, "province": world.other_satker.province.bps_code}).status_code == 404
    assert client_for(world.reviewer).get(NATIONAL, {"year": qw.YEAR, "quarter": "5"}).status_code == 400
    assert client_for(world.reviewer).get(NATIONAL, {"year": 2090, "quarter": "1"}).status_code in {400, 404}


def test_report_page_links_the_consolidation_with_its_parameters(world) -> None:
    body = client_for(world.reviewer).get(reverse("reports:quarterly"), {"year": qw.YEAR, "quarter": "1"})
    assert f'href="{NATIONAL}?year={qw.YEAR}&amp;quarter=1"' in body.content.decode()
