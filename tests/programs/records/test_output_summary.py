"""The outputs report, read from the reports' output summary, gives the figures of the plain
count over the monthly records: random records in reports of every status, every filter; the
summary follows single writes (signals) and bulk writes (touch_report), and the rebuild command
finds and repairs a difference."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets.models import FiscalYear, MonthlyReport, SatkerAuthority
from budgets.reports.queries import BASIS_STATUSES, RealizationFilter
from programs.models import (
    KIND_OF,
    MONEY_KEYS,
    Facilitation,
    FacilitationKind,
    NewEntrepreneur,
    PovertyActivity,
    ReportOutput,
)
from programs.records import output_summary, services
from programs.records.report import output_rows
from tests.factories import ProvinceFactory, RegencyFactory, SatkerFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def records():
    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    fiscal_year = FiscalYear.objects.create(year=YEAR)
    reports = []
    for p in range(3):
        code = f"{71 + p}"
        province = ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-O{p}")
        regency = RegencyFactory(province=province)
        for s in range(2):
            satker = SatkerFactory(province=province, code=f"{code}00{s}9")
            SatkerAuthority.objects.create(satker=satker, fiscal_year=fiscal_year, authority=rng.choice(["DK", "TP"]))
            for month in range(1, 13):
                status = rng.choice(["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"])
                report = MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=month,
                                                      due_date=f"{YEAR}-12-31", status=status)  # fmt: skip
                reports.append((report, regency))
    common = {"fiscal_year": fiscal_year}
    wub, facilitations, poverty = [], [], []
    for report, regency in reports:
        base = {**common, "satker_id": report.satker_id, "month": report.month, "report": report}
        for i in range(rng.randint(0, 3)):
            nib = f"{rng.randint(10**12, 10**13 - 1)}" if rng.random() < 0.5 else None
            wub.append(NewEntrepreneur(**base, name=f"WUB {i}", regency=regency, business_type="Kuliner", nib=nib))
        for i in range(rng.randint(0, 5)):
            kind, value = rng.choice(FacilitationKind.values), rng.randint(0, 9) * 1_000_000
            facilitations.append(Facilitation(**base, kind=kind, enterprise_name=f"IKM {i}", value=value))
        if rng.random() < 0.3:
            poverty.append(PovertyActivity(**base, regency=regency, kind=PovertyActivity.Kind.TRAINING,
                                           beneficiaries=rng.randint(1, 40)))  # fmt: skip
    # Bulk, as the import writes: no signal, so the summary is computed as the import's
    # touch_report() does.
    NewEntrepreneur.objects.bulk_create(wub)
    Facilitation.objects.bulk_create(facilitations)
    PovertyActivity.objects.bulk_create(poverty)
    output_summary.refresh(report.pk for report, _ in reports)
    return fiscal_year


def plain(filters: RealizationFilter) -> dict[tuple[str, str], int]:
    """(province, key) -> figure, counted record by record."""
    authority = dict(SatkerAuthority.objects.filter(fiscal_year__year=YEAR).values_list("satker_id", "authority"))

    def counts(record) -> bool:
        report = record.report
        return (report.status in BASIS_STATUSES[filters.basis]
                and (filters.month is None or report.month <= filters.month)
                and (filters.authority is None or authority[record.satker_id] == filters.authority))  # fmt: skip

    found: dict[tuple[str, str], int] = defaultdict(int)
    for record in NewEntrepreneur.objects.select_related("report", "satker__province"):
        if counts(record):
            found[(record.satker.province.bps_code, "wub")] += 1
            found[(record.satker.province.bps_code, "wub_legal")] += record.nib is not None
    for record in PovertyActivity.objects.select_related("report", "satker__province"):
        if counts(record):
            found[(record.satker.province.bps_code, "poverty_beneficiaries")] += record.beneficiaries
    for record in Facilitation.objects.select_related("report", "satker__province"):
        if counts(record):
            for key, kind in KIND_OF.items():
                if kind == record.kind:
                    found[(record.satker.province.bps_code, key)] += record.value if key in MONEY_KEYS else 1
    return found


@pytest.mark.parametrize("params", [{}, {"basis": "submitted"}, {"month": 5}, {"authority": "TP", "month": 10}])
def test_outputs_equal_the_plain_count(records, params) -> None:
    filters = RealizationFilter(year=YEAR, **params)
    expected = plain(filters)
    rows = output_rows(filters)
    assert rows, "every province has satkers in the filter"
    for row in rows:
        for key in [*KIND_OF, "wub", "wub_legal", "poverty_beneficiaries"]:
            assert row[key] == expected.get((row["province"], key), 0), (row["province"], key)


def test_the_form_services_keep_the_figures_in_their_transaction(records, admin_user) -> None:
    """One mechanism: each service that writes a record refreshes its report's figures (no
    signal: a record saved in a shell is the rebuild command's to repair, as below)."""
    draft = MonthlyReport.objects.filter(status="DRAFT").select_related("satker", "fiscal_year").first()
    today = date(YEAR, 12, 31)
    record = services.facilitation_create(
        satker=draft.satker, fiscal_year=draft.fiscal_year, month=draft.month, kind="PAMERAN",
        enterprise_name="IKM Uji", value=5_000_000, by=admin_user, today=today,
    )  # fmt: skip
    assert output_summary.differences() == []
    services.facilitation_update(record=record, kind="PAMERAN", enterprise_name="IKM Uji", value=7_000_000,
                                 by=admin_user, today=today)  # fmt: skip
    assert output_summary.differences() == []
    services.facilitation_delete(record=record, by=admin_user, today=today)
    assert output_summary.differences() == []
    NewEntrepreneur.objects.filter(report__status="APPROVED").first().delete()  # behind the services' back
    assert output_summary.differences() != []


def test_the_rebuild_command_finds_and_repairs_a_difference(records) -> None:
    call_command("rebuild_output_summary", "--check")
    ReportOutput.objects.filter(pk=ReportOutput.objects.first().pk).update(amount=999)
    with pytest.raises(CommandError, match="berbeda pada 1 tempat"):
        call_command("rebuild_output_summary", "--check")
    call_command("rebuild_output_summary")
    call_command("rebuild_output_summary", "--check")
