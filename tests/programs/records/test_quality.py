"""Data-quality rules of the month's programme records (programs/records/quality.py): each fires
on a constructed case and not on its normal neighbour, names the figures, and is stored as a flag
by budgets' refresh in a number of queries that does not grow with the records."""

from __future__ import annotations

import pytest
from django.utils import translation

from budgets.models import FiscalYear, MonthlyReport, QualityFlag
from budgets.services.quality import flags_refresh
from budgets.services.realization import report_get_or_create
from programs.models import Facilitation, FacilitationKind, NewEntrepreneur
from programs.records.quality import (
    CERTIFIED_NO_NUMBER,
    DEFAULT_EXHIBITION_VALUE_PER_IKM_CAP,
    EXHIBITION_VALUE_CAP,
    NIB_TWO_PROVINCES,
    WUB_DUPLICATE,
    record_findings,
)

pytestmark = pytest.mark.django_db

NIB = "1234567890123"


@pytest.fixture
def report(satker, fiscal_year) -> MonthlyReport:
    return report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=2)[0]


def month_report(satker, fiscal_year: FiscalYear, month: int) -> MonthlyReport:
    return report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=month)[0]


def wub(report: MonthlyReport, regency, name: str = "Siti Aminah", nib: str | None = NIB) -> NewEntrepreneur:
    return NewEntrepreneur.objects.create(satker=report.satker, fiscal_year=report.fiscal_year, month=report.month,
                                          report=report, name=name, regency=regency, business_type="Keripik",
                                          nib=nib)  # fmt: skip


def facilitation(report: MonthlyReport, kind: str, **fields) -> Facilitation:
    fields.setdefault("enterprise_name", "UD Maju")
    return Facilitation.objects.create(satker=report.satker, fiscal_year=report.fiscal_year, month=report.month,
                                       report=report, kind=kind, **fields)  # fmt: skip


def codes(report: MonthlyReport) -> list[str]:
    return sorted(finding.code for finding in record_findings(report))


# -- WUB_DUPLICATE -------------------------------------------------------------------------------


def test_same_wub_recorded_twice_in_the_year_is_flagged_with_where(report, regency, satker, fiscal_year) -> None:
    earlier = month_report(satker, fiscal_year, 1)
    wub(earlier, regency, name="SITI  AMINAH")  # the same name, normalised
    record = wub(report, regency, name="Siti Aminah")
    (finding,) = record_findings(report)
    assert finding.code == WUB_DUPLICATE and finding.target == record
    assert "Siti Aminah" in finding.reason and "Kota Bengkulu" in finding.reason and NIB in finding.reason
    assert "2 kali" in finding.reason and f"{satker.code} Januari" in finding.reason
    with translation.override("en"):  # the month's name follows the reader, not the finder
        assert "2 times" in finding.reason and f"{satker.code} January" in finding.reason


def test_wub_with_another_nib_regency_or_name_is_not_a_duplicate(report, regency, other_regency) -> None:
    wub(report, regency, nib=NIB)
    wub(report, regency, nib="1234567890124")
    wub(report, regency, name="Siti Aminah Dua", nib=NIB)
    assert WUB_DUPLICATE not in codes(report)


def test_same_wub_without_nib_twice_is_a_duplicate(report, regency) -> None:
    wub(report, regency, nib=None)
    wub(report, regency, nib=None)
    assert codes(report) == [WUB_DUPLICATE, WUB_DUPLICATE]


# -- NIB_TWO_PROVINCES ---------------------------------------------------------------------------


def test_nib_used_in_another_province_is_flagged(report, regency, other_satker, other_regency, fiscal_year) -> None:
    wub(report, regency)
    elsewhere = month_report(other_satker, fiscal_year, 5)
    facilitation(elsewhere, FacilitationKind.PRODUCT, nib=NIB)
    (finding,) = record_findings(report)
    assert finding.code == NIB_TWO_PROVINCES
    assert NIB in finding.reason and "Aceh" in finding.reason and "Bengkulu" in finding.reason


