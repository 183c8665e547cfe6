"""Real bad files for the import tests: each builder writes one file into ``directory`` and
returns its path, so the same files serve the import_file matrix (test_bad_inputs.py) and the
web upload tests.

Every builder takes ``(directory, year)``; the rows match the ``dipa`` fixture of
tests/conftest.py (satker 170019, component 051, accounts 521211 / 524111 / 532111),
so the only thing wrong with a file is the one thing its name says.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from imports.file_checks import CFB_SIGNATURE

REALISASI_HEADER = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]
PAGU_HEADER = ["kode_satker", "tahun", "kode_komponen", "kode_akun", "pagu", "blokir"]
PASSWORD = "rahasia-17"
SHEET_PART = "xl/worksheets/sheet1.xml"
# What a zip bomb's sheet claims to unpack to: ~4 GB, the largest size a plain (non-zip64) zip header can hold.
DECLARED_BOMB_BYTES = 0xFFFF0000

Builder = Callable[[Path, int], Path]


# --- Good rows and plain workbooks -----------------------------------------------------------


def good_realisasi_rows(year: int) -> list[list[object]]:
    """January realisations of the three Bengkulu lines, typed as officers type them."""
    return [
        ["170019", year, 1, "051", "521211", "1.250.000"],
        ["170019", year, 1, "051", "524111", 300_000],
        ["170019", year, 1, "051", "532111", "75.000"],
    ]


def good_pagu_rows(year: int) -> list[list[object]]:
    return [
        ["170019", year, "051", "521211", "120.000.000", "0"],
        ["170019", year, "051", "524111", 50_000_000, 0],
    ]


def workbook(path: Path, header: list[object] | None, rows: list[list[object]]) -> Path:
    """A plain openpyxl workbook: ``header`` in row 1 (none: an untouched blank sheet), then ``rows``."""
    book = Workbook()
    if header is not None:
        book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def realisasi_workbook(path: Path, rows: list[list[object]]) -> Path:
    return workbook(path, REALISASI_HEADER, rows)


def pagu_workbook(path: Path, rows: list[list[object]]) -> Path:
    return workbook(path, PAGU_HEADER, rows)


def good_realisasi(directory: Path, year: int) -> Path:
    return realisasi_workbook(directory / "realisasi.xlsx", good_realisasi_rows(year))


def with_cell(rows: list[list[object]], row: int, column: str, value: object) -> list[list[object]]:
    """``rows`` with one cell replaced; ``row`` counts data rows from 0, ``column`` is a realisasi header name."""
    changed = [list(values) for values in rows]
    changed[row][REALISASI_HEADER.index(column)] = value
    return changed


# --- Not an .xlsx at all ---------------------------------------------------------------------


def csv_renamed(directory: Path, year: int) -> Path:
    """What Excel writes for "CSV UTF-8" (a byte-order mark, semicolons in the Indonesian locale), renamed .xlsx."""
    lines = [";".join(REALISASI_HEADER)] + [";".join(str(v) for v in row) for row in good_realisasi_rows(year)]
    path = directory / "realisasi-csv.xlsx"
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def random_bytes(directory: Path, year: int) -> Path:
    # Seeded: the bytes (and so the test) are the same on every run; they start with neither a zip nor a CFB signature.
    path = directory / "acak.xlsx"
    path.write_bytes(random.Random(year).randbytes(8192))  # noqa: S311 (not cryptographic)
    return path


def zero_bytes(directory: Path, year: int) -> Path:
    path = directory / "kosong.xlsx"
    path.write_bytes(b"")
    return path


def word_document_renamed(directory: Path, year: int) -> Path:
    """A real (minimal) .docx renamed .xlsx: a valid Office Open XML zip, but with no workbook in it."""
    path = directory / "surat.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Laporan realisasi</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


# --- Compound File Binary (the old .xls, encrypted workbooks, vbaProject.bin) ----------------

SECTOR = 512
FREE_SECTOR, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_STREAM_CUTOFF = 4096


def compound_file(stream_name: str, stream: bytes) -> bytes:
    """A minimal but valid Compound File Binary ([MS-CFB] version 3) holding one stream.

    olefile (installed with msoffcrypto-tool) reads CFB but cannot write it, and no .xls writer
    (xlwt) is a dependency, so the container is built by hand: a 512-byte header, sector 0 = the
    FAT, sector 1 = the directory (root entry + the stream), the stream from sector 2. The stream
    is padded to 4096 bytes so it lives in ordinary sectors and no mini stream is needed.
    ``olefile.OleFileIO`` opens the result (test_bad_inputs.py checks that)."""
    data = stream.ljust(max(MINI_STREAM_CUTOFF, -(-len(stream) // SECTOR) * SECTOR), b"\0")
    stream_sectors = len(data) // SECTOR
    if 2 + stream_sectors > SECTOR // 4:
        raise ValueError("one FAT sector maps 128 sectors; keep the stream under 63 KB")
    header = struct.pack(
        "<8s16s5H6s9I",
        CFB_SIGNATURE,
        bytes(16),  # CLSID
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order: little-endian
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        bytes(6),
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        END_OF_CHAIN,  # first mini FAT sector: none
        0,  # mini FAT sectors
        END_OF_CHAIN,  # first DIFAT sector: none
        0,  # DIFAT sectors
    ) + struct.pack("<109I", 0, *[FREE_SECTOR] * 108)
    chain = [*range(3, 2 + stream_sectors), END_OF_CHAIN]
    fat = [FAT_SECTOR, END_OF_CHAIN, *chain]
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE_SECTOR] * (SECTOR // 4 - len(fat)))
    directory = (
        _directory_entry("Root Entry", kind=5, child=1, start=END_OF_CHAIN, size=0)
        + _directory_entry(stream_name, kind=2, child=NO_STREAM, start=2, size=len(data))
        + _directory_entry("", kind=0, child=NO_STREAM, start=0, size=0) * 2
    )
    return header + fat_sector + directory + data


def _directory_entry(name: str, *, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    color = 1 if kind else 0  # black, as a one-node red-black tree must be
    return struct.pack(
        "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, color, NO_STREAM, NO_STREAM, child, bytes(16), 0, 0, 0,
        start, size,
    )  # fmt: skip


def biff8_workbook_stream() -> bytes:
    """The shortest BIFF8 "Workbook" stream: a BOF record (workbook globals, Excel 97) and EOF."""
    beginning = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06)
    return beginning + struct.pack("<HH", 0x000A, 0)


def old_xls(directory: Path, year: int) -> Path:
    """The old Excel 97-2003 format, named .xlsx as officers sometimes do (the header and rows
    are not written: the format is refused on its container alone)."""
    path = directory / "realisasi-lama.xlsx"
    path.write_bytes(compound_file("Workbook", biff8_workbook_stream()))
    return path


def password_protected(directory: Path, year: int) -> Path:
    """A good workbook that Excel's "Encrypt with Password" protects: the OOXML zip encrypted
    (ECMA-376 agile) into a CFB container by msoffcrypto-tool; opens with ``PASSWORD``."""
    plain = io.BytesIO()
    book = Workbook()
    for row in [REALISASI_HEADER, *good_realisasi_rows(year)]:
        book.active.append(row)
    book.save(plain)
    path = directory / "realisasi-sandi.xlsx"
    with path.open("wb") as encrypted:
        OOXMLFile(plain).encrypt(PASSWORD, encrypted)
    return path


# --- Real workbooks made hostile -------------------------------------------------------------


def _rewrite(path: Path, *, replace: dict[str, Callable[[bytes], bytes]] | None = None,
             add: dict[str, bytes] | None = None, compression: int = zipfile.ZIP_DEFLATED) -> Path:  # fmt: skip
    """Rewrite the zip at ``path`` with some parts transformed and others added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, replace.get(info.filename, lambda d: d)(data))
        for name, data in add.items():
            target.writestr(name, data, compress_type=compression)
    return path


