"""The monthly report page shows the month's programme records (through budgets' section
registry), and neither it nor the records page grows in queries with the number of records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.calendar import report_due_date
from budgets.models import MonthlyReport
from programs.models import Facilitation, NewEntrepreneur, PovertyActivity
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(satker, fiscal_year):
    return MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=1, due_date=report_due_date(fiscal_year.year, 1)
    )


def grow(report, regency, count: int, start: int = 0) -> None:
    where = {"satker": report.satker, "fiscal_year": report.fiscal_year, "month": report.month, "report": report}
    NewEntrepreneur.objects.bulk_create(
        NewEntrepreneur(
            name=f"WUB {i}", regency=regency, business_type="Kuliner", nib=f"{i:013d}" if i % 2 else None, **where
        )
        for i in range(start, start + count)
    )
    PovertyActivity.objects.bulk_create(
        PovertyActivity(regency=regency, kind="PELATIHAN", beneficiaries=10, description=f"Kegiatan {i}", **where)
        for i in range(start, start + count)
    )
    Facilitation.objects.bulk_create(
        Facilitation(kind="PAMERAN", enterprise_name=f"IKM {i}", value=1_000_000, **where)
        for i in range(start, start + count)
    )


def test_report_page_lists_the_months_programme_records(reviewer, report, regency) -> None:
    grow(report, regency, 3)
    response = client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Catatan program bulan ini" in page
    assert page.index("Catatan program bulan ini") > page.index("Realisasi")
    for text in ["WUB 0", "WUB 2", "Kegiatan 1", "IKM 2", "3 WUB", "1 ber-NIB", "30 penerima manfaat", "3 fasilitasi"]:
        assert text in page, text
    assert reverse("programs:records", args=[report.satker.code, report.fiscal_year.year, 1]) in page
    assert "Buka catatan program" in page  # a reviewer reads; the officer gets "Ubah catatan program"


def test_report_page_says_when_there_are_no_records(officer, report) -> None:
    page = client_for(officer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "Belum ada catatan program bulan ini." in page
    assert "Ubah catatan program" in page


def test_other_months_records_are_not_on_the_report(officer, report, regency, satker, fiscal_year) -> None:
    other = MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=2, due_date=report.due_date)
    grow(other, regency, 1)
    page = client_for(officer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "WUB 0" not in page


def test_report_page_query_count_does_not_grow_with_records(
    officer, report, regency, django_assert_max_num_queries
) -> None:
    client = client_for(officer)
    url = reverse("budgets:report-detail", args=[report.pk])
    grow(report, regency, 2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    grow(report, regency, 30, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert "WUB 31" in page.content.decode()


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_records_page_query_count_does_not_grow_with_records(
    persona, request, report, regency, django_assert_max_num_queries
) -> None:
    client = client_for(request.getfixturevalue(persona))
    url = reverse("programs:records", args=[report.satker.code, report.fiscal_year.year, 1])
    grow(report, regency, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(report, regency, 30, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert "WUB 31" in page.content.decode()
