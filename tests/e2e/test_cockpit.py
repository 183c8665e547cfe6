"""The reviewer's cockpit in the browser: the directorate's reviewer picks two clean reports in the
queue, confirms, and both are approved (each with its own transition); then opens a third one
from the queue and approves it with "Setujui dan buka berikutnya", landing on the queue's next
report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import EvidenceRule, MonthlyReport, QualityFlag
from tests.budgets.test_cockpit import make
from tests.e2e.conftest import sign_in
from tests.factories import SatkerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = MonthlyReport.Status


def test_reviewer_batch_approves_clean_reports_then_approves_and_opens_the_next(new_page, reviewer, dipa, province):
    EvidenceRule.objects.update(active=False)
    year = dipa.fiscal_year
    units = [SatkerFactory(code=f"17{index:04d}", province=province) for index in range(4)]
    first, second, flagged, last = (make(unit, year, 2, minutes=index) for index, unit in enumerate(units))
    QualityFlag.objects.create(report=flagged, code="MONTH_SPIKE", target_key="satker", target_label="Satker",
                               reason="Lonjakan")  # fmt: skip

    page = new_page()
    sign_in(page, reviewer.username)
    page.goto(reverse("budgets:report-list"))
    boxes = page.locator("input[name=reports]")
    assert boxes.count() == 3  # the flagged report cannot be picked
    page.locator(f"input[name=reports][value='{first.pk}']").check()
    page.locator(f"input[name=reports][value='{second.pk}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Putuskan laporan bersih yang dipilih").click()
    # The confirmation lists them; nothing is decided yet.
    assert page.locator("[data-batch-confirm] tbody tr").count() == 2
    first.refresh_from_db()
    assert first.status == Status.VERIFIED
    with page.expect_navigation():
        page.get_by_role("button", name="Putuskan 2 laporan").click()
    assert "2 laporan diputuskan" in page.locator("main").inner_text()
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == Status.APPROVED and report.transitions.count() == 1

    # The queue now holds the flagged report and the last one: open the flagged one, approve and go on.
    with page.expect_navigation():
        page.locator(f"a[href^='{reverse('budgets:report-detail', args=[flagged.pk])}?next=']").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui dan buka berikutnya").click()
    flagged.refresh_from_db()
    assert flagged.status == Status.APPROVED
    assert reverse("budgets:report-detail", args=[last.pk]) in page.url
    assert "Laporan disetujui." in page.locator("main").inner_text()
