"""Evidence in tests: a storage in a temporary directory, and small files of each kind."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def evidence_storages(location: Path) -> dict:
    """settings.STORAGES with the evidence store in ``location``."""
    return {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                              "OPTIONS": {"location": str(location)}}}  # fmt: skip


def png_bytes(size: tuple[int, int] = (8, 6), color: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (8, 6), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


PLAIN_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
