"""Importing `rpd` workbooks: one row per (spending type, month) cell of the RPD grid. A file is
saved as the web form saves the grid (rpd_set: one RpdRevision per changed satker-year, the
once-per-window rule, the frozen months, totals equal to the effective pagu); cells the file
leaves out keep their stored values; the same file again changes nothing, even outside a window.

The tests run on June 15 of the running year (the ``today`` fixture below): a change may plan
July-December; January-June have begun."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.import_kinds import rpd_editability_many
from budgets.models import BudgetLine, FiscalYear, RpdPlan, RpdRevision, RpdWindow, SpendingType
from budgets.services import rpd_editability, rpd_set
from budgets.services.common import closed_year_reason
from imports.catalog import get_kind
from imports.importer import import_file
from imports.reader import read_sheet
from tests.conftest import client_for
from tests.factories import SatkerFactory
from tests.imports.bad_files import workbook as write_workbook
from tests.on_day import mid_june

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch) -> date:
    return mid_june(monkeypatch)


HEADER = ["kode_satker", "tahun", "bulan", "jenis_belanja", "rencana"]
GOODS = 140_000_000  # effective pagu of 52 for 170019: 90.000.000 + 50.000.000
CAPITAL = 30_000_000  # 53 for 170019
ACEH_GOODS = 80_000_000  # 52 for 110019


def even(total: int) -> list[int]:
    share = total // 12
    return [share] * 11 + [total - share * 11]


def grid(code: str, year: int, plans: dict[str, list[int]]) -> list[list[object]]:
    return [[code, year, month, type_code, amount]
            for type_code, amounts in plans.items() for month, amount in enumerate(amounts, start=1)]  # fmt: skip


def full_grid(year: int) -> list[list[object]]:
    return grid("170019", year, {"52": even(GOODS), "53": even(CAPITAL)})


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def run(path: Path, user, reason: str | None = None):
    return import_file(path, "rpd", user=user, dry_run=False, reason=reason or f"test {path.name}")


def planned(code: str = "170019") -> dict[tuple[str, int], int]:
    return {(r.spending_type.code, r.month): r.amount
            for r in RpdPlan.objects.filter(satker__code=code).select_related("spending_type")}  # fmt: skip


def errors(result) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.plan.errors]


def open_window(dipa, today, satker=None) -> RpdWindow:
    return RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=(today.month - 1) // 3 + 1,
                                    opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1),
                                    satker=satker)  # fmt: skip


def test_first_plan_imports_as_one_revision_and_the_same_file_again_changes_nothing(tmp_path, officer, dipa) -> None:
    path = workbook(tmp_path / "rpd.xlsx", full_grid(dipa.fiscal_year.year))
    result = run(path, officer)
    assert result.imported and result.plan.counts == {"new": 24, "changed": 0, "unchanged": 0}
    assert planned()[("52", 12)] == GOODS - 11 * (GOODS // 12) and len(planned()) == 24
    revision = RpdRevision.objects.get()
    assert (revision.satker.code, revision.window, revision.saved_by) == ("170019", None, officer)
    assert {(h.history_user, h.history_change_reason) for h in RpdPlan.history.all()} == {(officer, "test rpd.xlsx")}
    history = RpdPlan.history.count()

    # No window is open, yet nothing changes: the same file is accepted and writes nothing.
    again = run(path, officer)
    assert again.imported and again.plan.counts == {"new": 0, "changed": 0, "unchanged": 24}
    assert RpdPlan.history.count() == history and RpdRevision.objects.count() == 1


def test_a_change_inside_a_window_keeps_the_cells_the_file_leaves_out(tmp_path, officer, satker, dipa, today) -> None:
    year = dipa.fiscal_year.year
    run(workbook(tmp_path / "awal.xlsx", full_grid(year)), officer)
    window = open_window(dipa, today)
    share = GOODS // 12
    moved = [["170019", year, 8, "52", share - 1_000_000], ["170019", year, 11, "52", share + 1_000_000]]
    result = run(workbook(tmp_path / "geser.xlsx", moved), officer, reason="geser ke November")
    assert result.imported and result.plan.counts == {"new": 0, "changed": 2, "unchanged": 0}
    # The preview's old -> new of each moved cell (share = 11.666.666).
    assert [row.changes for row in result.plan.rows] == [
        [["rencana", "11.666.666", "10.666.666"]], [["rencana", "11.666.666", "12.666.666"]],
    ]  # fmt: skip
    plan = planned()
    assert (plan[("52", 8)], plan[("52", 11)], plan[("52", 9)]) == (share - 1_000_000, share + 1_000_000, share)
    assert plan[("53", 9)] == CAPITAL // 12  # not in the file: kept
    assert RpdRevision.objects.filter(window=window).count() == 1
    latest = RpdPlan.history.filter(history_type="~")
    assert latest.count() == 2 and {h.history_change_reason for h in latest} == {"geser ke November"}

    # The window is used now: the same file is still "unchanged", a different change is refused.
    assert run(workbook(tmp_path / "geser2.xlsx", moved), officer).plan.counts["unchanged"] == 2
    back = run(workbook(tmp_path / "balik.xlsx", full_grid(year)), officer)
    assert errors(back) == [(9, "rencana")]  # August 52, the file's first change
    assert "RPD satker 170019 tahun" in back.plan.errors[0].message
    assert "sudah diubah satu kali" in back.plan.errors[0].message
    assert planned()[("52", 8)] == share - 1_000_000

    # A window the admin opens for this satker allows one more change.
    open_window(dipa, today, satker=satker)
    assert run(workbook(tmp_path / "balik2.xlsx", full_grid(year)), officer).plan.counts["changed"] == 2
    assert planned()[("52", 8)] == share and RpdRevision.objects.count() == 3


def test_a_change_outside_any_window_is_refused_and_nothing_is_written(tmp_path, officer, dipa, today) -> None:
    year = dipa.fiscal_year.year
    run(workbook(tmp_path / "awal.xlsx", full_grid(year)), officer)
    history = RpdPlan.history.count()
    rows = full_grid(year)
    rows[19][4], rows[20][4] = rows[19][4] - 5, rows[20][4] + 5  # 53: August -> September
    result = run(workbook(tmp_path / "ubah.xlsx", rows), officer)
    assert not result.imported and errors(result) == [(21, "rencana")]
    assert "Di luar jendela perubahan RPD triwulan" in result.plan.errors[0].message
    assert RpdPlan.history.count() == history and RpdRevision.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", "{year}", 13, "52", 1], "bulan", "di antara 1 dan 12"),
        (["170019", "{year}", 1, "52", -5], "rencana", "tidak boleh negatif"),
        (["170019", "{year}", 1, "52", "-5.000"], "rencana", "tidak boleh negatif"),
        (["170019", "{year}", 1, "52", "dua juta"], "rencana", "bukan jumlah rupiah"),
        (["170019", "{year}", 1, "52", 1.5], "rencana", "rupiah bulat"),
        (["170019", "dua ribu", 1, "52", 1], "tahun", "bukan bilangan bulat"),
        (["170019", "{year}", 1, "59", 1], "jenis_belanja", "Jenis belanja 59 tidak dikenal"),
        (["170019", "{year}", 1, "5", 1], "jenis_belanja", "2 digit"),
        (["170019", "{year}", 1, "51", 1], "jenis_belanja", "tidak ada di DIPA satker 170019"),
        (["110019", "{year}", 1, "52", 1], "kode_satker", "di luar cakupan"),
        (["999999", "{year}", 1, "52", 1], "kode_satker", "di luar cakupan"),
        (["170019", 2099, 1, "52", 1], "tahun", "tidak ada"),
        ([None, "{year}", 1, "52", 1], "kode_satker", "Wajib diisi"),
    ],
    ids=[
        "month-13",
        "negative",
        "negative-text",
        "text-amount",
        "sen",
        "text-year",
        "unknown-type",
        "short-type",
        "type-without-pagu",
        "other-province",
        "unknown-satker",
        "no-year",
        "no-satker",
    ],
)
def test_rules_refuse_the_file(tmp_path, officer, other_satker, dipa, row, column, message) -> None:
    SpendingType.objects.create(code="51", name="Belanja Pegawai", name_en="Personnel")
    row = [dipa.fiscal_year.year if value == "{year}" else value for value in row]
    # The rest of the grid is valid, so the bad cell is the only error. A bad row that may be
    # January 52 of 170019 stands in for it; any other is added to the complete grid.
    rows = full_grid(dipa.fiscal_year.year)
    if row[0] in ("170019", None) and row[1] != 2099:
        rows = [r for r in rows if r[2:4] != [1, "52"]]
    rows.append(row)
    result = run(workbook(tmp_path / "bad.xlsx", rows), officer)
    assert errors(result) == [(len(rows) + 1, column)]
    assert message in result.plan.errors[0].message
    assert not RpdPlan.objects.exists() and not RpdRevision.objects.exists()


def test_closed_year_is_refused(tmp_path, officer, dipa, today) -> None:
    FiscalYear.objects.filter(pk=dipa.fiscal_year.pk).update(is_closed=True)
    result = run(workbook(tmp_path / "c.xlsx", full_grid(dipa.fiscal_year.year)), officer)
    assert errors(result)[0] == (2, "tahun") and len(result.plan.errors) == 24
    # The web form's words: one reason for a closed year, wherever it is asked.
    closed = FiscalYear.objects.get(pk=dipa.fiscal_year.pk)
    form_reason = rpd_editability(satker=dipa.ovop.satker, fiscal_year=closed, today=today).reason
    assert result.plan.errors[0].message == closed_year_reason(closed) == form_reason
    assert not RpdPlan.objects.exists()


def test_totals_must_equal_the_effective_pagu(tmp_path, officer, dipa) -> None:
    year = dipa.fiscal_year.year
    goods = even(GOODS)
    goods[0] += 1_000_000
    rows = grid("170019", year, {"52": goods, "53": even(CAPITAL)})
    result = run(workbook(tmp_path / "lebih.xlsx", rows), officer)
    assert errors(result) == [(13, "rencana")]  # the last row of 52
    assert result.plan.errors[0].message == (
        "Jumlah RPD 52 Belanja Barang Rp141.000.000 harus sama dengan pagu efektifnya Rp140.000.000 "
        "(selisih Rp1.000.000)."
    )
    # A first plan that leaves out a spending type of the DIPA: that type adds up to 0.
    only_goods = run(workbook(tmp_path / "separuh.xlsx", grid("170019", year, {"52": even(GOODS)})), officer)
    assert errors(only_goods) == [(13, "jenis_belanja")]
    assert "Jumlah RPD 53 Belanja Modal Rp0" in only_goods.plan.errors[0].message
    assert not RpdPlan.objects.exists() and not RpdRevision.objects.exists()


def test_blokir_counts_and_a_type_fully_blocked_plans_zero(tmp_path, officer, dipa) -> None:
    BudgetLine.objects.filter(pk=dipa.machine.pk).update(blokir=30_000_000)
    year = dipa.fiscal_year.year
    zeros = grid("170019", year, {"52": even(GOODS), "53": [0] * 12})
    result = run(workbook(tmp_path / "blokir.xlsx", zeros), officer)
    assert result.imported and result.plan.counts == {"new": 12, "changed": 0, "unchanged": 12}
    assert len(planned()) == 12


def test_duplicate_cells_name_the_first_row(tmp_path, officer, dipa) -> None:
    rows = full_grid(dipa.fiscal_year.year)
    rows.append(list(rows[3]))
    result = run(workbook(tmp_path / "dup.xlsx", rows), officer)
    assert [(e.row, e.column, e.message) for e in result.plan.errors] == [
        (26, "bulan", "Baris ganda: sama dengan baris 5.")
    ]
    assert not RpdPlan.objects.exists()


def test_satker_year_without_dipa_is_refused(tmp_path, admin_user, province, dipa) -> None:
    SatkerFactory(province=province, code="170020")
    result = run(workbook(tmp_path / "n.xlsx", grid("170020", dipa.fiscal_year.year, {"52": [0] * 12})), admin_user)
    assert errors(result)[0] == (2, "kode_satker")
    assert "Belum ada pagu untuk satker 170020" in result.plan.errors[0].message


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_readers_are_refused_before_any_row(tmp_path, request, persona, dipa) -> None:
    result = run(workbook(tmp_path / "r.xlsx", full_grid(dipa.fiscal_year.year)), request.getfixturevalue(persona))
    assert errors(result) == [(0, "")]
    assert "hanya membaca" in result.plan.errors[0].message
    assert not RpdPlan.objects.exists()


def test_admin_writes_only_the_satker_years_that_change(tmp_path, officer, admin_user, dipa) -> None:
    year = dipa.fiscal_year.year
    run(workbook(tmp_path / "awal.xlsx", full_grid(year)), officer)
    rows = full_grid(year) + grid("110019", year, {"52": even(ACEH_GOODS)})
    result = run(workbook(tmp_path / "semua.xlsx", rows), admin_user, reason="impor admin")
    assert result.plan.counts == {"new": 12, "changed": 0, "unchanged": 24}
    assert RpdRevision.objects.filter(satker__code="170019").count() == 1
    aceh = RpdRevision.objects.get(satker__code="110019")
    assert aceh.saved_by == admin_user
    assert set(RpdPlan.history.filter(satker__code="110019").values_list("history_change_reason", flat=True)) == {
        "impor admin"
    }


def test_template_round_trip(tmp_path, officer, dipa) -> None:
    client = client_for(officer)

    def download() -> openpyxl.Workbook:
        response = client.get(reverse("imports:template", args=["rpd"]))
        assert response.status_code == 200
        return openpyxl.load_workbook(io.BytesIO(response.content))

    book = download()
    sheet = book["data"]
    prefilled = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2) if row[0].value]
    year = dipa.fiscal_year.year
    # Twelve months of each spending type of the officer's DIPA, at 0 until a plan exists.
    assert prefilled == [["170019", year, month, code, 0] for code in ("52", "53") for month in range(1, 13)]
    amounts = {"52": even(GOODS), "53": even(CAPITAL)}
    for row in sheet.iter_rows(min_row=2, max_row=25):
        row[4].value = amounts[row[3].value][row[2].value - 1]
    book.save(tmp_path / "isi.xlsx")
    result = run(tmp_path / "isi.xlsx", officer)
    assert result.imported and result.plan.counts == {"new": 24, "changed": 0, "unchanged": 0}

    # The next download carries the stored plan; uploading it untouched changes nothing.
    again = download()
    assert again["data"]["E2"].value == GOODS // 12
    again.save(tmp_path / "lagi.xlsx")
    assert run(tmp_path / "lagi.xlsx", officer).plan.counts == {"new": 0, "changed": 0, "unchanged": 24}


def test_command_imports_an_rpd_file(tmp_path, officer, dipa) -> None:
    path = workbook(tmp_path / "cmd.xlsx", full_grid(dipa.fiscal_year.year))
    out = io.StringIO()
    call_command("import_xlsx", "rpd", str(path), user=officer.username, stdout=out)
    assert "Diimpor: 24 baru, 0 berubah, 0 tetap" in out.getvalue()
    assert set(RpdPlan.history.values_list("history_change_reason", flat=True)) == {"import_xlsx rpd cmd.xlsx"}


def test_plan_queries_do_not_grow_with_the_file(tmp_path, officer, admin_user, dipa, today) -> None:
    year = dipa.fiscal_year.year
    importer = get_kind("rpd")

    def queries(rows: list[list[object]]) -> int:
        sheet = read_sheet(workbook(tmp_path / "q.xlsx", rows), columns=get_kind("rpd").column_names, max_rows=10_000)
        with CaptureQueriesContext(connection) as captured:
            plan = importer.plan(sheet, admin_user, today)
        assert plan.ok, plan.errors
        return len(captured)

    small = queries(grid("110019", year, {"52": even(ACEH_GOODS)}))
    rpd_set(satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, by=officer,
            plan={(dipa.goods.pk, 7): GOODS, (dipa.capital.pk, 7): CAPITAL})  # fmt: skip
    open_window(dipa, today)
    # A change of the months still to come: July's plan spread over July-December.
    spread = {
        code: [0] * 6 + [total // 6] * 5 + [total - total // 6 * 5] for code, total in (("52", GOODS), ("53", CAPITAL))
    }
    large = queries(grid("170019", year, spread) + grid("110019", year, {"52": even(ACEH_GOODS)}))
    assert small == large <= 8


def test_bulk_editability_agrees_with_the_service(officer, satker, other_satker, dipa, today) -> None:
    def agree() -> None:
        many = rpd_editability_many([(satker, dipa.fiscal_year), (other_satker, dipa.fiscal_year)], today)
        for one in (satker, other_satker):
            expected = rpd_editability(satker=one, fiscal_year=dipa.fiscal_year, today=today)
            assert many[(one.pk, dipa.fiscal_year.pk)] == expected

    agree()  # first plans
    rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
            plan={(dipa.goods.pk, 7): GOODS, (dipa.capital.pk, 7): CAPITAL})  # fmt: skip
    agree()  # outside any window
    open_window(dipa, today)
    agree()  # window open
    rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
            plan={(dipa.goods.pk, 8): GOODS, (dipa.capital.pk, 7): CAPITAL})  # fmt: skip
    agree()  # window used
    open_window(dipa, today, satker=satker)
    agree()  # a window of its own
    FiscalYear.objects.filter(pk=dipa.fiscal_year.pk).update(is_closed=True)
    dipa.fiscal_year.refresh_from_db()
    agree()  # closed


def test_a_change_of_a_begun_month_is_refused_on_its_row(tmp_path, officer, dipa, today) -> None:
    year = dipa.fiscal_year.year
    run(workbook(tmp_path / "awal.xlsx", full_grid(year)), officer)
    window = open_window(dipa, today)
    history = RpdPlan.history.count()
    share = GOODS // 12
    # January's plan cut to what was realized, the rest moved to August.
    moved = [["170019", year, 1, "52", share - 1_000_000], ["170019", year, 8, "52", share + 1_000_000]]
    result = run(workbook(tmp_path / "januari.xlsx", moved), officer)
    assert not result.imported and errors(result) == [(2, "rencana")]
    assert result.plan.errors[0].message == (
        f"RPD satker 170019 tahun {year} tidak dapat diubah: Rencana bulan Januari-Juni {year} sudah berjalan dan "
        "tidak dapat diubah; perubahan RPD hanya untuk bulan sesudahnya (Juli-Desember). Bulan yang diubah: Januari."
    )
    assert RpdPlan.history.count() == history and not RpdRevision.objects.filter(window=window).exists()

    # The whole grid with only months to come changed goes through: the begun months are unchanged rows.
    rows = full_grid(year)
    rows[7][4], rows[10][4] = rows[7][4] - 1_000_000, rows[10][4] + 1_000_000  # 52: August -> November
    assert run(workbook(tmp_path / "agustus.xlsx", rows), officer).plan.counts == {
        "new": 0, "changed": 2, "unchanged": 22}  # fmt: skip
    assert RpdRevision.objects.get(window=window).changed_cells() == [
        ("52", 8, share, share - 1_000_000), ("52", 11, share, share + 1_000_000)]  # fmt: skip


def test_a_begun_month_changed_between_check_and_write_is_refused_for_the_file(
    tmp_path, monkeypatch, officer, satker, dipa, today
) -> None:
    """The file was checked as a first plan; before it was written, another save made it a change
    inside a window: rpd_set refuses, and the import reports its words for the whole file."""
    year = dipa.fiscal_year.year
    kind = type(get_kind("rpd"))
    checked = kind.plan

    def someone_saves_first(self, sheet, user, today):
        plan = checked(self, sheet, user, today)
        rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                plan={(dipa.goods.pk, 7): GOODS, (dipa.capital.pk, 7): CAPITAL})  # fmt: skip
        open_window(dipa, today)
        return plan

    monkeypatch.setattr(kind, "plan", someone_saves_first)
    result = run(workbook(tmp_path / "awal.xlsx", full_grid(year)), officer)
    assert not result.imported and errors(result) == [(0, "")]
    assert result.plan.errors[0].message.startswith(f"Rencana bulan Januari-Juni {year} sudah berjalan")
    assert "Bulan yang diubah: Januari, Februari, Maret, April, Mei, Juni." in result.plan.errors[0].message
    assert planned()[("52", 7)] == GOODS and RpdRevision.objects.count() == 1
