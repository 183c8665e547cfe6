"""Defences of the upload flow (issue 18, findings 3 and 4): a small file cannot bloat the
database or the pages, an oversized body is refused before it is read, a user cannot queue
without limit, a file that cannot be stored is refused, refusals reach the audit log, the error
workbook writes the file's text as text, and a worker killed mid-import leaves nothing behind and
its upload is released."""

from __future__ import annotations

import io
import json
import logging
import random
import string
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from imports.models import Upload
from imports.stored import MAX_STORED_ERRORS, finish_rejected, upload_path
from imports.upload_limits import SizeLimitedUploadHandler
from imports.worker import release_stuck_uploads
from tests.conftest import client_for
from tests.imports.test_import_audit import audit_events
from tests.imports.test_upload_flow import HEADER, good_rows, post_file, xlsx

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def workbook_bytes(header: list, rows: list[list], long_text: str = "") -> bytes:
    """A real workbook; the text PLACEHOLDER becomes ``long_text`` in its XML (openpyxl cuts what
    it writes to Excel's 32.767 characters a cell, a hand-made file has no such limit)."""
    book = Workbook()
    book.active.append(header)
    for cell in book.active[1]:
        cell.data_type = "s"  # a header typed as text, "=..." included (as Excel keeps '=... typed)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not long_text:
        return buffer.getvalue()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry).replace(PLACEHOLDER.encode(), long_text.encode()))
    return rewritten.getvalue()


PLACEHOLDER = "teks_panjang_di_sini"


def random_text(length: int) -> str:
    """Text that compresses like real text (far under the zip-bomb ratio)."""
    return "".join(
        random.Random(18).choices(  # noqa: S311 (test data, no secret)
            string.ascii_lowercase, k=length
        )
    )


# --- Finding 3: a small file, a huge header or cell ------------------------------------------


def test_a_one_megabyte_header_cell_keeps_the_stored_error_and_the_pages_small(officer, admin_user, dipa) -> None:
    content = workbook_bytes([*HEADER, PLACEHOLDER], good_rows(dipa), long_text=random_text(MB))
    assert len(content) < MB  # a small upload, under the 50:1 ratio check
    client = client_for(officer)
    post_file(client, "realisasi", content)
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    stored = json.dumps(upload.errors, ensure_ascii=False).encode()
    assert len(stored) < 500, stored
    assert "terlalu panjang" in upload.errors[0][2]
    page = client.get(reverse("imports:detail", args=[upload.pk]))
    assert page.status_code == 200 and len(page.content) < 60_000
    admin_page = client_for(admin_user).get(reverse("admin:imports_upload_change", args=[upload.pk]))
    assert admin_page.status_code == 200 and len(admin_page.content) < 100_000
    errors_file = client.get(reverse("imports:errors", args=[upload.pk]))
    assert len(errors_file.content) < 20_000


def test_an_unknown_column_is_quoted_cut_short(officer, dipa) -> None:
    unknown = "kolom_" + "y" * 90  # under the header limit, over the quote's
    post_file(client_for(officer), "realisasi", workbook_bytes([*HEADER, unknown], good_rows(dipa)))
    [error] = Upload.objects.get().errors
    assert error[2].startswith("Kolom kolom_yyy") and "…" in error[2] and unknown not in error[2]


def test_a_one_megabyte_data_cell_is_refused_with_a_short_message(officer, dipa) -> None:
    rows = good_rows(dipa)
    rows[0][5] = PLACEHOLDER
    post_file(client_for(officer), "realisasi", workbook_bytes(HEADER, rows, long_text=random_text(MB)))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    # The text as written, and its msgid and parameters (imports/errors.py): both short.
    assert [entry[:3] for entry in upload.errors] == [
        [2, "realisasi", "Isi sel terlalu panjang (1.048.576 karakter, paling panjang 5.000)."]
    ]
    assert upload.errors[0][3]["params"] == {"length": "1.048.576", "max": "5.000"}


