"""A phone-sized screen (375 x 667): the pages a provincial officer uses every month fit its
width (wide tables scroll inside their own container, the page never sideways), the navigation
collapses behind its toggle button and opens with it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 667}


def page_overflow(page) -> int:
    """How many pixels the page itself is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_officer_pages_fit_a_phone_screen(new_page, officer, dipa, satker) -> None:
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, officer.username)
    year = dipa.fiscal_year.year
    for path in (reverse("dashboard:home"), reverse("budgets:realization-entry", args=[satker.code, year, 1]),
                 reverse("budgets:rpd-entry", args=[satker.code, year]),
                 reverse("budgets:rpd-planner", args=[satker.code, year]), reverse("budgets:report-list")):  # fmt: skip
        page.goto(path)
        assert page_overflow(page) <= 1, f"{path} is wider than a phone screen"
    # The navigation sits behind the toggle, and the toggle opens it.
    menu = page.locator("#nav-main")
    assert not menu.is_visible()
    page.get_by_role("button", name="Buka navigasi").click()
    menu.get_by_role("link", name="Laporan bulanan").wait_for(state="visible")


def test_ovop_coaching_evidence_fits_a_phone_screen(new_page, officer, dipa, satker, regency) -> None:
    """The OVOP page with a coaching's evidence listed and its upload form opened: no sideways page."""
    from budgets.services.evidence import evidence_attach
    from programs.models import OvopCoaching, Sentra
    from tests.evidence_support import PLAIN_PDF, upload

    sentra = Sentra.objects.create(satker=satker, name="Sentra Tenun Songket Bengkulu", regency=regency,
                                   village="Desa Sukamaju", commodity_group="TENUN", unit_count=8)  # fmt: skip
    coaching = OvopCoaching.objects.create(sentra=sentra, year=dipa.fiscal_year.year, stars=3)
    evidence_attach(target=coaching, kind="DECREE", number="SK-123/2026", file=upload("sk-pembinaan.pdf", PLAIN_PDF),
                    by=officer)  # fmt: skip
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, officer.username)
    page.goto(reverse("programs:ovop", args=[satker.code, dipa.fiscal_year.year]))
    section = page.locator("[data-evidence-section]")
    section.get_by_text("Lampirkan bukti dukung").click()
    section.locator("form[data-evidence-upload] input[type=file]").wait_for(state="visible")
    assert page_overflow(page) <= 1


def officer_pages(satker, dipa, report) -> list[str]:
    year = dipa.fiscal_year.year
    return [
        reverse("budgets:satker-year", args=[satker.code, year]),
        reverse("budgets:realization-entry", args=[satker.code, year, 1]),
        reverse("budgets:rpd-entry", args=[satker.code, year]),
        reverse("budgets:report-detail", args=[report.pk]),
        reverse("programs:records", args=[satker.code, year, 1]),
        reverse("budgets:quarterly-detail", args=[satker.code, year, 1]),
        reverse("programs:ovop", args=[satker.code, year]),
        reverse("budgets:obstacles"),
    ]


def test_no_officer_page_scrolls_sideways_on_a_phone(new_page, officer, dipa, satker) -> None:
    """Issue 23: every page of an officer's month at 375 px: the page itself is never wider than
    the screen (wide tables scroll in their own box), and amounts never break inside the number."""
    from budgets.services import realization_set

    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, by=officer, expected_version=0,
                             amounts={dipa.ovop.pk: 85_250_000, dipa.travel.pk: 12_345_678})  # fmt: skip
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, officer.username)
    widths = {}
    for path in officer_pages(satker, dipa, report):
        page.goto(path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert all(width <= PHONE["width"] for width in widths.values()), widths
    # An amount cell is one line high: "85.250.000" does not wrap inside the number.
    page.goto(reverse("budgets:report-detail", args=[report.pk]))
    wrapped = page.evaluate("""() => Array.from(document.querySelectorAll('td.num')).filter((cell) => {
        const text = cell.textContent.trim(); if (!/[0-9]/.test(text)) return false;
        const range = document.createRange(); range.selectNodeContents(cell);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => r.top));
        return tops.size > 1;
    }).map((cell) => cell.textContent.trim())""")
    assert wrapped == []


def test_the_line_name_stays_in_view_while_typing_on_a_phone(new_page, officer, dipa, satker) -> None:
    """A cell low in the grid focused on a phone: its line's name is on the screen with it."""
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, officer.username)
    page.goto(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]))
    last = page.locator("table[data-entry-grid] tbody input.rupiah").last
    last.focus()
    last.press_sequentially("5000")
    name = last.locator("xpath=ancestor::tr").locator("th label")
    last.scroll_into_view_if_needed()
    box, cell = name.bounding_box(), last.bounding_box()
    assert box is not None and cell is not None
    # Beside the cell on the screen (left of it, not scrolled out), on the same rows of the screen.
    assert box["x"] >= 0 and box["x"] + box["width"] <= cell["x"] + 1 and cell["x"] + cell["width"] <= PHONE["width"]
    assert box["y"] < cell["y"] + cell["height"] and cell["y"] < box["y"] + box["height"]
    assert cell["y"] >= 0 and cell["y"] + cell["height"] <= PHONE["height"] + 1
    # The label's visible text names the line (the account), not only a code.
    assert "Belanja Modal Peralatan" in name.inner_text()
    # The RPD grid: December of the last spending type, its name still beside it.
    page.goto(reverse("budgets:rpd-entry", args=[satker.code, dipa.fiscal_year.year]))
    december = page.locator("table[data-entry-grid] tbody tr").last.locator("input.rupiah").last
    december.focus()
    december.press_sequentially("5000")
    name = page.locator("table[data-entry-grid] tbody tr").last.locator("th")
    box, cell = name.bounding_box(), december.bounding_box()
    assert box is not None and cell is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= cell["x"] + 1 and cell["x"] + cell["width"] <= PHONE["width"]
