"""The `ikpa` import (issue 24): the IKPA indicators the product cannot compute (kontraktual,
tagihan, UP/TUP, dispensasi) per satker and month, from the product's template or OM-SPAN's
Monitoring IKPA export, into IkpaTreasuryFigure marked as imported (source, upload, importer).
Malformed files are refused whole; another province's officer is refused; a figure the admin
typed shows in the preview as old -> new."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.ikpa.selectors import treasury_published
from budgets.models import FiscalYear, IkpaTreasuryFigure, IkpaTreasuryPublished
from imports.importer import import_file
from imports.models import Upload
from tests.budgets import ikpa_samples as samples
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

Source = IkpaTreasuryFigure.Source


def figures(**filters) -> dict[tuple[str, int, int, str], tuple[Decimal, str]]:
    rows = IkpaTreasuryFigure.objects.filter(**filters).values_list(
        "satker__code", "fiscal_year__year", "month", "indicator", "value", "source"
    )
    return {(code, year, month, indicator): (value, source) for code, year, month, indicator, value, source in rows}


def run(path, user, *, dry_run: bool = False):
    return import_file(path, "ikpa", user=user, dry_run=dry_run, reason="Impor ikpa #1: ikpa.xlsx")


@pytest.fixture
def year_2024(db) -> FiscalYear:
    return FiscalYear.objects.create(year=2024)


# -- the product's template ------------------------------------------------------------------------


def test_the_template_imports_the_given_indicators_and_again_changes_nothing(
    tmp_path, officer, satker, fiscal_year
) -> None:
    year = fiscal_year.year
    path = samples.template(tmp_path / "ikpa.xlsx", [
        ["170019", year, 2, "100", "98,5", 95.25, None],   # dispensasi empty: no figure
        ["170019", year, 3, 100, "97.75", "-", "100"],      # "-": no UP/TUP figure either
        ["170019", year, 4, None, None, None, None],        # nothing at all: skipped
    ])  # fmt: skip
    result = run(path, officer)
    assert result.imported, [str(e) for e in result.plan.errors]
    assert result.plan.counts == {"new": 2, "changed": 0, "unchanged": 0} and result.plan.skipped == 1
    assert figures() == {
        ("170019", year, 2, "kontraktual"): (Decimal("100.00"), Source.IMPORT),
        ("170019", year, 2, "tagihan"): (Decimal("98.50"), Source.IMPORT),
        ("170019", year, 2, "up_tup"): (Decimal("95.25"), Source.IMPORT),
        ("170019", year, 3, "kontraktual"): (Decimal("100.00"), Source.IMPORT),
        ("170019", year, 3, "tagihan"): (Decimal("97.75"), Source.IMPORT),
        ("170019", year, 3, "dispensasi"): (Decimal("100.00"), Source.IMPORT),
    }
    figure = IkpaTreasuryFigure.objects.get(month=2, indicator="tagihan")
    assert figure.entered_by == officer and figure.upload is None  # (no upload from the command line)
    assert figure.history.get().history_change_reason == "Impor ikpa #1: ikpa.xlsx"
    again = run(path, officer, dry_run=True)
    assert again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_the_template_download_has_the_columns_and_the_officers_satker(officer, satker) -> None:
    import io

    import openpyxl

    response = client_for(officer).get(reverse("imports:template", args=["ikpa"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["data"][1]] == [
        "kode_satker", "tahun", "bulan", "kontraktual", "tagihan", "up_tup", "dispensasi"]  # fmt: skip
    assert workbook["data"]["A2"].value == "170019"
    guide = "\n".join(str(row[0].value) + " " + str(row[1].value) for row in workbook["petunjuk"].iter_rows())
    assert "sejak 2024 poin yang dikurangkan" in guide  # dispensasi is a deduction from 2024


def test_the_upload_page_offers_the_template_and_names_the_omspan_layout(officer) -> None:
    page = client_for(officer).get(reverse("imports:upload", args=["ikpa"])).content.decode()
    assert "Unduh templat" in page and "Unduh contoh berkas" not in page
    assert "OM-SPAN: Monitoring IKPA per satker" in page and "bulan akhir periode" in page


# -- OM-SPAN's Monitoring IKPA export --------------------------------------------------------------


def test_the_omspan_export_stores_only_the_four_imported_indicators_at_the_periods_end(
    tmp_path, admin_user, satker, other_satker, year_2024
) -> None:
    path = samples.export(tmp_path / "monitoring-ikpa.xlsx", [
        # code, name, revisi, deviasi, penyerapan, kontraktual, tagihan, up_tup, dispensasi, capaian,
        # total, konversi, akhir
        ("170019", "DINAS PERINDUSTRIAN BENGKULU", 100, 88.4, 92.1, 100, 96.666, "98,50", 0, 95, 880.3, 90, 97.81),
        (110019, "DINAS PERINDUSTRIAN ACEH", 75, 91, 100, None, 100, 90, "1,5", 88, 800, 90, 88.89),
    ])  # fmt: skip
    result = run(path, admin_user)
    assert result.imported, [str(e) for e in result.plan.errors]
    # "Januari s.d. Maret 2024": the figures as of March 2024. Bengkulu's tagihan 96,666 is shown
    # by OM-SPAN as 96,67 (two decimals, half up). Aceh has no kontraktual (an empty cell); its
    # 2024 dispensasi 1,5 is points deducted. Revisi, deviasi, penyerapan, capaian output and the
    # treasury's total are not stored: the product computes its own.
    assert figures() == {
        ("170019", 2024, 3, "kontraktual"): (Decimal("100.00"), Source.IMPORT),
        ("170019", 2024, 3, "tagihan"): (Decimal("96.67"), Source.IMPORT),
        ("170019", 2024, 3, "up_tup"): (Decimal("98.50"), Source.IMPORT),
        ("170019", 2024, 3, "dispensasi"): (Decimal("0.00"), Source.IMPORT),
        ("110019", 2024, 3, "tagihan"): (Decimal("100.00"), Source.IMPORT),
        ("110019", 2024, 3, "up_tup"): (Decimal("90.00"), Source.IMPORT),
        ("110019", 2024, 3, "dispensasi"): (Decimal("1.50"), Source.IMPORT),
    }
    assert [row.key for row in result.plan.rows] == [("170019", "2024", "Maret"), ("110019", "2024", "Maret")]
    # The treasury's own values of what the product computes are kept apart, for display only.
    published = treasury_published([satker.pk, other_satker.pk], year_2024, 12)
    assert published[satker.pk] == (3, {"revisi": Decimal("100.00"), "deviasi": Decimal("88.40"),
                                        "penyerapan": Decimal("92.10"), "capaian_output": Decimal("95.00"),
                                        "nilai_akhir": Decimal("97.81")})  # fmt: skip
    assert published[other_satker.pk][1]["nilai_akhir"] == Decimal("88.89")
    assert treasury_published([satker.pk], year_2024, 2) == {}  # none before March
    stored = IkpaTreasuryPublished.objects.get(satker=satker)
    assert (stored.upload, stored.entered_by) == (None, admin_user)


def test_a_new_export_of_the_same_period_shows_the_treasurys_changed_final_value(
    tmp_path, admin_user, satker, year_2024
) -> None:
    row = ["170019", "B", 100, 90, 95, 100, 99, 98, 0, 90, 0, 0, 96.5]
    assert run(samples.export(tmp_path / "a.xlsx", [row]), admin_user).imported
    row[-1] = 97  # the treasury recomputed its final value; the four imported figures are the same
    result = run(samples.export(tmp_path / "b.xlsx", [row]), admin_user)
    assert result.imported
    assert [(r.action, r.changes) for r in result.plan.rows] == [
        ("changed", [["Nilai Akhir (Nilai Total/Konversi Bobot)", "96,5", "97"]])]  # fmt: skip
    assert IkpaTreasuryPublished.objects.get().nilai_akhir == Decimal("97.00")
    assert run(samples.export(tmp_path / "b.xlsx", [row]), admin_user, dry_run=True).plan.counts["unchanged"] == 1


@pytest.mark.parametrize(
    ("period", "month"),
    [("Periode : Januari s.d. Desember 2024", 12), ("PERIODE: JANUARI - MEI 2024", 5), ("Bulan : Juli 2024", 7),
     ("Periode : 1 s.d. 8 2024", 8)],
)  # fmt: skip
def test_the_period_is_the_end_of_the_titles_period(tmp_path, admin_user, satker, year_2024, period, month) -> None:
    path = samples.export(tmp_path / "x.xlsx", [("170019", "B", 100, 100, 100, 99, 99, 99, 100, 90, 0, 0, 0)],
                          period=period)  # fmt: skip
    result = run(path, admin_user, dry_run=True)
    assert result.plan.ok, [str(e) for e in result.plan.errors]
    assert result.plan.rows[0].values["month"] == month


def test_an_export_without_a_period_is_refused(tmp_path, admin_user, satker, year_2024) -> None:
    path = samples.export(tmp_path / "x.xlsx", [("170019", "B", 100, 100, 100, 99, 99, 99, 100, 90, 0, 0, 0)],
                          period="Tanggal cetak: 05-04-2024")  # fmt: skip
    result = run(path, admin_user)
    assert not result.imported and "Periode tidak ditemukan" in result.plan.errors[0].message
    assert not IkpaTreasuryFigure.objects.exists()


# -- malformed files are refused whole -------------------------------------------------------------


def test_a_bad_value_in_the_export_refuses_the_whole_file_naming_row_and_column(
    tmp_path, admin_user, satker, other_satker, central_satker, year_2024
) -> None:
    path = samples.export(tmp_path / "x.xlsx", [
        ("170019", "B", 100, 100, 100, 99, 99, 99, 0, 90, 0, 0, 0),
        ("110019", "A", 100, 100, 100, "sembilan", 99, 101, 0, 90, 0, 0, 0),
        ("019101", "S", "1OO", 100, 100, 99, 99, 99, 0, 90, 0, 0, 0),
    ])  # fmt: skip
    result = run(path, admin_user)
    assert not result.imported
    # Rows of the sheet: four title rows, the header (5), the column numbers (6), then the satkers
    # from row 7; the treasury's own values (Revisi DIPA "1OO") are checked too.
    assert [(e.row, e.column) for e in result.plan.errors] == [
        (8, "Belanja Kontraktual"), (8, "Pengelolaan UP dan TUP"), (9, "Revisi DIPA")]  # fmt: skip
    assert "0 dan 100" in result.plan.errors[1].message
    assert not IkpaTreasuryFigure.objects.exists() and not IkpaTreasuryPublished.objects.exists()


def test_a_malformed_template_is_refused_whole_with_every_error(tmp_path, officer, satker, fiscal_year) -> None:
    year = fiscal_year.year
    path = samples.template(tmp_path / "ikpa.xlsx", [
        ["170019", year, 1, 100, 100, 100, 100],
        ["170019", year, 13, 100, 100, 100, 100],          # no month 13
        ["170019", year, 2, "95,555", 100, -1, 100],       # three decimals typed; negative
        ["170019", year, 1, 90, 90, 90, 90],               # the same month twice
        ["170019", 2019, 3, 90, 90, 90, 90],               # a year that does not exist
    ])  # fmt: skip
    result = run(path, officer)
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == [
        (3, "bulan"), (4, "kontraktual"), (4, "up_tup"), (5, "bulan"), (6, "tahun")]  # fmt: skip
    assert not IkpaTreasuryFigure.objects.exists()


def test_a_closed_year_is_refused(tmp_path, officer, satker, fiscal_year) -> None:
    fiscal_year.is_closed = True
    fiscal_year.save()
    path = samples.template(tmp_path / "ikpa.xlsx", [["170019", fiscal_year.year, 1, 100, 100, 100, 100]])
    result = run(path, officer)
    assert not result.imported and "ditutup" in result.plan.errors[0].message


# -- scope -----------------------------------------------------------------------------------------


def test_another_provinces_officer_and_a_reviewer_are_refused(
    tmp_path, other_officer, reviewer, satker, fiscal_year
) -> None:
    path = samples.template(tmp_path / "ikpa.xlsx", [["170019", fiscal_year.year, 1, 100, 100, 100, 100]])
    refused = run(path, other_officer)
    assert not refused.imported
    assert [(e.row, e.column) for e in refused.plan.errors] == [(2, "kode_satker")]
    assert "di luar cakupan" in refused.plan.errors[0].message
    by_reviewer = run(path, reviewer)
    assert not by_reviewer.imported and by_reviewer.plan.errors[0].row == 0  # the whole file, before any row
    assert not IkpaTreasuryFigure.objects.exists()


def test_an_officers_export_naming_another_provinces_satker_is_refused_whole(
    tmp_path, officer, satker, other_satker, year_2024
) -> None:
    path = samples.export(tmp_path / "x.xlsx", [
        ("170019", "B", 100, 100, 100, 99, 99, 99, 0, 90, 0, 0, 0),
        ("110019", "A", 100, 100, 100, 99, 99, 99, 0, 90, 0, 0, 0),
    ])  # fmt: skip
    result = run(path, officer)
    assert not result.imported and [(e.row, e.column) for e in result.plan.errors] == [(8, "Kode Satker")]
    assert not IkpaTreasuryFigure.objects.exists()


# -- the upload flow: preview old -> new over a typed figure, the upload linked ---------------------


def test_an_import_over_the_admins_typed_figure_shows_old_and_new_and_links_the_upload(
    tmp_path, admin_user, officer, satker, fiscal_year
) -> None:
    year = fiscal_year.year
    IkpaTreasuryFigure.objects.create(satker=satker, fiscal_year=fiscal_year, month=3, indicator="kontraktual",
                                      value=Decimal("90.00"), source=Source.ADMIN, entered_by=admin_user)  # fmt: skip
    path = samples.template(tmp_path / "ikpa.xlsx", [["170019", year, 3, "95,5", 100, None, None]])
    client = client_for(officer)
    with path.open("rb") as file:
        response = client.post(reverse("imports:upload", args=["ikpa"]), {"file": file})
    upload = Upload.objects.get()
    assert response.status_code == 302 and upload.status == Upload.Status.READY, upload.errors
    # One row for the satker-month: kontraktual 90 -> 95,5 (the admin's figure), tagihan new, and
    # the source changes from typed to imported.
    changes = [["kontraktual", "90", "95,5"], ["tagihan", "-", "100"], ["sumber", "diisi admin", "impor OM-SPAN"]]
    assert upload.preview == [[2, "changed", f"170019 · {year} · Maret", changes]]
    page = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "95,5" in page and "diisi admin" in page
    assert IkpaTreasuryFigure.objects.get(indicator="kontraktual").value == Decimal("90.00")  # nothing yet
    client.post(reverse("imports:confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED
    imported = IkpaTreasuryFigure.objects.get(indicator="kontraktual")
    assert (imported.value, imported.source, imported.upload, imported.entered_by) == (
        Decimal("95.50"), Source.IMPORT, upload, officer)  # fmt: skip
    assert [h.value for h in imported.history.order_by("history_date")] == [Decimal("90.00"), Decimal("95.50")]
    assert IkpaTreasuryFigure.objects.get(indicator="tagihan").upload == upload