def macro_enabled(directory: Path, year: int) -> Path:
    """A good workbook turned into a real .xlsm layout (macro-enabled main content type, a
    vbaProject.bin CFB part with its relationship), then renamed .xlsx."""
    path = realisasi_workbook(directory / "realisasi-makro.xlsx", good_realisasi_rows(year))
    project = (
        b'ID="{5B1C3F5E-0C1A-4E7B-9A7B-2E0F5D0B6A11}"\r\nDocument=ThisWorkbook/&H00000000\r\nName="VBAProject"\r\n'
    )

    def content_types(xml: bytes) -> bytes:
        xml = xml.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")  # fmt: skip
        vba = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" />'
        return xml.replace(b"<Default ", vba + b"<Default ", 1)

    def relationships(xml: bytes) -> bytes:
        vba = (b'<Relationship Id="rIdVba" Target="vbaProject.bin" '
               b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" />')  # fmt: skip
        return xml.replace(b"</Relationships>", vba + b"</Relationships>")

    return _rewrite(
        path,
        replace={"[Content_Types].xml": content_types, "xl/_rels/workbook.xml.rels": relationships},
        add={"xl/vbaProject.bin": compound_file("PROJECT", project)},
    )


def oversized(directory: Path, year: int, *, megabytes: float = 1.1) -> Path:
    """A good workbook carrying a pasted screenshot: ``megabytes`` of incompressible image data
    (seeded random bytes, stored), so the file is big for the usual reason, not for its rows."""
    path = realisasi_workbook(directory / "realisasi-besar.xlsx", good_realisasi_rows(year))
    image = random.Random(year).randbytes(int(megabytes * 1024 * 1024))  # noqa: S311 (not cryptographic)
    return _rewrite(path, add={"xl/media/image1.png": image}, compression=zipfile.ZIP_STORED)


def zip_bomb_expanding(directory: Path, year: int, *, megabytes: int = 16) -> Path:
    """A good workbook whose sheet XML really unpacks to ``megabytes`` (whitespace between the
    rows: valid XML that deflates over 1000:1), far past the 50:1 ratio of a genuine sheet."""
    path = realisasi_workbook(directory / "bom-zip.xlsx", good_realisasi_rows(year))
    padding = b" " * (megabytes * 1024 * 1024)
    return _rewrite(path, replace={SHEET_PART: lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding)})


