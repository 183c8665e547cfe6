"""The upload flow in the browser's terms: upload -> preview (nothing written) -> confirm ->
imported; refused files show every error; uploads are kept, scoped and visible to admins."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets.models import Realization
from budgets.services import realization_set, report_submit
from imports.importer import PHASE_READ, import_file
from imports.models import Upload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_file(client, kind: str, content: bytes, name: str = "realisasi-januari.xlsx"):
    return client.post(reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, content)})


def good_rows(dipa) -> list[list[object]]:
    year = dipa.fiscal_year.year
    return [["170019", year, 1, "051", "521211", "1.250.000"], ["170019", year, 1, "051", "524111", 300000]]


def test_upload_preview_confirm_import(officer, dipa) -> None:
    client = client_for(officer)
    response = post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[upload.pk])

    # Checked (the task ran), previewed, and nothing written yet.
    assert upload.status == Upload.Status.READY
    assert (upload.row_count, upload.counts) == (2, {"new": 2, "changed": 0, "unchanged": 0})
    assert not Realization.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Pratinjau" in page and "Konfirmasi dan impor" in page and "170019 · " in page

    response = client.post(reverse("imports:confirm", args=[upload.pk]))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED and upload.confirmed_by == officer
    assert sorted(Realization.objects.values_list("amount", flat=True)) == [300_000, 1_250_000]
    reasons = set(Realization.history.values_list("history_change_reason", flat=True))
    assert reasons == {f"Impor realisasi #{upload.pk}: realisasi-januari.xlsx"}
    assert "Hasil impor" in client.get(reverse("imports:detail", args=[upload.pk])).content.decode()


def test_the_same_file_again_changes_nothing(officer, dipa) -> None:
    client = client_for(officer)
    content = xlsx(good_rows(dipa))
    for _round in range(2):
        post_file(client, "realisasi", content)
        upload = Upload.objects.order_by("-pk").first()
        client.post(reverse("imports:confirm", args=[upload.pk]))
    history = Realization.history.count()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED
    assert upload.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert history == 2  # the second import wrote no history


def test_the_file_is_kept_under_a_generated_name(officer, dipa, settings) -> None:
    content = xlsx(good_rows(dipa))
    post_file(client_for(officer), "realisasi", content, name="../../etc/passwd.xlsx")
    upload = Upload.objects.get()
    stored = Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name
    assert upload.original_name == "passwd.xlsx"
    assert upload.stored_name.endswith(".xlsx") and "passwd" not in upload.stored_name
    assert stored.read_bytes() == content and len(upload.sha256) == 64
    assert upload.uploaded_by == officer and upload.province == officer.province


def test_a_refused_file_lists_every_error_and_writes_nothing(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    rows = [*good_rows(dipa), ["170019", year, 13, "051", "521211", 1], ["170019", year, 1, "051", "532111", "-5"]]
    client = client_for(officer)
    post_file(client, "realisasi", xlsx(rows))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    assert [(row, column) for row, column, _message, *_stored in upload.errors] == [(4, "bulan"), (5, "realisasi")]
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "2 kesalahan" in page and "Konfirmasi dan impor" not in page
    assert "Harus di antara 1 dan 12." in page and "Jumlah tidak boleh negatif." in page
    workbook = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[upload.pk])).content))
    assert next(iter(workbook.active.iter_rows(min_row=2, values_only=True)))[:2] == (4, "bulan")
    assert client.post(reverse("imports:confirm", args=[upload.pk])).status_code == 302
    upload.refresh_from_db()
    assert upload.status == Upload.Status.REJECTED and not Realization.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(officer, dipa) -> None:
    client = client_for(officer)
    post_file(client, "realisasi", b"kode_satker,tahun\n170019,2026\n", name="data.xlsx")
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    assert "bukan berkas Excel" in client.get(reverse("imports:detail", args=[upload.pk])).content.decode()


def test_a_file_over_the_limit_is_refused_and_neither_recorded_nor_stored(officer, dipa, settings) -> None:
    settings.IMPORT_MAX_FILE_BYTES = 1000
    response = post_file(client_for(officer), "realisasi", b"x" * 2000)
    assert response.status_code == 413 and "melebihi batas" in response.content.decode()
    assert not Upload.objects.exists()
    assert not any(Path(settings.IMPORT_UPLOAD_DIR).iterdir())


def test_the_upload_form_without_a_file(officer) -> None:
    response = client_for(officer).post(reverse("imports:upload", args=["realisasi"]), {})
    assert response.status_code == 400
    assert "Pilih berkas .xlsx" in response.content.decode()
    assert not Upload.objects.exists()


def test_data_changed_between_preview_and_confirm(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.READY
    # Meanwhile the month is filled in by hand and submitted: the import must not overwrite it.
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 5},
                             expected_version=0, by=officer)  # fmt: skip
    report_submit(report=report, by=officer)
    client.post(reverse("imports:confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.REJECTED and "terkunci" in upload.errors[0][2]
    assert list(Realization.objects.values_list("amount", flat=True)) == [5]


def test_confirm_twice_imports_once_and_cancel_stops(officer, dipa) -> None:
    client = client_for(officer)
    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    client.post(reverse("imports:confirm", args=[upload.pk]))
    response = client.post(reverse("imports:confirm", args=[upload.pk]), follow=True)
    assert "tidak menunggu konfirmasi" in response.content.decode()
    assert Realization.history.count() == 2

    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    second = Upload.objects.order_by("-pk").first()
    response = client.post(reverse("imports:cancel", args=[second.pk]), follow=True)
    assert "Impor dibatalkan" in response.content.decode()
    client.post(reverse("imports:confirm", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == Upload.Status.CANCELLED


def test_an_unexpected_error_fails_cleanly(officer, dipa, monkeypatch) -> None:
    from budgets import import_kinds as kinds_budget

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kinds_budget.RealizationImport, "plan", explode)
    client = client_for(officer)
    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "kesalahan sistem" in page and "boom" not in page and "Traceback" not in page


def test_who_may_see_and_act(officer, other_officer, reviewer, viewer, admin_user, anonymous, dipa) -> None:
    post_file(client_for(officer), "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    for user in (reviewer, viewer):
        client = client_for(user)
        assert client.get(reverse("imports:index")).status_code == 403
        assert client.get(reverse("imports:upload", args=["realisasi"])).status_code == 403
        assert post_file(client, "realisasi", xlsx(good_rows(dipa))).status_code == 403
        assert client.get(reverse("imports:detail", args=[upload.pk])).status_code == 403
    assert anonymous.get(reverse("imports:index")).status_code == 302
    assert Upload.objects.count() == 1

    other = client_for(other_officer)
    for name in ("detail", "status", "errors"):
        assert other.get(reverse(f"imports:{name}", args=[upload.pk])).status_code == 404
    assert other.post(reverse("imports:confirm", args=[upload.pk])).status_code == 404
    assert "realisasi-januari" not in other.get(reverse("imports:index")).content.decode()
    assert client_for(officer).get(reverse("imports:file", args=[upload.pk])).status_code == 403
    upload.refresh_from_db()
    assert upload.status == Upload.Status.READY

    admin = client_for(admin_user)
    assert "realisasi-januari" in admin.get(reverse("imports:index")).content.decode()
    assert admin.get(reverse("imports:file", args=[upload.pk])).status_code == 200
    changelist = admin.get(reverse("admin:imports_upload_changelist")).content.decode()
    assert "realisasi-januari.xlsx" in changelist
    assert admin.get(reverse("admin:imports_upload_change", args=[upload.pk])).status_code == 200
    assert admin.get(reverse("admin:imports_upload_add")).status_code == 403


def test_unknown_kind_is_404(officer) -> None:
    assert client_for(officer).get(reverse("imports:upload", args=["gaji"])).status_code == 404


def test_the_status_of_a_running_upload(officer) -> None:
    upload = Upload.objects.create(kind="ikm", original_name="a.xlsx", uploaded_by=officer,
                                   province=officer.province, status=Upload.Status.CHECKING, phase=PHASE_READ,
                                   progress_done=40_000, progress_total=100_000)  # fmt: skip
    client = client_for(officer)
    state = client.get(reverse("imports:status", args=[upload.pk])).json()
    assert state == {"status": "MEMERIKSA", "status_label": "Sedang diperiksa", "working": True,
                     "phase": "Membaca baris", "done": 40_000, "total": 100_000, "percent": 40}  # fmt: skip
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "upload_progress" in page and "40.000 / 100.000" in page


def test_reading_reports_progress(tmp_path, officer, dipa) -> None:
    year = dipa.fiscal_year.year
    # Rows of blank text: rows of the sheet (calamine ends a sheet at its last value, so rows of
    # nothing would not be read at all), each skipped by the reader as empty.
    rows = [["170019", year, 1, "051", "521211", 1]] + [[" ", None, None, None, None, None]] * 4500
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx(rows))
    seen: list[tuple[str, int, int]] = []
    import_file(path, "realisasi", user=officer, dry_run=True, reason="x", progress=lambda *step: seen.append(step))
    phases = [phase for phase, _done, _total in seen]
    assert phases[0] == "check" and "read" in phases and phases[-1] == "validate"
    assert (PHASE_READ, 3999, 4501) in seen


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it is done
def test_the_database_worker_runs_the_tasks(officer, dipa, settings) -> None:
    """With the database backend (as under `make run`) the web request only queues the check;
    `db_worker` does it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(officer)
    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.QUEUED
    assert "upload_progress" in client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.READY
    client.post(reverse("imports:confirm", args=[upload.pk]))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED and Realization.objects.count() == 2


