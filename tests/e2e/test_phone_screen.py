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
                 reverse("budgets:rpd-entry", args=[satker.code, year]), reverse("budgets:report-list")):  # fmt: skip
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
