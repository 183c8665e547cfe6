"""Importing `capaian_ro` workbooks: a valid file imports through the service, the same file again
changes nothing, every rule refuses its row and a refused file writes nothing; the template comes
with the satker's ROs."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import MonthlyReport, OutputAchievement
from budgets.services import report_submit
from imports.catalog import KINDS
from imports.importer import import_file
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook
from tests.ro_world import dipa_ros
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "bulan", "kode_ro", "volume", "progres_fisik", "keterangan"]
D = Decimal


@pytest.fixture
def ros(dipa):
    return dipa_ros(dipa)


def run(tmp_path: Path, user, rows: list[list[object]], name: str = "ro.xlsx"):
    path = write_workbook(tmp_path / name, HEADER, rows)
    return import_file(path, "capaian_ro", user=user, dry_run=False, reason=f"test {name}")


def stored() -> dict[tuple[int, str], tuple[Decimal, Decimal, str]]:
    return {(row.report.month, row.output.code): (row.volume, row.physical_progress, row.note)
            for row in OutputAchievement.objects.select_related("report", "output")}  # fmt: skip


def test_the_kind_is_registered() -> None:
    assert KINDS["capaian_ro"] == "budgets.import_ro.OutputAchievementImport"


def test_valid_file_imports_and_the_same_file_again_changes_nothing(tmp_path, officer, dipa, ros) -> None:
    year = dipa.fiscal_year.year
    rows = [
        ["170019", year, 1, "6503.RBS.001", "2,5", 30, "pelatihan"],
        [170019, year, 1, "6503.rbs.002", 0, "0", None],
    ]
    result = run(tmp_path, officer, rows)
    assert result.imported, [str(e) for e in result.plan.errors]
    assert result.plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert stored() == {(1, "001"): (D("2.5"), D(30), "pelatihan"), (1, "002"): (D(0), D(0), "")}
    assert {h.history_change_reason for h in OutputAchievement.history.all()} == {"test ro.xlsx"}
    assert {h.history_user for h in OutputAchievement.history.all()} == {officer}
    history = OutputAchievement.history.count()
    version = MonthlyReport.objects.get().version
    again = run(tmp_path, officer, rows)
    assert again.imported and again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert OutputAchievement.history.count() == history and MonthlyReport.objects.get().version == version
    changed = run(tmp_path, officer, [["170019", year, 1, "6503.RBS.001", "3,75", 30, "pelatihan"]], "ro2.xlsx")
    assert changed.plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    # The preview's old -> new: the volume only, with a decimal comma as the report page writes it.
    assert changed.plan.rows[0].changes == [["volume", "2,5", "3,75"]]
    assert stored()[(1, "001")] == (D("3.75"), D(30), "pelatihan")
    # The month is complete: it may be submitted.
    assert report_submit(report=MonthlyReport.objects.get(), by=officer).status == MonthlyReport.Status.SUBMITTED


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", None, 1, "6503.RBS.001", "-1", 10, None], "volume", "negatif"),
        (["170019", None, 1, "6503.RBS.001", 1, 101, None], "progres_fisik", "antara 0 dan 100"),
        (["170019", None, 1, "6503.RBS.001", 1, -1, None], "progres_fisik", "antara 0 dan 100"),
        (["170019", None, 1, "6503.RBS.009", 1, 10, None], "kode_ro", "tidak ada di DIPA"),
        (["170019", None, 1, "6503-RBS-001", 1, 10, None], "kode_ro", "kegiatan.KRO.RO"),
        (["170019", None, 1, "6503.RBS.001", "banyak", 10, None], "volume", "angka"),
        (["170019", None, 1, "6503.RBS.001", 1, None, None], "progres_fisik", "Wajib"),
        (["110001", None, 1, "6503.RBS.001", 1, 10, None], "kode_satker", "di luar cakupan"),
        (["170019", None, 12, "6503.RBS.001", 1, 10, None], "bulan", None),
    ],
)
def test_refused_rows(tmp_path, officer, dipa, ros, today, row, column, message) -> None:
    row[1] = dipa.fiscal_year.year
    if row[2] == 12 and today.month == 12:
        ro_rows_filled(MonthlyReport.objects.create(satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, month=12,
                                                    due_date=today, status=MonthlyReport.Status.SUBMITTED))  # fmt: skip
        message = "terkunci"
    elif row[2] == 12:
        message = "belum berjalan"
    good = ["170019", dipa.fiscal_year.year, 1, "6503.RBS.002", 1, 10, None]
    result = run(tmp_path, officer, [good, row])
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == [(3, column)]
    assert message in result.plan.errors[0].message
    assert not OutputAchievement.objects.filter(volume__gt=0).exists()


def test_a_submitted_month_is_refused(tmp_path, officer, satker, dipa, ros) -> None:
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, due_date="2026-02-06")
    ro_rows_filled(report)
    report_submit(report=report, by=officer)
    result = run(tmp_path, officer, [["170019", dipa.fiscal_year.year, 1, "6503.RBS.001", 5, 10, None]])
    assert not result.imported and result.plan.errors[0].column == "bulan"
    assert "terkunci" in result.plan.errors[0].message
    assert OutputAchievement.objects.get(output=ros["wub"]).volume == D(0)


def test_empty_template_lines_are_skipped_and_duplicates_refused(tmp_path, officer, dipa, ros) -> None:
    year = dipa.fiscal_year.year
    result = run(tmp_path, officer, [["170019", year, 1, "6503.RBS.001", None, None, None]])
    assert result.imported and result.plan.skipped == 1 and not OutputAchievement.objects.exists()
    twice = [["170019", year, 1, "6503.RBS.001", 1, 1, None], ["170019", year, 1, "6503.RBS.001", 2, 1, None]]
    result = run(tmp_path, officer, twice, "twice.xlsx")
    assert [(e.row, e.column) for e in result.plan.errors] == [(3, "kode_ro")]
    assert not OutputAchievement.objects.exists()


def test_the_template_is_prefilled_with_the_satkers_ros(officer, dipa, ros, today) -> None:
    response = client_for(officer).get(reverse("imports:template", args=["capaian_ro"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [(row[0], row[2], row[3]) for row in rows[1:] if row[0]] == [
        ("170019", today.month, f"6503.RBS.{code}") for code in ("001", "002", "003")
    ]
