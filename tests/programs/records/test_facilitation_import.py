"""Importing `fasilitasi` workbooks: a valid file imports into the month's report with history,
the same file again writes nothing, a changed row updates, the template round-trips, and every
rule of the form (registry NIB, value per kind) refuses the file on the right row and column."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import FiscalYear, MonthlyReport, Regency
from budgets.services import report_get_or_create, report_submit
from imports.catalog import get_kind
from imports.importer import import_file
from imports.reader import read_sheet
from programs.models import Enterprise, Facilitation, SizeClass
from programs.records.services import facilitation_create
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "bulan", "jenis", "nib", "nama_usaha", "nilai", "keterangan"]
NIB = "0220551017193"  # Bengkulu
ACEH_NIB = "1111111111111"


@pytest.fixture
def fiscal_year(today) -> FiscalYear:
    return FiscalYear.objects.get_or_create(year=today.year)[0]


@pytest.fixture
def year(fiscal_year) -> int:
    return fiscal_year.year


@pytest.fixture
def registry(province, other_province, fiscal_year) -> Enterprise:
    """A Bengkulu enterprise (returned) and an Aceh one in the IKM registry."""
    bengkulu = Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")
    aceh = Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Banda Aceh", kind="kota")
    Enterprise.objects.create(
        nib=ACEH_NIB, name="UD Kopi Gayo", name_normalized="kopi gayo", regency=aceh, province=other_province,
        kbli="10761", data_year=fiscal_year.year, size_class=SizeClass.SMALL,
    )  # fmt: skip
    return Enterprise.objects.create(
        nib=NIB, name="CV Batik Besurek Rafflesia", name_normalized="batik besurek rafflesia", regency=bengkulu,
        province=province, kbli="13134", data_year=fiscal_year.year, size_class=SizeClass.SMALL,
    )  # fmt: skip


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def run(path: Path, user, dry_run: bool = False):
    return import_file(path, "fasilitasi", user=user, dry_run=dry_run, reason=f"test {path.name}")


def stored() -> dict[tuple[int, str, str], tuple]:
    return {
        (r.month, r.kind, r.nib or r.enterprise_name): (r.enterprise_name, r.value, r.note, r.enterprise_id)
        for r in Facilitation.objects.all()
    }


def where(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.plan.errors]


def nothing_written() -> None:
    assert not Facilitation.objects.exists()
    assert not MonthlyReport.objects.exists()


def test_valid_file_imports_and_the_same_file_again_changes_nothing(tmp_path, officer, satker, registry, year) -> None:
    path = workbook(tmp_path / "f.xlsx", [
        ["170019", year, 1, "SNI", NIB, None, 0, "SNI 01-2345"],  # the registry names the enterprise
        ["170019", year, 1, "pameran", None, "UD Maju Jaya", "1.250.000", "Inacraft"],
        [170019, year, 2, "HALAL", 220551017193, "Batik Rafflesia", None, None],  # NIB lost its leading 0
    ])  # fmt: skip
    result = run(path, officer)
    assert result.imported and result.plan.counts == {"new": 3, "changed": 0, "unchanged": 0}
    assert stored() == {
        (1, "SNI", NIB): ("CV Batik Besurek Rafflesia", 0, "SNI 01-2345", registry.pk),
        (1, "PAMERAN", "UD Maju Jaya"): ("UD Maju Jaya", 1_250_000, "Inacraft", None),
        (2, "HALAL", NIB): ("Batik Rafflesia", 0, "", registry.pk),
    }
    assert MonthlyReport.objects.filter(satker=satker).count() == 2
    assert {(h.history_change_reason, h.history_user) for h in Facilitation.history.all()} == {("test f.xlsx", officer)}
    history = Facilitation.history.count()
    versions = dict(MonthlyReport.objects.values_list("month", "version"))

    again = run(path, officer)
    assert again.imported and again.plan.counts == {"new": 0, "changed": 0, "unchanged": 3}
    assert Facilitation.history.count() == history
    assert dict(MonthlyReport.objects.values_list("month", "version")) == versions

    changed = workbook(tmp_path / "f2.xlsx", [["170019", year, 1, "PAMERAN", None, "UD  MAJU JAYA", 2_000_000, None]])
    result = run(changed, officer)
    assert result.plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert stored()[(1, "PAMERAN", "UD MAJU JAYA")] == ("UD MAJU JAYA", 2_000_000, "", None)
    assert Facilitation.objects.count() == 3
    assert Facilitation.history.first().history_change_reason == "test f2.xlsx"
    assert dict(MonthlyReport.objects.values_list("month", "version")) == {1: versions[1] + 1, 2: versions[2]}


def test_a_record_entered_in_the_form_is_the_same_record(tmp_path, officer, satker, registry, fiscal_year) -> None:
    facilitation_create(satker=satker, fiscal_year=fiscal_year, month=1, kind="HKI", nib=NIB, note="Merek",
                        by=officer)  # fmt: skip
    row = ["170019", fiscal_year.year, 1, "HKI", NIB, None, None, "Merek"]
    assert run(workbook(tmp_path / "same.xlsx", [row]), officer).plan.counts["unchanged"] == 1
    row[7] = "Merek terdaftar"
    assert run(workbook(tmp_path / "changed.xlsx", [row]), officer).plan.counts["changed"] == 1
    assert Facilitation.objects.get().note == "Merek terdaftar"


def test_the_command_imports_and_refuses_like_the_upload(tmp_path, officer, registry, year) -> None:
    good = workbook(tmp_path / "g.xlsx", [["170019", year, 1, "KEMITRAAN", NIB, None, None, None]])
    out = io.StringIO()
    call_command("import_xlsx", "fasilitasi", str(good), user=officer.username, stdout=out)
    assert "Diimpor: 1 baru, 0 berubah, 0 tetap" in out.getvalue()
    assert Facilitation.history.get().history_change_reason == "import_xlsx fasilitasi g.xlsx"
    bad = workbook(tmp_path / "b.xlsx", [["170019", year, 1, "PAMERAN", NIB, None, None, None]])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_xlsx", "fasilitasi", str(bad), user=officer.username, stderr=err)
    assert exit_code.value.code == 1
    assert "baris 2, kolom nilai: Nilai wajib diisi (lebih dari 0) untuk pameran." in err.getvalue()
    assert Facilitation.objects.count() == 1


def test_a_file_made_from_the_template_imports(tmp_path, officer, registry, year, today) -> None:
    response = client_for(officer).get(reverse("imports:template", args=["fasilitasi"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    assert [cell.value for cell in sheet[1]] == [*HEADER, "nomor_sertifikat", "tanggal_sertifikat"]
    assert sheet["A2"].value == "170019"  # pre-filled with the officer's satker
    for row, values in enumerate([[year, today.month, "SNI", NIB, None, 0, "SNI 01-2345"],
                                  [year, today.month, "RESTRUKTURISASI", None, "UD Maju", "25.000.000", None]],
                                 start=2):  # fmt: skip
        sheet.cell(row=row, column=1, value="170019")
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    book.save(tmp_path / "template-fasilitasi.xlsx")
    result = run(tmp_path / "template-fasilitasi.xlsx", officer)
    assert result.imported, result.plan.errors
    assert result.plan.counts["new"] == 2
    assert Facilitation.objects.get(kind="RESTRUKTURISASI").value == 25_000_000


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", "{year}", 1, "SNI", "9999999999999", None, 0, None], "nib", "NIB 9999999999999 tidak ditemukan"),
        (["170019", "{year}", 1, "SNI", ACEH_NIB, "Kopi", 0, None], "nib", "tidak ditemukan di registri"),
        (["170019", "{year}", 1, "SNI", "02205510171", "Batik", 0, None], "nib", "13 digit"),
        (["170019", "{year}", 1, "PAMERAN", NIB, None, None, None], "nilai", "wajib diisi (lebih dari 0)"),
        (["170019", "{year}", 1, "RESTRUKTURISASI", None, "UD Maju", 0, None], "nilai", "lebih dari 0"),
        (["170019", "{year}", 1, "SNI", NIB, None, 5_000_000, None], "nilai", "Nilai hanya diisi untuk"),
        (["170019", "{year}", 1, "PAMERAN", NIB, None, "satu juta", None], "nilai", "bukan jumlah rupiah"),
        (["170019", "{year}", 1, "PELATIHAN", NIB, None, 0, None], "jenis", "tidak dikenal"),
        (["170019", "{year}", 1, "SNI", None, None, 0, None], "nama_usaha", "Nama usaha wajib diisi bila NIB kosong"),
        (["110019", "{year}", 1, "SNI", ACEH_NIB, None, 0, None], "kode_satker", "di luar cakupan"),
        (["170019", "{year}", 13, "SNI", NIB, None, 0, None], "bulan", "di antara 1 dan 12"),
        (["170019", "{next}", 1, "SNI", NIB, None, 0, None], "bulan", "belum berjalan"),
        (["170019", 2099, 1, "SNI", NIB, None, 0, None], "tahun", "tidak ada"),
        (["170019", "{year}", 1, "SNI", NIB, None, 0, "x" * 301], "keterangan", "Paling panjang 300"),
    ],
    ids=["unknown-nib", "nib-of-another-province", "short-nib", "exhibition-without-value",
         "restructuring-zero", "value-on-certification", "text-value", "unknown-kind", "no-nib-no-name",
         "satker-other-province", "month-13", "future-month", "no-year", "long-note"],
)  # fmt: skip
def test_rules_refuse_the_file(tmp_path, officer, other_satker, registry, year, row, column, message) -> None:
    FiscalYear.objects.create(year=year + 1)  # open, but none of its months has started
    row = [{"{year}": year, "{next}": year + 1}.get(value, value) for value in row]
    result = run(workbook(tmp_path / "bad.xlsx", [row]), officer)
    assert where(result) == [(2, column)], result.plan.errors
    assert message in result.plan.errors[0].message
    nothing_written()


@pytest.mark.parametrize("lock", ["submitted", "approved"])
def test_a_locked_month_is_refused(tmp_path, officer, satker, registry, fiscal_year, lock) -> None:
    report, _created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=1)
    if lock == "submitted":
        report_submit(report=report, by=officer)
    else:
        MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.APPROVED)
    rows = [["170019", fiscal_year.year, 2, "SNI", NIB, None, 0, None],  # an open month: fine on its own
            ["170019", fiscal_year.year, 1, "SNI", NIB, None, 0, None]]  # fmt: skip
    result = run(workbook(tmp_path / "l.xlsx", rows), officer)
    assert where(result) == [(3, "bulan")]
    assert "terkunci" in result.plan.errors[0].message
    assert ("Diajukan" if lock == "submitted" else "Disetujui") in result.plan.errors[0].message
    assert not Facilitation.objects.exists()
    assert MonthlyReport.objects.count() == 1


def test_duplicate_rows_inside_the_file_name_the_first(tmp_path, officer, registry, year) -> None:
    rows = [
        ["170019", year, 1, "SNI", NIB, None, 0, None],
        ["170019", year, 1, "PAMERAN", None, "UD Maju", 1_000_000, None],
        ["170019", year, 1, "HALAL", NIB, None, 0, None],  # another kind: not a duplicate
        ["170019", year, 1, "SNI", 220551017193, "Batik", 0, "lagi"],  # the same NIB and kind as row 2
        ["170019", year, 1, "pameran", None, "CV. UD MAJU", 2_000_000, None],  # the same name as row 3
    ]
    result = run(workbook(tmp_path / "dup.xlsx", rows), officer)
    assert [(e.row, e.column, e.message) for e in result.plan.errors] == [
        (5, "jenis", "Baris ganda: sama dengan baris 2."),
        (6, "jenis", "Baris ganda: sama dengan baris 3."),
    ]
    nothing_written()


def test_reviewers_and_viewers_cannot_import(tmp_path, reviewer, viewer, registry, year) -> None:
    path = workbook(tmp_path / "r.xlsx", [["170019", year, 1, "SNI", NIB, None, 0, None]])
    for user in (reviewer, viewer):
        result = run(path, user)
        assert where(result) == [(0, "")] and not result.imported
        assert "hanya membaca data" in result.plan.errors[0].message
    nothing_written()


def test_a_central_satker_finds_every_provinces_registry(tmp_path, admin_user, central_satker, registry, year) -> None:
    path = workbook(tmp_path / "c.xlsx", [["019101", year, 1, "ISO", ACEH_NIB, None, 0, None]])
    assert run(path, admin_user).imported
    assert Facilitation.objects.get().enterprise_name == "UD Kopi Gayo"


def many_rows(year: int, count: int) -> list[list[object]]:
    return [["170019", year, 1 + n % 2, "PAMERAN", None, f"IKM {n:05d}", 1_000 + n, None] for n in range(count)]


def test_one_bad_row_among_two_thousand_is_reported_alone(tmp_path, officer, registry, year) -> None:
    rows = many_rows(year, 2000)
    rows.insert(777, ["170019", year, 1, "SNI", "9999999999999", "Tidak Terdaftar", 0, None])
    result = run(workbook(tmp_path / "big.xlsx", rows), officer)
    assert where(result) == [(779, "nib")]
    assert not result.imported
    nothing_written()
    assert run(workbook(tmp_path / "good.xlsx", many_rows(year, 2000)), officer).plan.counts["new"] == 2000
    assert Facilitation.history.count() == 2000


def test_plan_query_count_does_not_grow_with_the_rows(tmp_path, officer, registry, year, today) -> None:
    importer = get_kind("fasilitasi")

    def plan_queries(count: int) -> int:
        rows = [["170019", year, 1 + n % 2, ("SNI", "HALAL")[n % 2], NIB if n < 2 else None, f"IKM {n}", 0, None]
                for n in range(count)]  # fmt: skip
        sheet = read_sheet(workbook(tmp_path / f"q{count}.xlsx", rows), columns=HEADER, max_rows=10_000)
        with CaptureQueriesContext(connection) as queries:
            plan = importer.plan(sheet, officer, today)
        assert plan.ok, plan.errors
        return len(queries)

    run(workbook(tmp_path / "stored.xlsx", many_rows(year, 30)), officer)  # stored records to compare with
    small, large = plan_queries(10), plan_queries(200)
    # satkers, years, reports, registry NIBs, stored records: one query each (no regency column).
    assert small == large == 5, (small, large)