def test_pages_use_a_constant_number_of_queries(officer, dipa, django_assert_max_num_queries) -> None:
    client = client_for(officer)
    for _round in range(3):
        post_file(client, "realisasi", xlsx(good_rows(dipa)))
    upload = Upload.objects.first()
    with django_assert_max_num_queries(8):
        client.get(reverse("imports:index"))
    with django_assert_max_num_queries(8):
        client.get(reverse("imports:detail", args=[upload.pk]))


def import_while_the_month_gets_submitted(tmp_path, officer, satker, dipa):
    """An import whose month is submitted after its plan was made (from the progress report
    that precedes the write), over a month holding 5 on the OVOP line."""
    path = tmp_path / "race.xlsx"
    path.write_bytes(xlsx(good_rows(dipa)))
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 5},
                             expected_version=0, by=officer)  # fmt: skip

    def submit_before_writing(phase: str, done: int, total: int) -> None:
        if phase == "write":
            report_submit(report=report, by=officer)

    return import_file(path, "realisasi", user=officer, dry_run=False, reason="x", progress=submit_before_writing)


def test_a_month_locked_between_check_and_write_refuses_the_file(tmp_path, officer, satker, dipa) -> None:
    """The services re-check under their locks: everything is rolled back with its message."""
    result = import_while_the_month_gets_submitted(tmp_path, officer, satker, dipa)
    assert not result.imported and result.plan.errors[0].row == 0
    assert list(Realization.objects.values_list("amount", flat=True)) == [5]


