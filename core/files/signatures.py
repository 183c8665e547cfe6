"""Recognising a file by its first bytes (magic numbers), and the markers of polyglots.

Heuristics (documented in README "Evidence"):
- a PDF starts with ``%PDF-`` at byte 0, a JPEG with ``FF D8 FF``, a PNG with its 8-byte
  signature; anything else is refused, named where we can (executable, ZIP/Office, HTML, SVG).
- an image must not carry another format inside: ``%PDF-``, ``<script``, ``<html``, ``<svg``,
  ``<?php`` (case-insensitive) anywhere, or a ZIP end-of-central-directory record whose comment
  length reaches exactly the end of the file (what a ZIP reader looks for); a PNG must end with
  its IEND chunk (nothing appended). These markers are 5+ bytes long (or structurally checked),
  so compressed pixel data matches them by chance with negligible probability. (JPEG data after
  the end-of-image marker is tolerated: phones append their own trailers there; the image is
  re-encoded anyway, so nothing appended survives.)
- a PDF must end with ``%%EOF`` followed by whitespace only (an executable or ZIP appended
  after it is refused), and carry no ZIP end-of-central-directory record at its end.
"""

from __future__ import annotations

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"

ZIP_EOCD = b"PK\x05\x06"
EMBEDDED_MARKERS = (b"%pdf-", b"<script", b"<html", b"<svg", b"<?php", b"<!doctype html")


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce: one of the three allowed, or None."""
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return None


def describe_unknown(head: bytes) -> str:
    """A short name for a refused format (for the message): exe, zip, cfb, html, svg, other."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "exe"
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        return "cfb"
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "svg"
    if text.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<?xml", b"<")):
        return "html"
    return "other"


def zip_at_end(data: bytes) -> bool:
    """Whether ``data`` ends with a ZIP end-of-central-directory record (what a ZIP reader
    looks for from the end): the record's comment length reaches exactly the end."""
    window = data[-(65535 + 22) :]
    start = len(data) - len(window)
    position = window.rfind(ZIP_EOCD)
    while position != -1:
        record = window[position : position + 22]
        if len(record) == 22:
            comment_length = int.from_bytes(record[20:22], "little")
            if start + position + 22 + comment_length == len(data):
                return True
        position = window.rfind(ZIP_EOCD, 0, position)
    return False


def image_polyglot(data: bytes, content_type: str) -> bool:
    lowered = data.lower()
    if any(marker in lowered for marker in EMBEDDED_MARKERS):
        return True
    if zip_at_end(data):
        return True
    return content_type == "image/png" and not data.rstrip(b"\x00").endswith(PNG_IEND)


def pdf_trailing_junk(data: bytes) -> bool:
    """Anything but whitespace after the last ``%%EOF`` (or no ``%%EOF`` at all)."""
    end = data.rfind(b"%%EOF")
    if end == -1:
        return True
    return bool(data[end + 5 :].strip(b" \t\r\n\x00\x0c"))
