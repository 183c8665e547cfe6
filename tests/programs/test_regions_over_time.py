"""Records placed in a regency count for its province as of the record's year (issue 19): a 2022
record in Jayawijaya (Papua Pegunungan since 25 July 2022) is Papua's, in the registry, the
programme records, their forms and imports, and the IKM report."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from budgets.models import FiscalYear, Province, Regency, Satker
from budgets.reports.queries import RealizationFilter
from programs.models import Enterprise
from programs.records.forms import NewEntrepreneurForm
from programs.records.services import new_entrepreneur_create
from programs.registry.report import ikm_report
from programs.registry.services import enterprise_save
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _master_data() -> None:
    call_command("load_master_data", through_year=2026, stdout=io.StringIO())


def enterprise_data(regency: Regency, year: int, nib: str) -> dict:
    return {"nib": nib, "name": f"Noken Wamena {nib[-2:]}", "owner": "Ibu Yuliana", "regency": regency,
            "address": "Jl. Trikora 1", "kbli": "13921", "workers_male": 1, "workers_female": 4,
            "investment": 5_000_000, "production_value": 60_000_000, "data_year": year}  # fmt: skip


def province_rows(year: int) -> dict[str, dict]:
    return {row["province"]: row for row in ikm_report(RealizationFilter(year=year)).rows if row["group"] == "province"}


def test_a_2022_registry_record_in_jayawijaya_is_papuas_and_a_2023_one_papua_pegunungans() -> None:
    papua, pegunungan = Province.objects.get(bps_code="94"), Province.objects.get(bps_code="97")
    jayawijaya = Regency.objects.get(name="Kabupaten Jayawijaya")
    papua_officer = personas.officer_of(papua)
    old = enterprise_save(by=papua_officer, data=enterprise_data(jayawijaya, 2022, "9100000000001"))
    assert (old.province, old.satker.code) == (papua, "940019")
    # Papua's officer may not place a record of 2023 there: the regency had left the province.
    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=papua_officer, data=enterprise_data(jayawijaya, 2023, "9100000000002"))
    assert "di luar provinsi Anda" in str(refused.value)
    new = enterprise_save(by=personas.officer_of(pegunungan), data=enterprise_data(jayawijaya, 2023, "9100000000003"))
    assert (new.province, new.satker.code) == (pegunungan, "970019")
    assert Enterprise.objects.count() == 2

    rows_2022 = {
        row["province"]: row for row in ikm_report(RealizationFilter(year=2022)).rows if row["group"] == "province"
    }
    assert len(rows_2022) == 34 and "97" not in rows_2022  # the map of 2022
    assert rows_2022["94"]["enterprises"] == 1
    rows_2023 = {
        row["province"]: row for row in ikm_report(RealizationFilter(year=2023)).rows if row["group"] == "province"
    }
    assert len(rows_2023) == 38
    assert (rows_2023["94"]["enterprises"], rows_2023["97"]["enterprises"]) == (1, 1)  # as collected


def test_papuas_2022_satker_records_a_wub_in_jayawijaya_but_not_in_2024() -> None:
    papua = Province.objects.get(bps_code="94")
    satker = Satker.objects.get(code="940019")
    jayawijaya = Regency.objects.get(name="Kabupaten Jayawijaya")
    officer = personas.officer_of(papua)
    assert jayawijaya in NewEntrepreneurForm(province=papua, year=2022).fields["regency"].queryset
    assert jayawijaya not in NewEntrepreneurForm(province=papua, year=2024).fields["regency"].queryset
    record = new_entrepreneur_create(satker=satker, fiscal_year=FiscalYear.objects.get(year=2022), month=3,
                                     name="Yosina", regency=jayawijaya, business_type="Noken", by=officer,
                                     today=date(2022, 4, 2))  # fmt: skip
    assert record.regency == jayawijaya
    with pytest.raises(ValidationError, match="tidak berada di provinsi satker"):
        new_entrepreneur_create(satker=satker, fiscal_year=FiscalYear.objects.get(year=2024), month=3,
                                name="Yosina", regency=jayawijaya, business_type="Noken", by=officer,
                                today=date(2024, 4, 2))  # fmt: skip


def test_the_ikm_import_places_each_row_in_its_data_years_province(tmp_path) -> None:
    from tests.programs.registry.test_import import HEADER, errors_of, imported, row, workbook

    papua = Province.objects.get(bps_code="94")
    officer = personas.officer_of(papua)
    path = workbook(tmp_path / "ikm.xlsx", [
        row(nib="9400000000001", kode_kabkota="95.01", tahun_pendataan=2021),  # Jayawijaya, Papua's then
        row(nib="9400000000002", kode_kabkota="91.71", tahun_pendataan=2023),  # Kota Jayapura, still Papua
    ])  # fmt: skip
    result = imported(path, officer)
    assert result.plan.ok, result.plan.errors
    assert set(Enterprise.objects.values_list("nib", "province__bps_code", "satker__code")) == {
        ("9400000000001", "94", "940019"),
        ("9400000000002", "94", "940019"),
    }
    later = workbook(tmp_path / "ikm2.xlsx", [row(nib="9400000000003", kode_kabkota="95.01", tahun_pendataan=2023)])
    refused = imported(later, officer)
    assert errors_of(refused) == [(2, "kode_kabkota")]
    assert Enterprise.objects.count() == 2
    assert HEADER[3] == "kode_kabkota"
