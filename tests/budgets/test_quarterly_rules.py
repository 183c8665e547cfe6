"""budgets/quarterly_rules.py: months of a report, due dates with holidays and collective leave,
the last completed quarter, the obstacle-required rules; and the roles refused at each step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from budgets import quarterly_rules as rules
from budgets.models import QuarterlyReport
from budgets.services import quarterly as service
from tests import quarterly_world as qw

D = Decimal


def test_months_of_a_quarter_and_of_the_year_end() -> None:
    assert rules.quarter_months(2) == [4, 5, 6]
    assert rules.quarter_months(4, year_end=True) == list(range(1, 13))


def test_due_date_counts_five_working_days_after_the_quarter() -> None:
    # Q2 2024 ends Sunday 30 June: July 1-5 are the five working days.
    assert rules.quarter_due_date(2024, 2, []) == date(2024, 7, 5)
    # A holiday and a day of collective leave in that week move it by two working days.
    assert rules.quarter_due_date(2024, 2, [date(2024, 7, 1), date(2024, 7, 3)]) == date(2024, 7, 9)
    # The year-end report: 5 working days after 31 December (1 January a holiday).
    assert rules.quarter_due_date(2024, 4, [date(2025, 1, 1)]) == date(2025, 1, 8)


def test_last_completed_quarter() -> None:
    assert rules.last_completed_quarter(2024, date(2026, 5, 1)) == 4
    assert rules.last_completed_quarter(2026, date(2026, 5, 1)) == 1
    assert rules.last_completed_quarter(2026, date(2026, 7, 1)) == 2
    assert rules.last_completed_quarter(2026, date(2026, 2, 1)) == 1


def test_obstacle_reasons_name_the_rule_and_the_figures() -> None:
    behind_by_20 = [{"ro": "x", "physical_progress": D("20"), "financial_progress": D("40")}]
    ok = rules.obstacle_reasons(absorption=D("15"), target=D("15"), label="TW I 2024", ro_rows=behind_by_20)
    assert ok == []  # exactly 20 points behind is not more than 20
    reasons = rules.obstacle_reasons(absorption=D("14.99"), target=D("15"), label="TW I 2024", ro_rows=[
        {"ro": "6503.RBS.001", "physical_progress": D("10"), "financial_progress": D("40.5")},
        {"ro": "6503.RBS.002", "physical_progress": D("90"), "financial_progress": D("40")},
    ])  # fmt: skip
    assert len(reasons) == 2
    assert "14,99 % di bawah target 15,00 %" in reasons[0]
    assert "6503.RBS.001" in reasons[1] and "30,50 poin" in reasons[1]
    assert rules.obstacle_reasons(absorption=None, target=D("15"), ro_rows=[], label="TW I")  # no pagu: below


# --- Roles refused at each step --------------------------------------------------------------


@pytest.fixture
def world(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> qw.World:
    world = qw.build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer)
    qw.first_quarter_on_target(world)
    return world


@pytest.fixture
def report(world) -> QuarterlyReport:
    return service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "other_head", "other_officer", "reviewer", "viewer"])
def test_only_the_provinces_writers_submit(world, report, who) -> None:
    with pytest.raises(PermissionDenied):
        service.quarterly_submit(report=report, by=getattr(world, who), today=date(2024, 4, 2))
    report.refresh_from_db()
    assert report.status == "DRAFT"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "other_officer", "reviewer", "viewer"])
def test_only_the_provinces_writers_edit(world, report, who) -> None:
    with pytest.raises(PermissionDenied):
        service.quarterly_narrative_set(report=report, by=getattr(world, who), narrative="x", expected_version=None)
    with pytest.raises(PermissionDenied):
        service.obstacle_add(report=report, by=getattr(world, who), category="OTHER", description="d", follow_up="f",
                             owner="o")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_head", "officer", "reviewer", "admin", "viewer"])
def test_only_the_head_returns_a_submitted_report(world, report, who) -> None:
    report = service.quarterly_submit(report=report, by=world.officer, today=date(2024, 4, 2))
    with pytest.raises(PermissionDenied):
        service.quarterly_return(report=report, by=getattr(world, who), comment="x")
    assert service.quarterly_return(report=report, by=world.acting, comment="x").status == "RETURNED"


@pytest.mark.django_db
def test_the_verifier_does_not_approve(world, report) -> None:
    report = service.quarterly_submit(report=report, by=world.officer, today=date(2024, 4, 2))
    report = service.quarterly_verify(report=report, by=world.head, today=date(2024, 4, 2))
    assert service.quarterly_conflict(world.reviewer, report) is None
    report.verified_by = world.reviewer  # a verifier who could also review: refused all the same
    assert "memverifikasi" in service.quarterly_conflict(world.reviewer, report)


@pytest.mark.django_db
def test_open_obstacles_carry_into_the_next_year(world, report) -> None:
    obstacle = service.obstacle_add(report=report, by=world.officer, category="REGULATION", description="Juknis",
                                    follow_up="Konsultasi", owner="Kabid")  # fmt: skip
    from budgets.models import FiscalYear, SatkerAuthority

    next_year = FiscalYear.objects.create(year=qw.YEAR + 1)
    SatkerAuthority.objects.create(satker=world.satker, fiscal_year=next_year, authority="DK")
    later = service.quarterly_prepare(satker=world.satker, fiscal_year=next_year, period=1, by=world.officer)
    assert list(later.obstacles.all()) == [obstacle]


@pytest.mark.django_db
def test_central_units_prepare_none(world, central_satker) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        service.quarterly_prepare(satker=central_satker, fiscal_year=world.fiscal_year, period=1, by=world.admin)
