"""Importing `wub` workbooks: a valid file imports into the month's report with history, the
same file again writes nothing, a changed row updates, the template round-trips, and every rule
of the form refuses the file on the right row and column with nothing written."""

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
from programs.models import Enterprise, NewEntrepreneur, ReportOutput, SizeClass
from programs.records import output_summary
from programs.records.services import new_entrepreneur_create
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "bulan", "nama", "kode_kabkota", "jenis_usaha", "nib"]
NIB = "0220551017193"


@pytest.fixture
def fiscal_year(today) -> FiscalYear:
    return FiscalYear.objects.get_or_create(year=today.year)[0]


@pytest.fixture
def regency(province) -> Regency:
    return Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")


@pytest.fixture
def other_regency(other_province) -> Regency:
    return Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota")


@pytest.fixture
def enterprise(province, regency, fiscal_year):
    return Enterprise.objects.create(
        nib=NIB, name="CV Keripik Rahmat", name_normalized="keripik rahmat", regency=regency, province=province,
        kbli="10792", data_year=fiscal_year.year, size_class=SizeClass.SMALL,
    )  # fmt: skip


@pytest.fixture
def year(fiscal_year) -> int:
    return fiscal_year.year


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def run(path: Path, user, dry_run: bool = False):
    return import_file(path, "wub", user=user, dry_run=dry_run, reason=f"test {path.name}")


def stored() -> dict[tuple[int, str], tuple]:
    return {
        (r.month, r.name): (r.regency.kemendagri_code, r.business_type, r.nib, r.enterprise_id)
        for r in NewEntrepreneur.objects.select_related("regency")
    }


def where(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.plan.errors]


def nothing_written() -> None:
    assert not NewEntrepreneur.objects.exists()
    assert not MonthlyReport.objects.exists()


def test_valid_file_imports_and_the_same_file_again_changes_nothing(
    tmp_path, officer, satker, regency, enterprise, year, today
) -> None:
    path = workbook(tmp_path / "w.xlsx", [
        ["170019", year, 1, "Rahmat  Hidayat", "17.71", "Keripik pisang", 220551017193],  # NIB lost its 0
        [170019, year, today.month, "Siti Aminah", 1771, "Tenun", None],
    ])  # fmt: skip
    result = run(path, officer)
    assert result.imported and result.plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert stored() == {
        (1, "Rahmat Hidayat"): ("17.71", "Keripik pisang", NIB, enterprise.pk),
        (today.month, "Siti Aminah"): ("17.71", "Tenun", None, None),
    }
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert NewEntrepreneur.objects.get(month=1).report == report and report.status == MonthlyReport.Status.DRAFT
    assert {(h.history_change_reason, h.history_user) for h in NewEntrepreneur.history.all()} == {
        ("test w.xlsx", officer)
    }
    assert report.history.first().history_change_reason == "test w.xlsx"
    # The bulk write kept the outputs report's summary current (touch_report).
    assert dict(ReportOutput.objects.filter(report=report).values_list("indicator", "amount")) == {
        "wub": 1, "wub_legal": 1,
    }  # fmt: skip
    history, version = NewEntrepreneur.history.count(), report.version

    again = run(path, officer)
    assert again.imported and again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert NewEntrepreneur.history.count() == history
    report.refresh_from_db()
    assert report.version == version

    changed = workbook(tmp_path / "w2.xlsx", [["170019", year, 1, "RAHMAT HIDAYAT", "17.71", "Keripik talas", NIB]])
    assert run(changed, officer).plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert stored()[(1, "RAHMAT HIDAYAT")] == ("17.71", "Keripik talas", NIB, enterprise.pk)
    assert NewEntrepreneur.objects.count() == 2
    assert NewEntrepreneur.history.first().history_change_reason == "test w2.xlsx"
    assert output_summary.differences() == []
    report.refresh_from_db()
    assert report.version == version + 1


