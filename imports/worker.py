"""The worker's side of the upload flow (run by imports/tasks.py in the background worker):
check an upload (a dry run that fills its preview), or import it once the user has confirmed, and
record on the Upload how it went."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.messages import message_of, text
from imports.errors import stored_error, stored_message
from imports.file_checks import ImportFileError
from imports.importer import ImportResult, import_file
from imports.models import Upload
from imports.plan import PREVIEW_ROWS
from imports.stored import finish_rejected, upload_path

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_SECONDS = 0.5  # at most this often a progress update is written
HEARTBEAT_SECONDS = 30  # the worker's sign of life while it works (IMPORT_STUCK_MINUTES is far longer)
RUNNING = (Upload.Status.CHECKING, Upload.Status.IMPORTING)


def release_stuck_uploads(minutes: float | None = None) -> int:
    """Uploads being checked or imported whose worker gave no sign of life for ``minutes``
    (IMPORT_STUCK_MINUTES) end as failed: their worker was killed (SIGKILL, out of memory, a
    restart), its transaction was rolled back, so nothing of the file was written, and the user
    may upload it again. Called by the worker before each task and by the import pages."""
    minutes = settings.IMPORT_STUCK_MINUTES if minutes is None else minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stuck = Upload.objects.filter(status__in=RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, uploaded_at__lt=cutoff)
    )
    released = 0
    for upload_id in list(stuck.values_list("pk", flat=True)):
        message = stored_message(text(gettext_noop(
            "Proses impor terhenti sebelum selesai; tidak ada data yang diubah. Silakan unggah ulang berkas."
        )))  # fmt: skip
        # Conditional, like every status change: a worker that comes back to life meanwhile wins.
        released += Upload.objects.filter(pk=upload_id, status__in=RUNNING).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
        ).update(status=Upload.Status.FAILED, phase="", errors=[message], error_count=1,
                 finished_at=timezone.now())  # fmt: skip
        logger.warning("import upload %s released: no sign of its worker for %s minutes", upload_id, minutes)
    return released


def _claim(upload_id: int, waiting: str, working: str) -> Upload | None:
    """Take the upload from ``waiting`` to ``working`` (conditionally: of two workers one gets it,
    the other None), after releasing the uploads whose worker died."""
    release_stuck_uploads()
    claimed = Upload.objects.filter(pk=upload_id, status=waiting).update(status=working, heartbeat_at=timezone.now())
    return Upload.objects.select_related("uploaded_by").get(pk=upload_id) if claimed else None


def check_upload(upload_id: int) -> None:
    """Dry run: validate every row and fill the preview. Writes nothing but the Upload."""
    upload = _claim(upload_id, Upload.Status.QUEUED, Upload.Status.CHECKING)
    if upload is None:
        return
    result = _run(upload, dry_run=True)
    if result is None:
        return
    if result.plan.ok:
        _record_plan(upload, result)
        upload.status = Upload.Status.READY
        upload.checked_at = timezone.now()
        upload.phase = ""
        upload.save()
    else:
        upload.checked_at = timezone.now()
        finish_rejected(upload, [stored_error(e) for e in result.plan.errors])


def run_import(upload_id: int) -> None:
    """Validate again (the data may have changed since the preview) and write, all or nothing."""
    upload = _claim(upload_id, Upload.Status.IMPORT_QUEUED, Upload.Status.IMPORTING)
    if upload is None:
        return
    result = _run(upload, dry_run=False)
    if result is None:
        return
    if result.imported:
        _record_plan(upload, result)
        upload.status = Upload.Status.IMPORTED
        upload.finished_at = timezone.now()
        upload.phase = ""
        upload.save()
        logger.info("import upload %s imported: %s", upload.pk, upload.counts)
    else:
        finish_rejected(upload, [stored_error(e) for e in result.plan.errors])


def _run(upload: Upload, *, dry_run: bool) -> ImportResult | None:
    """import_file with progress written to the Upload; None when the upload ended (refused
    file or unexpected error) and has been recorded as such."""
    try:
        with _heartbeat(upload.pk):
            return import_file(
                upload_path(upload),
                upload.kind,
                user=upload.uploaded_by,
                dry_run=dry_run,
                reason=upload.history_reason,
                progress=_progress_writer(upload.pk),
                upload_id=upload.pk,
            )
    except ImportFileError as error:
        finish_rejected(upload, [stored_message(message_of(error))])
    except Exception:
        # Whatever went wrong, the transaction was rolled back: nothing was imported. The user
        # sees a plain message; the details go to the log for the administrator.
        logger.exception("import upload %s failed", upload.pk)
        upload.status = Upload.Status.FAILED
        upload.errors = [stored_message(text(gettext_noop(
            "Terjadi kesalahan sistem; tidak ada data yang diubah. Hubungi admin."
        )))]  # fmt: skip
        upload.error_count = 1
        upload.finished_at = timezone.now()
        upload.save()
    return None


@contextmanager
def _heartbeat(upload_id: int) -> Iterator[None]:
    """While the block runs, a thread (with its own database connection, outside the import's
    transaction) stamps the upload's heartbeat every HEARTBEAT_SECONDS: the write of a big file
    reports no progress for minutes, yet its worker is alive."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                Upload.objects.filter(pk=upload_id).update(heartbeat_at=timezone.now())
        except Exception:  # a missed heartbeat only makes a release possible; never the task's failure
            logger.exception("import upload %s: heartbeat failed", upload_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"upload-{upload_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _progress_writer(upload_id: int):
    last = [0.0]

    def write(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL_SECONDS and done:
            return
        last[0] = now
        Upload.objects.filter(pk=upload_id).update(
            phase=phase, progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )

    return write


def _record_plan(upload: Upload, result: ImportResult) -> None:
    plan = result.plan
    counts = plan.counts
    upload.row_count = len(plan.rows)
    upload.skipped_count = plan.skipped
    upload.new_count, upload.changed_count, upload.unchanged_count = (
        counts["new"], counts["changed"], counts["unchanged"],
    )  # fmt: skip
    # Rows that change something first: those are what the user must look at before confirming.
    interesting = [row for row in plan.rows if row.action != "unchanged"] or plan.rows
    upload.preview = [[row.row, row.action, describe_key(row.key), row.changes] for row in interesting[:PREVIEW_ROWS]]
    upload.errors = []
    upload.error_count = 0


def describe_key(key: tuple) -> str:
    return " · ".join(str(part) for part in key if part not in (None, ""))
