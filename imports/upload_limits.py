"""Limits on what one upload request and one user may send, checked before the file is read.

A request body over the limit is refused from its ``Content-Length`` header, before a byte of it
is read (a 300 MB body used to be received whole, then refused by the 20 MB check); a body that
does not declare its length, or declares it wrongly, is stopped by SizeLimitedUploadHandler as
soon as it passes the limit. A user has at most IMPORT_MAX_PENDING_UPLOADS uploads waiting or in
work and IMPORT_MAX_UPLOADS_PER_DAY uploads in a day: a script cannot fill the disk or the
queue.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

# Room in a request for the multipart framing, the CSRF token and the file's name around the file.
REQUEST_OVERHEAD_BYTES = 64 * 1024


def max_request_bytes() -> int:
    return settings.IMPORT_MAX_FILE_BYTES + REQUEST_OVERHEAD_BYTES


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: counts the bytes received and stops the upload
    (without reading the rest of the body) once they pass the limit; ``exceeded`` says so."""

    def __init__(self, request: HttpRequest | None = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = limit if limit is not None else max_request_bytes()
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit:
            # Taken care of: an empty form, and not a byte of the body read.
            self.exceeded = True
            return QueryDict(), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int):
        return None


def quota_refusal(user) -> str | None:
    """Why this user may not upload now (too many uploads waiting or today), or None."""
    from django.utils.translation import gettext as _

    from imports.models import Upload

    mine = Upload.objects.filter(uploaded_by=user)
    pending_limit = settings.IMPORT_MAX_PENDING_UPLOADS
    if mine.filter(status__in=[*Upload.WORKING, Upload.Status.READY]).count() >= pending_limit:
        return _(
            "Anda sudah memiliki %(count)s unggahan yang menunggu diperiksa, dikonfirmasi atau diimpor; "
            "selesaikan atau batalkan dulu sebelum mengunggah lagi."
        ) % {"count": pending_limit}
    daily_limit = settings.IMPORT_MAX_UPLOADS_PER_DAY
    if mine.filter(uploaded_at__gte=timezone.now() - timedelta(days=1)).count() >= daily_limit:
        return _("Anda sudah mengunggah %(count)s berkas dalam 24 jam terakhir; coba lagi besok.") % {
            "count": daily_limit
        }
    return None
