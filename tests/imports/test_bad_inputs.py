"""The "bad input" acceptance matrix of issue 6, end to end through ``import_file`` with real
files (tests/imports/bad_files.py): every bad file is refused with an Indonesian message that
says what is wrong and where, never a crash, and the database is exactly as before."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import msoffcrypto
import olefile
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from budgets.services import realization_set, report_submit
from imports.catalog import get_kind
from imports.file_checks import ImportFileError
from imports.importer import import_file
from imports.models import Upload
from tests.conftest import client_for
from tests.imports import bad_files
from tests.imports.bad_files import Builder

pytestmark = pytest.mark.django_db


# --- The database must not change ------------------------------------------------------------


def database_snapshot() -> dict[str, int | None]:
    """The row count of every model's table and, for history tables, the newest history id
    (an update adds a history row even when no count changes)."""
    snapshot: dict[str, int | None] = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        label = model._meta.label
        snapshot[label] = model._base_manager.count()
        if any(f.name == "history_id" for f in model._meta.concrete_fields):
            snapshot[f"{label}.max(history_id)"] = model._base_manager.aggregate(newest=Max("history_id"))["newest"]
    return snapshot


@contextmanager
def assert_database_unchanged() -> Iterator[None]:
    before = database_snapshot()
    yield
    after = database_snapshot()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


@pytest.fixture
def january(officer, satker, dipa):
    """Something already recorded: a draft January realisation of 5 on the OVOP line."""
    return realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 5},
                           expected_version=0, by=officer)  # fmt: skip


def run(path: Path, kind: str, user):
    return import_file(path, kind, user=user, dry_run=False, reason=f"uji {path.name}")


# --- Files that are not an acceptable .xlsx --------------------------------------------------


@dataclass(frozen=True)
class FileCase:
    build: Builder
    message: str  # a fragment of the ImportFileError message
    settings: dict[str, int] = field(default_factory=dict)


def file_case(case_id: str, build: Builder, message: str, **settings):
    return pytest.param(FileCase(build, message, settings), id=case_id)


MB = 1024 * 1024
FILE_CASES = [
    file_case("csv-renamed", bad_files.csv_renamed, "bukan berkas Excel .xlsx (mungkin CSV"),
    file_case("random-bytes", bad_files.random_bytes, "bukan berkas Excel .xlsx"),
    file_case("old-xls", bad_files.old_xls, "format .xls lama; buka di Excel lalu simpan sebagai .xlsx"),
    file_case("zero-bytes", bad_files.zero_bytes, "Berkas kosong."),
    file_case("password-protected", bad_files.password_protected, "dilindungi kata sandi"),
    file_case("over-size-limit", bad_files.oversized, "melebihi batas 1 MB", IMPORT_MAX_FILE_BYTES=MB),
    file_case("zip-bomb-declared-4gb", bad_files.zip_bomb_declared, "kemungkinan zip bomb"),
    file_case("zip-bomb-expanding", bad_files.zip_bomb_expanding, "kemungkinan zip bomb"),
    file_case("macro-enabled", bad_files.macro_enabled, "berisi makro"),
    file_case("word-document-renamed", bad_files.word_document_renamed, "rusak"),
    file_case("damaged-sheet-xml", bad_files.damaged_sheet, "rusak"),
    file_case("corrupted-sheet-data", bad_files.corrupted_sheet_data, "rusak"),
]  # fmt: skip


@pytest.mark.parametrize("case", FILE_CASES)
def test_unacceptable_files_are_refused(tmp_path, settings, officer, january, case: FileCase) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    path = case.build(tmp_path, january.fiscal_year.year)
    with assert_database_unchanged(), pytest.raises(ImportFileError) as refused:
        run(path, "realisasi", officer)
    assert case.message in str(refused.value)


def test_the_limits_come_from_settings(tmp_path, officer, january) -> None:
    """The oversized and the too-many-rows files are otherwise good: under the default limits
    they pass (dry run), so the refusals above are the limits' doing."""
    year = january.fiscal_year.year
    for build in (bad_files.oversized, bad_files.too_many_rows):
        result = import_file(build(tmp_path, year), "realisasi", user=officer, dry_run=True, reason="uji")
        assert result.plan.ok and result.plan.counts["new"] + result.plan.counts["changed"] == 3


def test_the_hand_made_files_are_what_they_claim(tmp_path) -> None:
    """The .xls and the vbaProject.bin are real Compound Files; the protected workbook opens
    with its password and holds the good rows."""
    with olefile.OleFileIO(str(bad_files.old_xls(tmp_path, 2026))) as xls:
        assert xls.listdir() == [["Workbook"]]
        assert xls.openstream("Workbook").read(4) == bytes.fromhex("09081000")  # BIFF8 BOF record
    macro = load_workbook(bad_files.macro_enabled(tmp_path, 2026), keep_vba=True)
    assert macro.vba_archive is not None and olefile.isOleFile(macro.vba_archive.read("xl/vbaProject.bin"))
    protected = msoffcrypto.OfficeFile(bad_files.password_protected(tmp_path, 2026).open("rb"))
    assert protected.is_encrypted()
    protected.load_key(password=bad_files.PASSWORD)
    plain = io.BytesIO()
    protected.decrypt(plain)
    rows = list(load_workbook(plain).active.iter_rows(values_only=True))
    assert rows == [tuple(bad_files.REALISASI_HEADER), *map(tuple, bad_files.good_realisasi_rows(2026))]


