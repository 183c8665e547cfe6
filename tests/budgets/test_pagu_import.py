"""Importing `pagu`: admins only; each changed satker-year becomes one DIPA revision named after
the upload; the same file again changes nothing. The optional `kode_ro` column names a line's RO;
files without it keep each line's RO (a new line takes its component's)."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from budgets.models import Account, Activity, BudgetComponent, BudgetLine, BudgetRevision, Output, OutputClass
from imports.importer import import_file
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
OLD_HEADER = ["kode_satker", "tahun", "kode_komponen", "kode_akun", "pagu", "blokir"]
HEADER = [*OLD_HEADER, "kode_ro"]


def workbook(path: Path, rows: list[list[object]], header: list[str] = OLD_HEADER) -> Path:
    return write_workbook(path, header, rows)


@pytest.fixture
def outputs(db) -> SimpleNamespace:
    """Two ROs of kegiatan 6503; the dipa's lines (component 051) have none until a test gives them one."""
    activity = Activity.objects.create(code="6503", name="Pengembangan IKMA", name_en="IKMA development")

    def output(kro: str, code: str, name: str) -> Output:
        output_class, _created = OutputClass.objects.get_or_create(activity=activity, code=kro, name=kro)
        return Output.objects.create(output_class=output_class, code=code, name=name, name_en=name, unit="IKM")

    return SimpleNamespace(ovop=output("QDC", "001", "Sentra OVOP"), wub=output("RBS", "001", "WUB"))


def test_admin_imports_pagu_as_one_revision_and_reimport_changes_nothing(tmp_path, admin_user, dipa) -> None:
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "pagu.xlsx", [
        ["170019", year, "051", "521211", "120.000.000", "0"],  # changed (was 100 / 10)
        ["170019", year, "051", "524111", 50_000_000, 0],  # unchanged
        ["170019", year, "051", "532111", "40.000.000", "5.000.000"],  # changed
    ])  # fmt: skip
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="unggahan pagu.xlsx")
    assert result.imported and result.plan.counts == {"new": 0, "changed": 2, "unchanged": 1}
    # The preview's old -> new names each changed cell and nothing else (the RO is not in this file).
    assert [row.changes for row in result.plan.rows] == [
        [["pagu", "100.000.000", "120.000.000"], ["blokir", "10.000.000", "0"]],
        [],
        [["pagu", "30.000.000", "40.000.000"], ["blokir", "0", "5.000.000"]],
    ]
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
    assert [row[6].value for row in sheet.iter_rows(min_row=2, max_row=4)] == [None, None, None]  # lines without RO
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


def test_a_file_without_kode_ro_keeps_each_lines_ro_and_gives_a_new_line_its_components(
    tmp_path, admin_user, dipa, outputs
) -> None:
    BudgetLine.objects.filter(pk=dipa.ovop.pk).update(output=outputs.wub)
    BudgetComponent.objects.filter(code="051").update(output=outputs.ovop)
    Account.objects.create(code="521213", name="Belanja Honor", spending_type=dipa.goods)
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "old.xlsx", [
        ["170019", year, "051", "521211", 100_000_000, 10_000_000],  # unchanged: keeps RBS.001
        ["170019", year, "051", "521213", 20_000_000, 0],  # new: the component's QDC.001
    ])  # fmt: skip
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="berkas lama")
    assert result.imported and result.plan.counts == {"new": 1, "changed": 0, "unchanged": 1}
    assert BudgetLine.objects.get(pk=dipa.ovop.pk).output == outputs.wub
    assert BudgetLine.objects.get(satker__code="170019", account__code="521213").output == outputs.ovop