def test_a_cleared_nib_clears_the_legality_date_a_kept_one_keeps_it(tmp_path, officer, satker, regency, year) -> None:
    row = ["170019", year, 1, "Rahmat Hidayat", "17.71", "Keripik", NIB]
    run(workbook(tmp_path / "a.xlsx", [row]), officer)
    NewEntrepreneur.objects.update(legalized_on=f"{year}-01-05")
    run(workbook(tmp_path / "b.xlsx", [[*row[:5], "Keripik pisang", NIB]]), officer)
    assert str(NewEntrepreneur.objects.get().legalized_on) == f"{year}-01-05"
    run(workbook(tmp_path / "c.xlsx", [[*row[:6], None]]), officer)
    assert NewEntrepreneur.objects.get().legalized_on is None


def test_a_record_entered_in_the_form_is_the_same_record(tmp_path, officer, satker, regency, fiscal_year) -> None:
    new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, month=1, name="Rahmat Hidayat", regency=regency,
                            business_type="Keripik", nib=NIB, by=officer)  # fmt: skip
    row = ["170019", fiscal_year.year, 1, "Rahmat Hidayat", "17.71", "Keripik", NIB]
    assert run(workbook(tmp_path / "same.xlsx", [row]), officer).plan.counts["unchanged"] == 1
    row[5] = "Keripik pisang"
    assert run(workbook(tmp_path / "changed.xlsx", [row]), officer).plan.counts["changed"] == 1
    assert NewEntrepreneur.objects.get().business_type == "Keripik pisang"


def test_records_entered_twice_under_one_key_are_left_to_the_form(
    tmp_path, officer, satker, regency, fiscal_year
) -> None:
    for name in ("Rahmat Hidayat", "RAHMAT HIDAYAT"):
        new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, month=1, name=name, regency=regency,
                                business_type="Keripik", by=officer)  # fmt: skip
    same = ["170019", fiscal_year.year, 1, "rahmat hidayat", "17.71", "Keripik", None]
    result = run(workbook(tmp_path / "twice.xlsx", [same]), officer)
    assert where(result) == [(2, "nama")] and "2 catatan" in result.plan.errors[0].message
    same[3] = "RAHMAT HIDAYAT"  # identical to one of them: nothing to do
    assert run(workbook(tmp_path / "one.xlsx", [same]), officer).plan.counts["unchanged"] == 1


def test_the_command_imports_and_refuses_like_the_upload(tmp_path, officer, regency, year) -> None:
    good = workbook(tmp_path / "g.xlsx", [["170019", year, 1, "Rahmat", "17.71", "Keripik", None]])
    out = io.StringIO()
    call_command("import_xlsx", "wub", str(good), user=officer.username, stdout=out)
    assert "Diimpor: 1 baru, 0 berubah, 0 tetap" in out.getvalue()
    call_command("import_xlsx", "wub", str(good), user=officer.username, stdout=out)
    assert "Diimpor: 0 baru, 0 berubah, 1 tetap" in out.getvalue()
    assert NewEntrepreneur.history.get().history_change_reason == "import_xlsx wub g.xlsx"
    bad = workbook(tmp_path / "b.xlsx", [["170019", year, 1, "Siti", "17.99", "Tenun", None]])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_xlsx", "wub", str(bad), user=officer.username, stderr=err)
    assert exit_code.value.code == 1
    assert "baris 2, kolom kode_kabkota: Kabupaten/kota 17.99 tidak dikenal." in err.getvalue()
    assert NewEntrepreneur.objects.count() == 1


