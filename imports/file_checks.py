"""Checks an uploaded workbook must pass before a reader (imports/workbook_rows.py) opens it.

An .xlsx is a zip of XML parts. A hostile or broken upload is refused here with a message an
officer understands: another format renamed .xlsx, the old .xls format, a password-protected
file, a macro workbook, a file over the size limit, or a "zip bomb" whose parts would expand to
gigabytes (the declared uncompressed sizes are checked, nothing is decompressed).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext_noop

from core.formats import format_megabytes
from core.messages import text

ZIP_SIGNATURE = b"PK\x03\x04"
# Compound File Binary: the container of the old .xls format and of encrypted OOXML files.
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_MARKER = "EncryptionInfo".encode("utf-16-le")
MACRO_PARTS = ("vbaproject.bin",)
MACRO_CONTENT_TYPE = b"macroEnabled"


class ImportFileError(Exception):
    """The file cannot be imported at all; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int = 250 * 1024 * 1024
    max_ratio: int = 50

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(max_bytes=getattr(settings, "IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024))


def check_xlsx(source: str | Path | BinaryIO, limits: Limits | None = None) -> None:
    """Raise ImportFileError unless ``source`` looks like a safe, plain .xlsx workbook."""
    limits = limits or Limits.from_settings()
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source  # noqa: SIM115
    try:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(0)
        if size == 0:
            raise ImportFileError(text(gettext_noop("Berkas kosong.")))
        if size > limits.max_bytes:
            raise ImportFileError(
                text(
                    gettext_noop("Berkas %(size)s MB melebihi batas %(limit)s MB; bagi menjadi beberapa berkas."),
                    size=format_megabytes(size),
                    limit=format_megabytes(limits.max_bytes),
                )
            )
        head = handle.read(8)
        if head.startswith(CFB_SIGNATURE):
            handle.seek(0)
            if ENCRYPTED_MARKER in handle.read(min(size, 1024 * 1024)):
                raise ImportFileError(
                    text(
                        gettext_noop(
                            "Berkas dilindungi kata sandi; buka di Excel, hapus kata sandinya, lalu unggah lagi."
                        )
                    )
                )
            raise ImportFileError(
                text(gettext_noop("Berkas berformat .xls lama; buka di Excel lalu simpan sebagai .xlsx."))
            )
        if not head.startswith(ZIP_SIGNATURE):
            raise ImportFileError(
                text(
                    gettext_noop("Berkas bukan berkas Excel .xlsx (mungkin CSV atau berkas lain yang diganti namanya).")
                )
            )
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise ImportFileError(text(gettext_noop("Berkas .xlsx rusak dan tidak dapat dibuka."))) from None
        with archive:
            _check_parts(archive, limits)
    finally:
        if isinstance(source, (str, Path)):
            handle.close()
        else:
            handle.seek(0)


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names:
        raise ImportFileError(text(gettext_noop("Berkas bukan berkas Excel .xlsx (tidak ada [Content_Types].xml).")))
    if any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names):
        raise ImportFileError(text(gettext_noop("Berkas berisi makro (.xlsm); simpan sebagai .xlsx tanpa makro.")))
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limits.max_ratio * max(entry.compress_size, 1) and entry.file_size > 1024 * 1024:
            raise ImportFileError(
                text(gettext_noop("Berkas ditolak: isinya mengembang tidak wajar saat dibuka (kemungkinan zip bomb)."))
            )
    if total > limits.max_uncompressed:
        raise ImportFileError(
            text(
                gettext_noop("Berkas ditolak: isinya %(size)s MB setelah dibuka, melebihi batas %(limit)s MB."),
                size=total // 1024 // 1024,
                limit=limits.max_uncompressed // 1024 // 1024,
            )
        )
    content_types = archive.read(next(e for e in entries if e.filename.lower() == "[content_types].xml"))
    if MACRO_CONTENT_TYPE in content_types:
        raise ImportFileError(text(gettext_noop("Berkas berisi makro (.xlsm); simpan sebagai .xlsx tanpa makro.")))
