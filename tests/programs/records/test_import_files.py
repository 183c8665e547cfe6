"""Issue 23, files: the WUB legality date and the facilitation certificate columns round-trip
from the template into the records (and an older file without them keeps what is stored); the
`kemiskinan` import kind; the upload preview shows old -> new for each changed cell only."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import MonthlyReport
from budgets.services import report_get_or_create, report_submit
from imports.catalog import KINDS, get_kind
from imports.importer import import_file
from imports.models import Upload
from programs.models import Enterprise, Facilitation, NewEntrepreneur, PovertyActivity, SizeClass
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db
NIB = "0220551017193"
POVERTY = ["kode_satker", "tahun", "bulan", "kode_kabkota", "jenis", "uraian", "penerima_manfaat", "nilai"]


@pytest.fixture
def year(fiscal_year) -> int:
    return fiscal_year.year


@pytest.fixture
def enterprise(province, regency, fiscal_year) -> Enterprise:
    return Enterprise.objects.create(
        nib=NIB, name="CV Batik Besurek", name_normalized="batik besurek", regency=regency, province=province,
        kbli="13134", data_year=fiscal_year.year, size_class=SizeClass.SMALL,
    )  # fmt: skip


def from_template(client, kind: str, rows: list[dict[str, object]], path: Path) -> Path:
    """The kind's template as downloaded, filled in by header name (as an officer would)."""
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    header = [cell.value for cell in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=number, column=header.index(name) + 1, value=value)
    book.save(path)
    return path


def run(path: Path, kind: str, user):
    return import_file(path, kind, user=user, dry_run=False, reason=f"test {path.name}")


def where(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.plan.errors]


# -- the legality date of a WUB -------------------------------------------------------------------


def test_wub_legality_date_round_trips_from_the_template(tmp_path, officer, satker, regency, enterprise, year) -> None:
    day = dt.date(year, 1, 5)
    rows = [
        {"kode_satker": "170019", "tahun": year, "bulan": 1, "nama": "Rahmat", "kode_kabkota": "17.71",
         "jenis_usaha": "Keripik", "nib": NIB, "tanggal_nib": dt.datetime(year, 1, 5)},  # a date cell
        {"kode_satker": "170019", "tahun": year, "bulan": 1, "nama": "Siti", "kode_kabkota": "17.71",
         "jenis_usaha": "Tenun", "nib": "0220551017194", "tanggal_nib": f"06-01-{year}"},  # typed as text
    ]  # fmt: skip
    result = run(from_template(client_for(officer), "wub", rows, tmp_path / "w.xlsx"), "wub", officer)
    assert result.imported, result.plan.errors
    assert dict(NewEntrepreneur.objects.values_list("name", "legalized_on")) == {
        "Rahmat": day, "Siti": dt.date(year, 1, 6),
    }  # fmt: skip
    # The same file again: unchanged; a file of the older template (no date column) keeps the date.
    assert run(tmp_path / "w.xlsx", "wub", officer).plan.counts == {"new": 0, "changed": 0, "unchanged": 2}
    old = write_workbook(tmp_path / "old.xlsx", ["kode_satker", "tahun", "bulan", "nama", "kode_kabkota",
                                                "jenis_usaha", "nib"],
                         [["170019", year, 1, "Rahmat", "17.71", "Keripik", NIB]])  # fmt: skip
    assert run(old, "wub", officer).plan.counts["unchanged"] == 1
    assert NewEntrepreneur.objects.get(name="Rahmat").legalized_on == day


@pytest.mark.parametrize(
    ("nib", "value", "message"),
    [(None, "05-01-{year}", "hanya diisi bila NIB diisi"), (NIB, "05-01-2999", "tidak boleh di masa depan"),
     (NIB, "kemarin", "bukan tanggal")],
    ids=["date-without-nib", "future", "not-a-date"],
)  # fmt: skip
def test_wub_legality_date_rules_name_the_column(tmp_path, officer, satker, regency, year, nib, value, message) -> None:
    row = {"kode_satker": "170019", "tahun": year, "bulan": 1, "nama": "Rahmat", "kode_kabkota": "17.71",
           "jenis_usaha": "Keripik", "nib": nib, "tanggal_nib": value.format(year=year)}  # fmt: skip
    result = run(from_template(client_for(officer), "wub", [row], tmp_path / "bad.xlsx"), "wub", officer)
    assert where(result) == [(2, "tanggal_nib")] and message in result.plan.errors[0].message
    assert not NewEntrepreneur.objects.exists()


# -- the certificate of a facilitation -------------------------------------------------------------


