"""The key pages on the demo data (what `make run` loads), as each role sees them, 1280 wide, whole
page: the README's screenshots when `make screenshots` runs this (docs/screenshots/), a temporary
folder in `make test`. Each page is also checked for what it must show, so a broken page never
becomes a screenshot unnoticed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from budgets.models import MonthlyReport, QuarterlyReport
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = MonthlyReport.Status
BENGKULU = "170019"


def test_screenshots_of_the_key_pages(new_page, demo, screenshots):
    page = new_page()
    page.goto(reverse("accounts:login"))
    assert page.locator("#id_username").is_visible()
    screenshot(page, screenshots, "01-login")

    sign_in(page, "officer-17", DEMO_PASSWORD)
    assert page.locator("[data-kpi=rank]").is_visible()
    screenshot(page, screenshots, "02-officer-home")

    # Bengkulu's latest month of the running year (returned with a comment to fix), or of 2023.
    report = MonthlyReport.objects.filter(satker__code=BENGKULU).order_by("-fiscal_year__year", "-month").first()
    page.goto(reverse("budgets:realization-entry", args=[BENGKULU, report.fiscal_year.year, report.month]))
    assert page.locator("tfoot [data-col-total]").inner_text() != ""
    screenshot(page, screenshots, "03-realization-entry")

    reviewer = new_page()
    sign_in(reviewer, "reviewer", DEMO_PASSWORD)
    assert reviewer.locator("svg.tile-map a.tile").count() == 38
    assert reviewer.locator("canvas").count() >= 2
    screenshot(reviewer, screenshots, "04-dashboard")

    waiting = MonthlyReport.objects.filter(status=Status.VERIFIED).order_by("-fiscal_year__year", "-month", "satker")
    reviewer.goto(reverse("budgets:report-detail", args=[waiting.first().pk]))
    assert reviewer.get_by_role("button", name="Setujui laporan").is_visible()
    screenshot(reviewer, screenshots, "05-review")

    reviewer.goto(reverse("reports:provinces") + "?year=2022&authority=DK")
    assert "Bengkulu" in reviewer.locator("main table").first.inner_text()
    screenshot(reviewer, screenshots, "06-province-ranking")

    reviewer.goto(reverse("reports:outputs") + "?year=2022")
    assert "13.220" in reviewer.locator("main").inner_text()
    screenshot(reviewer, screenshots, "07-outputs")

    # The head's side: a report of the province submitted and awaiting the verification.
    awaiting = (
        MonthlyReport.objects.filter(status=Status.SUBMITTED, satker__is_central=False)
        .select_related("satker__province")
        .order_by("-fiscal_year__year", "-month", "satker")
        .first()
    )
    head = new_page()
    sign_in(head, f"head-{awaiting.satker.province.bps_code}", DEMO_PASSWORD)
    head.goto(reverse("budgets:report-detail", args=[awaiting.pk]))
    assert head.get_by_role("button", name="Verifikasi laporan").is_visible()
    screenshot(head, screenshots, "08-head-verify")

    # A 2023 quarterly report with obstacles, the obstacle board and the late-report ledger.
    quarterly = (
        QuarterlyReport.objects.filter(
            fiscal_year__year=2023, kind=QuarterlyReport.Kind.QUARTER, obstacles__isnull=False
        )
        .select_related("satker", "fiscal_year")
        .order_by("period", "satker__code")
        .first()
    )
    reviewer.goto(reverse("budgets:quarterly-detail", args=[quarterly.satker.code, 2023, quarterly.url_period]))
    assert "Kendala" in reviewer.locator("main").inner_text()
    screenshot(reviewer, screenshots, "09-quarterly")
    reviewer.goto(reverse("budgets:obstacles") + "?year=2023")
    assert reviewer.locator("main table").count() >= 1
    screenshot(reviewer, screenshots, "10-obstacles")
    reviewer.goto(reverse("budgets:ledger") + "?year=2023")
    assert "Laporan bulanan" in reviewer.locator("main").inner_text()
    screenshot(reviewer, screenshots, "11-ledger")

    # The reviewer's cockpit: the directorate's queue with its figures, the clean marker and the
    # batch decision (issue 23).
    reviewer.goto(reverse("budgets:report-list") + "?status=AWAITING_DIRECTORATE")
    assert reviewer.locator("main table thead").inner_text().count("%") >= 2
    screenshot(reviewer, screenshots, "12-cockpit")

    # The officer's month on a phone: the line's name stays beside the amounts, nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("budgets:realization-entry", args=[BENGKULU, report.fiscal_year.year, report.month]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, screenshots, "13-phone-entry")
