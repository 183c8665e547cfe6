"""Backup and restore of the whole database (`make backup`, `make restore FILE=...`).

One job: copy the database Django is configured with to a file, and put such a file back.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --no-owner
  --single-transaction`` (a failing restore rolls back and leaves the data as it was).
- SQLite: sqlite3's online backup API both ways. A raw copy of a live database file can catch a
  write half done (and misses what is still in the WAL); the API copies a consistent snapshot.

The connection settings come from Django (``connections[alias].settings_dict``), never from
parsing DATABASE_URL again, so whatever settings.py decides (and the test database's NAME under
pytest) is what gets copied.

Every expected failure raises ``BackupError`` with an Indonesian message for the operator; the
management commands turn it into a CommandError (a message and exit status 1, no traceback).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

PG_MAGIC = b"PGDMP"  # the first bytes of every pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
STDERR_LIMIT = 4000  # of pg_dump / pg_restore's own message, enough to see the first errors


class BackupError(Exception):
    """An expected failure, worded for the operator (Indonesian)."""


@dataclass(frozen=True)
class Database:
    """What a backup needs to know of one configured database."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    settings: Mapping[str, Any]

    @property
    def suffix(self) -> str:
        return ".dump" if self.vendor == "postgresql" else ".sqlite3"


def backup_dir() -> Path:
    # var/ is git-ignored and already holds the uploads: backups stay out of the repository.
    return Path(settings.BASE_DIR) / "var" / "backups"


def database(alias: str = DEFAULT_DB_ALIAS) -> Database:
    """The configured database of ``alias``; refused when it is not one we can copy."""
    settings_dict = connections[alias].settings_dict
    engine = settings_dict["ENGINE"]
    name = str(settings_dict["NAME"] or "")
    if engine == "django.db.backends.postgresql":
        return Database("postgresql", name, settings_dict)
    if engine == "django.db.backends.sqlite3":
        if is_in_memory(name):
            raise BackupError(f"Basis data SQLite '{name}' ada di memori, bukan di berkas: tidak ada yang dicadangkan.")
        return Database("sqlite", name, settings_dict)
    raise BackupError(f"Pencadangan hanya untuk PostgreSQL dan SQLite, bukan {engine}.")


def is_in_memory(name: str) -> bool:
    return name in ("", ":memory:") or "mode=memory" in name


def default_target(db: Database) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return backup_dir() / f"{Path(db.name).stem if db.vendor == 'sqlite' else db.name}-{stamp}{db.suffix}"


# --- Backup ---------------------------------------------------------------------------------------


def backup(target: Path | None = None, *, alias: str = DEFAULT_DB_ALIAS) -> Path:
    """Copy the database to ``target`` (default: a timestamped file under var/backups/); the path.

    Written to a temporary name first and renamed when complete, so a file under the backup's
    name is always a whole backup."""
    db = database(alias)
    target = Path(target) if target else default_target(db)
    if target.exists():
        raise BackupError(f"Berkas {target} sudah ada; pilih nama lain agar cadangan lama tidak tertimpa.")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        # A backup holds every account's password hash and all the data: readable by its owner
        # only, from the first byte (pg_dump and sqlite3 then write into the file as it is).
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise BackupError(f"Berkas {partial} tidak dapat dibuat: {error.strerror}.") from error
    try:
        if db.vendor == "postgresql":
            _pg_dump(db, partial)
        else:
            _sqlite_copy(Path(db.name), partial, what="dicadangkan")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _pg_dump(db: Database, target: Path) -> None:
    _run_pg_tool(db, ["pg_dump", "--format=custom", "--file", str(target)], action="Pencadangan")


def _sqlite_copy(source: Path, target: Path, *, what: str) -> None:
    """sqlite3's online backup from ``source`` into ``target`` (whose content it replaces)."""
    if not source.is_file():
        raise BackupError(f"Basis data SQLite {source} tidak ditemukan.")
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"Basis data SQLite tidak dapat {what}: {error}.") from error


# --- Restore --------------------------------------------------------------------------------------


