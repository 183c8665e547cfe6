"""Uploaded files are checked before parsing: every hostile or wrong file is refused with a
clear message (real files, made here)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from imports.file_checks import CFB_SIGNATURE, ImportFileError, Limits, check_xlsx

LIMITS = Limits(max_bytes=5 * 1024 * 1024)


def workbook_file(path: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["kode_satker", "tahun"])
    workbook.active.append(["170019", 2026])
    workbook.save(path)
    return path


def test_a_plain_workbook_passes(tmp_path: Path) -> None:
    check_xlsx(workbook_file(tmp_path / "ok.xlsx"), LIMITS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kode_satker,tahun\n170019,2026\n", "bukan berkas Excel"),
        (bytes(range(256)) * 10, "bukan berkas Excel"),
        (b"", "kosong"),
        (CFB_SIGNATURE + b"\x00" * 600, ".xls lama"),
        (CFB_SIGNATURE + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64, "kata sandi"),
        (b"PK\x03\x04" + b"\x00" * 100, "rusak"),
    ],
    ids=["csv", "random-bytes", "empty", "old-xls", "password", "broken-zip"],
)
def test_wrong_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        check_xlsx(path, LIMITS)


def test_zip_without_content_types_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "halo")
    with pytest.raises(ImportFileError, match="Content_Types"):
        check_xlsx(path, LIMITS)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = workbook_file(tmp_path / "big.xlsx")
    with pytest.raises(ImportFileError, match="melebihi batas"):
        check_xlsx(path, Limits(max_bytes=1000))


def test_zip_bomb_is_refused_from_declared_sizes(tmp_path: Path) -> None:
    path = workbook_file(tmp_path / "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as part,
    ):
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(64):  # 64 MB of zeros: a few dozen KB compressed
            part.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFileError, match="zip bomb"):
        check_xlsx(path, LIMITS)
    with pytest.raises(ImportFileError, match="setelah dibuka"):
        check_xlsx(path, Limits(max_bytes=LIMITS.max_bytes, max_uncompressed=10 * 1024 * 1024, max_ratio=10**6))


def test_macro_workbook_is_refused(tmp_path: Path) -> None:
    path = workbook_file(tmp_path / "macro.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(ImportFileError, match="makro"):
        check_xlsx(path, LIMITS)