def test_nib_used_twice_in_the_same_province_is_not_flagged(report, regency, satker, fiscal_year) -> None:
    wub(report, regency)
    facilitation(month_report(satker, fiscal_year, 3), FacilitationKind.PRODUCT, nib=NIB)
    assert NIB_TWO_PROVINCES not in codes(report)


# -- EXHIBITION_VALUE_CAP ------------------------------------------------------------------------


def test_exhibition_value_above_the_cap_is_flagged(report, settings) -> None:
    settings.QUALITY_EXHIBITION_VALUE_PER_IKM_CAP = 100_000_000
    facilitation(report, FacilitationKind.EXHIBITION, value=100_000_000)  # exactly the cap
    facilitation(report, FacilitationKind.RESTRUCTURING, value=900_000_000)  # not an exhibition
    above = facilitation(report, FacilitationKind.EXHIBITION, value=100_000_001, enterprise_name="CV Batik")
    (finding,) = record_findings(report)
    assert finding.code == EXHIBITION_VALUE_CAP and finding.target == above
    assert "CV Batik" in finding.reason and "Rp100.000.001" in finding.reason and "Rp100.000.000" in finding.reason


def test_exhibition_cap_has_a_documented_default(report, settings) -> None:
    del settings.QUALITY_EXHIBITION_VALUE_PER_IKM_CAP
    assert DEFAULT_EXHIBITION_VALUE_PER_IKM_CAP == 500_000_000
    facilitation(report, FacilitationKind.EXHIBITION, value=500_000_000)
    assert codes(report) == []


# -- CERTIFIED_NO_NUMBER -------------------------------------------------------------------------


def test_certified_facilitation_without_number_is_flagged(report) -> None:
    missing = facilitation(report, FacilitationKind.HALAL, certificate_number=" ", enterprise_name="UD Rasa")
    facilitation(report, FacilitationKind.SNI, certificate_number="SNI-01-2026")
    facilitation(report, FacilitationKind.PRODUCT)  # not a certified kind
    (finding,) = record_findings(report)
    assert finding.code == CERTIFIED_NO_NUMBER and finding.target == missing
    assert "Sertifikasi halal" in finding.reason and "UD Rasa" in finding.reason
    with translation.override("en"):
        assert finding.reason.startswith("Halal certification for UD Rasa is recorded without")


# -- stored as flags -----------------------------------------------------------------------------


def test_refresh_stores_record_flags_with_their_target(report, regency) -> None:
    record = wub(report, regency, nib=None)
    wub(report, regency, nib=None)
    facilitation(report, FacilitationKind.ISO)
    flags = flags_refresh(report=report)
    assert sorted(flag.code for flag in flags) == [CERTIFIED_NO_NUMBER, WUB_DUPLICATE, WUB_DUPLICATE]
    stored = QualityFlag.objects.get(report=report, target_id=record.pk, code=WUB_DUPLICATE)
    assert stored.target_type.model_class() is NewEntrepreneur
    assert [flag.pk for flag in flags_refresh(report=report)] == [flag.pk for flag in flags]


def test_record_rules_queries_do_not_grow_with_records(
    report, regency, other_satker, fiscal_year, django_assert_max_num_queries
) -> None:
    def add(count: int, offset: int) -> None:
        for index in range(count):
            nib = f"{9000000000000 + offset + index}"
            wub(report, regency, name=f"WUB {offset + index}", nib=nib)
            wub(report, regency, name=f"WUB {offset + index}", nib=nib)
            facilitation(report, FacilitationKind.HALAL, nib=nib)
            facilitation(report, FacilitationKind.EXHIBITION, value=10**12)
            facilitation(month_report(other_satker, fiscal_year, 2), FacilitationKind.PRODUCT, nib=nib)

    add(2, 0)
    with django_assert_max_num_queries(30) as small:
        flags_refresh(report=report)
    # Five times the records (10 per kind, 50 flags): the history rows of the 40 new flags still
    # fit one INSERT on SQLite, which splits a bulk insert at 999 parameters (21 columns a row).
    add(8, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        flags_refresh(report=report)
