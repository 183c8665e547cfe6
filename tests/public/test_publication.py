"""The publication switch and the cut-off month, on a small world: two provinces, one satker each
(and a central unit, never counted), a past year."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from budgets.models import FiscalYear, MonthlyReport, SatkerAuthority
from budgets.reports.queries import month_approved_everywhere
from budgets.selectors import published_years
from budgets.services.publication import publication_set
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

YEAR = 2023
TODAY = date(2024, 2, 1)


@pytest.fixture
def year(db) -> FiscalYear:
    return FiscalYear.objects.create(year=YEAR)


def reports(satker, fiscal_year, statuses: dict[int, str]) -> None:
    SatkerAuthority.objects.get_or_create(satker=satker, fiscal_year=fiscal_year,
                                          defaults={"authority": "KP" if satker.is_central else "DK"})  # fmt: skip
    for month, status in statuses.items():
        MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=month, status=status,
                                     due_date=date(YEAR, month, 28))  # fmt: skip


def test_the_cut_off_is_the_last_month_every_province_has_approved_with_all_before_it(
    year, satker, other_satker, central_satker
) -> None:
    reports(satker, year, {1: "APPROVED", 2: "APPROVED", 3: "APPROVED", 4: "SUBMITTED"})
    reports(other_satker, year, {1: "APPROVED", 2: "APPROVED", 3: "RETURNED", 4: "APPROVED"})
    reports(central_satker, year, {1: "DRAFT"})  # central units are not a province: never counted
    assert month_approved_everywhere(YEAR, today=TODAY) == 2
    MonthlyReport.objects.filter(satker=other_satker, month=3).update(status="APPROVED")
    assert month_approved_everywhere(YEAR, today=TODAY) == 3
    # A gap counts as not approved, whatever comes after it.
    MonthlyReport.objects.filter(satker=satker, month=1).update(status="SUBMITTED")
    assert month_approved_everywhere(YEAR, today=TODAY) == 0


def test_no_cut_off_for_a_month_that_has_not_ended(year, satker) -> None:
    reports(satker, year, {1: "APPROVED", 2: "APPROVED"})
    assert month_approved_everywhere(YEAR, today=date(YEAR, 2, 15)) == 1
    assert month_approved_everywhere(YEAR, today=date(YEAR, 1, 20)) == 0


def test_only_the_directorate_may_publish_and_the_switch_keeps_who_and_when(
    year, admin_user, reviewer, viewer, officer, head
) -> None:
    for user in (reviewer, viewer, officer, head):
        with pytest.raises(PermissionDenied):
            publication_set(fiscal_year=year, published=True, by=user)
    assert published_years() == []
    assert publication_set(fiscal_year=year, published=True, by=admin_user)
    year.refresh_from_db()
    assert year.published_by == admin_user and year.published_at is not None
    assert not publication_set(fiscal_year=year, published=True, by=admin_user)  # already public: nothing written
    assert published_years() == [YEAR]
    assert year.history.first().history_change_reason == "publish"
    assert publication_set(fiscal_year=year, published=False, by=admin_user)
    year.refresh_from_db()
    assert (year.published_at, year.published_by, published_years()) == (None, None, [])


def test_the_admin_switches_publication_with_an_action(year, admin_user) -> None:
    client = client_for(admin_user)
    changelist = reverse("admin:budgets_fiscalyear_changelist")
    page = client.get(changelist)
    assert b'value="publish"' in page.content and b'value="unpublish"' in page.content
    response = client.post(changelist, {"action": "publish", "_selected_action": [year.pk]}, follow=True)
    assert "Dipublikasikan di halaman publik: 2023." in response.content.decode()
    assert published_years() == [YEAR]
    client.post(changelist, {"action": "unpublish", "_selected_action": [year.pk]})
    assert published_years() == []
