"""Backup and restore (`make backup`, `make restore FILE=...`; core/backup.py): after a restore
the reports show exactly the figures of the moment of the backup, on PostgreSQL (pg_dump and
pg_restore against the test database) and on SQLite (a real database file: the suite's own
SQLite database lives in memory, which no other process can reach). Expected failures are a
message in Indonesian and exit status 1, never a traceback, and nothing is changed by them."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from budgets.models import Province
from core import backup as backup_module
from core.management.commands import restore_db
from tests.conftest import client_for
from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
YEAR = 2022
REPORTS = ("realization", "provinces", "outputs")  # national budget, the ranking, programme outputs


# --- What is compared ------------------------------------------------------------------------------


def report_figures(client: Client) -> dict[str, Any]:
    """The JSON of the national reports for 2022, as a reviewer reads them over HTTP (through the
    page cache, which a restore must not let serve pages of the data it replaced)."""

    figures = {}
    for name in REPORTS:
        response = client.get(reverse(f"reports:{name}"), {"year": YEAR, "format": "json"})
        assert response.status_code == 200, response.content[:300]
        figures[name] = json.loads(response.content)
    return figures


def reviewer() -> Any:
    """The demo reviewer (load_demo_data creates the demo accounts), or one made for the test."""
    return get_user_model().objects.get_or_create(username="reviewer", defaults={"role": "REVIEWER"})[0]


def change_data() -> None:
    """Writes through the ORM, then the summaries the reports read recomputed for the reports
    touched (as a fix in the shell must), so that every compared report moves: December's
    realization and programme records deleted, every budget line's pagu raised."""
    from budgets import realization_summary
    from budgets.models import BudgetLine, MonthlyReport, Realization
    from programs.models import Facilitation, NewEntrepreneur
    from programs.records import output_summary

    december = list(MonthlyReport.objects.filter(fiscal_year__year=YEAR, month=12).values_list("pk", flat=True))
    Realization.objects.filter(report__fiscal_year__year=YEAR, report__month=12).delete()
    Facilitation.objects.filter(fiscal_year__year=YEAR, month=12).delete()
    NewEntrepreneur.objects.filter(fiscal_year__year=YEAR, month=12).delete()
    BudgetLine.objects.filter(fiscal_year__year=YEAR).update(pagu=F("pagu") + 1_000_000)
    realization_summary.refresh(december)
    output_summary.refresh(december)


def assert_all_reports_changed(before: dict[str, Any], after: dict[str, Any]) -> None:
    for name in REPORTS:
        assert after[name]["rows"] != before[name]["rows"], f"{name}: the change did not reach the report"