# --- Workbooks whose content is wrong: row, column and message -------------------------------


@dataclass(frozen=True)
class RowCase:
    build: Builder
    errors: list[tuple[int, str]]  # (row, column) of every error, in order
    message: str  # a fragment of the first error's message
    kind: str = "realisasi"
    persona: str = "officer"
    settings: dict[str, int] = field(default_factory=dict)
    setup: Callable[..., None] | None = None


def lock_january(report, officer) -> None:
    report_submit(report=report, by=officer)


def row_case(case_id: str, build: Builder, errors: list[tuple[int, str]], message: str, **options):
    return pytest.param(RowCase(build, errors, message, **options), id=case_id)


PAGU = {"kind": "pagu", "persona": "admin_user"}
ROW_CASES = [
    row_case("missing-column", bad_files.missing_column, [(1, "realisasi")], "Kolom realisasi tidak ada."),
    row_case("unknown-column", bad_files.unknown_column, [(1, "catatan")], "Kolom catatan tidak dikenal"),
    row_case("text-in-amount", bad_files.text_amount, [(3, "realisasi")], "'tiga ratus ribu' bukan jumlah rupiah"),
    row_case("text-in-month", bad_files.text_month, [(2, "bulan")], "'Januari' bukan bilangan bulat"),
    row_case("date-in-month", bad_files.date_month, [(2, "bulan")], "bukan bilangan bulat"),
    row_case("negative-amount", bad_files.negative_amount, [(4, "realisasi")], "Jumlah tidak boleh negatif."),
    row_case("negative-amount-text", bad_files.negative_amount_text, [(4, "realisasi")], "tidak boleh negatif"),
    row_case("month-13", bad_files.month_13, [(2, "bulan")], "Harus di antara 1 dan 12."),
    row_case("unknown-satker", bad_files.unknown_satker, [(2, "kode_satker")], "Satker 179999 tidak ada"),
    row_case("other-province-satker", bad_files.other_province_satker, [(2, "kode_satker")],
             "Satker 110019 tidak ada atau di luar cakupan Anda."),
    row_case("unknown-account", bad_files.unknown_account, [(3, "kode_akun")],
             "Baris pagu 051.529999 tidak ada di DIPA"),
    # The missing DIPA line is reported on kode_akun even when the component is the wrong cell.
    row_case("unknown-component", bad_files.unknown_component, [(3, "kode_akun")],
             "Baris pagu 999.524111 tidak ada di DIPA"),
    row_case("duplicate-rows", bad_files.duplicate_rows, [(5, "kode_akun")], "Baris ganda: sama dengan baris 2."),
    row_case("locked-month", bad_files.good_realisasi, [(2, "bulan"), (3, "bulan"), (4, "bulan")], "terkunci",
             setup=lock_january),
    row_case("more-rows-than-limit", bad_files.too_many_rows, [(4, "")], "lebih dari 2 baris data",
             settings={"IMPORT_MAX_ROWS": 2}),
    row_case("blank-sheet", bad_files.blank_sheet, [(1, "")], "Baris 1 harus berisi judul kolom"),
    row_case("header-only", bad_files.header_only, [(0, "")], "tidak berisi baris data"),
    row_case("pagu-unknown-satker", bad_files.pagu_unknown_satker, [(2, "kode_satker")],
             "Satker 179999 tidak dikenal.", **PAGU),
    row_case("pagu-unknown-component", bad_files.pagu_unknown_component, [(2, "kode_komponen")],
             "Komponen 999 tidak dikenal.", **PAGU),
    row_case("pagu-unknown-account", bad_files.pagu_unknown_account, [(2, "kode_akun")], "Akun 529999 tidak dikenal.",
             **PAGU),
    row_case("pagu-text-amount", bad_files.pagu_text_amount, [(2, "pagu")], "'seratus juta' bukan jumlah rupiah",
             **PAGU),
    row_case("pagu-negative", bad_files.pagu_negative, [(2, "blokir")], "Jumlah tidak boleh negatif.", **PAGU),
    row_case("pagu-duplicate-rows", bad_files.pagu_duplicate_rows, [(4, "kode_akun")],
             "Baris ganda: sama dengan baris 2.", **PAGU),
]  # fmt: skip


@pytest.mark.parametrize("case", ROW_CASES)
def test_bad_content_is_reported_at_its_cell(request, tmp_path, settings, officer, january, case: RowCase) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    if case.setup is not None:
        case.setup(january, officer)
    user = request.getfixturevalue(case.persona)
    path = case.build(tmp_path, january.fiscal_year.year)
    with assert_database_unchanged():
        result = run(path, case.kind, user)
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == case.errors
    assert case.message in result.plan.errors[0].message


