"""Importing `pagu`: admins only; each changed satker-year becomes one DIPA revision named after
the upload; the same file again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from budgets.models import BudgetLine, BudgetRevision
from imports.importer import import_file
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "tahun", "kode_komponen", "kode_akun", "pagu", "blokir"]


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def test_admin_imports_pagu_as_one_revision_and_reimport_changes_nothing(tmp_path, admin_user, dipa) -> None:
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "pagu.xlsx", [
        ["170019", year, "051", "521211", "120.000.000", "0"],  # changed (was 100 / 10)
        ["170019", year, "051", "524111", 50_000_000, 0],  # unchanged
        ["170019", year, "051", "532111", "40.000.000", "5.000.000"],  # changed
    ])  # fmt: skip
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="unggahan pagu.xlsx")
    assert result.imported and result.plan.counts == {"new": 0, "changed": 2, "unchanged": 1}
    revision = BudgetRevision.objects.get(satker__code="170019")
    assert revision.reason == "unggahan pagu.xlsx" and revision.lines.count() == 2
    assert BudgetLine.objects.get(pk=dipa.ovop.pk).pagu_efektif == 120_000_000
    again = import_file(path, "pagu", user=admin_user, dry_run=False, reason="lagi")
    assert again.plan.counts == {"new": 0, "changed": 0, "unchanged": 3}
    assert BudgetRevision.objects.count() == 1


def test_officers_cannot_import_pagu(tmp_path, officer, dipa) -> None:
    path = workbook(tmp_path / "p.xlsx", [["170019", dipa.fiscal_year.year, "051", "521211", 1, 0]])
    result = import_file(path, "pagu", user=officer, dry_run=False, reason="x")
    assert "Hanya admin" in result.plan.errors[0].message
    assert BudgetLine.objects.get(pk=dipa.ovop.pk).pagu == 100_000_000


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["170019", "{year}", "999", "521211", 1, 0], "kode_komponen"),
        (["170019", "{year}", "051", "521211", 1, 5], "blokir"),
        (["17001", "{year}", "051", "521211", 1, 0], "kode_satker"),
        (["170019", "{year}", "051", "521211", -1, 0], "pagu"),
    ],
)
def test_bad_rows_reject_the_file(tmp_path, admin_user, dipa, row, column) -> None:
    row = [dipa.fiscal_year.year if value == "{year}" else value for value in row]
    result = import_file(workbook(tmp_path / "b.xlsx", [row]), "pagu", user=admin_user, dry_run=False, reason="x")
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, column)]
    assert not BudgetRevision.objects.exists()


def test_a_file_made_from_the_template_imports(tmp_path, admin_user, dipa) -> None:
    """The admin's pagu template for a satker lists its DIPA lines as stored: sent back untouched
    it changes nothing; with one pagu edited it is one revision of that line."""
    response = client_for(admin_user).get(reverse("imports:template", args=["pagu"]), {"satker": "170019"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    assert [cell.value for cell in sheet[1]] == HEADER
    untouched = tmp_path / "template.xlsx"
    book.save(untouched)
    result = import_file(untouched, "pagu", user=admin_user, dry_run=False, reason="templat")
    assert result.imported and result.plan.counts == {"new": 0, "changed": 0, "unchanged": 3}
    sheet["E2"] = "125.000.000"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    result = import_file(edited, "pagu", user=admin_user, dry_run=False, reason="templat diubah")
    assert result.plan.counts == {"new": 0, "changed": 1, "unchanged": 2}
    assert BudgetLine.objects.get(satker__code="170019", account__code=sheet["D2"].value).pagu == 125_000_000
    assert BudgetRevision.objects.get().reason == "templat diubah"
