"""An officer's day at the entry grid, in the browser (issue 23): what was typed survives a session
that ended meanwhile, a column pasted from Excel fills the cells below, and submitting a month or
deleting a record asks first."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from budgets.models import MonthlyReport, Realization
from programs.models import NewEntrepreneur
from tests.conftest import client_for
from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOTICE = "Isian yang belum tersimpan dari"


def entry_url(satker, dipa, month: int = 1) -> str:
    return reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, month])


def stored(satker) -> dict[int, int]:
    return dict(Realization.objects.filter(report__satker=satker).values_list("line_id", "amount"))


def drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('ikma-draft:'))")


def test_typing_survives_an_expired_session(new_page, officer, satker, dipa) -> None:
    page = new_page()
    sign_in(page, officer.username)
    url = entry_url(satker, dipa)
    page.goto(url)
    ovop, travel = page.locator(f"#id_line_{dipa.ovop.pk}"), page.locator(f"#id_line_{dipa.travel.pk}")
    ovop.click()
    ovop.press_sequentially("1250000")
    ovop.press("Enter")
    travel.press_sequentially("300.000")
    # Kept under the officer's own id: another person at this computer is never offered it.
    assert drafts(page) == [f"ikma-draft:{officer.pk}:realization:{satker.code}:{dipa.fiscal_year.year}:1"]

    # 30 idle minutes later the session is gone; "Simpan" leads to the sign-in page, which is to
    # bring the officer back to this grid.
    Session.objects.all().delete()
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert urlparse(page.url).path == reverse("accounts:login")
    assert parse_qs(urlparse(page.url).query)["next"] == [url]
    assert stored(satker) == {}
    page.fill("#id_username", officer.username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlparse(page.url).path == url

    # The typing is back, and the page says so; the totals follow it.
    notice = page.locator("[data-draft-notice]")
    assert NOTICE in notice.inner_text() and "periksa lalu simpan" in notice.inner_text()
    assert (ovop.input_value(), travel.input_value()) == ("1.250.000", "300.000")
    assert page.locator("tfoot [data-col-total]").inner_text() == "1.550.000"
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert stored(satker) == {dipa.ovop.pk: 1_250_000, dipa.travel.pk: 300_000}
    # Stored on the server: the browser's copy is gone, and the page does not offer it again.
    assert drafts(page) == []
    page.reload()
    assert page.locator("[data-draft-notice]").count() == 0


def test_a_restored_draft_can_be_thrown_away_and_signing_out_forgets_drafts(new_page, officer, satker, dipa) -> None:
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?": yes
    sign_in(page, officer.username)
    url = entry_url(satker, dipa)
    page.goto(url)
    ovop = page.locator(f"#id_line_{dipa.ovop.pk}")
    ovop.fill("7.000.000")
    page.goto(url)
    assert ovop.input_value() == "7.000.000"
    page.locator("[data-draft-notice]").get_by_role("button", name="Buang isian ini").click()
    assert ovop.input_value() == "0"
    assert page.locator("[data-draft-notice]").count() == 0 and drafts(page) == []
    page.goto(url)
    assert ovop.input_value() == "0" and page.locator("[data-draft-notice]").count() == 0

    ovop.fill("8.000.000")
    assert len(drafts(page)) == 1
    page.locator("#nav-user").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").click()
    assert drafts(page) == []


def test_a_column_pasted_from_excel_fills_the_cells_below(new_page, officer, satker, dipa) -> None:
    page = new_page()
    sign_in(page, officer.username)
    page.goto(entry_url(satker, dipa))
    first = page.locator("table[data-entry-grid] tbody input.rupiah").first
    # What Excel puts on the clipboard for three cells of a column (either way of writing amounts).
    page.evaluate(
        """(input) => {
            const data = new DataTransfer();
            data.setData("text/plain", "1.000.000\\r\\n2,500,000\\r\\n300000\\r\\n");
            input.focus();
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        first.element_handle(),
    )
    cells = page.locator("table[data-entry-grid] tbody input.rupiah")
    values = cells.evaluate_all("(inputs) => inputs.map((i) => i.value)")
    assert values == ["1.000.000", "2.500.000", "300.000"]
    assert page.locator("tfoot [data-col-total]").inner_text() == "3.800.000"
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan", exact=True).click()
    assert sorted(stored(satker).values()) == [300_000, 1_000_000, 2_500_000]


def test_deleting_a_programme_record_asks_first(new_page, officer, satker, dipa, regency) -> None:
    year = dipa.fiscal_year
    client_for(officer).post(
        reverse("programs:record-add", args=[satker.code, year.year, 1, "wub"]),
        {"wub-name": "Siti Aminah", "wub-regency": regency.pk, "wub-business_type": "Keripik pisang",
         "wub-nib": "", "wub-legalized_on": ""},
    )  # fmt: skip
    assert NewEntrepreneur.objects.count() == 1
    page = new_page()
    answers: list[str] = []
    page.on("dialog", lambda dialog: (answers.append(dialog.message), dialog.dismiss() if len(answers) == 1
                                      else dialog.accept()))  # fmt: skip
    sign_in(page, officer.username)
    page.goto(reverse("programs:records", args=[satker.code, year.year, 1]))
    delete = page.get_by_role("button", name="Hapus Siti Aminah")
    delete.click()
    page.wait_for_timeout(300)
    assert NewEntrepreneur.objects.count() == 1  # answered no: nothing was sent
    assert "Hapus catatan" in answers[0] and "Siti Aminah" in answers[0]
    with page.expect_navigation():
        delete.click()
    assert NewEntrepreneur.objects.count() == 0
    assert MonthlyReport.objects.filter(satker=satker).count() <= 1
