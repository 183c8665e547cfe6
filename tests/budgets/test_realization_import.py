"""Importing `realisasi` workbooks: a valid file imports, the same file again changes nothing,
one bad row among thousands rejects the file with exactly that row, every rule refuses; the
upload page shows old -> new of a changed amount."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from budgets.models import MonthlyReport, Realization
from budgets.services import realization_set, report_submit
from imports.importer import import_file
from imports.models import Upload
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def run(path: Path, user, dry_run: bool = False):
    return import_file(path, "realisasi", user=user, dry_run=dry_run, reason=f"test {path.name}")


def stored() -> dict[tuple[str, int, str], int]:
    return {(r.report.satker.code, r.report.month, r.line.account.code): r.amount
            for r in Realization.objects.select_related("report__satker", "line__account")}  # fmt: skip


def test_valid_file_imports_and_the_same_file_again_changes_nothing(tmp_path, officer, dipa) -> None:
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "r.xlsx", [["170019", year, 1, "051", "521211", "1.250.000"],
                                          [170019, year, 1, 51, 524111, 300000]])  # fmt: skip
    result = run(path, officer)
    assert result.imported and result.plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert stored() == {("170019", 1, "521211"): 1_250_000, ("170019", 1, "524111"): 300_000}
    history = Realization.history.count()
    assert {h.history_change_reason for h in Realization.history.all()} == {"test r.xlsx"}
    again = run(path, officer)
    assert again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert Realization.history.count() == history
    changed = workbook(tmp_path / "r2.xlsx", [["170019", year, 1, "051", "521211", "2.000.000"],
                                              [170019, year, 1, 51, 524111, 300000]])  # fmt: skip
    result = run(changed, officer)
    assert result.plan.counts == {"new": 0, "changed": 1, "unchanged": 1}
    # The preview's old -> new: the changed amount only, formatted as the pages write amounts.
    assert [row.changes for row in result.plan.rows] == [[["realisasi", "1.250.000", "2.000.000"]], []]
    assert stored()[("170019", 1, "521211")] == 2_000_000


def test_one_bad_row_among_thousands_is_reported_alone_and_nothing_is_written(tmp_path, officer, dipa) -> None:
    year = dipa.fiscal_year.year
    rows = [["170019", year, 1, "051", "521211", "1"], ["170019", year, 1, "051", "524111", "1"]]
    rows += [[None] * 6] * 3000  # empty rows are skipped
    rows.append(["170019", year, 1, "051", "532111", "-5"])
    result = run(workbook(tmp_path / "big.xlsx", rows), officer)
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == [(3004, "realisasi")]
    assert "negatif" in result.plan.errors[0].message
    assert not Realization.objects.exists() and not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", "{year}", 13, "051", "521211", 1], "bulan", "di antara 1 dan 12"),
        (["170019", "{year}", 1, "051", "999999", 1], "kode_akun", "tidak ada di DIPA"),
        (["170019", "{year}", 1, "051", "521211", "satu juta"], "realisasi", "bukan jumlah rupiah"),
        (["110019", "{year}", 1, "051", "521211", 1], "kode_satker", "di luar cakupan"),
        (["999999", "{year}", 1, "051", "521211", 1], "kode_satker", "di luar cakupan"),
        (["170019", "{year}", 1, "051", "521211", "95.000.000"], "realisasi", "melebihi pagu efektif"),
        (["170019", 2099, 1, "051", "521211", 1], "tahun", "tidak ada"),
    ],
    ids=["month-13", "unknown-account", "text-amount", "other-province", "unknown-satker", "over-pagu", "no-year"],
)
def test_rules_refuse_the_file(tmp_path, officer, other_satker, dipa, row, column, message) -> None:
    row = [dipa.fiscal_year.year if value == "{year}" else value for value in row]
    result = run(workbook(tmp_path / "bad.xlsx", [row]), officer)
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, column)]
    assert message in result.plan.errors[0].message
    assert not Realization.objects.exists()


def test_duplicate_rows_inside_the_file(tmp_path, officer, dipa) -> None:
    year = dipa.fiscal_year.year
    rows = [["170019", year, 1, "051", "521211", 1], ["170019", year, 1, "051", "521211", 2]]
    result = run(workbook(tmp_path / "dup.xlsx", rows), officer)
    assert [(e.row, e.message) for e in result.plan.errors] == [(3, "Baris ganda: sama dengan baris 2.")]


def test_locked_month_is_refused(tmp_path, officer, satker, dipa) -> None:
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 5},
                             expected_version=0, by=officer)  # fmt: skip
    report_submit(report=report, by=officer)
    result = run(workbook(tmp_path / "l.xlsx", [["170019", dipa.fiscal_year.year, 1, "051", "521211", 9]]), officer)
    assert "terkunci" in result.plan.errors[0].message
    assert Realization.objects.get().amount == 5


def test_dry_run_writes_nothing(tmp_path, officer, dipa) -> None:
    path = workbook(tmp_path / "d.xlsx", [["170019", dipa.fiscal_year.year, 1, "051", "521211", 1]])
    result = run(path, officer, dry_run=True)
    assert result.plan.ok and not result.imported
    assert not Realization.objects.exists()


def test_command_exit_codes_and_printed_errors(tmp_path, admin_user, dipa) -> None:
    year = dipa.fiscal_year.year
    good = workbook(tmp_path / "g.xlsx", [["170019", year, 1, "051", "521211", 1]])
    out = io.StringIO()
    call_command("import_xlsx", "realisasi", str(good), user=admin_user.username, stdout=out)
    assert "Diimpor: 1 baru" in out.getvalue()
    bad = workbook(tmp_path / "b.xlsx", [["170019", year, 13, "051", "521211", 1]])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_xlsx", "realisasi", str(bad), user=admin_user.username, stderr=err)
    assert exit_code.value.code == 1
    assert "baris 2, kolom bulan" in err.getvalue()
    renamed = tmp_path / "csv.xlsx"
    renamed.write_text("kode_satker,tahun\n170019,2026\n")
    with pytest.raises(SystemExit):
        call_command("import_xlsx", "realisasi", str(renamed), user=admin_user.username, stderr=io.StringIO())
    assert Realization.objects.count() == 1


def test_the_upload_page_strikes_the_old_amount_of_the_changed_cell_only(tmp_path, officer, dipa) -> None:
    """Through the upload flow (worker, stored preview, page) as the officer sees it."""
    year = dipa.fiscal_year.year
    run(workbook(tmp_path / "a.xlsx", [["170019", year, 1, "051", "521211", 1_250_000],
                                       ["170019", year, 1, "051", "524111", 300_000]]), officer)  # fmt: skip
    path = workbook(tmp_path / "b.xlsx", [["170019", year, 1, "051", "521211", 2_000_000],
                                          ["170019", year, 1, "051", "524111", 300_000]])  # fmt: skip
    client = client_for(officer)
    response = client.post(reverse("imports:upload", args=["realisasi"]),
                           {"file": SimpleUploadedFile(path.name, path.read_bytes())})  # fmt: skip
    assert response.status_code == 302
    upload = Upload.objects.latest("pk")
    assert upload.status == Upload.Status.READY and upload.counts == {"new": 0, "changed": 1, "unchanged": 1}
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "<code>realisasi</code>: <del" in page and ">1.250.000</del>" in page and ">2.000.000</ins>" in page
    assert page.count("<del") == 1
    assert stored()[("170019", 1, "521211")] == 1_250_000  # nothing written before the confirmation
