"""Importing `ovop` workbooks: a row creates or updates a sentra of the directory (satker + name +
regency) and records its coaching of the year with the reported star level (may be empty), with
the web form's rules; the same file again changes nothing; no award is made."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import FiscalYear, Regency
from budgets.services.common import closed_year_reason
from imports.catalog import get_kind
from imports.importer import import_file
from imports.reader import read_sheet
from programs.models import OvopCandidate, OvopCoaching, Sentra
from programs.records.ovop import ovop_coaching_set, sentra_create
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["kode_satker", "nama_sentra", "kode_kabkota", "desa", "kelompok_komoditas", "jumlah_ikm", "tahun", "bintang"]


@pytest.fixture
def years(today) -> tuple[FiscalYear, FiscalYear]:
    return FiscalYear.objects.create(year=today.year - 1), FiscalYear.objects.create(year=today.year)


@pytest.fixture
def regencies(province, other_province) -> dict[str, Regency]:
    return {
        code: Regency.objects.create(kemendagri_code=code, province=prov, name=name, kind="kota")
        for code, prov, name in [
            ("17.71", province, "Kota Bengkulu"),
            ("17.01", province, "Kabupaten Bengkulu Selatan"),
            ("11.71", other_province, "Kota Banda Aceh"),
        ]
    }


def workbook(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, HEADER, rows)


def run(path: Path, user, reason: str | None = None):
    return import_file(path, "ovop", user=user, dry_run=False, reason=reason or f"test {path.name}")


def errors(result) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.plan.errors]


def stored() -> dict[tuple[str, str], tuple]:
    return {
        (c.name, c.regency.kemendagri_code): (c.village, c.commodity_group, c.unit_count,
                                              {r.year: r.stars for r in c.coachings.all()})
        for c in Sentra.objects.select_related("regency").prefetch_related("coachings")
    }  # fmt: skip


def valid_rows(years) -> list[list[object]]:
    last, this = (fy.year for fy in years)
    return [
        ["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, last, 2],
        ["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, this, 3],
        ["170019", "Sentra Batik Besurek", 1701, "Anggut Atas", "Batik", "8", this, "4"],
    ]


def test_valid_file_imports_and_the_same_file_again_changes_nothing(tmp_path, officer, regencies, years) -> None:
    last, this = (fy.year for fy in years)
    path = workbook(tmp_path / "ovop.xlsx", valid_rows(years))
    result = run(path, officer)
    assert result.imported and result.plan.counts == {"new": 3, "changed": 0, "unchanged": 0}
    assert stored() == {
        ("Sentra Tenun Songket", "17.71"): ("Pasar Baru", "TENUN", 12, {last: 2, this: 3}),
        ("Sentra Batik Besurek", "17.01"): ("Anggut Atas", "BATIK", 8, {this: 4}),
    }
    for model in (Sentra, OvopCoaching):
        assert {(h.history_user, h.history_change_reason) for h in model.history.all()} == {(officer, "test ovop.xlsx")}
    history = Sentra.history.count() + OvopCoaching.history.count()
    assert history == 5

    again = run(path, officer)
    assert again.imported and again.plan.counts == {"new": 0, "changed": 0, "unchanged": 3}
    assert Sentra.history.count() + OvopCoaching.history.count() == history


def test_changed_stars_and_centre_fields_update_in_place(tmp_path, officer, regencies, years) -> None:
    last, this = (fy.year for fy in years)
    run(workbook(tmp_path / "awal.xlsx", valid_rows(years)), officer)
    rows = [
        ["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, this, 4],  # stars 3 -> 4
        ["170019", "Sentra  Batik Besurek ", "17.01", "Anggut Bawah", "BATIK", 9, this, 4],  # centre fields
        ["170019", "Sentra Batik Besurek", "17.01", "Anggut Bawah", "BATIK", 9, last, 1],  # a new year
    ]
    result = run(workbook(tmp_path / "ubah.xlsx", rows), officer, reason="penilaian ulang")
    assert result.plan.counts == {"new": 1, "changed": 2, "unchanged": 0}
    # The preview's old -> new: the cells that change, no others (a new row has none).
    assert [row.changes for row in result.plan.rows] == [
        [["bintang", "3", "4"]], [["desa", "Anggut Atas", "Anggut Bawah"], ["jumlah_ikm", "8", "9"]], [],
    ]  # fmt: skip
    assert stored() == {
        ("Sentra Tenun Songket", "17.71"): ("Pasar Baru", "TENUN", 12, {last: 2, this: 4}),
        ("Sentra Batik Besurek", "17.01"): ("Anggut Bawah", "BATIK", 9, {this: 4, last: 1}),
    }
    assert Sentra.objects.count() == 2
    assert Sentra.history.filter(history_type="~").get().history_change_reason == "penilaian ulang"
    assert {h.history_change_reason for h in OvopCoaching.history.filter(history_type="~")} == {"penilaian ulang"}
    assert OvopCoaching.history.filter(history_type="+", history_change_reason="penilaian ulang").count() == 1


def test_a_centres_change_is_shown_on_its_first_row_only(tmp_path, officer, regencies, years) -> None:
    last, this = (fy.year for fy in years)
    run(workbook(tmp_path / "awal.xlsx", valid_rows(years)), officer)
    rows = [
        ["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 15, last, 2],  # 12 -> 15 units
        ["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 15, this, 4],  # and stars 3 -> 4
    ]
    result = import_file(workbook(tmp_path / "ubah.xlsx", rows), "ovop", user=officer, dry_run=True, reason="x")
    assert result.plan.counts == {"new": 0, "changed": 2, "unchanged": 0}
    assert [row.changes for row in result.plan.rows] == [[["jumlah_ikm", "12", "15"]], [["bintang", "3", "4"]]]


def test_centres_entered_on_the_web_form_are_matched_by_their_natural_key(
    tmp_path, officer, satker, regencies, years
) -> None:
    centre = sentra_create(satker=satker, name="Sentra Tenun Songket", regency=regencies["17.71"],
                           village="Pasar Baru", commodity_group="TENUN", unit_count=12, decree_number="12/2020",
                           decree_date=date(2020, 3, 1), by=officer)  # fmt: skip
    ovop_coaching_set(sentra=centre, fiscal_year=years[1], stars=3, by=officer)
    rows = [["170019", "Sentra Tenun Songket", 1771, "Pasar Baru", "kain tenun", 12, years[1].year, 3]]
    result = run(workbook(tmp_path / "sama.xlsx", rows), officer)
    assert result.plan.counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert Sentra.history.count() == 1 and OvopCoaching.history.count() == 1


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({0: "110019"}, "kode_satker", "di luar cakupan"),
        ({0: "999999"}, "kode_satker", "di luar cakupan"),
        ({2: "11.71"}, "kode_kabkota", "Kota Banda Aceh tidak berada di provinsi satker (Bengkulu)"),
        ({2: "17.99"}, "kode_kabkota", "Kabupaten/kota 17.99 tidak dikenal"),
        ({2: "Bengkulu"}, "kode_kabkota", "PP.RR"),
        ({1: None}, "nama_sentra", "Wajib diisi"),
        ({1: "x" * 201}, "nama_sentra", "Paling panjang 200"),
        ({3: None}, "desa", "Wajib diisi"),
        ({4: "KAYU"}, "kelompok_komoditas", "Kelompok komoditas 'KAYU' tidak dikenal"),
        ({5: 4}, "jumlah_ikm", "minimal 5 unit IKM"),
        ({5: "dua belas"}, "jumlah_ikm", "bukan bilangan bulat"),
        ({5: 7.5}, "jumlah_ikm", "bukan bilangan bulat"),
        ({7: 6}, "bintang", "Harus di antara 1 dan 5"),
        ({7: 0}, "bintang", "Harus di antara 1 dan 5"),
        ({7: "tiga"}, "bintang", "bukan bilangan bulat"),
        ({6: 2099}, "tahun", "Tahun anggaran 2099 tidak ada"),
    ],
    ids=[
        "other-province-satker",
        "unknown-satker",
        "regency-of-another-province",
        "unknown-regency",
        "regency-name",
        "no-name",
        "long-name",
        "no-village",
        "unknown-group",
        "four-units",
        "text-units",
        "fraction-units",
        "stars-6",
        "stars-0",
        "text-stars",
        "no-year",
    ],
)
def test_rules_refuse_the_file(tmp_path, officer, other_satker, regencies, years, change, column, message) -> None:
    rows = valid_rows(years)
    bad = list(rows[2])
    for index, value in change.items():
        bad[index] = value
    result = run(workbook(tmp_path / "bad.xlsx", [*rows[:2], bad]), officer)
    assert errors(result) == [(4, column)]
    assert message in result.plan.errors[0].message
    assert not Sentra.objects.exists() and not OvopCoaching.objects.exists()


def test_closed_year_is_refused(tmp_path, officer, regencies, years) -> None:
    FiscalYear.objects.filter(pk=years[0].pk).update(is_closed=True)
    result = run(workbook(tmp_path / "tutup.xlsx", valid_rows(years)), officer)
    assert errors(result) == [(2, "tahun")]
    assert result.plan.errors[0].message == closed_year_reason(FiscalYear.objects.get(pk=years[0].pk))
    assert not Sentra.objects.exists()


def test_every_error_of_a_row_is_reported(tmp_path, officer, regencies, years) -> None:
    rows = [["110019", "Sentra", "17.99", None, "KAYU", 3, 2099, 9]]
    result = run(workbook(tmp_path / "semua.xlsx", rows), officer)
    assert sorted(errors(result)) == sorted([(2, "desa"), (2, "kelompok_komoditas"), (2, "jumlah_ikm"),
                                             (2, "bintang")])  # fmt: skip
    rows = [["110019", "Sentra", "17.99", "Desa", "TENUN", 5, 2099, 1]]
    result = run(workbook(tmp_path / "cari.xlsx", rows), officer)
    assert errors(result) == [(2, "kode_satker"), (2, "kode_kabkota"), (2, "tahun")]


def test_duplicates_and_disagreeing_centres_name_the_first_row(tmp_path, officer, regencies, years) -> None:
    rows = valid_rows(years)
    twice = [*rows, ["170019", "Sentra Tenun Songket", "1771", "Pasar Baru", "TENUN", 12, years[1].year, 5]]
    result = run(workbook(tmp_path / "dup.xlsx", twice), officer)
    assert [(e.row, e.column, e.message) for e in result.plan.errors] == [
        (5, "tahun", "Baris ganda: sentra dan tahun yang sama dengan baris 3.")
    ]
    rows[1][5] = 13  # the same centre with another number of units
    result = run(workbook(tmp_path / "beda.xlsx", rows), officer)
    assert errors(result) == [(3, "jumlah_ikm")]
    assert "berbeda dengan baris 2" in result.plan.errors[0].message
    assert not Sentra.objects.exists()


def test_same_name_in_another_regency_is_another_centre(tmp_path, officer, regencies, years) -> None:
    rows = [["170019", "Sentra Kopi", "17.71", "A", "PANGAN", 5, years[1].year, 1],
            ["170019", "Sentra Kopi", "17.01", "B", "PANGAN", 6, years[1].year, 2]]  # fmt: skip
    assert run(workbook(tmp_path / "dua.xlsx", rows), officer).plan.counts["new"] == 2
    assert Sentra.objects.count() == 2


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_readers_are_refused_before_any_row(tmp_path, request, persona, regencies, years) -> None:
    result = run(workbook(tmp_path / "r.xlsx", valid_rows(years)), request.getfixturevalue(persona))
    assert errors(result) == [(0, "")]
    assert "hanya membaca" in result.plan.errors[0].message
    assert not Sentra.objects.exists()


def test_admin_imports_for_any_province(tmp_path, admin_user, other_satker, regencies, years) -> None:
    rows = [["110019", "Sentra Kopi Gayo", "11.71", "Lampineung", "PANGAN", 20, years[1].year, 5]]
    assert run(workbook(tmp_path / "aceh.xlsx", rows), admin_user).plan.counts["new"] == 1
    assert Sentra.history.get().history_user == admin_user


def test_template_round_trip(tmp_path, officer, regencies, years) -> None:
    response = client_for(officer).get(reverse("imports:template", args=["ovop"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    assert [cell.value for cell in sheet[2]] == ["170019"] + [None] * 7  # the officer's satker
    for column, value in enumerate(["Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, years[1].year, 3],
                                   start=2):  # fmt: skip
        sheet.cell(row=2, column=column, value=value)
    book.save(tmp_path / "isi.xlsx")
    result = run(tmp_path / "isi.xlsx", officer)
    assert result.imported and result.plan.counts == {"new": 1, "changed": 0, "unchanged": 0}
    assert OvopCoaching.objects.get().stars == 3


def test_command_imports_an_ovop_file(tmp_path, officer, regencies, years) -> None:
    path = workbook(tmp_path / "cmd.xlsx", valid_rows(years))
    out = io.StringIO()
    call_command("import_xlsx", "ovop", str(path), user=officer.username, stdout=out)
    assert "Diimpor: 3 baru, 0 berubah, 0 tetap" in out.getvalue()
    assert set(OvopCoaching.history.values_list("history_change_reason", flat=True)) == {"import_xlsx ovop cmd.xlsx"}


def test_plan_queries_do_not_grow_with_the_file(
    tmp_path, admin_user, satker, other_satker, regencies, years, today
) -> None:
    importer = get_kind("ovop")

    def queries(rows: list[list[object]]) -> int:
        sheet = read_sheet(workbook(tmp_path / "q.xlsx", rows), columns=get_kind("ovop").column_names, max_rows=10_000)
        with CaptureQueriesContext(connection) as captured:
            plan = importer.plan(sheet, admin_user, today)
        assert plan.ok, plan.errors
        return len(captured)

    small = queries(valid_rows(years)[:1])
    run(workbook(tmp_path / "awal.xlsx", valid_rows(years)), admin_user)
    many = [["170019", f"Sentra {n}", "17.71", "Desa", "ANYAMAN", 5 + n, year.year, 1 + n % 5]
            for n in range(100) for year in years]  # fmt: skip
    many += [["110019", f"Sentra Aceh {n}", "11.71", "Desa", "LAINNYA", 5, years[1].year, 2] for n in range(50)]
    large = queries(valid_rows(years) + many)
    assert small == large <= 6


def test_empty_stars_record_the_coaching_without_a_level_and_no_award(tmp_path, officer, regencies, years) -> None:
    this = years[1].year
    rows = [["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, this, None]]
    result = run(workbook(tmp_path / "kosong.xlsx", rows), officer)
    assert result.imported and result.plan.counts == {"new": 1, "changed": 0, "unchanged": 0}
    coaching = OvopCoaching.objects.get()
    assert (coaching.year, coaching.stars, coaching.sentra.decree_number, coaching.sentra.decree_date) == (
        this,
        None,
        "",
        None,
    )
    assert not OvopCandidate.objects.exists()
    rows[0][7] = 2  # the level reported later: the same coaching, changed
    assert run(workbook(tmp_path / "isi.xlsx", rows), officer).plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert OvopCoaching.objects.get().stars == 2
