"""Excel both ways and the language switch, in the browser: a report's XLSX export downloads and
opens with its header; an uploaded workbook with one bad row shows that row's error on the page;
the footer's language switch turns the page into English."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets.models import Realization, SatkerAuthority
from imports.models import Upload
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
REALIZATION_HEADER = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]


def test_province_ranking_downloads_as_xlsx(new_page, reviewer, dipa, satker):
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    page = new_page()
    sign_in(page, reviewer.username)
    page.goto(reverse("reports:provinces"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    assert f"Tahun {dipa.fiscal_year.year}" in sheet["A1"].value
    header = [cell.value for cell in sheet[3]]
    assert header[:3] == ["Peringkat", "Kode BPS", "Provinsi"] and "Realisasi" in header
    assert any(row[2] == "Bengkulu" for row in sheet.iter_rows(min_row=4, values_only=True))


def test_an_import_with_a_bad_row_shows_that_rows_error(new_page, officer, dipa):
    year = dipa.fiscal_year.year
    book = Workbook()
    book.active.append(REALIZATION_HEADER)
    book.active.append(["170019", year, 1, "051", "521211", "1.250.000"])
    book.active.append(["170019", year, 13, "051", "524111", 300_000])
    content = io.BytesIO()
    book.save(content)

    page = new_page()
    sign_in(page, officer.username)
    page.goto(reverse("imports:upload", args=["realisasi"]))
    upload = {"name": "realisasi-januari.xlsx", "mimeType": "application/octet-stream", "buffer": content.getvalue()}
    page.set_input_files("#id_file", files=[upload])
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah dan periksa").click()
    errors = page.locator("#upload-errors tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert [cell.strip() for cell in errors.first.locator("td").all_inner_texts()] == [
        "3",
        "bulan",
        "Harus di antara 1 dan 12.",
    ]
    assert page.get_by_role("button", name="Konfirmasi dan impor").count() == 0
    assert Upload.objects.get().status == Upload.Status.REJECTED and not Realization.objects.exists()


def test_the_language_switch_turns_the_page_into_english(new_page, officer, dipa):
    page = new_page()
    sign_in(page, officer.username)
    page.goto(reverse("imports:index"))
    language_label = page.locator("label[for=language]")
    assert page.locator("html").get_attribute("lang") == "id"
    assert language_label.inner_text() == "Bahasa"

    page.select_option("#language", "en")
    with page.expect_navigation():
        page.locator("footer").get_by_role("button").click()
    assert page.url.endswith(reverse("imports:index"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert language_label.inner_text() == "Language"
    assert page.get_by_role("link", name="Home").count() >= 1
