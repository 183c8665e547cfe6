"""Wrong current passwords on the password change page are audited and limited: the fifth in
15 minutes signs the user out (accounts/views.py)."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from accounts import views
from core.log_format import JsonFormatter
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW = "sebuah-kata-sandi-baru-yang-panjang"


def change(client, old: str):
    return client.post(reverse("accounts:password-change"),
                       {"old_password": old, "new_password1": NEW, "new_password2": NEW})  # fmt: skip


def failures(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "ikma.audit" and record.event == "password_change_failed"
    ]


def test_the_fifth_wrong_current_password_signs_out(officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    client = client_for(officer)
    for _ in range(4):
        response = change(client, "bukan-kata-sandinya")
        assert response.status_code == 200 and "old_password" in response.context["form"].errors
    fifth = change(client, "bukan-kata-sandinya")
    assert fifth.status_code == 302 and fifth["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("dashboard:home")).status_code == 302  # signed out
    assert "terlalu sering" in client.get(fifth["Location"]).content.decode()
    logged = failures(caplog)
    assert [event["failures"] for event in logged] == [1, 2, 3, 4, 5]
    assert logged[-1]["signed_out"] is True and logged[0]["user"] == "officer-17" and logged[0]["level"] == "WARNING"
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)  # unchanged


def test_failures_older_than_the_window_do_not_count(officer, monkeypatch) -> None:
    now = [1_800_000_000]
    monkeypatch.setattr(views, "clock", lambda: now[0])
    client = client_for(officer)
    for _ in range(4):
        change(client, "bukan-kata-sandinya")
    now[0] += 15 * 60
    assert change(client, "bukan-kata-sandinya").status_code == 200  # the first four have expired
    changed = change(client, TEST_PASSWORD)  # the right one still works
    assert changed.status_code == 302 and changed["Location"] == reverse("accounts:password-change-done")


def test_other_form_errors_are_not_counted(officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    client = client_for(officer)
    too_short = {"old_password": TEST_PASSWORD, "new_password1": "pendek", "new_password2": "pendek"}
    for _ in range(6):
        response = client.post(reverse("accounts:password-change"), too_short)
        assert response.status_code == 200
    assert failures(caplog) == []