def test_facilitation_certificate_round_trips_from_the_template(tmp_path, officer, satker, enterprise, year) -> None:
    row = {"kode_satker": "170019", "tahun": year, "bulan": 1, "jenis": "SNI", "nib": NIB, "nilai": 0,
           "nomor_sertifikat": "SNI 8222:2026", "tanggal_sertifikat": f"{year}-01-10"}  # fmt: skip
    result = run(from_template(client_for(officer), "fasilitasi", [row], tmp_path / "f.xlsx"), "fasilitasi", officer)
    assert result.imported, result.plan.errors
    record = Facilitation.objects.get()
    assert (record.certificate_number, record.certificate_date) == ("SNI 8222:2026", dt.date(year, 1, 10))
    # A file of the older template (no certificate columns) changes the note and keeps the certificate.
    old = write_workbook(tmp_path / "old.xlsx", ["kode_satker", "tahun", "bulan", "jenis", "nib", "nama_usaha",
                                                "nilai", "keterangan"],
                         [["170019", year, 1, "SNI", NIB, None, 0, "Lulus uji"]])  # fmt: skip
    assert run(old, "fasilitasi", officer).plan.counts["changed"] == 1
    record.refresh_from_db()
    assert (record.note, record.certificate_number, record.certificate_date) == (
        "Lulus uji", "SNI 8222:2026", dt.date(year, 1, 10),
    )  # fmt: skip


def test_a_certificate_on_an_exhibition_is_refused_on_its_column(tmp_path, officer, satker, enterprise, year) -> None:
    row = {"kode_satker": "170019", "tahun": year, "bulan": 1, "jenis": "PAMERAN", "nib": NIB, "nilai": 1_000_000,
           "nomor_sertifikat": "X-1", "tanggal_sertifikat": f"10-01-{year}"}  # fmt: skip
    result = run(from_template(client_for(officer), "fasilitasi", [row], tmp_path / "f.xlsx"), "fasilitasi", officer)
    assert where(result) == [(2, "nomor_sertifikat"), (2, "tanggal_sertifikat")]
    assert "Hanya untuk sertifikasi" in result.plan.errors[0].message
    assert not Facilitation.objects.exists()


# -- kemiskinan ------------------------------------------------------------------------------------


def poverty_file(path: Path, rows: list[list[object]]) -> Path:
    return write_workbook(path, POVERTY, rows)


def test_poverty_kind_is_in_the_catalog_with_its_contract_header() -> None:
    assert "kemiskinan" in KINDS
    assert get_kind("kemiskinan").column_names == POVERTY


def test_poverty_import_new_unchanged_changed(tmp_path, officer, satker, regency, year) -> None:
    rows = [["170019", year, 1, "17.71", "pelatihan", "Pelatihan olahan ikan", 25, "15.000.000"],
            ["170019", year, 1, "1771", "PERALATAN", None, 10, 0]]  # fmt: skip
    result = run(poverty_file(tmp_path / "k.xlsx", rows), "kemiskinan", officer)
    assert result.imported and result.plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    stored = {(r.kind, r.description): (r.regency_id, r.beneficiaries, r.value, r.month)
              for r in PovertyActivity.objects.all()}  # fmt: skip
    assert stored == {("PELATIHAN", "Pelatihan olahan ikan"): (regency.pk, 25, 15_000_000, 1),
                      ("PERALATAN", ""): (regency.pk, 10, 0, 1)}  # fmt: skip
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert set(PovertyActivity.objects.values_list("report", flat=True)) == {report.pk}
    assert {h.history_change_reason for h in PovertyActivity.history.all()} == {"test k.xlsx"}
    assert run(tmp_path / "k.xlsx", "kemiskinan", officer).plan.counts["unchanged"] == 2
    rows[0][6] = 30  # more beneficiaries: the same activity (key: regency, kind, description), changed
    changed = run(poverty_file(tmp_path / "k2.xlsx", rows), "kemiskinan", officer)
    assert changed.plan.counts == {"new": 0, "changed": 1, "unchanged": 1}
    assert PovertyActivity.objects.get(kind="PELATIHAN").beneficiaries == 30
    assert PovertyActivity.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["170019", "{year}", 1, "17.99", "PELATIHAN", None, 5, 0], "kode_kabkota", "17.99 tidak dikenal"),
        (["170019", "{year}", 1, "11.71", "PELATIHAN", None, 5, 0], "kode_kabkota", "tidak berada di provinsi"),
        (["110019", "{year}", 1, "11.71", "PELATIHAN", None, 5, 0], "kode_satker", "di luar cakupan"),
        (["170019", "{year}", 1, "17.71", "SEMINAR", None, 5, 0], "jenis", "Jenis kegiatan SEMINAR tidak dikenal"),
        (["170019", "{year}", 1, "17.71", "PELATIHAN", None, None, 0], "penerima_manfaat", "wajib diisi"),
        (["170019", "{year}", 1, "17.71", "PELATIHAN", None, 0, 0], "penerima_manfaat", "minimal 1 orang"),
        (["170019", "{year}", 1, "17.71", "PELATIHAN", None, 5, "-5"], "nilai", "tidak boleh negatif"),
        (["170019", 2099, 1, "17.71", "PELATIHAN", None, 5, 0], "tahun", "tidak ada"),
    ],
    ids=["unknown-regency", "regency-other-province", "satker-other-province", "unknown-kind", "no-beneficiaries",
         "zero-beneficiaries", "negative-value", "no-year"],
)  # fmt: skip
def test_poverty_rules_refuse_the_file(
    tmp_path, officer, other_satker, regency, other_regency, year, row, column, message
) -> None:
    row = [value.format(year=year) if isinstance(value, str) else value for value in row]
    result = run(poverty_file(tmp_path / "bad.xlsx", [row]), "kemiskinan", officer)
    assert (2, column) in where(result), result.plan.errors
    assert any(message in error.message for error in result.plan.errors if error.column == column)
    assert not PovertyActivity.objects.exists()


