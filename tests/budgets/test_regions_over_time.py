"""Regions over time (issue 19): provinces with validity dates, regencies with their earlier
province, and every write, form and import resolving a regency as of the record's year."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from budgets.master_data import DATA_DIR
from budgets.models import Authority, FiscalYear, Province, Regency, RegencyPeriod, Satker, SatkerAuthority
from budgets.region_lookup import RegionMap, province_id_on, province_of_record, regencies_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _master_data() -> None:
    load()


def load(**options: object) -> None:
    call_command("load_master_data", through_year=2026, stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_the_four_new_papua_provinces_have_their_founding_dates() -> None:
    assert {p.bps_code: p.valid_from for p in Province.objects.exclude(valid_from=None)} == {
        "95": date(2022, 7, 25),
        "96": date(2022, 7, 25),
        "97": date(2022, 7, 25),
        "92": date(2022, 12, 8),
    }
    assert Province.objects.existing_in(2022).count() == 34
    assert Province.objects.existing_on(date(2022, 12, 7)).count() == 37  # Papua Barat Daya: 8 December 2022
    assert Province.objects.existing_in(2023).count() == 38


def test_a_regency_of_papua_pegunungan_was_papuas_until_24_july_2022() -> None:
    jayawijaya = Regency.objects.get(name="Kabupaten Jayawijaya")
    papua, pegunungan = Province.objects.get(bps_code="94"), Province.objects.get(bps_code="97")
    assert jayawijaya.province == pegunungan
    assert province_id_on(jayawijaya, date(2022, 7, 24)) == papua.pk
    assert province_id_on(jayawijaya, date(2022, 7, 25)) == pegunungan.pk
    assert province_of_record(jayawijaya, 2021) == province_of_record(jayawijaya, 2022) == papua.pk
    assert province_of_record(jayawijaya, 2023) == pegunungan.pk
    sorong = Regency.objects.get(name="Kota Sorong")  # Papua Barat until 7 December 2022
    assert province_of_record(sorong, 2022) == Province.objects.get(bps_code="91").pk
    assert province_of_record(sorong, 2023) == Province.objects.get(bps_code="92").pk
    regions = RegionMap()
    assert regions.province_of_record(jayawijaya.pk, 2022) == papua.pk
    assert regions.province_of_record(jayawijaya.pk, 2024) == pegunungan.pk
    assert RegencyPeriod.objects.count() == 26


def test_the_regencies_of_a_province_follow_the_year() -> None:
    papua = Province.objects.get(bps_code="94")
    in_2022 = set(regencies_in(papua, 2022).values_list("name", flat=True))
    in_2024 = set(regencies_in(papua, 2024).values_list("name", flat=True))
    assert "Kabupaten Jayawijaya" in in_2022 and "Kabupaten Merauke" in in_2022
    assert "Kabupaten Jayawijaya" not in in_2024
    assert in_2024 == set(papua.regencies.values_list("name", flat=True))
    assert len(in_2022) == len(in_2024) + 20  # Papua Selatan 4, Papua Tengah 8, Papua Pegunungan 8
    assert not regencies_in(Province.objects.get(bps_code="97"), 2022).exists()


def test_no_satker_authority_in_a_year_its_province_did_not_exist() -> None:
    pegunungan = Satker.objects.get(province__bps_code="97", is_central=False)
    assert not SatkerAuthority.objects.filter(satker=pegunungan, fiscal_year__year__lte=2023).exists()
    authority = SatkerAuthority(satker=pegunungan, fiscal_year=FiscalYear.objects.get(year=2022), authority="DK")
    with pytest.raises(ValidationError) as refused:
        authority.full_clean()
    assert "Papua Pegunungan baru dibentuk pada 25 Juli 2022" in str(refused.value)
    # Existed in 2023, but its Industry Service received no 2022-2023 deconcentration.
    authority.fiscal_year = FiscalYear.objects.get(year=2023)
    with pytest.raises(ValidationError, match="mulai TA 2024"):
        authority.full_clean()


def test_an_earlier_loads_impossible_authority_is_withdrawn_unless_it_has_a_budget() -> None:
    pegunungan = Satker.objects.get(province__bps_code="97", is_central=False)
    SatkerAuthority.objects.create(satker=pegunungan, fiscal_year=FiscalYear.objects.get(year=2022),
                                   authority=Authority.DK)  # fmt: skip
    load()
    assert not SatkerAuthority.objects.filter(satker=pegunungan, fiscal_year__year=2022).exists()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_new_provinces_regency_without_its_earlier_province_is_refused(data_copy: Path) -> None:
    history = data_copy / "regency_history.csv"
    lines = history.read_text(encoding="utf-8").splitlines()
    history.write_text("\n".join(line for line in lines if not line.startswith("95.01,")) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"95\.01 ada di provinsi yang berdiri 2022-07-25"):
        load(data_dir=data_copy)


def test_a_period_ending_after_the_new_province_began_is_refused(data_copy: Path) -> None:
    history = data_copy / "regency_history.csv"
    text = history.read_text(encoding="utf-8").replace("95.01,94,,2022-07-24", "95.01,94,,2022-08-01")
    history.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="harus sebelum 2022-07-25"):
        load(data_dir=data_copy)