def test_kode_ro_sets_the_line_ro_and_a_change_of_ro_alone_is_a_change(tmp_path, admin_user, dipa, outputs) -> None:
    BudgetLine.objects.filter(satker__code="170019").update(output=outputs.ovop)
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "ro.xlsx", [
        ["170019", year, "051", "521211", 100_000_000, 10_000_000, "6503.rbs.001"],  # only the RO changes
        ["170019", year, "051", "524111", 50_000_000, 0, "6503.QDC.001"],  # unchanged
        ["170019", year, "051", "532111", 30_000_000, 0, None],  # empty cell: keeps its RO
    ], header=HEADER)  # fmt: skip
    preview = import_file(path, "pagu", user=admin_user, dry_run=True, reason="ro")
    assert preview.plan.counts == {"new": 0, "changed": 1, "unchanged": 2}
    assert [row.key for row in preview.plan.rows if row.action == "changed"] == [
        (dipa.ovop.satker_id, dipa.fiscal_year.pk, dipa.ovop.component_id, dipa.ovop.account_id)
    ]
    assert [row.changes for row in preview.plan.rows] == [[["kode_ro", "6503.QDC.001", "6503.RBS.001"]], [], []]
    assert BudgetLine.objects.get(pk=dipa.ovop.pk).output == outputs.ovop  # a preview writes nothing
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="ro")
    assert result.imported
    assert BudgetLine.objects.get(pk=dipa.ovop.pk).output == outputs.wub
    assert BudgetLine.objects.get(pk=dipa.machine.pk).output == outputs.ovop
    revision = BudgetRevision.objects.get()
    assert [(line.line_id, line.pagu_before, line.pagu_after) for line in revision.lines.all()] == [
        (dipa.ovop.pk, 100_000_000, 100_000_000)
    ]
    assert import_file(path, "pagu", user=admin_user, dry_run=False, reason="lagi").plan.counts["changed"] == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [("6503.XYZ.009", "RO 6503.XYZ.009 tidak dikenal"), ("6503-RBS-001", "Kode RO harus berformat kegiatan.KRO.RO")],
)
def test_an_unknown_or_malformed_ro_is_a_row_error(tmp_path, admin_user, dipa, outputs, code, message) -> None:
    path = workbook(tmp_path / "bad.xlsx", [["170019", dipa.fiscal_year.year, "051", "521211", 1, 0, code]],
                    header=HEADER)  # fmt: skip
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="x")
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, "kode_ro")]
    assert message in result.plan.errors[0].message
    assert not BudgetRevision.objects.exists()


def test_a_new_line_of_a_component_without_ro_needs_kode_ro(tmp_path, admin_user, dipa, outputs) -> None:
    Account.objects.create(code="521213", name="Belanja Honor", spending_type=dipa.goods)
    year = dipa.fiscal_year.year
    path = workbook(tmp_path / "new.xlsx", [["170019", year, "051", "521213", 5_000_000, 0]])
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="x")
    assert [(e.row, e.column) for e in result.plan.errors] == [(2, "kode_ro")]
    assert "Komponen 051 belum memiliki RO" in result.plan.errors[0].message
    named = workbook(tmp_path / "named.xlsx", [["170019", year, "051", "521213", 5_000_000, 0, "6503.QDC.001"]],
                     header=HEADER)  # fmt: skip
    assert import_file(named, "pagu", user=admin_user, dry_run=False, reason="x").imported
    assert BudgetLine.objects.get(satker__code="170019", account__code="521213").output == outputs.ovop


def test_the_template_names_each_lines_ro(admin_user, dipa, outputs) -> None:
    BudgetLine.objects.filter(pk=dipa.ovop.pk).update(output=outputs.wub)
    response = client_for(admin_user).get(reverse("imports:template", args=["pagu"]), {"satker": "170019"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["data"]
    by_account = {row[3].value: row[6].value for row in sheet.iter_rows(min_row=2, max_row=4)}
    assert by_account == {"521211": "6503.RBS.001", "524111": None, "532111": None}


def test_the_pagu_pages_show_each_lines_ro(admin_user, dipa, outputs) -> None:
    BudgetLine.objects.filter(pk=dipa.ovop.pk).update(output=outputs.wub)
    client = client_for(admin_user)
    year = dipa.fiscal_year.year
    for name in ("budgets:pagu", "budgets:pagu-revise"):
        response = client.get(reverse(name, args=["170019", year]))
        assert response.status_code == 200
        assert "6503.RBS.001" in response.content.decode()