def zip_bomb_declared(directory: Path, year: int) -> Path:
    """A good workbook whose sheet part's headers declare ~4 GB uncompressed: a bomb as its zip
    directory describes it (nothing is decompressed to find out)."""
    path = realisasi_workbook(directory / "bom-zip-4gb.xlsx", good_realisasi_rows(year))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo(SHEET_PART)
    _patch_uncompressed_size(data, b"PK\x03\x04", size_offset=22, name_offset=30)  # local header
    _patch_uncompressed_size(data, b"PK\x01\x02", size_offset=24, name_offset=46)  # central directory
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:  # the lie is what a reader of the zip directory sees
        assert archive.getinfo(SHEET_PART).file_size == DECLARED_BOMB_BYTES > sheet.compress_size
    return path


def _patch_uncompressed_size(data: bytearray, signature: bytes, *, size_offset: int, name_offset: int) -> None:
    name = SHEET_PART.encode()
    start = data.find(signature)
    while start != -1:
        if data[start + name_offset : start + name_offset + len(name)] == name:
            data[start + size_offset : start + size_offset + 4] = struct.pack("<I", DECLARED_BOMB_BYTES)
            return
        start = data.find(signature, start + 1)
    raise ValueError(f"no {signature!r} header for {SHEET_PART}")


