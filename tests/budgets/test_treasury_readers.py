"""The readers of the treasury's layouts on sample files made to them (tests/budgets/treasury_samples.py):
the hierarchy read from the codes' shapes, amounts in thousands multiplied by 1000, the RPD months,
the realization in one month or twelve; and malformed files refused with the row and column named."""

from __future__ import annotations

import pytest

from budgets.treasury.examples import PokRow
from budgets.treasury.layouts import POK_LAYOUTS, REALIZATION_LAYOUTS
from budgets.treasury.reader import TreasuryFileError, read_pok, read_realization
from tests.budgets import treasury_samples as samples

YEAR = 2026


def refusal(read, path, layouts) -> list[str]:
    with pytest.raises(TreasuryFileError) as refused:
        read(path, layouts)
    return [str(error) for error in refused.value.errors]


def test_pok_hierarchy_thousands_and_rpd(tmp_path) -> None:
    pok = read_pok(samples.pok(tmp_path / "pok.xlsx", YEAR), POK_LAYOUTS)
    assert (pok.satker, pok.year, pok.has_rpd) == ("170019", YEAR, True)
    # Program, kegiatan, KRO, RO, komponen and sub-komponen rows carry no line; the four akun rows
    # do, each under RO 6503.RBS.001 and komponen 051 (524111 twice: under sub-komponen A and B).
    assert [(a.ro, a.component, a.account) for a in pok.accounts] == [
        ("6503.RBS.001", "051", "521211"), ("6503.RBS.001", "051", "524111"),
        ("6503.RBS.001", "051", "524111"), ("6503.RBS.001", "051", "532111"),
    ]  # fmt: skip
    material = pok.accounts[0]
    # 100.000 thousand = Rp100.000.000; blokir 10.000 thousand = Rp10.000.000.
    assert (material.pagu, material.blokir) == (100_000_000, 10_000_000)
    # Its two detail rows (50.000 + 50.000 thousand) are its rincian.
    assert (material.detail_rows, material.details) == (2, 100_000_000)
    # RPD: March to October Rp10.000.000 each, November and December Rp5.000.000: 8 x 10 + 2 x 5 = 90 juta
    # = pagu - blokir.
    assert material.rpd[1] == 0 and material.rpd[3] == 10_000_000 and material.rpd[12] == 5_000_000
    assert sum(material.rpd.values()) == 90_000_000
    assert pok.accounts[3].rpd[8] == 30_000_000


def test_pok_bare_ro_under_its_kro_and_text_amounts(tmp_path) -> None:
    rows = [
        PokRow("6503", "Kegiatan", None), PokRow("RBS", "KRO", None), PokRow("001", "RO", None),
        PokRow("051", "Komponen", None),
        # Indonesian text: "12.500,5" thousand = Rp12.500.500.
        PokRow("521211", "Belanja Bahan", "12.500,5", None, ["12.500,5"]),
        # A komponen typed into a number cell lost its zero: 51 is read 051.
        PokRow(51, "Komponen lagi", None), PokRow("524111", "Perjalanan", 1, None, [1]),
    ]  # fmt: skip
    pok = read_pok(samples.pok(tmp_path / "pok.xlsx", YEAR, rows), POK_LAYOUTS)
    assert [(a.ro, a.component, a.account, a.pagu) for a in pok.accounts] == [
        ("6503.RBS.001", "051", "521211", 12_500_500), ("6503.RBS.001", "051", "524111", 1_000),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # A code whose shape is no level of the hierarchy, on its row (title block rows 1-7, header row 8,
        # column numbers row 9: the komponen is row 14, the akun 521211 row 16).
        ({"komponen": "05X1"}, "baris 14, kolom KODE: Kode '05X1' tidak dikenali tingkatnya"),
        ({"material": "seratus"}, "baris 16, kolom JUMLAH BIAYA: 'seratus' bukan angka."),
        # The RPD of 521211 adds up to 95.000 thousand, not 100.000 - 10.000.
        ({"material_rpd": [*samples.RPD_521211[:11], 10_000]},
         "RPD Januari-Desember akun 521211 berjumlah 95.000.000, tidak sama dengan pagu efektifnya 90.000.000"),
        # Details 50.000 + 40.000 under an akun of 100.000.
        ({"details": (50_000, 40_000)},
         "Jumlah rincian di bawah akun 521211 (90.000.000) tidak sama dengan jumlah akunnya (100.000.000)."),
        ({"material_rpd": ["x", *samples.RPD_521211[1:]]}, "baris 16, kolom JAN: 'x' bukan angka."),
    ],
)  # fmt: skip
def test_malformed_pok_is_refused_naming_row_and_column(tmp_path, change, expected) -> None:
    path = samples.pok(tmp_path / "pok.xlsx", YEAR, samples.pok_rows(**change))
    assert any(expected in error for error in refusal(read_pok, path, POK_LAYOUTS)), refusal(
        read_pok, path, POK_LAYOUTS
    )


