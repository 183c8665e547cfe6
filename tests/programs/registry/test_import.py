"""Importing `ikm` (the IKM registry): the web form's rules and messages, upsert on the NIB (or
regency and name without NIB), derived fields filled, every refusal with its row and column and
nothing written, and a plan whose number of queries does not grow with the rows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from budgets.models import Regency
from imports.catalog import get_kind
from imports.file_checks import ImportFileError
from imports.importer import import_file
from imports.models import Upload
from imports.reader import read_sheet
from programs.models import Enterprise
from programs.registry.rules import normalize_name, size_class_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
HEADER = get_kind("ikm").column_names
YEAR = timezone.localdate().year


@pytest.fixture
def regency(province) -> Regency:
    return Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")


@pytest.fixture
def second_regency(province) -> Regency:
    return Regency.objects.create(
        kemendagri_code="17.01", province=province, name="Kabupaten Bengkulu Selatan", kind="kabupaten"
    )


@pytest.fixture
def other_regency(other_province) -> Regency:
    return Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota")


def row(**changes: Any) -> list[Any]:
    values = {
        "nib": "0220551017193",
        "nama_usaha": "CV. Keripik Sanjai Amak",
        "nama_pemilik": "Siti Aminah",
        "kode_kabkota": "17.71",
        "alamat": "Jl. Soekarno-Hatta 12",
        "kbli": "10794",
        "tenaga_kerja_l": 3,
        "tenaga_kerja_p": 5,
        "investasi": "250.000.000",
        "nilai_produksi": 600_000_000,
        "tahun_pendataan": YEAR,
        **changes,
    }
    return [values[column] for column in HEADER]


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    book.active.append(HEADER)
    for values in rows:
        book.active.append(values)
    book.save(path)
    return path


def numbered(count: int, *, start: int = 0, **changes: Any) -> list[list[Any]]:
    """``count`` valid rows with NIBs 9000000000000, 9000000000001..."""
    return [row(nib=f"{9_000_000_000_000 + n}", nama_usaha=f"Usaha {n:05d}", **changes)
            for n in range(start, start + count)]  # fmt: skip


def make_enterprise(place: Regency, name: str, **fields: Any) -> Enterprise:
    values = {"kbli": "10792", "workers_male": 1, "workers_female": 1, "investment": 0, "production_value": 0,
              "data_year": YEAR, **fields}  # fmt: skip
    return Enterprise.objects.create(
        regency=place, province_id=place.province_id, name=name, name_normalized=normalize_name(name),
        size_class=size_class_for(values["workers_male"] + values["workers_female"], values["investment"]), **values,
    )  # fmt: skip


def imported(path: Path, user, reason: str = "unggahan ikm.xlsx"):
    return import_file(path, "ikm", user=user, dry_run=False, reason=reason)


def errors_of(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.plan.errors]


# -- a valid file ---------------------------------------------------------------------------------


def test_officer_imports_with_derived_fields(tmp_path, officer, satker, central_satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [
        row(),
        row(nib=None, nama_usaha="PT Tenun Songket Rafflesia", tenaga_kerja_l=15, tenaga_kerja_p=10,
            investasi=2_000_000_000, kode_kabkota=1771),
        row(nib="1234567890123", nama_usaha="UD Kopi Kepahiang", tenaga_kerja_l=None, tenaga_kerja_p=None,
            investasi=None, nilai_produksi=None, alamat=None, nama_pemilik=None),
    ])  # fmt: skip
    result = imported(path, officer)
    assert result.imported, result.plan.errors
    assert result.plan.counts == {"new": 3, "changed": 0, "unchanged": 0}
    keripik = Enterprise.objects.get(nib="0220551017193")
    assert keripik.name == "CV. Keripik Sanjai Amak"
    assert keripik.name_normalized == "keripik sanjai amak"
    assert keripik.province_id == regency.province_id
    assert (keripik.size_class, keripik.investment, keripik.production_value) == ("KECIL", 250_000_000, 600_000_000)
    assert keripik.satker == satker  # the officer's provincial satker, never the central unit
    assert keripik.version == 1
    history = keripik.history.get()
    assert (history.history_user, history.history_change_reason) == (officer, "unggahan ikm.xlsx")
    assert (history.history_type, history.name, history.nib, history.size_class, history.satker_id) == (
        "+",
        keripik.name,
        keripik.nib,
        "KECIL",
        satker.pk,
    )
    assert (history.version, history.updated_at, history.id) == (1, keripik.updated_at, keripik.pk)
    songket = Enterprise.objects.get(name_normalized="tenun songket rafflesia")
    assert songket.nib is None and songket.size_class == "MENENGAH" and songket.regency == regency
    kopi = Enterprise.objects.get(nib="1234567890123")
    assert (kopi.workers, kopi.investment, kopi.owner, kopi.address) == (0, 0, "", "")


def test_admin_import_is_collected_by_the_provincial_satker_of_each_row(
    tmp_path, admin_user, satker, other_satker, central_satker, regency, other_regency
) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row(), row(nib="1100000000001", kode_kabkota="11.71")])
    assert imported(path, admin_user).imported
    assert Enterprise.objects.get(nib="0220551017193").satker == satker
    assert Enterprise.objects.get(nib="1100000000001").satker == other_satker


def test_nib_number_cell_keeps_its_leading_zero(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row(nib=220551017193)])  # Excel dropped the zero
    assert imported(path, officer).imported
    assert Enterprise.objects.get().nib == "0220551017193"


def test_same_file_again_changes_nothing(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row(), row(nib=None, nama_usaha="Batik Besurek")])
    imported(path, officer)
    history = Enterprise.history.count()
    again = imported(path, officer, reason="lagi")
    assert again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert Enterprise.history.count() == history == 2
    assert set(Enterprise.objects.values_list("version", flat=True)) == {1}


def test_changed_row_bumps_version_with_the_reason(tmp_path, officer, satker, regency, second_regency) -> None:
    imported(workbook(tmp_path / "a.xlsx", [row(), row(nib=None, nama_usaha="Batik Besurek")]), officer)
    before = Enterprise.objects.get(nib="0220551017193").updated_at
    path = workbook(tmp_path / "b.xlsx", [
        row(tenaga_kerja_l=30, kode_kabkota="17.01"),  # moves to another regency of the province
        row(nib=None, nama_usaha="Batik Besurek"),
    ])  # fmt: skip
    result = imported(path, officer, reason="koreksi tenaga kerja")
    assert result.plan.counts == {"new": 0, "changed": 1, "unchanged": 1}
    # The preview's old -> new: the two cells that change, the regency by its code.
    assert [r.changes for r in result.plan.rows] == [
        [["kode_kabkota", "17.71", "17.01"], ["tenaga_kerja_l", "3", "30"]], [],
    ]  # fmt: skip
    keripik = Enterprise.objects.get(nib="0220551017193")
    assert (keripik.version, keripik.workers_male, keripik.regency) == (2, 30, second_regency)
    assert keripik.size_class == "MENENGAH"  # 35 workers
    assert keripik.updated_at > before and keripik.name == "CV. Keripik Sanjai Amak"
    latest = keripik.history.first()
    assert (latest.history_change_reason, latest.history_type, latest.version) == ("koreksi tenaga kerja", "~", 2)
    assert (latest.history_user, latest.workers_male, latest.regency_id, latest.updated_at) == (
        officer,
        30,
        second_regency.pk,
        keripik.updated_at,
    )
    assert Enterprise.objects.get(nib=None).version == 1


def test_the_preview_shows_old_and_new_of_the_changed_cell_only(tmp_path, officer, satker, regency) -> None:
    imported(workbook(tmp_path / "a.xlsx", [row(), row(nib=None, nama_usaha="Batik Besurek")]), officer)
    path = workbook(tmp_path / "b.xlsx", [
        row(nilai_produksi="750.000.000"),
        row(nib=None, nama_usaha="Batik Besurek", tahun_pendataan=YEAR - 1),
    ])  # fmt: skip
    result = import_file(path, "ikm", user=officer, dry_run=True, reason="x")
    assert [r.changes for r in result.plan.rows] == [
        [["nilai_produksi", "600.000.000", "750.000.000"]],
        [["tahun_pendataan", str(YEAR), str(YEAR - 1)]],  # a year, not grouped like an amount
    ]


def test_only_the_rows_the_preview_keeps_spell_out_their_changes(tmp_path, officer, satker, regency, monkeypatch):
    monkeypatch.setattr("programs.registry.import_kind.PREVIEW_ROWS", 2)
    imported(workbook(tmp_path / "a.xlsx", numbered(3)), officer)
    result = import_file(workbook(tmp_path / "b.xlsx", numbered(3, alamat="Jl. Baru 1")), "ikm", user=officer,
                         dry_run=True, reason="x")  # fmt: skip
    assert result.plan.counts["changed"] == 3
    assert [len(r.changes) for r in result.plan.rows] == [1, 1, 0]


def test_rows_match_stored_enterprises_by_name_in_the_regency(tmp_path, officer, satker, regency) -> None:
    """A new NIB completes an enterprise recorded without one; a row without NIB updates the
    enterprise of that name and keeps its NIB."""
    recorded_without_nib = make_enterprise(regency, "Keripik Sanjai Amak")
    with_nib = make_enterprise(regency, "Kopi Kepahiang", nib="1234567890123", satker=satker)
    path = workbook(tmp_path / "ikm.xlsx", [
        row(),  # "CV. Keripik Sanjai Amak" normalises like the stored name
        row(nib=None, nama_usaha="Kopi Kepahiang", kbli="10761"),
    ])  # fmt: skip
    result = imported(path, officer)
    assert result.plan.counts == {"new": 0, "changed": 2, "unchanged": 0}
    recorded_without_nib.refresh_from_db()
    with_nib.refresh_from_db()
    assert recorded_without_nib.nib == "0220551017193" and recorded_without_nib.version == 2
    assert (with_nib.nib, with_nib.kbli, with_nib.satker) == ("1234567890123", "10761", satker)
    assert Enterprise.objects.count() == 2


def test_template_round_trip(tmp_path, officer, satker, regency) -> None:
    response = client_for(officer).get(reverse("imports:template", args=["ikm"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    assert [cell.value for cell in sheet[1]] == HEADER
    for number, values in enumerate([row(), row(nib="0000000000042", nama_usaha="Tenun Bengkulu")], start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=str(value) if HEADER[column - 1] in {"nib", "kbli"} else value)
    book.save(tmp_path / "template-ikm.xlsx")
    result = imported(tmp_path / "template-ikm.xlsx", officer)
    assert result.imported, result.plan.errors
    assert sorted(Enterprise.objects.values_list("nib", flat=True)) == ["0000000000042", "0220551017193"]


def test_import_xlsx_command(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row()])
    out = io.StringIO()
    call_command("import_xlsx", "ikm", str(path), user=officer.username, stdout=out)
    assert "1 baru" in out.getvalue()
    assert Enterprise.objects.get().history.get().history_change_reason == "import_xlsx ikm ikm.xlsx"


# -- refusals: every error with its row and column, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"kode_kabkota": "17.99"}, "kode_kabkota", "Kabupaten/kota dengan kode 17.99 tidak ditemukan"),
        ({"kode_kabkota": "11.71"}, "kode_kabkota", "Kota Banda Aceh (11.71) berada di luar provinsi Anda"),
        ({"kode_kabkota": "Bengkulu"}, "kode_kabkota", "PP.RR"),
        ({"kbli": "1079"}, "kbli", "KBLI harus 5 digit angka"),
        ({"kbli": "01111"}, "kbli", "bukan industri pengolahan"),
        ({"kbli": None}, "kbli", "Isi kode KBLI"),
        ({"tenaga_kerja_l": "banyak"}, "tenaga_kerja_l", "bilangan bulat"),
        ({"tenaga_kerja_p": -1}, "tenaga_kerja_p", "tidak boleh negatif"),
        ({"tenaga_kerja_p": 1_000_001}, "tenaga_kerja_p", "terlalu besar"),
        ({"investasi": -5}, "investasi", "tidak boleh negatif"),
        ({"nilai_produksi": "enam juta"}, "nilai_produksi", "bukan jumlah rupiah"),
        ({"nib": "02205510171"}, "nib", "NIB harus 13 digit"),
        ({"nama_usaha": None}, "nama_usaha", "Isi nama usaha"),
        ({"nama_usaha": "CV."}, "nama_usaha", "bentuk badan usaha"),
        ({"nama_usaha": "x" * 201}, "nama_usaha", "200 karakter"),
        ({"nama_pemilik": "x" * 201}, "nama_pemilik", "200 karakter"),
        ({"alamat": "x" * 301}, "alamat", "300 karakter"),
        ({"tahun_pendataan": 1999}, "tahun_pendataan", "Tahun pendataan harus antara 2000"),
        ({"tahun_pendataan": YEAR + 1}, "tahun_pendataan", "Tahun pendataan harus antara"),
        ({"tahun_pendataan": None}, "tahun_pendataan", "Isi tahun pendataan"),
    ],
)
def test_bad_cells_reject_the_file(tmp_path, officer, satker, regency, other_regency, changes, column, message) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row(nib="1234567890123", nama_usaha="Kopi"), row(**changes)])
    result = imported(path, officer)
    assert errors_of(result) == [(3, column)]
    assert message in result.plan.errors[0].message
    assert not result.imported and not Enterprise.objects.exists()


def test_every_error_of_a_row_is_reported(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [row(nib="12", kbli="99999", investasi=-1)])
    assert errors_of(imported(path, officer)) == [(2, "nib"), (2, "kbli"), (2, "investasi")]


def test_nib_registered_in_another_province_is_named_to_the_admin(tmp_path, admin_user, satker, regency, other_regency):
    make_enterprise(other_regency, "Kopi Gayo", nib="0220551017193")
    result = imported(workbook(tmp_path / "ikm.xlsx", [row()]), admin_user)
    assert errors_of(result) == [(2, "nib")]
    assert 'atas nama "Kopi Gayo" (Kota Banda Aceh, Aceh)' in result.plan.errors[0].message
    assert Enterprise.objects.count() == 1 and Enterprise.objects.get().name == "Kopi Gayo"


def test_nib_of_another_province_names_nothing_in_the_officers_upload(officer, satker, regency, other_regency) -> None:
    """Neither the errors, the upload's page nor errors.xlsx tell an officer whose NIB it is: a
    file of many NIBs must not be a lookup of other provinces' enterprises."""
    make_enterprise(other_regency, "Kopi Gayo", nib="0220551017193")
    make_enterprise(other_regency, "Tenun Songket Gayo", nib="0220551017194")
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(row())
    book.active.append(row(nib="0220551017194", nama_usaha="Usaha Lain"))
    book.active.append(row(nib="0220551017195", nama_usaha="Usaha Baru"))  # unknown: would be new
    content = io.BytesIO()
    book.save(content)
    client = client_for(officer)

    client.post(reverse("imports:upload", args=["ikm"]), {"file": SimpleUploadedFile("ikm.xlsx", content.getvalue())})

    upload = Upload.objects.get()
    assert [(row_number, column) for row_number, column, _m, *_stored in upload.errors] == [(2, "nib"), (3, "nib")]
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    errors_book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:errors", args=[upload.pk])).content))
    cells = " ".join(str(cell) for line in errors_book.active.iter_rows(values_only=True) for cell in line)
    for shown in ([message for _r, _c, message, *_stored in upload.errors], page, cells):
        assert "di luar provinsi Anda" in str(shown)
        for detail in ("Kopi Gayo", "Songket", "Banda Aceh", "Aceh"):  # name, regency, province
            assert detail not in str(shown)
    assert Enterprise.objects.count() == 2