def damaged_sheet(directory: Path, year: int) -> Path:
    """A download cut short inside the sheet: the zip is intact, the sheet XML stops mid-row."""
    path = realisasi_workbook(directory / "rusak.xlsx", good_realisasi_rows(year))
    return _rewrite(path, replace={SHEET_PART: lambda xml: xml[: len(xml) * 2 // 3]})


def corrupted_sheet_data(directory: Path, year: int) -> Path:
    """A few flipped bytes inside the sheet's compressed data (a bad disk or a broken transfer):
    the zip directory is intact, the sheet cannot be inflated."""
    path = realisasi_workbook(directory / "korup.xlsx", good_realisasi_rows(year))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo(SHEET_PART)
    start = sheet.header_offset + 30 + len(sheet.filename.encode()) + len(sheet.extra)  # after the local header
    for offset in range(start + 8, start + 12):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


# --- Workbooks with bad content ---------------------------------------------------------------


def header_only(directory: Path, year: int) -> Path:
    """The template with nothing filled in."""
    return realisasi_workbook(directory / "tanpa-data.xlsx", [])


def blank_sheet(directory: Path, year: int) -> Path:
    return workbook(directory / "lembar-kosong.xlsx", None, [])


def missing_column(directory: Path, year: int) -> Path:
    """The realisasi column deleted."""
    return workbook(
        directory / "kolom-kurang.xlsx", REALISASI_HEADER[:-1], [row[:-1] for row in good_realisasi_rows(year)]
    )


def unknown_column(directory: Path, year: int) -> Path:
    """An officer's notes column added at the end."""
    rows = [[*row, "cek SPM"] for row in good_realisasi_rows(year)]
    return workbook(directory / "kolom-lebih.xlsx", [*REALISASI_HEADER, "catatan"], rows)


def text_amount(directory: Path, year: int) -> Path:
    rows = with_cell(good_realisasi_rows(year), 1, "realisasi", "tiga ratus ribu")
    return realisasi_workbook(directory / "teks-jumlah.xlsx", rows)


def text_month(directory: Path, year: int) -> Path:
    return realisasi_workbook(
        directory / "teks-bulan.xlsx", with_cell(good_realisasi_rows(year), 0, "bulan", "Januari")
    )


def date_month(directory: Path, year: int) -> Path:
    """Excel turned the typed "1-1" into a date: the month cell holds a date, not a number."""
    rows = with_cell(good_realisasi_rows(year), 0, "bulan", dt.datetime(year, 1, 1))
    return realisasi_workbook(directory / "tanggal-bulan.xlsx", rows)


def negative_amount(directory: Path, year: int) -> Path:
    return realisasi_workbook(directory / "negatif.xlsx", with_cell(good_realisasi_rows(year), 2, "realisasi", -75_000))


def negative_amount_text(directory: Path, year: int) -> Path:
    rows = with_cell(good_realisasi_rows(year), 2, "realisasi", "-75.000")
    return realisasi_workbook(directory / "negatif-teks.xlsx", rows)


def month_13(directory: Path, year: int) -> Path:
    return realisasi_workbook(directory / "bulan-13.xlsx", with_cell(good_realisasi_rows(year), 0, "bulan", 13))


def unknown_satker(directory: Path, year: int) -> Path:
    rows = with_cell(good_realisasi_rows(year), 0, "kode_satker", "179999")
    return realisasi_workbook(directory / "satker-asing.xlsx", rows)


def other_province_satker(directory: Path, year: int) -> Path:
    """Aceh's satker (110019) in a Bengkulu officer's file."""
    rows = with_cell(good_realisasi_rows(year), 0, "kode_satker", "110019")
    return realisasi_workbook(directory / "satker-aceh.xlsx", rows)


def unknown_account(directory: Path, year: int) -> Path:
    rows = with_cell(good_realisasi_rows(year), 1, "kode_akun", "529999")
    return realisasi_workbook(directory / "akun-asing.xlsx", rows)


def unknown_component(directory: Path, year: int) -> Path:
    rows = with_cell(good_realisasi_rows(year), 1, "kode_komponen", "999")
    return realisasi_workbook(directory / "komponen-asing.xlsx", rows)


def duplicate_rows(directory: Path, year: int) -> Path:
    """The first line typed again further down (with another amount)."""
    rows = good_realisasi_rows(year)
    return realisasi_workbook(directory / "ganda.xlsx", [*rows, with_cell(rows, 0, "realisasi", 5)[0]])


def too_many_rows(directory: Path, year: int) -> Path:
    """Three good rows: over the limit when IMPORT_MAX_ROWS is 2."""
    return good_realisasi(directory, year)


def pagu_with(directory: Path, year: int, column: str, value: object) -> Path:
    """The good pagu rows with the first row's ``column`` replaced."""
    rows = [list(row) for row in good_pagu_rows(year)]
    rows[0][PAGU_HEADER.index(column)] = value
    return pagu_workbook(directory / f"pagu-{column}.xlsx", rows)


def pagu_unknown_satker(directory: Path, year: int) -> Path:
    return pagu_with(directory, year, "kode_satker", "179999")


def pagu_unknown_component(directory: Path, year: int) -> Path:
    return pagu_with(directory, year, "kode_komponen", "999")


def pagu_unknown_account(directory: Path, year: int) -> Path:
    return pagu_with(directory, year, "kode_akun", "529999")


def pagu_text_amount(directory: Path, year: int) -> Path:
    return pagu_with(directory, year, "pagu", "seratus juta")


def pagu_negative(directory: Path, year: int) -> Path:
    return pagu_with(directory, year, "blokir", "-5.000.000")


def pagu_duplicate_rows(directory: Path, year: int) -> Path:
    rows = good_pagu_rows(year)
    return pagu_workbook(directory / "pagu-ganda.xlsx", [*rows, [*rows[0][:4], "130.000.000", 0]])


def many_errors(directory: Path, year: int) -> Path:
    """One file, one mistake on each row: the report must list them all."""
    rows = good_realisasi_rows(year)
    rows[0][REALISASI_HEADER.index("bulan")] = 13
    rows[1][REALISASI_HEADER.index("realisasi")] = "-1"
    rows[2][REALISASI_HEADER.index("kode_satker")] = "179999"
    return realisasi_workbook(directory / "banyak-salah.xlsx", rows)
