"""Where an upload's file is kept, and how a refused upload is recorded (the web side and the
worker both end uploads this way)."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.audit_log import audit
from core.formats import excerpt
from imports.models import Upload

logger = logging.getLogger(__name__)


def upload_path(upload: Upload) -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name


# What an upload keeps of its errors: the first MAX_STORED_ERRORS, each cut to a bounded length,
# and the count of all of them (the page and the error workbook say how many were left out). A
# small file must not store (and show) megabytes: at most about 2.000 x 600 characters.
MAX_STORED_ERRORS = 2_000
MAX_COLUMN_CHARS = 100
MAX_MESSAGE_CHARS = 500


def bounded_errors(errors: list[list]) -> list[list]:
    # A fourth item is the message's msgid and parameters (imports/errors.py): its parameters are
    # bounded where it was made (cell values quoted as excerpts).
    return [
        [row, excerpt(column, MAX_COLUMN_CHARS) if column else column, excerpt(message, MAX_MESSAGE_CHARS), *rest]
        for row, column, message, *rest in errors[:MAX_STORED_ERRORS]
    ]


def finish_rejected(upload: Upload, errors: list[list], *, save: bool = True) -> None:
    upload.status = Upload.Status.REJECTED
    upload.errors = bounded_errors(errors)
    upload.error_count = len(errors)
    upload.finished_at = timezone.now()
    upload.phase = ""
    if save:
        upload.save()
    logger.info("import upload %s rejected with %s error(s)", upload.pk, len(errors))
    audit("upload_refused", level=logging.WARNING, user=upload.uploaded_by.get_username(), kind=upload.kind,
          reason="rejected", upload=upload.pk, errors=len(errors),
          detail=excerpt(errors[0][2], 200) if errors else "")  # fmt: skip


def purge_old_uploads(days: int) -> int:
    """Delete refused, failed and cancelled uploads finished more than ``days`` ago, and their
    files; the number deleted. Imported uploads stay (the history's reasons name them)."""
    cutoff = timezone.now() - timedelta(days=days)
    old = Upload.objects.filter(
        status__in=[Upload.Status.REJECTED, Upload.Status.FAILED, Upload.Status.CANCELLED], finished_at__lt=cutoff
    )
    deleted = 0
    for upload in old.only("pk", "stored_name").iterator():
        if upload.stored_name:
            upload_path(upload).unlink(missing_ok=True)
        deleted += Upload.objects.filter(pk=upload.pk).delete()[0]
    logger.info("purged %s import upload(s) older than %s days", deleted, days)
    return deleted
