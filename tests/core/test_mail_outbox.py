"""The mail server is down when a report is returned: the step commits, the officer's e-mail
waits in the outbox with the error (logged, in the admin) and goes out on the next retry.

A real failure: Django's SMTP backend pointed at a closed local port (connection refused)."""

from __future__ import annotations

import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from budgets.models import MonthlyReport
from budgets.services import realization_set, report_submit
from core.models import OutgoingMail
from tests.conftest import client_for
from tests.personas import head_verifies

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the e-mail goes out on commit


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def test_return_while_smtp_is_down_commits_and_keeps_the_email_for_the_retry(
    officer, reviewer, satker, dipa, smtp_down, caplog
) -> None:
    officer.email = "petugas@disperin.bengkuluprov.go.id"
    officer.save()
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000},
                             expected_version=0, by=officer)  # fmt: skip
    head_verifies(report_submit(report=report, by=officer))
    caplog.set_level(logging.WARNING, logger="core.mail_outbox")

    response = client_for(reviewer).post(
        reverse("budgets:report-return", args=[report.pk]), {"comment": "Lampiran kurang."}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED  # the step committed despite the mail server
    queued = OutgoingMail.objects.get(recipient="petugas@disperin.bengkuluprov.go.id")
    assert queued.sent_at is None and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    assert "Laporan dikembalikan" in queued.subject and "Lampiran kurang." in queued.body
    assert "not sent" in caplog.text

    # The server is back (the in-memory backend stands in for it): the retry delivers it once.
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_mail_outbox", stdout=out)
    assert "1 terkirim, 0 masih gagal" in out.getvalue()
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2 and queued.last_error == ""
    assert [(m.to, m.subject) for m in mail.outbox] == [([queued.recipient], queued.subject)]
    call_command("send_mail_outbox", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # sent once, not again


def test_send_reminders_retries_what_failed_before(smtp_down) -> None:
    OutgoingMail.objects.create(subject="Tertunda", body="Isi", recipient="a@example.go.id", attempts=3,
                                last_error="ConnectionRefusedError")  # fmt: skip
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("send_reminders", stdout=io.StringIO())

    assert [m.subject for m in mail.outbox] == ["Tertunda"]
    assert OutgoingMail.objects.get().sent_at is not None