@pytest.mark.parametrize(
    ("kind", "module", "row"),
    [
        ("ikm", "programs.registry.import_kind", ["0220551017193", "Keripik Amak", "Siti Aminah", "17.99",
                                           "Jl. Soekarno-Hatta 12", "10794", 3, 5, "250.000.000", "600.000.000",
                                           "{year}"]),
        ("wub", "programs.records.import_kinds", ["170019", "{year}", 1, "Rahmat Hidayat", "17.99", "Keripik pisang",
                                                  None]),
    ],
    ids=["ikm-unknown-regency", "wub-unknown-regency"],
)  # fmt: skip
def test_unknown_regency_is_reported(tmp_path, officer, january, kind, module, row) -> None:
    pytest.importorskip(module, reason=f"{module} (the {kind} importer) is not written yet")
    year = january.fiscal_year.year
    path = bad_files.workbook(
        tmp_path / f"{kind}.xlsx", get_kind(kind).column_names, [[year if v == "{year}" else v for v in row]]
    )
    with assert_database_unchanged():
        result = run(path, kind, officer)
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, "kode_kabkota")]
    assert "Kabupaten/kota" in result.plan.errors[0].message and "17.99" in result.plan.errors[0].message


# --- The same refusals through `manage.py import_xlsx` ---------------------------------------


@pytest.mark.parametrize(
    ("build", "printed"),
    [
        (bad_files.csv_renamed, ["Ditolak: Berkas bukan berkas Excel .xlsx (mungkin CSV"]),
        (bad_files.password_protected, ["Ditolak: Berkas dilindungi kata sandi"]),
        (bad_files.zip_bomb_declared, ["Ditolak: Berkas ditolak: isinya mengembang tidak wajar"]),
        (bad_files.macro_enabled, ["Ditolak: Berkas berisi makro"]),
        (bad_files.missing_column, ["Ditolak: 1 kesalahan; tidak ada yang ditulis.",
                                    "baris 1, kolom realisasi: Kolom realisasi tidak ada."]),
        (bad_files.many_errors, ["Ditolak: 3 kesalahan; tidak ada yang ditulis.",
                                 "baris 2, kolom bulan: Harus di antara 1 dan 12.",
                                 "baris 3, kolom realisasi: Jumlah tidak boleh negatif.",
                                 "baris 4, kolom kode_satker: Satker 179999 tidak ada atau di luar cakupan Anda."]),
    ],
    ids=["csv-renamed", "password-protected", "zip-bomb", "macro-enabled", "missing-column", "many-errors"],
)  # fmt: skip
def test_import_xlsx_exits_1_and_prints_every_error(tmp_path, admin_user, january, build, printed) -> None:
    path = build(tmp_path, january.fiscal_year.year)
    out, err = io.StringIO(), io.StringIO()
    with assert_database_unchanged(), pytest.raises(SystemExit) as exit_code:
        call_command("import_xlsx", "realisasi", str(path), user=admin_user.username, stdout=out, stderr=err)
    assert exit_code.value.code == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == len(printed) and "Traceback" not in err.getvalue() and out.getvalue() == ""
    for line, expected in zip(lines, printed, strict=True):
        assert line.startswith(expected)


# --- The same refusals through the upload page -----------------------------------------------

# What an upload itself records: the Upload row and its queued tasks.
UPLOAD_BOOKKEEPING = ("imports.Upload", "django_tasks_db.DBTaskResult")


@contextmanager
def assert_only_the_upload_recorded() -> Iterator[None]:
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert {k for k in changed if not k.startswith(UPLOAD_BOOKKEEPING)} == set()


WEB_CASES = [
    *FILE_CASES,
    *[case for case in ROW_CASES if case.id in {"missing-column", "text-in-amount", "date-in-month", "month-13",
                                                 "other-province-satker", "unknown-account", "duplicate-rows",
                                                 "header-only", "more-rows-than-limit"}],
]  # fmt: skip


@pytest.mark.parametrize("case", WEB_CASES)
def test_the_upload_page_refuses_with_the_message_and_changes_nothing(
    tmp_path, settings, officer, january, case: FileCase | RowCase
) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    path = case.build(tmp_path, january.fiscal_year.year)
    client = client_for(officer)
    with assert_only_the_upload_recorded():
        response = client.post(
            reverse("imports:upload", args=["realisasi"]),
            {"file": SimpleUploadedFile("berkas.xlsx", path.read_bytes())},
        )
    if case.build is bad_files.zero_bytes:
        # An empty file is not an upload: the form says so and nothing is recorded.
        assert response.status_code == 400 and case.message in response.content.decode()
        assert not Upload.objects.exists()
        return
    if case.build is bad_files.oversized:
        # Refused before it is stored or recorded (413), with the same message.
        assert response.status_code == 413 and case.message in response.content.decode()
        assert not Upload.objects.exists()
        return
    assert response.status_code == 302
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert escape(case.message) in page.content.decode()
    assert "Konfirmasi dan impor" not in page.content.decode()
