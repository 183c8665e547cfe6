"""The worker's side of the upload flow (run by imports/tasks.py in the background worker):
check an upload (a dry run that fills its preview), or import it once the user has confirmed, and
record on the Upload how it went."""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django.utils.translation import gettext as _

from imports.file_checks import ImportFileError
from imports.importer import ImportResult, import_file
from imports.models import Upload
from imports.stored import finish_rejected, upload_path

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # planned rows kept for the preview table (counts cover every row)
PROGRESS_INTERVAL_SECONDS = 0.5  # at most this often a progress update is written


def check_upload(upload_id: int) -> None:
    """Dry run: validate every row and fill the preview. Writes nothing but the Upload."""
    claimed = Upload.objects.filter(pk=upload_id, status=Upload.Status.QUEUED).update(status=Upload.Status.CHECKING)
    if not claimed:
        return
    upload = Upload.objects.select_related("uploaded_by").get(pk=upload_id)
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
        finish_rejected(upload, [[e.row, e.column, e.message] for e in result.plan.errors])


def run_import(upload_id: int) -> None:
    """Validate again (the data may have changed since the preview) and write, all or nothing."""
    claimed = Upload.objects.filter(pk=upload_id, status=Upload.Status.IMPORT_QUEUED).update(
        status=Upload.Status.IMPORTING
    )
    if not claimed:
        return
    upload = Upload.objects.select_related("uploaded_by").get(pk=upload_id)
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
        finish_rejected(upload, [[e.row, e.column, e.message] for e in result.plan.errors])


def _run(upload: Upload, *, dry_run: bool) -> ImportResult | None:
    """import_file with progress written to the Upload; None when the upload ended (refused
    file or unexpected error) and has been recorded as such."""
    try:
        return import_file(
            upload_path(upload),
            upload.kind,
            user=upload.uploaded_by,
            dry_run=dry_run,
            reason=upload.history_reason,
            progress=_progress_writer(upload.pk),
        )
    except ImportFileError as error:
        finish_rejected(upload, [[0, "", str(error)]])
    except Exception:
        # Whatever went wrong, the transaction was rolled back: nothing was imported. The user
        # sees a plain message; the details go to the log for the administrator.
        logger.exception("import upload %s failed", upload.pk)
        upload.status = Upload.Status.FAILED
        upload.errors = [[0, "", _("Terjadi kesalahan sistem; tidak ada data yang diubah. Hubungi admin.")]]
        upload.error_count = 1
        upload.finished_at = timezone.now()
        upload.save()
    return None


def _progress_writer(upload_id: int):
    last = [0.0]

    def write(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL_SECONDS and done:
            return
        last[0] = now
        Upload.objects.filter(pk=upload_id).update(phase=phase, progress_done=done, progress_total=total)

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
    upload.preview = [[row.row, row.action, describe_key(row.key)] for row in interesting[:PREVIEW_ROWS]]
    upload.errors = []
    upload.error_count = 0


def describe_key(key: tuple) -> str:
    return " · ".join(str(part) for part in key if part not in (None, ""))
