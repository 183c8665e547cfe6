"""create_demo_users: the accounts of CONTRACT, with the shared demo password."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.roles import PROFILES, PROVINCE_ROLES
from budgets.models import Province
from demo.api_tokens import SYSTEMS

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


def test_needs_master_data_first() -> None:
    with pytest.raises(CommandError, match="load_master_data"):
        run()


def test_creates_contract_accounts_and_prints_them() -> None:
    call_command("load_master_data", through_year=2026, stdout=io.StringIO())
    output = run()
    users = get_user_model().objects
    # One account per directorate role, and one per province for each role of a province.
    directorate = len(PROFILES) - len(PROVINCE_ROLES)
    # And the system accounts of the demo's API tokens (demo/api_tokens.py).
    accounts = directorate + Province.objects.count() * len(PROVINCE_ROLES) + len(SYSTEMS)
    assert (Province.objects.count(), users.count()) == (38, accounts)
    assert {u.username: u.role for u in users.filter(username__in=["admin", "reviewer", "viewer"])} == {
        "admin": "ADMIN",
        "reviewer": "REVIEWER",
        "viewer": "VIEWER",
    }
    officer = users.get(username="officer-17")
    assert (officer.role, officer.province.name) == ("OFFICER", "Bengkulu")
    assert officer.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output and "officer-17" in output and "Bengkulu" in output
    # Repeating changes nothing, and keeps a password the user changed.
    officer.set_password("Another-long-password-1")
    officer.save()
    assert "(0 baru)" in run()
    assert users.count() == accounts
    officer.refresh_from_db()
    assert officer.check_password("Another-long-password-1")


def test_officer_17_signs_in_and_sees_only_bengkulu() -> None:
    call_command("load_master_data", through_year=2026, stdout=io.StringIO())
    run()
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "officer-17", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    satkers = client.get(reverse("budgets:satker-list")).context["table"].page.object_list
    assert [row.record.province.name for row in satkers] == ["Bengkulu"]
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    admin = Client()
    admin.post(reverse("accounts:login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert admin.get(reverse("admin:index")).status_code == 200
