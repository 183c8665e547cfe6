"""A real fault: the import worker killed with SIGKILL while it writes a 100.000-row file. The
write is one transaction, so PostgreSQL rolls it back when the connection dies: nothing of the
file is in the registry; the upload, left "importing", is released as failed with a message, and
the same file imported again goes in whole (issue 18, fault tolerance)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from budgets.models import Regency
from imports.catalog import get_kind
from imports.models import Upload
from imports.worker import release_stuck_uploads, run_import
from programs.models import Enterprise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROWS = 100_000
WORKER = """
import django, sys
django.setup()
from imports.worker import run_import
run_import(int(sys.argv[1]))
"""


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a killed worker's transaction is rolled back by PostgreSQL; SQLite runs in memory here")


def big_file(path: Path) -> Path:
    year = timezone.localdate().year
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(get_kind("ikm").column_names)
    for n in range(ROWS):
        sheet.append([f"{9_000_000_000_000 + n}", f"Usaha {n:06d}", "Siti Aminah", "17.71", "Jl. Merdeka 1", "10794",
                      3, 5, 250_000_000, 600_000_000, year])  # fmt: skip
    book.save(path)
    return path


def queued(officer, name: str) -> Upload:
    return Upload.objects.create(kind="ikm", original_name="ikm.xlsx", stored_name=name, uploaded_by=officer,
                                 province=officer.province, status=Upload.Status.IMPORT_QUEUED)  # fmt: skip


def test_a_worker_killed_while_writing_leaves_nothing_and_the_file_goes_in_again(officer, province) -> None:
    Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")
    upload_dir = Path(settings.IMPORT_UPLOAD_DIR)
    big_file(upload_dir / "big.xlsx")
    upload = queued(officer, "big.xlsx")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ikmsite.settings",
        "IMPORT_UPLOAD_DIR": str(upload_dir),
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(upload.pk)], env=env, cwd=settings.BASE_DIR)  # noqa: S603
    try:
        deadline = time.monotonic() + 300
        while Upload.objects.get(pk=upload.pk).phase != "write":
            assert worker.poll() is None, "the worker ended before it wrote"
            assert time.monotonic() < deadline, "the worker never reached the write"
            time.sleep(0.2)
        time.sleep(1.0)  # well into the transaction's inserts
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL

    # PostgreSQL ends the dead connection's transaction: not one enterprise of the file.
    deadline = time.monotonic() + 30
    while Enterprise.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert Enterprise.objects.count() == 0
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTING  # the worker could not say it died

    # Past the timeout the upload is released with a message, and the file imports again whole.
    assert release_stuck_uploads(minutes=0) == 1
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and "unggah ulang" in upload.errors[0][2]
    again = queued(officer, "big.xlsx")
    run_import(again.pk)
    again.refresh_from_db()
    assert again.status == Upload.Status.IMPORTED, again.errors[:3]
    assert Enterprise.objects.count() == ROWS
