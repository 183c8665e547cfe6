"""core/files: a file is recognised by its content, active PDFs and polyglots are refused,
images come back re-encoded without metadata, the size and pixel limits hold."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from core.files import check_upload
from tests.evidence_support import PLAIN_PDF, jpeg_bytes, png_bytes, upload


def refused(content: bytes, name: str = "bukti.pdf", **limits) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content), **limits)
    message = " ".join(caught.value.messages)
    assert message
    return message


def test_plain_pdf_is_kept_byte_for_byte_with_its_sha256() -> None:
    import hashlib

    checked = check_upload(upload("sp2d.pdf", PLAIN_PDF))
    assert (checked.content_type, checked.extension, checked.content) == ("application/pdf", "pdf", PLAIN_PDF)
    assert checked.sha256 == hashlib.sha256(PLAIN_PDF).hexdigest()


def test_the_name_does_not_matter() -> None:
    assert check_upload(upload("foto.pdf", png_bytes())).content_type == "image/png"
    assert check_upload(upload("scan.png", PLAIN_PDF)).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "sp2d.pdf", "executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "foto.jpg", "executable"),
        (b"PK\x03\x04" + b"\x00" * 40, "bast.pdf", "ZIP"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "a.png",
            "SVG",
        ),
        (b"<svg onload=alert(1)>", "foto.png", "SVG"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "foto.png", "HTML"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 50, "sk.pdf", "Office"),
        (b"GIF89a" + b"\x00" * 20, "foto.png", "PDF, JPEG atau PNG"),
        (b"", "kosong.pdf", "kosong"),
    ],
)
def test_other_formats_are_refused_by_their_content(content: bytes, name: str, says: str) -> None:
    assert says in refused(content, name)


@pytest.mark.parametrize(
    "active",
    [b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/EmbeddedFile", b"/J#61vaScript", b"/Open#41ction"],
)
def test_pdf_with_script_or_automatic_action_is_refused(active: bytes) -> None:
    pdf = PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog " + active + b" 3 0 R")
    assert "skrip atau tindakan otomatis" in refused(pdf)


def test_pdf_javascript_hidden_in_a_compressed_object_stream_is_refused() -> None:
    hidden = zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    pdf = (b"%PDF-1.5\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
           + str(len(hidden)).encode() + b" >>\nstream\n" + hidden + b"\nendstream\nendobj\n%%EOF\n")  # fmt: skip
    assert "JavaScript" in refused(pdf)


def test_open_action_that_only_opens_a_page_is_fine() -> None:
    """LibreOffice writes ``/OpenAction [page /XYZ null null 0]`` in every export: a destination."""
    pdf = PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction[3 0 R /XYZ null null 0]")
    assert check_upload(upload("libreoffice.pdf", pdf)).content_type == "application/pdf"
    pdf = PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >>")
    assert "OpenAction" in refused(pdf)


def test_a_name_that_only_starts_like_an_action_is_fine() -> None:
    pdf = PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /JSomething 1 /AAB 2")
    assert check_upload(upload("ok.pdf", pdf)).content_type == "application/pdf"


def test_pdf_with_an_executable_or_zip_appended_is_refused() -> None:
    assert "setelah akhir PDF" in refused(PLAIN_PDF + b"MZ\x90\x00" + b"\x00" * 64)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("x.txt", "hi")
    assert "setelah akhir PDF" in refused(PLAIN_PDF + archive.getvalue())
    assert "setelah akhir PDF" in refused(PLAIN_PDF.replace(b"%%EOF\n", b""))


def test_polyglot_images_are_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("payload.html", "<b>x</b>")
    for content in (
        png_bytes() + archive.getvalue(),  # a PNG with a ZIP appended
        png_bytes() + PLAIN_PDF,  # with a PDF appended
        jpeg_bytes() + archive.getvalue(),  # a JPEG whose end is a ZIP
        jpeg_bytes()[:20] + b"%PDF-1.4" + jpeg_bytes()[20:],  # a PDF inside
        jpeg_bytes() + b"<script>alert(1)</script>",
        png_bytes() + b"trailing",  # anything after IEND
    ):
        assert "menyimpan berkas lain" in refused(content, "foto.jpg")


def test_oversized_file_is_refused_before_anything_is_decoded() -> None:
    assert "melebihi batas" in refused(PLAIN_PDF + b" " * 2048, limit=1024)


def test_oversized_image_and_decompression_bomb_are_refused() -> None:
    big = png_bytes(size=(3000, 2000))
    assert "megapiksel" in refused(big, "foto.png", pixel_limit=1_000_000)
    # A PNG that claims 100.000 x 100.000 pixels (10^10): Pillow's own bomb guard or ours.
    header = png_bytes(size=(1, 1))
    bomb = bytearray(header)
    bomb[16:24] = (100_000).to_bytes(4, "big") * 2
    crc = zlib.crc32(bytes(bomb[12:29])).to_bytes(4, "big")
    bomb[29:33] = crc
    message = refused(bytes(bomb), "foto.png")
    assert "megapiksel" in message or "bom dekompresi" in message


def test_broken_image_is_refused() -> None:
    assert "rusak" in refused(png_bytes()[:40] + b"\x00" * 20 + b"\x00\x00\x00\x00IEND\xaeB`\x82", "foto.png")


def test_jpeg_comes_back_without_exif_and_gps_with_its_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees
    exif[0x010F] = "KameraHP"
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}  # GPS
    original = jpeg_bytes(size=(40, 20), exif=exif.tobytes())
    assert b"KameraHP" in original
    checked = check_upload(upload("foto.jpg", original))
    image = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg" and image.format == "JPEG"
    assert dict(image.getexif()) == {} and "exif" not in image.info
    assert b"KameraHP" not in checked.content and b"Exif" not in checked.content
    assert image.size == (20, 40)  # the orientation is in the pixels now


def test_png_text_chunks_are_dropped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "lokasi rahasia")
    out = io.BytesIO()
    Image.new("RGBA", (4, 4)).save(out, "PNG", pnginfo=info)
    checked = check_upload(upload("a.png", out.getvalue()))
    assert b"lokasi rahasia" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).mode == "RGBA"


PREFIXES = [b"", b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"MZ", b"PK\x03\x04", b"<svg"]


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=2048))
def test_any_bytes_are_accepted_or_refused_with_a_message(prefix: bytes, tail: bytes) -> None:
    """Whatever arrives, the answer is a checked file or a ValidationError, never another error."""
    try:
        checked = check_upload(upload("x.bin", prefix + tail))
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        assert checked.content_type in ("application/pdf", "image/jpeg", "image/png")


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=400), noise=st.binary(min_size=1, max_size=64))
def test_damaged_images_are_refused_with_a_message(cut: int, noise: bytes) -> None:
    for good in (png_bytes((20, 10)), jpeg_bytes((20, 10))):
        damaged = good[: min(cut, len(good) - 1)] + noise
        try:
            check_upload(upload("x.png", damaged))
        except ValidationError as error:
            assert error.messages
