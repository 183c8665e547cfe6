"""The quarterly report's life through its services: every step by every role, separation of
duties, the "months approved" and "obstacle required" rules, versions, timeliness."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets.models import FiscalYear, Obstacle, QuarterlyReport, QuarterlyTransition, TimelinessStep
from budgets.reports.quarterly import report_figures
from budgets.services import quarterly as service
from budgets.services.realization import StaleVersion
from tests import quarterly_world as qw

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status
ON_TIME = date(2024, 4, 2)  # due 5 April 2024 (no holidays recorded)
LATE = date(2024, 4, 20)


@pytest.fixture
def world(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> qw.World:
    return qw.build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer)


@pytest.fixture
def ready(world) -> QuarterlyReport:
    """Q1 prepared by the officer, its months approved and on target."""
    qw.first_quarter_on_target(world)
    return service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)


def submitted(world, report, today=ON_TIME) -> QuarterlyReport:
    return service.quarterly_submit(report=report, by=world.officer, today=today)


def test_figures_come_from_approved_months_and_the_ro_report(world, ready) -> None:
    figures = report_figures(ready, today=date(2024, 6, 1))
    assert figures.realisasi == 80_000_000 and figures.pagu_efektif == 200_000_000
    assert figures.absorption == Decimal("40.00") and figures.absorption_target == Decimal("15")
    assert [row["ro"] for row in figures.ro_rows] == ["6503.RBS.001", "6503.RBS.002"]
    assert figures.ro_rows[0]["physical_progress"] == Decimal("35") and figures.ro_rows[0]["financial_progress"] == 40
    assert figures.ro_rows[0]["gap"] == Decimal("5.00") and not figures.ro_rows[0]["lags"]
    assert figures.months_not_approved == [] and figures.obstacle_reasons() == []


def test_prepare_sets_the_due_date_five_working_days_after_the_quarter_with_holidays(world) -> None:
    from budgets.models import Holiday

    Holiday.objects.create(date=date(2024, 4, 1), name="Cuti bersama Idul Fitri", kind="cuti_bersama")
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    # April 2024: Mon 1 leave; Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 -> the 5th working day.
    assert report.due_date == date(2024, 4, 8)
    year_end = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=4,
                                         year_end=True, by=world.officer)  # fmt: skip
    assert year_end.kind == QuarterlyReport.Kind.YEAR_END and year_end.due_date == date(2025, 1, 7)


@pytest.mark.parametrize("who", ["head", "reviewer", "viewer", "other_officer", "other_head"])
def test_only_the_provinces_officer_prepares(world, who) -> None:
    user = world.head if who == "acting_head_role" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=user)


def test_admin_may_prepare_anywhere(world) -> None:
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=2, by=world.admin)
    assert report.status == Status.DRAFT


def test_submit_refused_while_a_month_is_not_approved_naming_it(world) -> None:
    qw.month_report(world, 1, amount_a=30_000_000)
    qw.month_report(world, 2, status="SUBMITTED")
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    with pytest.raises(ValidationError) as refused:
        submitted(world, report)
    assert "Februari dan Maret 2024 belum disetujui" in str(refused.value)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_submit_needs_an_obstacle_when_absorption_is_below_target(world) -> None:
    for month in (1, 2, 3):
        qw.month_report(world, month, amount_a=4_000_000, amount_b=4_000_000, progress_a="5", progress_b="5")
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    with pytest.raises(ValidationError) as refused:
        submitted(world, report)
    assert "wajib memuat sedikitnya satu kendala" in str(refused.value)
    assert "penyerapan TW I 2024 12,00 % di bawah target 15,00 %" in str(refused.value)
    service.obstacle_add(report=report, by=world.officer, category="PROCUREMENT", description="Lelang gagal",
                         amount_at_risk=40_000_000, follow_up="Lelang ulang", owner="PPK")  # fmt: skip
    assert submitted(world, report).status == Status.SUBMITTED


def test_submit_needs_an_obstacle_when_physical_lags_financial_by_more_than_20_points(world) -> None:
    qw.month_report(world, 1, amount_a=20_000_000, amount_b=10_000_000, progress_a="5", progress_b="10")
    qw.month_report(world, 2, amount_a=10_000_000, amount_b=10_000_000, progress_a="10", progress_b="20")
    qw.month_report(world, 3, amount_a=10_000_000, amount_b=10_000_000, progress_a="15", progress_b="30")
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    with pytest.raises(ValidationError) as refused:
        submitted(world, report)
    message = str(refused.value)
    assert "RO 6503.RBS.001: progres fisik 15,00 % tertinggal dari progres keuangan 40,00 %" in message
    assert "selisih 25,00 poin" in message and "6503.RBS.002" not in message


def test_full_cycle_with_timeliness_judged_at_verification(world, ready) -> None:
    report = submitted(world, ready, today=ON_TIME)
    assert report.sent_at is None and report.sent_on_time is None  # the year judges at verification
    report = service.quarterly_verify(report=report, by=world.head, today=LATE)
    assert report.status == Status.VERIFIED and report.verified_by == world.head and report.verified_under is None
    assert report.sent_on_time is False and report.sent_at is not None
    report = service.quarterly_approve(report=report, by=world.reviewer)
    assert report.status == Status.APPROVED and report.approved_at is not None
    steps = list(QuarterlyTransition.objects.filter(report=report).values_list("to_status", "by__username"))
    assert steps == [("SUBMITTED", "officer-17"), ("VERIFIED", "head-17"), ("APPROVED", "reviewer")]
    assert report.version == 4


def test_timeliness_judged_at_submission_when_the_year_says_so(world, ready) -> None:
    FiscalYear.objects.filter(pk=world.fiscal_year.pk).update(timeliness_step=TimelinessStep.SUBMISSION)
    ready.refresh_from_db()
    report = submitted(world, ready, today=ON_TIME)
    assert report.sent_on_time is True
    report = service.quarterly_verify(report=report, by=world.head, today=LATE)
    assert report.sent_on_time is True  # the verification does not judge it again


def test_acting_head_verifies_under_the_delegation(world, ready) -> None:
    report = service.quarterly_verify(report=submitted(world, ready), by=world.acting, today=ON_TIME)
    assert report.verified_by == world.acting and report.verified_under is not None
    assert report.verified_under.head == world.head


@pytest.mark.parametrize("who", ["other_head", "officer", "second_officer", "reviewer", "admin", "viewer"])
def test_only_the_head_or_acting_head_verifies(world, ready, who) -> None:
    report = submitted(world, ready)
    with pytest.raises(PermissionDenied):
        service.quarterly_verify(report=report, by=getattr(world, who), today=ON_TIME)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["head", "acting", "officer", "other_head", "viewer"])
def test_only_the_directorate_approves(world, ready, who) -> None:
    report = service.quarterly_verify(report=submitted(world, ready), by=world.head, today=ON_TIME)
    with pytest.raises(PermissionDenied):
        service.quarterly_approve(report=report, by=getattr(world, who))
    assert service.quarterly_approve(report=report, by=world.admin).status == Status.APPROVED


def test_head_returns_to_the_officer_and_directorate_return_needs_the_head_again(world, ready) -> None:
    report = submitted(world, ready)
    with pytest.raises(ValidationError):
        service.quarterly_return(report=report, by=world.head, comment="  ")
    report = service.quarterly_return(report=report, by=world.head, comment="Lengkapi uraian.")
    assert report.status == Status.RETURNED
    report = service.quarterly_narrative_set(report=report, by=world.officer, narrative="Uraian lengkap.",
                                             expected_version=report.version)  # fmt: skip
    report = service.quarterly_verify(report=submitted(world, report), by=world.head, today=ON_TIME)
    with pytest.raises(PermissionDenied):  # the head may not return a verified report: the directorate does
        service.quarterly_return(report=report, by=world.head, comment="x")
    report = service.quarterly_return(report=report, by=world.reviewer, comment="Angka RO B perlu dicek.")
    assert report.status == Status.RETURNED and report.verified_by is None
    report = submitted(world, report)
    with pytest.raises(ValidationError):  # not verified again yet
        service.quarterly_approve(report=report, by=world.reviewer)
    report = service.quarterly_verify(report=report, by=world.head, today=ON_TIME)
    assert service.quarterly_approve(report=report, by=world.reviewer).status == Status.APPROVED


def test_whoever_submitted_or_edited_does_not_verify_it(world, ready) -> None:
    # The acting head (an officer of the province) wrote the narrative: they may not verify it.
    service.quarterly_narrative_set(report=ready, by=world.acting, narrative="x", expected_version=None)
    report = submitted(world, ready)
    with pytest.raises(service.QuarterlyDutyConflict):
        service.quarterly_verify(report=report, by=world.acting, today=ON_TIME)
    assert service.quarterly_verify(report=report, by=world.head, today=ON_TIME).status == Status.VERIFIED


def test_the_submitter_acting_as_head_does_not_verify(world, ready) -> None:
    report = service.quarterly_submit(report=ready, by=world.acting, today=ON_TIME)
    with pytest.raises(service.QuarterlyDutyConflict):
        service.quarterly_verify(report=report, by=world.acting, today=ON_TIME)


def test_an_admin_who_edited_does_not_approve(world, ready) -> None:
    service.obstacle_add(report=ready, by=world.admin, category="OTHER", description="d", follow_up="f", owner="o")
    report = service.quarterly_verify(report=submitted(world, ready), by=world.head, today=ON_TIME)
    with pytest.raises(service.QuarterlyDutyConflict):
        service.quarterly_approve(report=report, by=world.admin)
    assert service.quarterly_approve(report=report, by=world.reviewer).status == Status.APPROVED


def test_locked_while_in_review_and_stale_versions_refused(world, ready) -> None:
    old = ready.version
    service.quarterly_narrative_set(report=ready, by=world.officer, narrative="a", expected_version=old)
    with pytest.raises(StaleVersion):
        service.quarterly_narrative_set(report=ready, by=world.officer, narrative="b", expected_version=old)
    report = submitted(world, QuarterlyReport.objects.get(pk=ready.pk))
    with pytest.raises(ValidationError):
        service.quarterly_narrative_set(report=report, by=world.officer, narrative="c", expected_version=None)
    with pytest.raises(ValidationError):
        service.obstacle_add(report=report, by=world.officer, category="OTHER", description="d", follow_up="f",
                             owner="o")  # fmt: skip
    with pytest.raises(StaleVersion):
        service.quarterly_verify(report=report, by=world.head, expected_version=report.version - 1, today=ON_TIME)


def test_obstacles_carry_over_until_closed_with_an_outcome(world, ready) -> None:
    obstacle = service.obstacle_add(report=ready, by=world.officer, category="BLOKIR", description="Blokir 20 %",
                                    amount_at_risk=20_000_000, follow_up="Usul buka blokir", owner="KPA")  # fmt: skip
    with pytest.raises(ValidationError):
        service.obstacle_add(report=ready, by=world.officer, category="OTHER", description="d", follow_up="f",
                             owner="o", amount_at_risk=-1)  # fmt: skip
    q2 = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=2, by=world.officer)
    assert list(q2.obstacles.all()) == [obstacle]
    service.obstacle_update(report=q2, obstacle=obstacle, by=world.officer, status=Obstacle.State.IN_PROGRESS)
    with pytest.raises(ValidationError) as refused:
        service.obstacle_close(report=q2, obstacle=obstacle, by=world.officer, outcome=" ", resolved=None)
    assert set(refused.value.message_dict) == {"outcome", "resolved"}
    service.obstacle_close(report=q2, obstacle=obstacle, by=world.officer, outcome="Blokir dibuka", resolved=True)
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.State.CLOSED and obstacle.resolved and obstacle.closed_at
    q3 = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=3, by=world.officer)
    assert not q3.obstacles.exists()
    assert set(obstacle.reported_in.all()) == {ready, q2}


def test_an_obstacle_of_another_report_is_not_changed_through_this_one(world, ready) -> None:
    q2 = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=2, by=world.officer)
    obstacle = service.obstacle_add(report=q2, by=world.officer, category="STAFF", description="d", follow_up="f",
                                    owner="o")  # fmt: skip
    with pytest.raises(ValidationError):
        service.obstacle_close(report=ready, obstacle=obstacle, by=world.officer, outcome="x", resolved=False)


def test_the_signed_figures_stay_when_a_month_is_reopened_later(world, ready) -> None:
    from budgets.models import MonthlyReport

    report = service.quarterly_verify(report=submitted(world, ready), by=world.head, today=ON_TIME)
    assert report.signed_figures["absorption"] == "40.00"
    march = MonthlyReport.objects.get(satker=world.satker, fiscal_year=world.fiscal_year, month=3)
    MonthlyReport.objects.filter(pk=march.pk).update(status="RETURNED")  # an admin reopened March
    report.refresh_from_db()
    assert report_figures(report, today=ON_TIME).absorption == Decimal("40.00")
    assert report_figures(report, today=ON_TIME, live=True).absorption == Decimal("20.00")
    report = service.quarterly_return(report=report, by=world.reviewer, comment="Maret dibuka kembali.")
    assert report.signed_figures is None


def test_each_step_tells_whoever_acts_next(world, ready) -> None:
    """Submitted: the head; verified: the directorate; returned or approved: the officer and the
    head (e-mail with the absolute link, and the inbox)."""
    from django.conf import settings
    from django.core import mail
    from django.test import TestCase

    from core.models import Notification

    for user in (world.officer, world.head, world.reviewer):
        user.email = f"{user.username}@example.go.id"
        user.save()

    def told(step) -> set[str]:
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = step()
        return report, {address for message in mail.outbox for address in message.to}

    report, addresses = told(lambda: submitted(world, ready))
    assert addresses == {world.head.email}
    assert settings.SITE_URL + "/satkers/" in mail.outbox[0].body and "TW I" in mail.outbox[0].subject
    report, addresses = told(lambda: service.quarterly_verify(report=report, by=world.head, today=ON_TIME))
    assert addresses == {world.reviewer.email}
    report, addresses = told(lambda: service.quarterly_return(report=report, by=world.reviewer, comment="Lengkapi."))
    assert addresses == {world.officer.email, world.head.email}
    assert "Lengkapi." in mail.outbox[0].body
    assert Notification.objects.filter(recipient=world.officer, subject__contains="dikembalikan").exists()
