"""A month's report from end to end in the browser: the officer types the month's realization in
the grid (totals follow, Enter moves down, leaving with unsaved changes asks), saves and submits;
the Kepala Dinas verifies it; the directorate's reviewer returns it with a comment; the officer
fixes a line and submits again; the head verifies again; the reviewer approves, and the
dashboard's realization figure grows by the month's total."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from budgets.models import MonthlyReport, Realization, SatkerAuthority
from budgets.services import realization_set, report_approve, report_submit
from tests.e2e.conftest import sign_in
from tests.personas import head_verifies

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = MonthlyReport.Status
RETURN_COMMENT = "Belanja perjalanan dinas belum sesuai SPJ: mohon dicek lagi."


def rupiah_figure(text: str) -> int:
    """'Rp1.500.000' -> 1500000."""
    return int(re.sub(r"[^0-9]", "", text) or 0)


@pytest.fixture
def approved_elsewhere(dipa, other_satker, other_officer, reviewer) -> None:
    """Both satkers count in the dashboard (deconcentration); Aceh's January is approved already."""
    for unit in (dipa.ovop.satker, other_satker):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority="DK")
    year, amounts = dipa.fiscal_year, {dipa.other_line.pk: 10_000_000}
    report = realization_set(
        satker=other_satker, fiscal_year=year, month=1, amounts=amounts, expected_version=0, by=other_officer
    )
    report_approve(report=head_verifies(report_submit(report=report, by=other_officer)), by=reviewer)


def verify_as_head(head_page, report) -> None:
    """The head finds the report in the queue (the province's submitted reports) and verifies it."""
    head_page.goto(reverse("budgets:report-list"))
    with head_page.expect_navigation():
        head_page.locator(f"a[href^='{reverse('budgets:report-detail', args=[report.pk])}?next=']").first.click()
    with head_page.expect_navigation():
        head_page.get_by_role("button", name="Verifikasi laporan").click()
    report.refresh_from_db()
    assert report.status == Status.VERIFIED and "Diverifikasi" in head_page.locator("h1").inner_text()


