"""``check_upload``: the one gate an attached file passes before anything is stored."""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.files import pdf, signatures
from core.formats import format_megabytes

logger = logging.getLogger(__name__)

ALLOWED_CONTENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# For an <input type="file" accept="...">: what the phone's picker offers.
ACCEPT = ",".join(ALLOWED_CONTENT_TYPES)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
JPEG_QUALITY = 88


@dataclass(frozen=True)
class CheckedFile:
    """What may be stored: the bytes (images re-encoded), their type, extension and SHA-256."""

    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Berkas %(size)s MB melebihi batas %(limit)s MB; perkecil atau pindai ulang dengan resolusi lebih rendah.")
        % {"size": format_megabytes(size), "limit": format_megabytes(limit)},
        code="too_large",
    )


def _read(file: IO[bytes], limit: int) -> bytes:
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(declared, limit)
    if hasattr(file, "seek"):
        file.seek(0)
    chunks, total = [], 0
    reader = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(64 * 1024), b"")
    for chunk in reader:
        total += len(chunk)
        if total > limit:
            raise _too_large(total, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _unknown_format(head: bytes) -> ValidationError:
    kind = signatures.describe_unknown(head)
    messages = {
        "exe": _("Berkas ditolak: isinya program (executable), bukan PDF, JPEG atau PNG, apa pun namanya."),
        "zip": _("Berkas ditolak: isinya arsip ZIP atau dokumen Office; simpan sebagai PDF lalu unggah lagi."),
        "cfb": _("Berkas ditolak: isinya dokumen Office lama; simpan sebagai PDF lalu unggah lagi."),
        "svg": _("Berkas ditolak: gambar SVG tidak diterima; unggah sebagai PNG atau JPEG."),
        "html": _("Berkas ditolak: isinya halaman web (HTML), bukan PDF, JPEG atau PNG."),
    }
    message = messages.get(kind, _("Berkas ditolak: hanya PDF, JPEG atau PNG yang diterima (dikenali dari isinya)."))
    return ValidationError(message, code=f"format_{kind}")


def check_upload(file: IO[bytes], *, limit: int | None = None, pixel_limit: int | None = None) -> CheckedFile:
    """The bytes to store for an uploaded file, or ValidationError saying why it is refused."""
    limit = max_bytes() if limit is None else limit
    data = _read(file, limit)
    if not data:
        raise ValidationError(_("Berkas kosong."), code="empty")
    content_type = signatures.sniff(data[:16])
    if content_type is None:
        raise _unknown_format(data[:512])
    if content_type == "application/pdf":
        _check_pdf(data)
    else:
        if signatures.image_polyglot(data, content_type):
            raise ValidationError(
                _("Berkas ditolak: gambar ini menyimpan berkas lain di dalamnya (mis. PDF, ZIP atau skrip)."),
                code="polyglot",
            )
        data = _reencode(data, content_type, max_pixels() if pixel_limit is None else pixel_limit)
        if len(data) > limit:
            raise _too_large(len(data), limit)
    return CheckedFile(data, content_type, ALLOWED_CONTENT_TYPES[content_type], hashlib.sha256(data).hexdigest())


def _check_pdf(data: bytes) -> None:
    if signatures.pdf_trailing_junk(data) or signatures.zip_at_end(data):
        raise ValidationError(
            _("Berkas ditolak: ada data lain setelah akhir PDF (kemungkinan berkas gabungan); simpan ulang PDF-nya."),
            code="polyglot",
        )
    try:
        found = pdf.active_content(data)
    except pdf.TooComplex:
        raise ValidationError(
            _("Berkas PDF ditolak: strukturnya terlalu besar untuk diperiksa."), code="pdf_complex"
        ) from None
    if found:
        raise ValidationError(
            _("Berkas PDF ditolak: berisi skrip atau tindakan otomatis (%(names)s). Cetak ulang sebagai PDF biasa "
              "(mis. \"Print to PDF\") lalu unggah lagi.") % {"names": ", ".join(found)},
            code="pdf_active",
        )  # fmt: skip


def _reencode(data: bytes, content_type: str, pixel_limit: int) -> bytes:
    """Decode the image and encode it again: no metadata (EXIF with GPS, comments, text
    chunks) survives; the EXIF orientation is applied to the pixels first."""
    expected = "JPEG" if content_type == "image/jpeg" else "PNG"
    refused = ValidationError(_("Berkas gambar rusak atau tidak dapat dibaca."), code="image_broken")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            width, height = image.size
            if width * height > pixel_limit:
                raise ValidationError(
                    _("Gambar %(width)s x %(height)s piksel melebihi batas %(limit)s megapiksel; perkecil gambarnya.")
                    % {"width": width, "height": height, "limit": pixel_limit // 1_000_000},
                    code="too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar terlalu besar untuk dibuka (kemungkinan bom dekompresi)."),
                              code="too_many_pixels") from None  # fmt: skip
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise refused from None
    except Exception:  # a decoder's unexpected error on a hostile file is still a refusal, not a 500
        logger.warning("evidence image refused: decoder error", exc_info=True)
        raise refused from None
    out = io.BytesIO()
    # Only the colour profile and a palette's transparency are kept; everything else in info
    # (exif, xmp, comments, text chunks, dpi) is dropped before the encoder sees it.
    extra = {key: image.info[key] for key in ("icc_profile", "transparency") if image.info.get(key) is not None}
    image.info = {}
    if expected == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        extra.pop("transparency", None)
        image.save(out, "JPEG", quality=JPEG_QUALITY, **extra)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", **extra)
    return out.getvalue()