def test_duplicates_inside_the_file_name_the_first_row(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "ikm.xlsx", [
        row(),
        row(nib=None, nama_usaha="Batik Besurek"),
        row(nama_usaha="Nama lain, NIB sama"),
        row(nib=None, nama_usaha="BATIK  besurek"),  # the same normalised name in the same regency
    ])  # fmt: skip
    result = imported(path, officer)
    assert errors_of(result) == [(4, "nib"), (5, "nama_usaha")]
    assert [error.message for error in result.plan.errors] == [
        "Baris ganda: sama dengan baris 2.",
        "Baris ganda: sama dengan baris 3.",
    ]
    assert not Enterprise.objects.exists()


def test_two_rows_reaching_one_stored_enterprise(tmp_path, officer, satker, regency) -> None:
    make_enterprise(regency, "Batik Besurek")
    path = workbook(tmp_path / "ikm.xlsx", [
        row(nama_usaha="Batik Besurek"),  # NIB not registered: completes the enterprise
        row(nib=None, nama_usaha="Batik Besurek"),  # the same enterprise again
    ])  # fmt: skip
    result = imported(path, officer)
    assert errors_of(result) == [(3, "nama_usaha")]
    assert "baris 2" in result.plan.errors[0].message
    assert Enterprise.objects.get().nib is None


