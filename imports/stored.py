"""Where an upload's file is kept, and how a refused upload is recorded (the web side and the
worker both end uploads this way)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from imports.models import Upload

logger = logging.getLogger(__name__)


def upload_path(upload: Upload) -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name


def finish_rejected(upload: Upload, errors: list[list], *, save: bool = True) -> None:
    upload.status = Upload.Status.REJECTED
    upload.errors = errors
    upload.error_count = len(errors)
    upload.finished_at = timezone.now()
    upload.phase = ""
    if save:
        upload.save()
    logger.info("import upload %s rejected with %s error(s)", upload.pk, len(errors))