def test_empty_template_lines_are_skipped_not_zeroed(officer, satker, dipa, today) -> None:
    """The realisasi template lists every budget line with the month's stored amount; a line
    whose amount is left empty is skipped, so it never overwrites what was entered by hand."""
    realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=today.month, amounts={dipa.travel.pk: 7},
                    expected_version=0, by=officer)  # fmt: skip
    client = client_for(officer)
    template = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["realisasi"])).content))
    rows = list(template["data"].iter_rows(min_row=2, max_row=4, values_only=True))
    assert [row[4:] for row in rows] == [("521211", None), ("524111", 7), ("532111", None)]
    template["data"]["F2"] = 1_000
    buffer = io.BytesIO()
    template.save(buffer)
    post_file(client, "realisasi", buffer.getvalue())
    upload = Upload.objects.get()
    assert (upload.status, upload.counts, upload.skipped_count) == (
        Upload.Status.READY, {"new": 1, "changed": 0, "unchanged": 1}, 1,
    )  # fmt: skip
    assert "1 baris dilewati" in client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    client.post(reverse("imports:confirm", args=[upload.pk]))
    stored = dict(Realization.objects.values_list("line__account__code", "amount"))
    assert stored == {"521211": 1_000, "524111": 7}


def test_pagu_is_offered_to_admins_only(officer, admin_user) -> None:
    officer_client, admin_client = client_for(officer), client_for(admin_user)
    assert reverse("imports:upload", args=["pagu"]) not in officer_client.get(reverse("imports:index")).content.decode()
    response = officer_client.get(reverse("imports:upload", args=["pagu"]))
    assert response.status_code == 403 and "admin direktorat" in response.content.decode()
    assert reverse("imports:upload", args=["pagu"]) in admin_client.get(reverse("imports:index")).content.decode()
    assert admin_client.get(reverse("imports:upload", args=["pagu"])).status_code == 200