def test_officer_submits_head_verifies_directorate_returns_then_approves(
    new_page, officer, head, reviewer, satker, dipa, today, approved_elsewhere
):
    # The last month that has ended: a month's report is handed in only after the month.
    if today.month == 1:
        pytest.skip("no month of this year has ended")
    month = today.month - 1
    entry_url = reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, month])

    reviewer_page = new_page()
    sign_in(reviewer_page, reviewer.username)
    reviewer_page.goto(reverse("dashboard:home"))
    realized_before = rupiah_figure(reviewer_page.locator("[data-kpi=realisasi]").inner_text())
    assert realized_before == 10_000_000

    page = new_page()
    dialogs: list[str] = []
    answers = {"confirm": False}  # what the officer answers a "submit now?" question

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept() if answers.get(dialog.type) else dialog.dismiss()

    page.on("dialog", answer)
    sign_in(page, officer.username)
    page.goto(entry_url)

    ovop = page.locator(f"#id_line_{dipa.ovop.pk}")
    travel = page.locator(f"#id_line_{dipa.travel.pk}")
    machine = page.locator(f"#id_line_{dipa.machine.pk}")
    month_total = page.locator("tfoot [data-col-total]")
    remaining_total = page.locator("tfoot [data-remaining-total]")
    ovop_remaining = page.locator("tr", has=ovop).locator("[data-row-remaining]")
    assert month_total.inner_text() == "0"

    # Totals follow the typing, keystroke by keystroke, in either way of writing an amount.
    ovop.click()
    ovop.press_sequentially("125")
    assert month_total.inner_text() == "125"
    ovop.press_sequentially("0000")
    assert month_total.inner_text() == "1.250.000"
    assert ovop_remaining.inner_text() == "88.750.000"  # 100.000.000 - blokir 10.000.000 - 1.250.000

    # Enter moves to the next line instead of submitting; the amount left reads 1.250.000.
    ovop.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_line_{dipa.travel.pk}"
    assert ovop.input_value() == "1.250.000"
    assert page.url.endswith(entry_url) and not Realization.objects.filter(report__satker=satker).exists()
    travel.press_sequentially("300.000")
    travel.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_line_{dipa.machine.pk}"
    assert month_total.inner_text() == "1.550.000"
    assert remaining_total.inner_text() == "168.450.000"  # 90 + 50 + 30 million - 1.550.000
    machine.press_sequentially("abc")
    assert month_total.inner_text() == "-"  # not an amount: no total rather than a wrong one
    machine.fill("Rp. 1.000,-")  # as written on Indonesian documents
    assert month_total.inner_text() == "1.551.000"
    machine.fill("")
    assert month_total.inner_text() == "1.550.000"

    # Leaving with unsaved changes asks first; staying keeps what was typed.
    with page.expect_event("dialog"):
        page.get_by_role("link", name="Beranda").first.click()
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(entry_url) and ovop.input_value() == "1.250.000"

    # Saving the form does not ask.
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert "disimpan" in page.locator(".alert-success").inner_text()
    assert sorted(Realization.objects.filter(report__satker=satker).values_list("amount", flat=True)) == [
        300_000,
        1_250_000,
    ]
    assert month_total.inner_text() == "1.550.000"

    # Nothing changed since the save: leaving does not ask. Submitting asks first (it locks the
    # month): answered no, nothing is sent and the month stays a draft; answered yes, it goes.
    page.goto(entry_url)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Simpan dan ajukan").click()
    page.wait_for_timeout(300)
    assert page.url.endswith(entry_url)
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=dipa.fiscal_year, month=month)
    assert report.status == Status.DRAFT
    assert dialogs == ["beforeunload", "confirm"]
    answers["confirm"] = True
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan dan ajukan").click()
    report.refresh_from_db()
    assert page.url.endswith(reverse("budgets:report-detail", args=[report.pk]))
    assert report.status == Status.SUBMITTED
    assert dialogs == ["beforeunload", "confirm", "confirm"]

    # The head verifies it: it goes to the directorate.
    head_page = new_page()
    sign_in(head_page, head.username)
    verify_as_head(head_page, report)

    # The reviewer finds it in the queue and returns it with a comment.
    reviewer_page.goto(reverse("budgets:report-list"))
    with reviewer_page.expect_navigation():
        reviewer_page.locator(f"a[href^='{reverse('budgets:report-detail', args=[report.pk])}?next=']").first.click()
    reviewer_page.fill("#id_comment", RETURN_COMMENT)
    with reviewer_page.expect_navigation():
        reviewer_page.get_by_role("button", name="Kembalikan ke satker").click()
    report.refresh_from_db()
    assert report.status == Status.RETURNED

    # The officer reads the comment on the grid, fixes the travel line and submits again.
    page.goto(entry_url)
    assert RETURN_COMMENT in page.locator(".alert-warning").inner_text()
    travel.fill("")
    travel.press_sequentially("250000")
    assert month_total.inner_text() == "1.500.000"
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan dan ajukan").click()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert Realization.objects.get(line=dipa.travel).amount == 250_000
    assert "Diajukan" in page.locator("h1").inner_text()
    assert dialogs == ["beforeunload", "confirm", "confirm", "confirm"]
    verify_as_head(head_page, report)

    # The reviewer sees the change since the first submission and approves.
    reviewer_page.goto(reverse("budgets:report-detail", args=[report.pk]))
    assert "250.000" in reviewer_page.locator("main").inner_text()
    with reviewer_page.expect_navigation():
        reviewer_page.get_by_role("button", name="Setujui laporan").click()
    report.refresh_from_db()
    assert report.status == Status.APPROVED

    reviewer_page.goto(reverse("dashboard:home"))
    realized_after = rupiah_figure(reviewer_page.locator("[data-kpi=realisasi]").inner_text())
    assert realized_after - realized_before == 1_500_000
    assert dialogs == ["beforeunload", "confirm", "confirm", "confirm"]
