"""load_master_data: the national lists, counts, idempotence, and refusal of malformed files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from budgets.master_data import DATA_DIR
from budgets.models import (
    Account,
    Authority,
    BudgetComponent,
    FiscalYear,
    IkpaWeight,
    Province,
    Regency,
    Satker,
    SatkerAuthority,
    SpendingType,
)

pytestmark = pytest.mark.django_db

THROUGH = 2026
MODELS = [Province, Regency, Satker, SatkerAuthority, FiscalYear, IkpaWeight, BudgetComponent, SpendingType, Account]


def load(**options: object) -> None:
    call_command("load_master_data", through_year=THROUGH, stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_38_provinces_and_514_regencies() -> None:
    load()
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.filter(kind="kota").count() == 98
    bengkulu = Province.objects.get(bps_code="17")
    assert (bengkulu.name, bengkulu.iso_code) == ("Bengkulu", "ID-BE")
    # Papua group: BPS and Kemendagri codes differ; regencies hang on the Kemendagri code.
    papua = Province.objects.get(bps_code="94")
    assert papua.kemendagri_code == "91"
    assert papua.regencies.filter(kemendagri_code__startswith="91.").count() == papua.regencies.count() > 0


def test_every_province_has_a_provincial_satker_and_central_units_are_kp() -> None:
    load()
    provinces_with_satker = Province.objects.filter(satkers__is_central=False).distinct().count()
    assert provinces_with_satker == 38
    central = Satker.objects.filter(is_central=True)
    assert central.count() >= 1
    assert set(central.values_list("province__name", flat=True)) == {"DKI Jakarta"}
    assert not SatkerAuthority.objects.filter(satker__is_central=True).exclude(authority=Authority.KP).exists()


def test_provincial_authority_is_dk_until_2023_and_tp_from_2024() -> None:
    load()
    provincial = SatkerAuthority.objects.filter(satker__is_central=False)
    assert set(provincial.filter(fiscal_year__year__lte=2023).values_list("authority", flat=True)) == {"DK"}
    assert set(provincial.filter(fiscal_year__year__gte=2024).values_list("authority", flat=True)) == {"TP"}
    per_year = provincial.values("fiscal_year__year").annotate(n=Count("pk"))
    # DK 2022-2023 in the 34 provinces that existed when those DIPAs were issued; TP from 2024 in 38.
    assert {row["fiscal_year__year"]: row["n"] for row in per_year} == {
        year: 34 if year <= 2023 else 38 for year in range(2022, THROUGH + 1)
    }
    dk_2022 = set(provincial.filter(fiscal_year__year=2022).values_list("satker__province__bps_code", flat=True))
    assert not dk_2022 & {"92", "95", "96", "97"}


def test_fiscal_years_and_their_parameters() -> None:
    load()
    assert list(FiscalYear.objects.order_by("year").values_list("year", flat=True)) == list(range(2022, THROUGH + 1))
    y2022 = FiscalYear.objects.get(year=2022)
    assert str(y2022.below_average_threshold) == "91.20"
    y2026 = FiscalYear.objects.get(year=2026)
    assert (y2026.target_q2, y2026.target_q4) == (60, 99)  # copied from the last listed year
    assert sum(w.weight for w in y2026.ikpa_weights.all()) == 100
    # Issue 24: 2022 has its own weights now (PER-5/PB/2022, dispensasi SPM weighted 5).
    assert dict(FiscalYear.objects.get(year=2022).ikpa_weights.values_list("indicator", "weight")) == {
        "DIPA_REVISION": 10, "PAGE3_DEVIATION": 10, "ABSORPTION": 20, "CONTRACT": 10, "INVOICE": 10,
        "PETTY_CASH": 10, "DISPENSATION": 5, "OUTPUT": 25,
    }  # fmt: skip


def test_budget_classification() -> None:
    load()
    assert set(SpendingType.objects.values_list("code", flat=True)) == {"51", "52", "53", "57"}
    assert BudgetComponent.objects.filter(name__icontains="OVOP").exists()
    assert BudgetComponent.objects.filter(name__icontains="kemiskinan ekstrem").exists()
    assert BudgetComponent.objects.filter(name__icontains="Pendataan").exists()
    for account in Account.objects.select_related("spending_type"):
        assert account.spending_type.code == account.code[:2]


def test_second_run_changes_nothing() -> None:
    load()
    before = counts()
    history_before = Province.history.count() + Regency.history.count() + Satker.history.count()
    load()
    assert counts() == before
    assert Province.history.count() + Regency.history.count() + Satker.history.count() == history_before


def test_reference_lists_are_restored_but_admin_configuration_is_kept() -> None:
    load()
    Province.objects.filter(bps_code="17").update(name="Bengkulu (salah ketik)")
    FiscalYear.objects.filter(year=2022).update(below_average_threshold="90.00")
    load()
    assert Province.objects.get(bps_code="17").name == "Bengkulu"
    assert str(FiscalYear.objects.get(year=2022).below_average_threshold) == "90.00"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "provinces.csv",
            "17,17,Bengkulu",
            "1X,17,Bengkulu",
            "provinces.csv baris 8, kolom bps_code: '1X' bukan kode BPS 2 digit",
        ),
        (
            "regencies_kemendagri.csv",
            "11.01,11,",
            "1101,11,",
            "regencies_kemendagri.csv baris 2, kolom kemendagri_code",
        ),
        ("regencies_kemendagri.csv", "11.02,11,", "12.02,11,", "tidak diawali kode provinsinya"),
        ("satkers.csv", "170019,", "17001,", "satkers.csv baris 12, kolom code: '17001' bukan kode satker 6 digit"),
        ("accounts.csv", "521211,", "991211,", "accounts.csv baris 8, kolom code: dua digit pertama '99'"),
        ("provinces.csv", "18,18,Lampung", "17,18,Lampung", "'17' sudah ada di baris 8"),
        (
            "holidays.csv",
            "2026-02-16,Cuti Bersama Tahun Baru Imlek,cuti_bersama",
            "2026-02-30,Cuti Bersama Tahun Baru Imlek,cuti",
            "holidays.csv baris 108, kolom date: '2026-02-30' bukan tanggal (YYYY-MM-DD)",
        ),
        ("holidays.csv", "2026-02-17,Tahun Baru Imlek", "2026-02-16,Tahun Baru Imlek", "sudah ada di baris 108"),
        ("rpd_cutoffs.csv", "2026,1,2026-02-19", "2026,1,2025-12-31", "harus di antara 2026-01-01"),
        ("rpd_cutoffs.csv", "2026,2,2026-04-15", "2026,1,2026-04-15", "TW 1 tahun 2026 sudah ada di baris 2"),
    ],
)
def test_malformed_rows_are_named_and_nothing_is_written(data_copy, file, old, new, message) -> None:
    replace_line(data_copy / file, old, new)
    with pytest.raises(CommandError) as refused:
        load(data_dir=data_copy)
    assert message in str(refused.value)
    assert sum(counts().values()) == 0


def test_malformed_rows_leave_an_existing_load_untouched(data_copy) -> None:
    load()
    before = counts()
    replace_line(data_copy / "provinces.csv", "Bengkulu,Bengkulu", "Bengkulu Baru,Bengkulu")
    replace_line(data_copy / "satkers.csv", "110019,", "11001A,")
    with pytest.raises(CommandError, match="11001A"):
        load(data_dir=data_copy)
    assert counts() == before
    assert Province.objects.get(bps_code="17").name == "Bengkulu"


def test_wrong_header_is_refused(data_copy) -> None:
    replace_line(data_copy / "components.csv", "code,name,name_en", "kode,name,name_en")
    with pytest.raises(CommandError, match=re.escape("components.csv baris 1: kolom harus code, name, name_en")):
        load(data_dir=data_copy)


def test_holidays_are_loaded_for_each_year_and_the_next() -> None:
    from datetime import date

    from budgets.models import Holiday

    load()
    assert Holiday.objects.filter(date=date(2022, 8, 17)).exists()
    assert Holiday.objects.filter(date=date(THROUGH + 1, 1, 1)).exists()  # December's report is due in January
    assert Holiday.objects.filter(date__year=2022).count() == 20
