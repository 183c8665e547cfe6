"""axe-core (npm, package.json's devDependencies) on the key pages, as every role that may open
them sees them on the demo data: any violation of impact "critical" or "serious" against WCAG 2.1
A/AA fails the test, naming the page, the role, the rule and the elements.

axe is injected by the test only (Playwright's ``add_script_tag`` from node_modules); the site
never serves it. Set A11Y_REPORT=<file> to write the violation counts per page as JSON (the
numbers in the README's "Accessibility" section come from it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from budgets.models import MonthlyReport, QuarterlyReport
from reports.urls import PATHS as REPORT_PATHS
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}
BENGKULU = "170019"
ROLES = ("officer-17", "head-17", "reviewer", "viewer", "admin")


def key_pages() -> dict[str, str]:
    """The pages axe checks: name -> URL (built on the demo data)."""
    report = MonthlyReport.objects.filter(satker__code=BENGKULU).order_by("-fiscal_year__year", "-month").first()
    year, month = report.fiscal_year.year, report.month
    quarterly = (
        QuarterlyReport.objects.filter(satker__code=BENGKULU).select_related("fiscal_year")
        .order_by("-fiscal_year__year", "period").first()
    )  # fmt: skip
    satker = [BENGKULU, year]
    pages = {
        "dashboard": reverse("dashboard:home"),
        **{f"report-{name}": reverse(f"reports:{name}") for name in REPORT_PATHS},
        "monthly-report-list": reverse("budgets:report-list"),
        "monthly-report": reverse("budgets:report-detail", args=[report.pk]),
        "satker-list": reverse("budgets:satker-list"),
        "satker-year": reverse("budgets:satker-year", args=satker),
        "realization-entry": reverse("budgets:realization-entry", args=[*satker, month]),
        "rpd-entry": reverse("budgets:rpd-entry", args=satker),
        "pagu": reverse("budgets:pagu", args=satker),
        "pagu-revise": reverse("budgets:pagu-revise", args=satker),
        "programme-records": reverse("programs:records", args=[*satker, month]),
        "ovop": reverse("programs:ovop", args=satker),
        "quarterly": reverse(
            "budgets:quarterly-detail", args=[BENGKULU, quarterly.fiscal_year.year, quarterly.url_period]
        ),
        "obstacles": reverse("budgets:obstacles"),
        "ledger": reverse("budgets:ledger"),
        "registry-list": reverse("programs:registry-list"),
        "notifications": reverse("core:notifications"),
        "delegations": reverse("accounts:delegations"),
        "imports": reverse("imports:index"),
        "import-upload": reverse("imports:upload", args=["realisasi"]),
    }
    return pages


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def test_key_pages_have_no_serious_accessibility_violations(browser, live_server, demo):
    assert AXE.exists(), "axe-core is missing: `npm ci` installs package.json's devDependencies"

    def new_page():
        # The site's Content-Security-Policy (script-src 'self') refuses the injected axe script:
        # these contexts bypass it, so the CSP itself is the other e2e tests' business.
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="id-ID", bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    counts: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    checked: dict[str, list[str]] = {}

    def check(page, name: str, who: str) -> None:
        violations = run_axe(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        counts[f"{name} [{who}]"] = {"violations": len(violations), "serious_or_critical": len(blocking),
                                     "nodes": sum(len(v["targets"]) for v in blocking)}  # fmt: skip
        checked.setdefault(name, []).append(who)
        for violation in blocking:
            problems.append(f"{name} [{who}] {page.url}: {violation['impact']} {violation['id']}: "
                            f"{', '.join(violation['targets'][:5])}")  # fmt: skip

    anonymous = new_page()
    anonymous.goto(reverse("accounts:login"))
    check(anonymous, "login", "anonymous")
    # The public page (issue 26): what anyone reads, in both languages.
    for name, url in (("public", "/public/?year=2022"), ("public-en", "/public/?year=2022&lang=en")):
        assert anonymous.goto(url).status == 200, url
        check(anonymous, name, "anonymous")
    anonymous.context.close()

    pages = key_pages()
    for username in ROLES:
        page = new_page()
        sign_in(page, username, DEMO_PASSWORD)
        for name, url in pages.items():
            response = page.goto(url)
            # A page the role may not open (403, or 404 outside its province) is not its page.
            if response.status in (403, 404):
                continue
            assert response.status == 200, f"{name} [{username}] {url}: {response.status}"
            check(page, name, username)
        page.context.close()

    if os.environ.get("A11Y_REPORT"):
        Path(os.environ["A11Y_REPORT"]).write_text(json.dumps(counts, indent=1, sort_keys=True))
    # Every key page was checked by at least one role (a page nobody may open checks nothing).
    assert set(checked) == {"login", "public", "public-en", *pages}, sorted({"login", *pages} - set(checked))
    assert len(checked) >= 20
    assert not problems, "\n" + "\n".join(problems)


def test_the_report_menu_works_from_the_keyboard(new_page, reviewer, fiscal_year):
    """The navbar's "Laporan" menu (Bootstrap's dropdown, from npm): opened with Enter, walked
    with the arrow keys, a report opened with Enter, and then marked as the current page."""
    page = new_page()
    sign_in(page, reviewer.username)
    page.focus("#nav-reports")
    page.keyboard.press("Enter")
    menu = page.locator("[data-report-menu]")
    assert menu.is_visible()
    assert page.get_attribute("#nav-reports", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.report")
    assert focused == "provinces"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("reports:provinces"))
    assert page.locator('[data-report-menu] a[aria-current="page"]').get_attribute("data-report") == "provinces"
    assert page.locator("nav .breadcrumb [aria-current=page]").inner_text() != ""
