"""Settings come from the environment; production mode refuses unsafe configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-secret-for-the-check-only-" + "x" * 20,
    "DJANGO_ALLOWED_HOSTS": "monitoring.kemenperin.example",
}


def test_production_mode_passes_the_deploy_check() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_requires_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_refuses_debug() -> None:
    result = manage("check", DJANGO_DEBUG="true", **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_development_defaults(settings) -> None:
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_production_keeps_database_connections_and_development_does_not(settings) -> None:
    script = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    assert manage("shell", "-c", script, **PRODUCTION).stdout.strip().splitlines()[-1] == "60"
    assert manage("shell", "-c", script).stdout.strip().splitlines()[-1] == "0"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