@pytest.mark.parametrize("user_fixture", ["reviewer", "viewer"])
def test_readers_cannot_import(request, tmp_path, satker, regency, user_fixture) -> None:
    result = imported(workbook(tmp_path / "ikm.xlsx", [row()]), request.getfixturevalue(user_fixture))
    assert errors_of(result) == [(0, "")]
    assert "hanya membaca data" in result.plan.errors[0].message
    assert not Enterprise.objects.exists()


def test_one_bad_row_among_5000_rejects_exactly_that_row(tmp_path, officer, satker, regency) -> None:
    rows = numbered(5_000)
    rows[3_210][HEADER.index("kbli")] = "47111"  # retail: not manufacturing
    result = imported(workbook(tmp_path / "big.xlsx", rows), officer)
    assert errors_of(result) == [(3_212, "kbli")]
    assert not Enterprise.objects.exists()


def test_data_changed_between_plan_and_write_is_refused(tmp_path, officer, satker, regency) -> None:
    imported(workbook(tmp_path / "a.xlsx", [row()]), officer)
    path = workbook(tmp_path / "b.xlsx", [row(tenaga_kerja_l=9)])
    importer = get_kind("ikm")
    plan = importer.plan(read_sheet(path, columns=HEADER, max_rows=10), officer, timezone.localdate())
    Enterprise.objects.filter(nib="0220551017193").update(version=2)  # someone saved the form meanwhile
    with pytest.raises(ImportFileError, match="diubah orang lain"):
        importer.apply(plan, officer, "x")