def test_a_file_made_from_the_template_imports(tmp_path, officer, regency, year, today) -> None:
    response = client_for(officer).get(reverse("imports:template", args=["wub"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    assert [cell.value for cell in sheet[1]] == [*HEADER, "tanggal_nib"]
    assert sheet["A2"].value == "170019"  # pre-filled with the officer's satker
    for row, values in enumerate([[year, today.month, "Rahmat", "17.71", "Keripik", "0220551017193"],
                                  [year, today.month, "Siti", "17.71", "Tenun", None]], start=2):  # fmt: skip
        sheet.cell(row=row, column=1, value="170019")
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    book.save(tmp_path / "template-wub.xlsx")
    result = run(tmp_path / "template-wub.xlsx", officer)
    assert result.imported, result.plan.errors
    assert result.plan.counts["new"] == 2
    assert NewEntrepreneur.objects.get(name="Rahmat").nib == "0220551017193"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", "{year}", 1, "Rahmat", "17.99", "Keripik", None], "kode_kabkota", "17.99 tidak dikenal"),
        (["170019", "{year}", 1, "Rahmat", "11.71", "Keripik", None], "kode_kabkota", "tidak berada di provinsi"),
        (["110019", "{year}", 1, "Rahmat", "11.71", "Keripik", None], "kode_satker", "di luar cakupan"),
        (["999999", "{year}", 1, "Rahmat", "17.71", "Keripik", None], "kode_satker", "di luar cakupan"),
        (["170019", "{year}", 1, "Rahmat", "17.71", "Keripik", "02205510171"], "nib", "13 digit"),
        (["170019", "{year}", 1, "Rahmat", "17.71", "Keripik", "022055101719X"], "nib", "13 digit"),
        (["170019", "{year}", 13, "Rahmat", "17.71", "Keripik", None], "bulan", "di antara 1 dan 12"),
        (["170019", "{next}", 1, "Rahmat", "17.71", "Keripik", None], "bulan", "belum berjalan"),
        (["170019", 2099, 1, "Rahmat", "17.71", "Keripik", None], "tahun", "tidak ada"),
        (["170019", "{year}", 1, None, "17.71", "Keripik", None], "nama", "Nama WUB wajib diisi"),
        (["170019", "{year}", 1, "Rahmat", "17.71", None, None], "jenis_usaha", "Jenis usaha wajib diisi"),
        (["170019", "{year}", 1, "Rahmat", "Bengkulu", "Keripik", None], "kode_kabkota", "PP.RR"),
    ],
    ids=["unknown-regency", "regency-other-province", "satker-other-province", "unknown-satker", "short-nib",
         "letter-nib", "month-13", "future-month", "no-year", "no-name", "no-business", "regency-name"],
)  # fmt: skip
def test_rules_refuse_the_file(
    tmp_path, officer, other_satker, regency, other_regency, year, row, column, message
) -> None:
    FiscalYear.objects.create(year=year + 1)  # open, but none of its months has started
    row = [{"{year}": year, "{next}": year + 1}.get(value, value) for value in row]
    result = run(workbook(tmp_path / "bad.xlsx", [row]), officer)
    assert where(result) == [(2, column)], result.plan.errors
    assert message in result.plan.errors[0].message
    nothing_written()


def test_every_problem_of_a_row_is_reported(tmp_path, officer, regency, year) -> None:
    result = run(workbook(tmp_path / "bad.xlsx", [["170019", year, 1, None, "17.99", None, None]]), officer)
    assert where(result) == [(2, "nama"), (2, "kode_kabkota"), (2, "jenis_usaha")]


@pytest.mark.parametrize("lock", ["submitted", "approved"])
def test_a_locked_month_is_refused(tmp_path, officer, satker, regency, fiscal_year, lock) -> None:
    report, _created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=1)
    if lock == "submitted":
        report_submit(report=report, by=officer)
    else:
        MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.APPROVED)
    path = workbook(tmp_path / "l.xlsx", [["170019", fiscal_year.year, 1, "Rahmat", "17.71", "Keripik", None]])
    result = run(path, officer)
    assert where(result) == [(2, "bulan")]
    assert "terkunci" in result.plan.errors[0].message
    assert ("Diajukan" if lock == "submitted" else "Disetujui") in result.plan.errors[0].message
    assert not NewEntrepreneur.objects.exists()


