"""Template downloads: the contract's header, an instructions sheet, dropdowns, text-formatted
codes and rows pre-filled with the officer's own budget lines; not for reviewers or viewers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from imports.catalog import KINDS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CONTRACT_HEADERS = {
    "realisasi": ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"],
    "rpd": ["kode_satker", "tahun", "bulan", "jenis_belanja", "rencana"],
    "pagu": ["kode_satker", "tahun", "kode_komponen", "kode_akun", "pagu", "blokir", "kode_ro"],
    "ikm": ["nib", "nama_usaha", "nama_pemilik", "kode_kabkota", "alamat", "kbli", "tenaga_kerja_l",
            "tenaga_kerja_p", "investasi", "nilai_produksi", "tahun_pendataan"],
    "wub": ["kode_satker", "tahun", "bulan", "nama", "kode_kabkota", "jenis_usaha", "nib", "tanggal_nib"],
    "ovop": ["kode_satker", "nama_sentra", "kode_kabkota", "desa", "kelompok_komoditas", "jumlah_ikm", "tahun",
             "bintang"],
    "fasilitasi": ["kode_satker", "tahun", "bulan", "jenis", "nib", "nama_usaha", "nilai", "keterangan",
                   "nomor_sertifikat", "tanggal_sertifikat"],
    "kemiskinan": ["kode_satker", "tahun", "bulan", "kode_kabkota", "jenis", "uraian", "penerima_manfaat", "nilai"],
    "capaian_ro": ["kode_satker", "tahun", "bulan", "kode_ro", "volume", "progres_fisik", "keterangan"],
    "ikpa": ["kode_satker", "tahun", "bulan", "kontraktual", "tagihan", "up_tup", "dispensasi"],
}  # fmt: skip


def download(client, kind: str, **params: str) -> openpyxl.Workbook:
    response = client.get(reverse("imports:template", args=[kind]), params)
    assert response.status_code == 200, response.content[:300]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_every_kind_has_the_contract_header_and_instructions(officer, satker) -> None:
    assert set(KINDS) == set(CONTRACT_HEADERS)
    client = client_for(officer)
    for kind, header in CONTRACT_HEADERS.items():
        workbook = download(client, kind)
        codes = ["Kode kabupaten-kota"] if "kode_kabkota" in header else []
        assert workbook.sheetnames == ["data", *codes, "petunjuk"], kind
        assert [cell.value for cell in workbook["data"][1]] == header
        guide = "\n".join(str(row[0].value) for row in workbook["petunjuk"].iter_rows() if row[0].value)
        for column in header:
            assert column in guide


def test_codes_are_text_and_kinds_have_dropdowns(officer, satker) -> None:
    sheet = download(client_for(officer), "fasilitasi")["data"]
    assert sheet["A2"].number_format == "@"  # kode_satker
    assert sheet["E2"].number_format == "@"  # nib
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert any("SNI" in formula and "RESTRUKTURISASI" in formula and "I40" in formula for formula in formulas)
    assert sheet["A2"].value == "170019"  # the officer's satker, pre-filled


def test_realization_template_lists_the_officers_budget_lines(officer, satker, dipa, today) -> None:
    sheet = download(client_for(officer), "realisasi")["data"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=10) if row[0].value]
    assert rows == [
        ["170019", today.year, today.month, "051", "521211", None],
        ["170019", today.year, today.month, "051", "524111", None],
        ["170019", today.year, today.month, "051", "532111", None],
    ]


def test_admin_picks_a_satker_and_cannot_reach_beyond_scope_errors(admin_user, other_satker, dipa) -> None:
    sheet = download(client_for(admin_user), "pagu", satker="110019")["data"]
    assert [cell.value for cell in sheet[2]][:6] == ["110019", dipa.fiscal_year.year, "051", "521211", 80_000_000, 0]


def test_other_province_satker_is_a_404_and_readers_get_403(officer, other_satker, reviewer, viewer) -> None:
    assert client_for(officer).get(reverse("imports:template", args=["pagu"]), {"satker": "110019"}).status_code == 404
    for user in (reviewer, viewer):
        assert client_for(user).get(reverse("imports:template", args=["pagu"])).status_code == 403
    assert client_for(officer).get(reverse("imports:template", args=["unknown"])).status_code == 404


def regency_sheet_rows(workbook: openpyxl.Workbook) -> list[tuple]:
    sheet = workbook["Kode kabupaten-kota"]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("kind", ["wub", "ovop", "kemiskinan", "ikm"])
def test_regency_code_sheet_is_the_officers_province_or_all_for_the_directorate(
    kind, officer, reviewer, admin_user, satker, regency, other_regency
) -> None:
    own = download(client_for(officer), kind)
    assert own.sheetnames[1] == "Kode kabupaten-kota"
    rows = regency_sheet_rows(own)
    assert rows[0] == ("Kode Kemendagri", "Kabupaten/kota", "Provinsi")
    assert rows[1:] == [(regency.kemendagri_code, regency.name, regency.province.name)]  # not Aceh's
    # The regency column (kode_kabkota) offers the sheet's codes as a list.
    data = own["data"]
    letter = next(cell.column_letter for cell in data[1] if cell.value == "kode_kabkota")
    lists = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation if v.type == "list"}
    assert lists[f"{letter}2:{letter}1001"] == "'Kode kabupaten-kota'!$A$2:$A$2"

    guide = "\n".join(str(row[0].value) for row in own["petunjuk"].iter_rows() if row[0].value)
    assert "lembar 'Kode kabupaten-kota'" in guide

    everything = regency_sheet_rows(download(client_for(admin_user), kind))
    assert {row[0] for row in everything[1:]} == {regency.kemendagri_code, other_regency.kemendagri_code}


def test_kinds_without_a_regency_column_have_no_code_sheet(officer, satker, regency) -> None:
    assert "Kode kabupaten-kota" not in download(client_for(officer), "fasilitasi").sheetnames