def test_poverty_locked_month_is_refused(tmp_path, officer, satker, regency, fiscal_year) -> None:
    report, _created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=1)
    report_submit(report=report, by=officer)
    path = poverty_file(tmp_path / "l.xlsx", [["170019", fiscal_year.year, 1, "17.71", "PELATIHAN", None, 5, 0]])
    result = run(path, "kemiskinan", officer)
    assert where(result) == [(2, "bulan")] and "terkunci" in result.plan.errors[0].message
    assert not PovertyActivity.objects.exists()


def test_reviewers_cannot_import_poverty_activities(tmp_path, reviewer, regency, year) -> None:
    result = run(poverty_file(tmp_path / "r.xlsx", [["170019", year, 1, "17.71", "PELATIHAN", None, 5, 0]]),
                 "kemiskinan", reviewer)  # fmt: skip
    assert not result.imported and result.plan.errors[0].row == 0
    assert not PovertyActivity.objects.exists()


# -- the preview of a changed row -------------------------------------------------------------------


def upload(client, kind: str, path: Path) -> Upload:
    response = client.post(reverse("imports:upload", args=[kind]),
                           {"file": SimpleUploadedFile(path.name, path.read_bytes())})  # fmt: skip
    assert response.status_code == 302
    return Upload.objects.latest("pk")


def test_preview_shows_old_and_new_of_the_changed_cell_only(tmp_path, officer, satker, regency, year) -> None:
    client = client_for(officer)
    rows = [["170019", year, 1, "17.71", "PELATIHAN", "Olahan ikan", 25, 15_000_000],
            ["170019", year, 1, "17.71", "PERALATAN", "Mesin jahit", 10, 5_000_000]]  # fmt: skip
    first = upload(client, "kemiskinan", poverty_file(tmp_path / "a.xlsx", rows))
    client.post(reverse("imports:confirm", args=[first.pk]))
    assert PovertyActivity.objects.count() == 2

    rows[0][7] = 17_500_000  # one amount of one row
    second = upload(client, "kemiskinan", poverty_file(tmp_path / "b.xlsx", rows))
    assert second.status == Upload.Status.READY and second.counts == {"new": 0, "changed": 1, "unchanged": 1}
    assert [entry[3] for entry in second.preview] == [[["nilai", "15.000.000", "17.500.000"]]]
    page = client.get(reverse("imports:detail", args=[second.pk])).content.decode()
    assert "<code>nilai</code>: <del" in page and ">15.000.000</del>" in page and ">17.500.000</ins>" in page
    assert page.count("<del") == 1  # the unchanged columns (and the unchanged row) are not struck
    assert PovertyActivity.objects.get(kind="PELATIHAN").value == 15_000_000  # nothing written yet


def test_a_preview_stored_before_the_changes_column_still_shows(officer, satker) -> None:
    old = Upload.objects.create(kind="wub", uploaded_by=officer, province=officer.province, original_name="lama.xlsx",
                                status=Upload.Status.READY, preview=[[2, "changed", "170019 · 2026 · 1"]])  # fmt: skip
    response = client_for(officer).get(reverse("imports:detail", args=[old.pk]))
    assert response.status_code == 200 and "170019 · 2026 · 1" in response.content.decode()