def test_nib_recorded_between_plan_and_write_is_refused(tmp_path, officer, satker, regency) -> None:
    path = workbook(tmp_path / "a.xlsx", [row(), row(nib="1234567890123", nama_usaha="Kopi")])
    importer = get_kind("ikm")
    plan = importer.plan(read_sheet(path, columns=HEADER, max_rows=10), officer, timezone.localdate())
    make_enterprise(regency, "Dicatat lewat formulir", nib="1234567890123")  # meanwhile, in the web form
    with pytest.raises(ImportFileError, match="dicatat orang lain"), transaction.atomic():
        importer.apply(plan, officer, "x")
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["Dicatat lewat formulir"]


def test_plan_queries_do_not_grow_with_rows(tmp_path, officer, satker, regency) -> None:
    make_enterprise(regency, "Usaha 00003", nib="9000000000003")
    make_enterprise(regency, "Tanpa NIB")
    queries = []
    for count in (10, 1_000):
        rows = [*numbered(count), row(nib=None, nama_usaha="Tanpa NIB")]
        sheet = read_sheet(workbook(tmp_path / f"{count}.xlsx", rows), columns=HEADER, max_rows=2_000)
        with CaptureQueriesContext(connection) as captured:
            plan = get_kind("ikm").plan(sheet, officer, timezone.localdate())
        assert plan.ok and plan.counts["changed"] == 2
        queries.append(len(captured))
    assert queries[0] == queries[1] <= 9  # 9: the regencies' earlier provinces (regions over time)