def check_backup_file(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> Database:
    """The database ``source`` would be restored into, once ``source`` is known to be a backup of
    the right kind for it (checked before asking the operator to confirm)."""
    db = database(alias)
    if not source.exists():
        raise BackupError(f"Berkas cadangan {source} tidak ditemukan.")
    if not source.is_file():
        raise BackupError(f"{source} bukan berkas.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = "postgresql" if head.startswith(PG_MAGIC) else "sqlite" if head == SQLITE_MAGIC else None
    if kind is None:
        raise BackupError(
            f"{source} bukan berkas cadangan (bukan arsip pg_dump format custom maupun basis data SQLite)."
        )
    if kind != db.vendor:
        label = {"postgresql": "PostgreSQL (pg_dump)", "sqlite": "SQLite"}
        raise BackupError(
            f"{source} adalah cadangan {label[kind]}, sedangkan basis data yang dipakai adalah {label[db.vendor]}."
        )
    if kind == "sqlite":
        _check_sqlite_backup(source)
    return db


def _check_sqlite_backup(source: Path) -> None:
    """A SQLite file is only a backup of this application when it holds Django's migrations."""
    try:
        with closing(sqlite3.connect(source)) as probe:
            # The check constraints call REGEXP, which Django registers on its own connections.
            probe.create_function("REGEXP", 2, _regexp, deterministic=True)
            if probe.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"Berkas cadangan SQLite {source} rusak (PRAGMA quick_check gagal).")
            found = probe.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'")
            if found.fetchone() is None:
                raise BackupError(f"{source} adalah basis data SQLite, tetapi bukan cadangan aplikasi ini.")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Berkas cadangan SQLite {source} tidak dapat dibaca: {error}.") from error


def _regexp(pattern: str | None, value: Any) -> bool:
    return pattern is not None and value is not None and re.search(pattern, str(value)) is not None


def restore(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> Database:
    """Replace the database's content with the backup ``source``; the database restored.

    The cached report pages of running servers are keyed by the data versions stored in the
    database (core.data_version), which the restore puts back to their values at backup time.
    Versions counted since then would come round again for other data and serve stale pages, so
    every version is raised past the highest one seen before the restore."""
    db = check_backup_file(Path(source), alias=alias)
    before = _data_version(alias)
    # Our own connection would hold SQLite's file or keep plans of the tables being replaced.
    connections[alias].close()
    if db.vendor == "postgresql":
        _run_pg_tool(
            db,
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", db.name,
             str(source)],
            action="Pemulihan",
            after_failure="Data tidak berubah: pemulihan berjalan dalam satu transaksi yang dibatalkan.",
        )  # fmt: skip
    else:
        _sqlite_copy(Path(source), Path(db.name), what="dipulihkan")
    connections[alias].close()
    _raise_data_version(alias, above=before)
    return db


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of the code that the restored database has not applied (an older backup)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _data_version(alias: str) -> int:
    """The highest of the data versions (core.data_version), 0 when there are none."""
    from core.data_version import VERSION_TABLE

    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT max(version) FROM {VERSION_TABLE}")  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:  # an empty or older database has no version table: nothing cached under it
        connections[alias].close()
        return 0
    return int(row[0] or 0) if row else 0


def _raise_data_version(alias: str, *, above: int) -> None:
    """Every data version (core.data_version) past ``above``."""
    from core.data_version import VERSION_TABLE, version_names

    connection = connections[alias]
    if VERSION_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for name in version_names():
            # Constants of core.data_version and an integer: no outside input in the statement.
            cursor.execute(
                f"UPDATE {VERSION_TABLE} SET version = CASE WHEN version > %s THEN version ELSE %s END + 1 "  # noqa: S608
                "WHERE name = %s",
                [above, above, name],
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    f"INSERT INTO {VERSION_TABLE} (name, version) VALUES (%s, %s)",  # noqa: S608
                    [name, above + 1],
                )


# --- PostgreSQL tools ----------------------------------------------------------------------------


# libpq connection options Django passes through OPTIONS, and the variables the tools read them from.
LIBPQ_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE",
                 "connect_timeout": "PGCONNECT_TIMEOUT"}  # fmt: skip


def _pg_env(db: Database) -> dict[str, str]:
    """libpq's environment for the tools: Django's settings over the process's own PG* variables
    (which Django's connection honours too where a setting is empty, so both reach the same
    server); the password never appears in a process listing."""
    options = db.settings.get("OPTIONS") or {}
    values = {
        "PGHOST": db.settings.get("HOST"),
        "PGPORT": db.settings.get("PORT"),
        "PGUSER": db.settings.get("USER"),
        "PGPASSWORD": db.settings.get("PASSWORD"),
        "PGDATABASE": db.name,
        **{variable: options.get(option) for option, variable in LIBPQ_OPTIONS.items()},
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value not in (None, "")}}


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Program {name} tidak ditemukan di PATH. Pasang klien PostgreSQL yang versinya sama dengan "
            "servernya (Debian/Ubuntu: apt-get install postgresql-client)."
        )
    return path


def _run_pg_tool(db: Database, command: list[str], *, action: str, after_failure: str = "") -> None:
    command = [pg_tool(command[0]), *command[1:]]
    try:
        result = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise BackupError(f"{action} gagal: {command[0]} tidak dapat dijalankan ({error.strerror}).") from error
    if result.returncode != 0:
        tool = Path(command[0]).name
        message = f"{action} basis data {db.name} gagal: {tool} keluar dengan status {result.returncode}."
        if after_failure:
            message += f" {after_failure}"
        stderr = result.stderr.strip()[:STDERR_LIMIT] or "(tanpa pesan)"
        raise BackupError(f"{message}\n{stderr}")