def test_pok_without_the_thousands_statement_or_layout_is_refused(tmp_path) -> None:
    # Without "(dalam ribuan rupiah)" the amounts are never multiplied by 1000 on a guess.
    no_unit = samples.pok(tmp_path / "pok.xlsx", YEAR, unit_note=None)
    assert "dalam ribuan rupiah" in refusal(read_pok, no_unit, POK_LAYOUTS)[0]
    other = samples.pok(tmp_path / "other.xlsx", YEAR, title="DAFTAR HADIR")
    assert "Tata letak berkas tidak dikenal" in refusal(read_pok, other, POK_LAYOUTS)[0]
    headers = samples.pok(tmp_path / "headers.xlsx", YEAR, headers=["NO", "NAMA", "NILAI"])
    assert "Tata letak berkas tidak dikenal" in refusal(read_pok, headers, POK_LAYOUTS)[0]


def test_realization_one_month_and_twelve_months(tmp_path) -> None:
    one = read_realization(samples.realization_month(tmp_path / "okt.xlsx", YEAR, "Oktober", [
        ("170019", "521211", "Belanja Bahan", 12_500_000), ("170019", "524111", "Perjalanan", "3.000.000"),
    ]), REALIZATION_LAYOUTS)  # fmt: skip
    assert one.layout.name == "omspan_realisasi_akun_satu_bulan" and (one.satker, one.year) == ("170019", YEAR)
    assert [(c.month, c.account, c.amount) for c in one.cells] == [
        (10, "521211", 12_500_000),
        (10, "524111", 3_000_000),
    ]
    twelve = read_realization(samples.realization_year(tmp_path / "tahun.xlsx", YEAR, [
        ("170019", "521211", "Belanja Bahan", [1_000, 2_000, *[0] * 10]),
    ]), REALIZATION_LAYOUTS)  # fmt: skip
    assert twelve.layout.name == "omspan_realisasi_akun_bulanan"
    assert [(c.month, c.amount) for c in twelve.cells][:3] == [(1, 1_000), (2, 2_000), (3, 0)]


def test_malformed_realization_is_refused(tmp_path) -> None:
    # A row of another satker than the file's title (title block rows 1-5, header row 6: the second row is 8).
    other = samples.realization_month(tmp_path / "a.xlsx", YEAR, "Oktober", [
        ("170019", "521211", "Belanja Bahan", 1), ("110019", "524111", "Perjalanan", 2),
    ])  # fmt: skip
    assert any("baris 8, kolom KODE SATKER: Kode satker 110019 tidak sama dengan satker berkas 170019" in e
               for e in refusal(read_realization, other, REALIZATION_LAYOUTS))  # fmt: skip
    words = samples.realization_month(tmp_path / "b.xlsx", YEAR, "Oktober", [("170019", "521211", "Bahan", "banyak")])
    # Rupiah cells are read as every import reads amounts (imports.reader.parse_amount).
    assert (
        "baris 7, kolom REALISASI: 'banyak' bukan jumlah rupiah; tulis angka saja, mis. 1250000 atau 1.250.000."
        in refusal(read_realization, words, REALIZATION_LAYOUTS)
    )
    no_month = samples.realization_month(tmp_path / "c.xlsx", YEAR, "Sepuluh", [("170019", "521211", "Bahan", 1)])
    assert "Bulan tidak ditemukan" in refusal(read_realization, no_month, REALIZATION_LAYOUTS)[0]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "1e999", True, "-5", "12,5,0", 10**16])
def test_hostile_amounts_are_refused_by_row_never_a_crash(tmp_path, value) -> None:
    path = samples.pok(tmp_path / "pok.xlsx", YEAR, samples.pok_rows(material=value))
    errors = refusal(read_pok, path, POK_LAYOUTS)
    # (openpyxl stores NaN and infinity as empty cells: the akun then reads 0, below its blokir.)
    assert any(error.startswith("baris 16, kolom") for error in errors), errors


def test_too_many_rows_are_refused(tmp_path) -> None:
    # 521211's 100.000 thousand in 100 details of 1.000: some 120 rows in all.
    path = samples.pok(tmp_path / "pok.xlsx", YEAR, samples.pok_rows(details=[1_000] * 100))
    assert "lebih dari 5 baris" in refusal(lambda p, layouts: read_pok(p, layouts, max_rows=5), path, POK_LAYOUTS)[0]
