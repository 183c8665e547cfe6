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
from imports.models import Upload
from imports.stored import finish_rejected
from imports.tasks import check_upload_task, import_upload_task

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


class UploadRefused(Exception):
    """The upload cannot go on (wrong state, wrong user); the message says why."""


def receive_upload(*, user: User, kind: str, file: UploadedFile) -> Upload:
    """Store the file under a generated name and queue its check. A file over the size limit
    is recorded as rejected without being stored."""
    if not permissions.may_import(user):
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
        finish_rejected(upload, [[0, "", message]], save=False)
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
    import_upload_task.enqueue(upload.pk)


def cancel_upload(upload: Upload, user: User) -> None:
    if not permissions.may_decide_upload(user, upload.uploaded_by_id):
        raise UploadRefused(_("Hanya pengunggah berkas atau admin yang dapat membatalkan impor ini."))
    cancelled = Upload.objects.filter(pk=upload.pk, status=Upload.Status.READY).update(
        status=Upload.Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        raise UploadRefused(_("Unggahan ini tidak dapat dibatalkan lagi."))
