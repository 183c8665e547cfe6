"""The upload flow: receive a file, check it in the background (a dry run that fills the
preview), import it once the user confirms, and record every step on the Upload.

    receive_upload -> [worker] check_upload -> READY (preview) or REJECTED (every error)
    confirm_upload -> [worker] run_import -> IMPORTED, or REJECTED when the data changed since
    the preview so that a row no longer passes; FAILED on an unexpected error (logged).

Status changes that start work are conditional updates (``filter(status=...).update(...)``): a
double click or two workers never check or import the same upload twice.
"""

from __future__ import annotations

import contextlib
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
from core.audit_log import audit
from core.formats import excerpt, format_megabytes
from imports.models import Upload
from imports.tasks import check_upload_task, import_upload_task
from imports.upload_limits import quota_refusal

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


class UploadRefused(Exception):
    """The upload cannot go on (wrong state, wrong user, too large, too many, no room); the
    message says why. ``status`` is the HTTP status of the page that says it."""

    def __init__(self, message: str, *, reason: str = "refused", status: int = 400) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def refuse_upload(*, user: User, kind: str, reason: str, message: str, status: int = 400) -> UploadRefused:
    """An upload refused before it was recorded, in the audit log: who, which kind, why."""
    audit("upload_refused", level=logging.WARNING, user=user.get_username(), kind=kind, reason=reason,
          detail=excerpt(message, 200))  # fmt: skip
    return UploadRefused(message, reason=reason, status=status)


def too_large(*, user: User, kind: str, size: int) -> UploadRefused:
    limit = settings.IMPORT_MAX_FILE_BYTES
    message = _("Berkas %(size)s MB melebihi batas %(limit)s MB; bagi menjadi beberapa berkas.") % {
        "size": format_megabytes(size),
        "limit": format_megabytes(limit),
    }
    return refuse_upload(user=user, kind=kind, reason="too_large", message=message, status=413)


def receive_upload(*, user: User, kind: str, file: UploadedFile) -> Upload:
    """Store the file under a generated name and queue its check. A file over the size limit,
    a user over the upload quota and a file that cannot be stored (disk full, directory not
    writable) are refused (UploadRefused) and nothing is recorded."""
    if not permissions.may_import(user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengimpor data."))
    size = file.size or 0
    if size > settings.IMPORT_MAX_FILE_BYTES:
        raise too_large(user=user, kind=kind, size=size)
    quota = quota_refusal(user)
    if quota is not None:
        raise refuse_upload(user=user, kind=kind, reason="quota", message=quota, status=429)
    upload = Upload(
        kind=kind,
        original_name=Path(file.name or "berkas.xlsx").name[:255],
        size_bytes=size,
        uploaded_by=user,
        province_id=user.province_id if permissions.of_a_province(user) else None,
    )
    upload.stored_name = f"{uuid.uuid4().hex}.xlsx"
    target = Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name
    digest = hashlib.sha256()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            for chunk in file.chunks():
                digest.update(chunk)
                out.write(chunk)
    except OSError as error:
        # Disk full, directory not writable or not a directory: no half file left behind, no
        # Upload recorded; the administrator finds the cause in the log.
        logger.error("import upload of %s by %s could not be stored: %s", kind, user.get_username(), error)
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        raise refuse_upload(
            user=user, kind=kind, reason="storage", status=503,
            message=_("Berkas tidak dapat disimpan di server (ruang penyimpanan penuh atau tidak dapat ditulis); "
                      "tidak ada yang dicatat. Coba lagi nanti atau hubungi admin."),
        ) from None  # fmt: skip
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
