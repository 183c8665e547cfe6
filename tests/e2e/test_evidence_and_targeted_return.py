"""Issue 22 end to end: the reviewer comments on one line of a verified month and returns only that
line; the officer, on a phone-sized screen, finds the rest of the month locked, fixes the line,
attaches the SP2D photo behind it, answers the comment and submits again."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from budgets.models import Evidence, LineComment, MonthlyReport, Realization
from budgets.services import realization_set, report_submit
from tests.e2e.conftest import TIMEOUT_MS, sign_in
from tests.personas import head_verifies

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Status = MonthlyReport.Status
PHONE = {"width": 375, "height": 667}
COMMENT = "SP2D perjalanan dinas tanggal 28 belum masuk; mohon dicek."
ANSWER = "Sudah ditambahkan, SP2D terlampir."


def sp2d_photo() -> bytes:
    """A phone photo of an SP2D: a JPEG with a GPS tag, as a phone camera writes it."""
    image = Image.new("RGB", (320, 240), "#e8e0d0")
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (3.0, 47.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_reviewer_returns_one_line_officer_fixes_it_on_a_phone_with_its_sp2d(
    browser, live_server, new_page, officer, head, reviewer, satker, dipa, today
):
    if today.month == 1:
        pytest.skip("no month of this year has ended")
    month = today.month - 1
    amounts = {dipa.ovop.pk: 1_250_000, dipa.travel.pk: 300_000}
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=month, amounts=amounts,
                             expected_version=0, by=officer)  # fmt: skip
    report = head_verifies(report_submit(report=report, by=officer))
    detail = reverse("budgets:report-detail", args=[report.pk])

    # The reviewer comments on the travel line, then returns that line only.
    desk = new_page()
    sign_in(desk, reviewer.username)
    desk.goto(detail)
    desk.select_option("#id_target", f"line-{dipa.travel.pk}")
    desk.fill("#id_body", COMMENT)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Kirim komentar").click()
    assert LineComment.objects.filter(report=report, line=dipa.travel, body=COMMENT).exists()
    desk.fill("#id_comment", "Perbaiki baris perjalanan dinas saja.")
    desk.locator(f"input[name=lines][value='{dipa.travel.pk}']").check()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Kembalikan ke satker").click()
    report.refresh_from_db()
    assert report.status == Status.RETURNED

    # The officer, on a phone: the grid opens only the returned line and shows the comment.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="id-ID", is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    sign_in(phone, officer.username)
    phone.goto(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, month]))
    assert COMMENT in phone.locator("main").inner_text()
    assert not phone.locator(f"#id_line_{dipa.ovop.pk}").is_editable()
    travel = phone.locator(f"#id_line_{dipa.travel.pk}")
    travel.fill("450.000")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Simpan", exact=True).click()
    assert Realization.objects.get(report=report, line=dipa.travel).amount == 450_000
    assert Realization.objects.get(report=report, line=dipa.ovop).amount == 1_250_000

    # The SP2D photo behind the line, from the phone, and the answer to the comment.
    phone.goto(detail)
    travel_row = Realization.objects.get(report=report, line=dipa.travel)
    form = phone.locator("form[data-evidence-upload]")
    form.locator("select[name=target]").select_option(f"budgets.realization:{travel_row.pk}")
    form.locator("select[name=kind]").select_option("SP2D")
    form.locator("input[name=number]").fill("00123T/096/2026")
    form.locator("input[type=file]").set_input_files(
        {"name": "IMG_2026.jpg", "mimeType": "image/jpeg", "buffer": sp2d_photo()}
    )
    with phone.expect_navigation():
        form.get_by_role("button", name="Unggah").click()
    evidence = Evidence.objects.get(satker=satker, kind="SP2D")
    assert (evidence.number, evidence.content_type) == ("00123T/096/2026", "image/jpeg")
    assert Image.open(evidence.file.open("rb")).getexif() == {}  # stored without its GPS tag
    phone.locator("textarea[name=body]").first.fill(ANSWER)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Jawab").first.click()
    assert LineComment.objects.filter(report=report, body=ANSWER, author=officer).exists()
    phone.once("dialog", lambda dialog: dialog.accept())  # "Ajukan ... ?" (static/js/site.js)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Ajukan ke Kepala Dinas").click()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    context.close()
