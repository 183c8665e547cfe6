"""The reader's language in the browser (issue 23): a refused upload's errors, checked while the
officer read Indonesian, turn English with the footer's language switch (they are stored as
message id + parameters, not as the sentence); the year picker lists the years with data first."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from budgets.models import FiscalYear
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
HEADER = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]


def test_upload_errors_follow_the_language_switch(new_page, officer, dipa):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["170019", dipa.fiscal_year.year, 13, "051", "524111", 300_000])
    content = io.BytesIO()
    book.save(content)

    page = new_page()
    sign_in(page, officer.username)
    page.goto(reverse("imports:upload", args=["realisasi"]))
    upload = {"name": "realisasi.xlsx", "mimeType": "application/octet-stream", "buffer": content.getvalue()}
    page.set_input_files("#id_file", files=[upload])
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah dan periksa").click()
    message = page.locator("#upload-errors tbody tr").first.locator("td").nth(2)
    assert message.inner_text().strip() == "Harus di antara 1 dan 12."

    page.select_option("#language", "en")
    with page.expect_navigation():
        page.locator("footer").get_by_role("button").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#upload-errors tbody tr").first.locator("td").nth(2).inner_text().strip() == (
        "Must be between 1 and 12."
    )


def test_dashboard_year_picker_lists_years_with_data_first(new_page, reviewer, dipa):
    empty = FiscalYear.objects.create(year=dipa.fiscal_year.year - 1)
    page = new_page()
    sign_in(page, reviewer.username)
    page.goto(reverse("dashboard:home"))
    options = page.locator("#dashboard-year option")
    assert options.all_inner_texts() == [str(dipa.fiscal_year.year), f"{empty.year} (belum ada data)"]
    assert page.locator("#dashboard-year").input_value() == str(dipa.fiscal_year.year)
