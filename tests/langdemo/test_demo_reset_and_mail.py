# ruff: noqa: S603  (our own interpreter and manage.py, for fresh settings or a database of their own)
"""The demo: accounts with example addresses (notifications have an addressee), mail on the
console in development unless a mail server is named, and ``reset_demo`` (make demo-reset)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.roles import Role
from demo.users import demo_users_create

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_demo_users_get_example_addresses_and_old_ones_are_updated(province, other_province) -> None:
    users = get_user_model().objects
    users.create(username="officer-" + province.bps_code, role=Role.OFFICER, province=province, email="")
    users.create(username="reviewer", role=Role.REVIEWER, email="someone@kemenperin.go.id")
    demo_users_create()
    assert users.get(username="admin").email == "admin@demo.ikma.example"
    assert (
        users.get(username=f"head-{other_province.bps_code}").email
        == f"head-{other_province.bps_code}@demo.ikma.example"
    )
    # An account made before the demo had addresses gets one; an address someone typed stays.
    assert users.get(username=f"officer-{province.bps_code}").email == f"officer-{province.bps_code}@demo.ikma.example"
    assert users.get(username="reviewer").email == "someone@kemenperin.go.id"
    assert not users.filter(email="").exists()
    count = users.count()
    demo_users_create()  # idempotent
    assert users.count() == count


def _email_backend(**env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "DJANGO_EMAIL"))}
    environment.update(DJANGO_SETTINGS_MODULE="ikmsite.settings", DJANGO_ENV="development", **env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip


def test_development_mail_goes_to_the_console_unless_a_mail_server_is_named() -> None:
    assert _email_backend() == "django.core.mail.backends.console.EmailBackend"
    assert _email_backend(EMAIL_HOST="mail.example") == "django.core.mail.backends.smtp.EmailBackend"


def test_reset_demo_refuses_in_production_without_force(settings, officer) -> None:
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="produksi"):
        call_command("reset_demo", "--noinput")
    assert get_user_model().objects.filter(pk=officer.pk).exists()


def test_reset_demo_asks_and_refuses_without_a_terminal(officer) -> None:
    with pytest.raises(CommandError, match="konfirmasi"):
        call_command("reset_demo")  # pytest's stdin is no terminal
    assert get_user_model().objects.filter(pk=officer.pk).exists()


def _manage(database: Path, *args: str) -> str:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "ikmsite.settings",
                   "DJANGO_ENV": "development", "EVIDENCE_DIR": str(database.parent / "evidence")}  # fmt: skip
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_reset_demo_deletes_everything_and_loads_the_demo_again(tmp_path) -> None:
    """On a database of its own (a flush cannot run inside the test's transaction on SQLite, and
    the session's demo data must stay): what ``make demo-reset FORCE=1`` runs."""
    database = tmp_path / "demo.sqlite3"
    _manage(database, "migrate", "--noinput", "-v", "0")
    _manage(
        database,
        "shell",
        "-c",
        "from accounts.models import User; User.objects.create(username='left-over', role='VIEWER')",
    )
    out = _manage(database, "reset_demo", "--noinput")
    assert "Data demo siap" in out
    check = (
        "from accounts.models import User; from budgets.models import BudgetLine, Province;"
        "print(User.objects.filter(username='left-over').count(),"
        " User.objects.get(username='officer-17').email, Province.objects.count(),"
        " BudgetLine.objects.filter(fiscal_year__year=2022).exists(), User.objects.filter(email='').count())"
    )
    shown = _manage(database, "shell", "-v", "0", "-c", check).split()
    assert shown == ["0", "officer-17@demo.ikma.example", "38", "True", "0"]
