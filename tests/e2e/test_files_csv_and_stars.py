"""Issue 23 in the browser: a report's "CSV (Excel Indonesia)" link downloads the ";" CSV with
its BOM; the directorate admin sets a cycle's OVOP stars on the grid with one save."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from budgets.models import SatkerAuthority
from programs.models import OvopCandidate, OvopCycle
from tests.e2e.conftest import sign_in
from tests.programs.registry.support import make_enterprise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_downloads_the_csv_for_indonesian_excel(new_page, reviewer, dipa, satker):
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    page = new_page()
    sign_in(page, reviewer.username)
    page.goto(reverse("reports:provinces"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (Excel Indonesia)").first.click()
    raw = download_info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert any(row["province_name"] == "Bengkulu" for row in rows)


def test_admin_sets_a_cycles_stars_on_the_grid(new_page, admin_user, satker, regency, fiscal_year):
    cycle = OvopCycle.objects.create(year=2024, name="Penghargaan OVOP 2024")
    candidates = [
        OvopCandidate.objects.create(
            cycle=cycle, enterprise=make_enterprise(regency, f"IKM {n}", nib=f"170000000000{n}"), product=f"Produk {n}",
            group="TENUN", regency=regency, satker=satker, admin_check_passed=True, score=80,
        )
        for n in (1, 2)
    ]  # fmt: skip
    page = new_page()
    sign_in(page, admin_user.username)
    page.goto(reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year]) + "?cycle=2024")
    page.select_option(f"#id_stars-{candidates[0].pk}", "4")
    page.select_option(f"#id_stars-{candidates[1].pk}", "2")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan semua bintang").click()
    assert "Bintang 2 calon disimpan." in page.locator("main").inner_text()
    assert dict(OvopCandidate.objects.values_list("product", "awarded_stars")) == {"Produk 1": 4, "Produk 2": 2}
