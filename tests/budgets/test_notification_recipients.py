"""Who is told at each step of the monthly report (budgets/notifications.py), by e-mail with an
absolute link and in the in-app inbox with the site path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation
from budgets import notifications
from budgets.services.realization import report_get_or_create
from core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(officer, other_officer, reviewer, province, other_province, admin_user):
    officer.email, reviewer.email = "petugas@bengkulu.go.id", "reviewer@kemenperin.go.id"
    officer.save()
    reviewer.save()
    other_officer.email = "petugas@aceh.go.id"
    other_officer.save()
    head = UserFactory(username="head-17", role="HEAD", province=province, email="kadis@bengkulu.go.id")
    UserFactory(username="head-11", role="HEAD", province=other_province, email="kadis@aceh.go.id")
    return {"officer": officer, "reviewer": reviewer, "head": head}


@pytest.fixture
def report(satker, dipa):
    return report_get_or_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1)[0]


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_submission_tells_the_head_not_the_directorate(people, report, settings) -> None:
    notifications.report_submitted(report)
    assert recipients() == ["kadis@bengkulu.go.id"]
    path = reverse("budgets:report-detail", args=[report.pk])
    assert settings.SITE_URL + path in mail.outbox[0].body
    (notification,) = Notification.objects.filter(recipient=people["head"])
    assert notification.url == path and "Laporan diajukan" in notification.subject
    assert told(people["reviewer"]) == [] and told(people["officer"]) == []


def test_submission_tells_the_acting_head_of_that_day(people, report, province) -> None:
    acting = UserFactory(username="plh-17", role="OFFICER", province=province, email="plh@bengkulu.go.id")
    today = timezone.localdate()
    Delegation.objects.create(head=people["head"], acting=acting, starts_on=today, ends_on=today + timedelta(days=3),
                              decree="800/1/2026")  # fmt: skip
    ended = UserFactory(username="plh-old", role="OFFICER", province=province, email="old@bengkulu.go.id")
    Delegation.objects.create(head=people["head"], acting=ended, starts_on=today - timedelta(days=9),
                              ends_on=today - timedelta(days=5), decree="800/0/2026")  # fmt: skip
    notifications.report_submitted(report)
    assert recipients() == ["kadis@bengkulu.go.id", "plh@bengkulu.go.id"]


def test_verification_tells_the_reviewers(people, report) -> None:
    notifications.report_verified(report)
    assert recipients() == ["reviewer@kemenperin.go.id"]
    assert len(told(people["reviewer"])) == 1 and told(people["head"]) == []


def test_a_return_tells_the_operator_and_the_head(people, report) -> None:
    notifications.report_returned(report, "Lengkapi SP2D.")
    assert recipients() == ["kadis@bengkulu.go.id", "petugas@bengkulu.go.id"]
    assert all("Lengkapi SP2D." in message.body for message in mail.outbox)
    assert len(told(people["officer"])) == 1 and len(told(people["head"])) == 1


def test_an_approval_tells_the_operator_and_the_head(people, report) -> None:
    notifications.report_approved(report)
    assert recipients() == ["kadis@bengkulu.go.id", "petugas@bengkulu.go.id"]
    assert told(people["reviewer"]) == []


def test_a_withdrawal_tells_whoever_was_told_of_it(people, report) -> None:
    notifications.report_withdrawn(report)
    assert recipients() == ["kadis@bengkulu.go.id"]
    mail.outbox.clear()
    report.verified_at = timezone.now()
    notifications.report_withdrawn(report)
    assert recipients() == ["kadis@bengkulu.go.id", "reviewer@kemenperin.go.id"]


def test_inactive_people_and_other_provinces_are_not_told(people, report) -> None:
    people["head"].is_active = False
    people["head"].save()
    notifications.report_returned(report, "x")
    assert recipients() == ["petugas@bengkulu.go.id"]
    assert told(people["head"]) == []