def test_the_stored_errors_are_bounded_and_the_rest_counted(officer, dipa) -> None:
    upload = Upload.objects.create(kind="realisasi", original_name="x.xlsx", uploaded_by=officer,
                                   province_id=officer.province_id)  # fmt: skip
    errors = [[row, "realisasi", "z" * 10_000] for row in range(2, 5_002)]
    finish_rejected(upload, errors)
    upload.refresh_from_db()
    assert upload.error_count == 5_000 and len(upload.errors) == MAX_STORED_ERRORS
    assert len(json.dumps(upload.errors).encode()) < 1_300_000  # not 50 MB
    client = client_for(officer)
    assert "4.000" in client.get(reverse("imports:detail", args=[upload.pk])).content.decode()  # shown 1.000
    sheet = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[upload.pk])).content)).active
    assert sheet.max_row == 1 + MAX_STORED_ERRORS + 1
    assert sheet.cell(sheet.max_row, 3).value.startswith("… dan 3.000 kesalahan lainnya")


# --- Finding 4: the error workbook writes text, never a formula --------------------------------


def test_a_formula_header_is_text_in_the_error_workbook(officer, dipa) -> None:
    formula = '=HYPERLINK("http://evil.example/","klik")'
    client = client_for(officer)
    post_file(client, "realisasi", workbook_bytes([*HEADER, formula], good_rows(dipa)))
    upload = Upload.objects.get()
    sheet = load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[upload.pk])).content)).active
    column = sheet["B2"]
    # As the other exports: unchanged text (the header as read: trimmed, lower case), a text cell.
    assert column.value == formula.lower() and column.data_type == "s"
    assert sheet["C2"].data_type == "s" and sheet["C2"].value.startswith("Kolom =hyperlink(")


# --- The request body: refused early -----------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_300_mb_body_is_refused_without_reading_it(officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    response = client_for(officer).generic(
        "POST", reverse("imports:upload", args=["realisasi"]), b"",
        content_type="multipart/form-data; boundary=batas", CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": UnreadableBody()},
    )  # fmt: skip
    assert response.status_code == 413
    assert "Berkas 300 MB melebihi batas 20 MB; bagi menjadi beberapa berkas." in response.content.decode()
    assert not Upload.objects.exists()
    [event] = [e for e in audit_events(caplog) if e["event"] == "upload_refused"]
    assert (event["user"], event["kind"], event["reason"]) == (officer.username, "realisasi", "too_large")


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_the_upload_handler_stops_a_body_once_it_passes_the_limit() -> None:
    """A body whose Content-Length says nothing useful (or lies within the limit) is stopped
    by the handler: the rest of it is not read."""
    boundary = "batas"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"x" * (4 * MB)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    stream = CountingStream(body)
    handler = SizeLimitedUploadHandler(limit=256 * 1024)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(len(body))}
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    _post, files = MultiPartParser(meta, stream, [handler, MemoryFileUploadHandler()]).parse()
    assert handler.exceeded and "file" not in files
    assert stream.bytes_read < MB  # of 4 MB


# --- Per-user limit, storage faults, audit ------------------------------------------------------