def test_duplicate_rows_inside_the_file_name_the_first(tmp_path, officer, regency, year) -> None:
    rows = [
        ["170019", year, 1, "Rahmat Hidayat", "17.71", "Keripik", None],
        ["170019", year, 1, "Siti", "17.71", "Tenun", None],
        ["170019", year, 1, "rahmat  hidayat.", 1771, "Kopi", None],  # the same person, typed differently
    ]
    result = run(workbook(tmp_path / "dup.xlsx", rows), officer)
    assert [(e.row, e.column, e.message) for e in result.plan.errors] == [
        (4, "nama", "Baris ganda: sama dengan baris 2.")
    ]
    nothing_written()


def test_reviewers_and_viewers_cannot_import(tmp_path, reviewer, viewer, regency, year) -> None:
    path = workbook(tmp_path / "r.xlsx", [["170019", year, 1, "Rahmat", "17.71", "Keripik", None]])
    for user in (reviewer, viewer):
        result = run(path, user)
        assert where(result) == [(0, "")] and not result.imported
    nothing_written()


def test_admin_imports_for_any_province(tmp_path, admin_user, other_satker, other_regency, year) -> None:
    path = workbook(tmp_path / "a.xlsx", [["110019", year, 1, "Teuku Umar", "11.71", "Kopi", None]])
    assert run(path, admin_user).imported
    assert NewEntrepreneur.objects.get().satker == other_satker


def test_dry_run_writes_nothing(tmp_path, officer, regency, year) -> None:
    path = workbook(tmp_path / "d.xlsx", [["170019", year, 1, "Rahmat", "17.71", "Keripik", None]])
    result = run(path, officer, dry_run=True)
    assert result.plan.ok and not result.imported
    nothing_written()


def many_rows(year: int, count: int, month: int = 1) -> list[list[object]]:
    return [["170019", year, month, f"WUB {n:05d}", "17.71", "Keripik", None] for n in range(count)]


def test_one_bad_row_among_two_thousand_is_reported_alone(tmp_path, officer, regency, year) -> None:
    rows = many_rows(year, 2000)
    rows.insert(1234, ["170019", year, 1, "Salah Kabupaten", "17.99", "Keripik", None])
    result = run(workbook(tmp_path / "big.xlsx", rows), officer)
    assert where(result) == [(1236, "kode_kabkota")]
    assert not result.imported
    nothing_written()


def test_two_thousand_rows_import_in_a_few_queries(tmp_path, officer, regency, year) -> None:
    path = workbook(tmp_path / "big.xlsx", many_rows(year, 1000, 1) + many_rows(year, 1000, 2))
    with CaptureQueriesContext(connection) as queries:
        result = run(path, officer)
    assert result.imported and result.plan.counts["new"] == 2000
    assert NewEntrepreneur.history.count() == 2000
    # Per month a handful (report, locks, version) plus bulk inserts of records and history,
    # which SQLite splits by its 999-parameter limit (83 measured): far from a query per row.
    assert len(queries) < 120, len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert run(path, officer).plan.counts["unchanged"] == 2000
    assert len(queries) <= 8, [query["sql"][:60] for query in queries.captured_queries]


def test_plan_query_count_does_not_grow_with_the_rows(tmp_path, officer, regency, enterprise, year, today) -> None:
    Regency.objects.create(kemendagri_code="17.01", province=regency.province, name="Bengkulu Selatan", kind="kab")
    importer = get_kind("wub")

    def plan_queries(count: int) -> int:
        rows = [["170019", year, 1 + n % 2, f"WUB {n}", ("17.71", "17.01")[n % 2], "Keripik", (NIB, None)[n % 2]]
                for n in range(count)]  # fmt: skip
        sheet = read_sheet(workbook(tmp_path / f"q{count}.xlsx", rows), columns=HEADER, max_rows=10_000)
        with CaptureQueriesContext(connection) as queries:
            plan = importer.plan(sheet, officer, today)
        assert plan.ok, plan.errors
        return len(queries)

    run(workbook(tmp_path / "stored.xlsx", many_rows(year, 30)), officer)  # stored records to compare with
    small, large = plan_queries(10), plan_queries(200)
    # satkers, years, reports, regencies and their earlier provinces, registry NIBs, stored records:
    # one query each.
    assert small == large == 7, (small, large)