# --- PostgreSQL: pg_dump / pg_restore on the test database ------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed data: pg_dump is another session
def test_postgres_restore_brings_back_the_figures_of_the_backup(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...); the SQLite path is tested on a file below")
    call_command("load_master_data", stdout=io.StringIO())
    call_command("load_demo_data", year=[YEAR], stdout=io.StringIO())
    client = client_for(reviewer())
    before = report_figures(client)

    out = io.StringIO()
    call_command("backup_db", output=tmp_path / "ikma.dump", stdout=out)
    dump = Path(out.getvalue().strip().splitlines()[-1])  # the path is the last line printed
    assert dump == tmp_path / "ikma.dump"
    assert dump.read_bytes().startswith(b"PGDMP")
    assert dump.stat().st_mode & 0o777 == 0o600

    with transaction.atomic():  # one commit: one new data version, under which the changed pages are cached
        change_data()
    assert_all_reports_changed(before, report_figures(client))

    call_command("restore_db", str(dump), interactive=False, stdout=out)
    assert f"dipulihkan dari {dump}" in out.getvalue()
    # The restore put back the data version of the backup. The next write must not raise it to
    # the version the changed pages above were cached under (they would be served as current).
    Province.objects.filter(bps_code="17").update(name=F("name"))
    assert report_figures(client) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_failed_restore_shows_pg_restore_message_and_changes_nothing(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    UserFactory(username="reviewer", role="REVIEWER")
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP" + b"\x00" * 200)  # the signature, then nothing pg_restore can read
    with pytest.raises(CommandError) as refused:
        call_command("restore_db", str(broken), interactive=False)
    message = str(refused.value)
    assert "Pemulihan basis data" in message and "pg_restore keluar dengan status" in message
    assert "pg_restore:" in message  # its own stderr, for the operator
    assert get_user_model().objects.filter(username="reviewer").exists()


# --- SQLite: a real database file, driven through manage.py in other processes ----------------------


def manage(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def manage_ok(database: Path, *args: str) -> str:
    result = manage(database, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def sqlite_figures(database: Path, *first: str) -> dict[str, Any]:
    """The report figures of the SQLite file, read in another process after the statements
    ``first`` (one interpreter for several steps: each start costs a second or more)."""
    script = "\n".join(
        [
            "import json",
            "from django.core.management import call_command",
            "from tests.conftest import client_for",
            "from tests.core.test_backup_restore import change_data, report_figures, reviewer",
            *first,
            'print("FIGURES " + json.dumps(report_figures(client_for(reviewer()))))',
        ]
    )
    output = manage_ok(database, "shell", "-c", script)
    return json.loads(next(line for line in output.splitlines() if line.startswith("FIGURES "))[8:])


def test_sqlite_restore_brings_back_the_figures_of_the_backup(tmp_path: Path) -> None:
    database = tmp_path / "ikma.sqlite3"
    before = sqlite_figures(
        database,
        'call_command("migrate", interactive=False, verbosity=0)',
        'call_command("load_master_data", verbosity=0)',
        f'call_command("load_demo_data", year=[{YEAR}], verbosity=0)',
    )

    copy = Path(manage_ok(database, "backup_db", "-o", str(tmp_path / "backup.sqlite3")).splitlines()[-1])
    assert copy == tmp_path / "backup.sqlite3"
    assert copy.read_bytes().startswith(b"SQLite format 3\x00")

    assert_all_reports_changed(before, sqlite_figures(database, "change_data()"))

    restored = manage_ok(database, "restore_db", str(copy), "--noinput")
    assert "dipulihkan" in restored and "migrasi belum diterapkan" not in restored
    assert sqlite_figures(database) == before


# --- Refusals: messages, exit status, nothing changed ----------------------------------------------


@pytest.fixture
def sqlite_file_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default connection's settings point at a SQLite file (the refusals below stop before
    any query, so the suite's own database, whatever it is, is never touched)."""
    database = tmp_path / "current.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(database))
    return database


def app_backup(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text)")
    db.close()
    return path


def test_sqlite_backup_goes_to_var_backups_with_a_timestamp_by_default(
    sqlite_file_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert backup_module.backup_dir() == ROOT / "var" / "backups"
    monkeypatch.setattr(backup_module, "backup_dir", lambda: tmp_path / "backups")
    with sqlite3.connect(app_backup(sqlite_file_settings)) as live:  # the "live" database
        live.execute("INSERT INTO django_migrations (app, name) VALUES ('budgets', '0001_initial')")
    live.close()
    out = io.StringIO()
    call_command("backup_db", stdout=out)
    target = Path(out.getvalue().strip().splitlines()[-1])
    assert target.parent == tmp_path / "backups"
    assert target.name.startswith("current-") and target.suffix == ".sqlite3"
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT app, name FROM django_migrations").fetchall() == [("budgets", "0001_initial")]
    copy.close()
    assert [path.name for path in target.parent.iterdir()] == [target.name]  # no partial file left
    assert target.stat().st_mode & 0o777 == 0o600  # every account's password hash is in there


def test_restore_without_a_file_says_how_to_name_one() -> None:
    with pytest.raises(CommandError, match=r"make restore FILE="):
        call_command("restore_db", interactive=False)


def test_restore_of_a_missing_file_is_refused(sqlite_file_settings: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Berkas cadangan .*tidak ditemukan"):
        call_command("restore_db", str(tmp_path / "nope.dump"), interactive=False)


def test_restore_of_a_file_that_is_no_backup_is_refused(sqlite_file_settings: Path, tmp_path: Path) -> None:
    text = tmp_path / "catatan.txt"
    text.write_text("bukan cadangan")
    with pytest.raises(CommandError, match=r"bukan berkas cadangan"):
        call_command("restore_db", str(text), interactive=False)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(CommandError, match=r"bukan cadangan aplikasi ini"):
        call_command("restore_db", str(other), interactive=False)
    assert not sqlite_file_settings.exists()


def test_restore_of_a_postgres_dump_into_sqlite_is_refused(sqlite_file_settings: Path, tmp_path: Path) -> None:
    dump = tmp_path / "ikma.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(CommandError, match=r"cadangan PostgreSQL .* SQLite"):
        call_command("restore_db", str(dump), interactive=False)


def test_restore_asks_and_a_no_changes_nothing(
    sqlite_file_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restored = []
    monkeypatch.setattr(restore_db, "restore", lambda *args, **kwargs: restored.append(args))
    monkeypatch.setattr(restore_db.sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "tidak")
    with pytest.raises(CommandError, match=r"dibatalkan"):
        call_command("restore_db", str(app_backup(tmp_path / "b.sqlite3")))
    assert restored == []


def test_restore_without_a_terminal_needs_noinput(
    sqlite_file_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restored = []
    monkeypatch.setattr(restore_db, "restore", lambda *args, **kwargs: restored.append(args))
    monkeypatch.setattr(restore_db.sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match=r"FORCE=1"):
        call_command("restore_db", str(app_backup(tmp_path / "b.sqlite3")))
    assert restored == []


def test_in_memory_sqlite_is_not_backed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "NAME", "file:memorydb_default?mode=memory&cache=shared")
    with pytest.raises(CommandError, match=r"di memori"):
        call_command("backup_db")


def test_missing_pg_dump_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    monkeypatch.setitem(connection.settings_dict, "NAME", "ikma")
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find there
    with pytest.raises(CommandError, match=r"pg_dump tidak ditemukan .*postgresql-client"):
        call_command("backup_db", output=tmp_path / "x.dump")
    assert list(tmp_path.iterdir()) == []  # no partial file left behind


def test_backup_never_overwrites_a_file(sqlite_file_settings: Path, tmp_path: Path) -> None:
    existing = tmp_path / "old.sqlite3"
    existing.write_bytes(b"previous backup")
    with pytest.raises(CommandError, match=r"sudah ada"):
        call_command("backup_db", output=existing)
    assert existing.read_bytes() == b"previous backup"


def test_command_line_failures_are_a_message_and_status_1_without_traceback(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite3"
    missing = manage(database, "restore_db", str(tmp_path / "nope.dump"), "--noinput")
    assert missing.returncode == 1
    assert "tidak ditemukan" in missing.stderr and "Traceback" not in missing.stderr
    text = tmp_path / "catatan.txt"
    text.write_text("bukan cadangan")
    not_a_backup = manage(database, "restore_db", str(text), "--noinput")
    assert not_a_backup.returncode == 1
    assert "bukan berkas cadangan" in not_a_backup.stderr and "Traceback" not in not_a_backup.stderr