def test_a_user_with_too_many_pending_uploads_is_refused(officer, dipa, settings, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    settings.IMPORT_MAX_PENDING_UPLOADS = 1
    client = client_for(officer)
    assert post_file(client, "realisasi", xlsx(good_rows(dipa))).status_code == 302  # READY: waits
    response = post_file(client, "realisasi", xlsx(good_rows(dipa)))
    assert response.status_code == 429 and "selesaikan atau batalkan dulu" in response.content.decode()
    assert Upload.objects.count() == 1
    assert [e["reason"] for e in audit_events(caplog) if e["event"] == "upload_refused"] == ["quota"]


def test_a_user_over_the_daily_limit_is_refused(officer, dipa, settings) -> None:
    settings.IMPORT_MAX_UPLOADS_PER_DAY = 1
    client = client_for(officer)
    post_file(client, "realisasi", b"bukan excel")  # refused by the check, but counted
    response = post_file(client, "realisasi", xlsx(good_rows(dipa)))
    assert response.status_code == 429 and "24 jam terakhir" in response.content.decode()


def test_an_upload_directory_that_cannot_be_written_refuses_and_records_nothing(
    officer, dipa, settings, tmp_path, caplog
) -> None:
    """A real OSError from the file system: the upload directory lies under a plain file (the
    tests may run as root, for whom a read-only directory is writable)."""
    caplog.set_level(logging.INFO, logger="ikma.audit")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.IMPORT_UPLOAD_DIR = blocker / "uploads"
    response = post_file(client_for(officer), "realisasi", xlsx(good_rows(dipa)))
    assert response.status_code == 503 and "tidak dapat disimpan" in response.content.decode()
    assert not Upload.objects.exists()
    assert [e["reason"] for e in audit_events(caplog) if e["event"] == "upload_refused"] == ["storage"]


def test_a_read_only_upload_directory_refuses(officer, dipa, settings, tmp_path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only directory; the test above makes the real fault")
    directory = tmp_path / "uploads"
    directory.mkdir(mode=0o500)
    settings.IMPORT_UPLOAD_DIR = directory
    try:
        response = post_file(client_for(officer), "realisasi", xlsx(good_rows(dipa)))
    finally:
        directory.chmod(0o700)
    assert response.status_code == 503 and not Upload.objects.exists() and not any(directory.iterdir())


def test_a_file_refused_by_the_check_is_in_the_audit_log(officer, dipa, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    post_file(client_for(officer), "realisasi", b"kode_satker,tahun\n170019,2026\n", name="data.xlsx")
    [event] = [e for e in audit_events(caplog) if e["event"] == "upload_refused"]
    assert (event["user"], event["kind"], event["reason"]) == (officer.username, "realisasi", "rejected")
    assert "bukan berkas Excel" in event["detail"] and event["upload"] == Upload.objects.get().pk


# --- Stuck uploads and retention ----------------------------------------------------------------


def test_an_upload_whose_worker_died_is_released_and_can_be_uploaded_again(officer, dipa, settings) -> None:
    settings.IMPORT_STUCK_MINUTES = 15
    long_ago = timezone.now() - timedelta(minutes=16)
    stuck = Upload.objects.create(
        kind="realisasi",
        original_name="a.xlsx",
        uploaded_by=officer,
        province_id=officer.province_id,
        status=Upload.Status.IMPORTING,
        heartbeat_at=long_ago,
    )
    alive = Upload.objects.create(
        kind="realisasi",
        original_name="b.xlsx",
        uploaded_by=officer,
        province_id=officer.province_id,
        status=Upload.Status.CHECKING,
        heartbeat_at=timezone.now(),
    )
    client = client_for(officer)
    page = client.get(reverse("imports:detail", args=[stuck.pk])).content.decode()  # viewing releases it
    stuck.refresh_from_db()
    alive.refresh_from_db()
    assert stuck.status == Upload.Status.FAILED and "Proses impor terhenti" in stuck.errors[0][2]
    assert "Proses impor terhenti" in page
    assert alive.status == Upload.Status.CHECKING
    assert release_stuck_uploads() == 0
    # Starting again: the same file uploaded anew is checked and imported.
    response = post_file(client, "realisasi", xlsx(good_rows(dipa)))
    again = Upload.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    client.post(reverse("imports:confirm", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == Upload.Status.IMPORTED


def test_purge_uploads_deletes_old_refusals_and_their_files(officer, dipa, settings) -> None:
    client = client_for(officer)
    post_file(client, "realisasi", b"bukan excel")
    refused = Upload.objects.get()
    assert upload_path(refused).exists()
    post_file(client, "realisasi", xlsx(good_rows(dipa)))
    imported = Upload.objects.exclude(pk=refused.pk).get()
    client.post(reverse("imports:confirm", args=[imported.pk]))
    Upload.objects.update(finished_at=timezone.now() - timedelta(days=31))
    recent = Upload.objects.create(
        kind="realisasi",
        original_name="c.xlsx",
        uploaded_by=officer,
        province_id=officer.province_id,
        status=Upload.Status.REJECTED,
        finished_at=timezone.now(),
    )
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert set(Upload.objects.values_list("pk", flat=True)) == {imported.pk, recent.pk}
    assert not upload_path(refused).exists() and "1 unggahan dihapus" in out.getvalue()
    assert Path(upload_path(imported)).exists()
