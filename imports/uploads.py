"""The upload flow: receive a file, check it in the background (a dry run that fills the
preview), import it once the user confirms, and record every step on the Upload.

    receive_upload -> [worker] check_upload -> READY (preview) or REJECTED (every error)
    confirm_upload -> [worker] run_import -> IMPORTED, or REJECTED when the data changed since
    the preview so that a row no longer passes; FAILED on an unexpected error (logged).

Status changes that start work are conditional updates (``filter(status=...).update(...)``): a
double click or two workers never check or import the same upload twice.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from core.formats import format_megabytes
from imports.file_checks import ImportFileError
from imports.importer import ImportResult, import_file
from imports.models import Upload

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # planned rows kept for the preview table (counts cover every row)
PROGRESS_INTERVAL_SECONDS = 0.5  # at most this often a progress update is written


class UploadRefused(Exception):
    """The upload cannot go on (wrong state, wrong user); the message says why."""


def upload_path(upload: Upload) -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name


def can_import(user: User) -> bool:
    return permissions.may_import(user)


def receive_upload(*, user: User, kind: str, file: UploadedFile) -> Upload:
    """Store the file under a generated name and queue its check. A file over the size limit
    is recorded as rejected without being stored."""
    if not can_import(user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengimpor data."))
    upload = Upload(
        kind=kind,
        original_name=Path(file.name or "berkas.xlsx").name[:255],
        size_bytes=file.size or 0,
        uploaded_by=user,
        province_id=user.province_id if permissions.of_a_province(user) else None,
    )
    limit = settings.IMPORT_MAX_FILE_BYTES
    if upload.size_bytes > limit:
        message = _("Berkas %(size)s MB melebihi batas %(limit)s MB; bagi menjadi beberapa berkas.") % {
            "size": format_megabytes(upload.size_bytes),
            "limit": format_megabytes(limit),
        }
        _finish_rejected(upload, [[0, "", message]], save=False)
        upload.save()
        return upload
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    upload.stored_name = f"{uuid.uuid4().hex}.xlsx"
    digest = hashlib.sha256()
    with open(directory / upload.stored_name, "wb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            out.write(chunk)
    upload.sha256 = digest.hexdigest()
    upload.save()
    logger.info("import upload %s: %s %s by %s", upload.pk, kind, upload.original_name, user.get_username())
    from imports.tasks import check_upload_task

    check_upload_task.enqueue(upload.pk)
    return upload


def confirm_upload(upload: Upload, user: User) -> None:
    """The user saw the preview and wants the import: queue it (once)."""
    if not permissions.may_decide_upload(user, upload.uploaded_by_id):
        raise UploadRefused(_("Hanya pengunggah berkas atau admin yang dapat mengonfirmasi impor ini."))
    started = Upload.objects.filter(pk=upload.pk, status=Upload.Status.READY).update(
        status=Upload.Status.IMPORT_QUEUED, confirmed_by=user, confirmed_at=timezone.now(), phase="",
        progress_done=0, progress_total=0,
    )  # fmt: skip
    if not started:
        raise UploadRefused(_("Unggahan ini tidak menunggu konfirmasi (status: %(status)s).")
                            % {"status": Upload.objects.get(pk=upload.pk).get_status_display()})  # fmt: skip
    logger.info("import upload %s confirmed by %s", upload.pk, user.get_username())
    from imports.tasks import import_upload_task

    import_upload_task.enqueue(upload.pk)


def cancel_upload(upload: Upload, user: User) -> None:
    if not permissions.may_decide_upload(user, upload.uploaded_by_id):
        raise UploadRefused(_("Hanya pengunggah berkas atau admin yang dapat membatalkan impor ini."))
    cancelled = Upload.objects.filter(pk=upload.pk, status=Upload.Status.READY).update(
        status=Upload.Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        raise UploadRefused(_("Unggahan ini tidak dapat dibatalkan lagi."))


# -- worker side ------------------------------------------------------------------------------


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
        _finish_rejected(upload, [[e.row, e.column, e.message] for e in result.plan.errors])


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
        _finish_rejected(upload, [[e.row, e.column, e.message] for e in result.plan.errors])


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
        _finish_rejected(upload, [[0, "", str(error)]])
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


def _finish_rejected(upload: Upload, errors: list[list], *, save: bool = True) -> None:
    upload.status = Upload.Status.REJECTED
    upload.errors = errors
    upload.error_count = len(errors)
    upload.finished_at = timezone.now()
    upload.phase = ""
    if save:
        upload.save()
    logger.info("import upload %s rejected with %s error(s)", upload.pk, len(errors))


def describe_key(key: tuple) -> str:
    return " · ".join(str(part) for part in key if part not in (None, ""))
