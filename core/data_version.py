"""The data versions: counters raised by database triggers whenever a transaction that wrote to
a table the cached pages read commits. Cached pages (``core.fresh_cache``) are keyed by the
versions they read, so a cached page is never older than the data behind it. Two versions:
``reports`` (the budget and programme data) and ``registry`` (the IKM registry's summary, which
the IKM report reads: its bulk imports must not invalidate the budget reports).

Why triggers and not the services: every path that writes (forms, imports with COPY, the admin,
bulk updates, the bench loader, a DBA's fix in psql) passes through them; a forgotten ``bump()``
in one service would serve stale figures silently.

PostgreSQL: a deferred row-level constraint trigger per watched table runs at COMMIT, and raises
the counter once per transaction (a transaction-local setting remembers it did). Taking the
counter's row lock only at commit keeps writers from queueing behind each other for the length
of their transactions (an import) and cannot deadlock with their other locks. TRUNCATE, which
row triggers do not see, has a statement trigger. SQLite (development and tests): plain row
triggers; SQLite runs one writer at a time anyway. Other databases: no triggers, so no caching
(``current_versions()`` answers None).

For migrations: PostgreSQL refuses to ALTER a table in the transaction that changed its rows
while their deferred trigger events are pending ("pending trigger events"). A data migration of a
watched table and a schema change of it go in two migrations (each commits on its own).

Watched: every table of the apps settings name (``DATA_VERSION_APPS``: the budget and programme
data), raising the reports' version, except the models with a version of their own
(``DATA_VERSION_OWN``: the registry summary), the models settings exempt
(``DATA_VERSION_UNWATCHED``: the enterprises themselves, whose list pages are not cached; every
write of them changes the summary in the same transaction), the versions' own table and
django-simple-history's copies. The migrations put the triggers on the tables of
their time; after every ``migrate`` the post_migrate signal puts them on every watched table
again (``install_triggers``), so a new model is watched without further work and SQLite, which
rebuilds a table to alter it (dropping its triggers), gets them back. A test checks that every
model table of those apps is watched or exempt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, migrations

REPORTS = "reports"
REGISTRY = "registry"
VERSION_TABLE = "budgets_dataversion"  # core.DataVersion's (its table kept the name it was created with)
FUNCTION = "ikma_raise_reports_version"  # the name it was created with; it raises any version now
TRIGGER = "ikma_reports_version"
VENDORS = ("postgresql", "sqlite")
_VERSION_NAME = re.compile(r"[a-z_]{1,30}")

# A version row is created at the database clock in microseconds, not at 1: after a flush
# (``reset_demo``) the counter starts above every value it had before, so a page a shared cache
# (Redis, or a server that kept running) holds under an old version is never served for new data.
CLOCK = {
    "postgresql": "(extract(epoch from clock_timestamp()) * 1000000)::bigint",
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
}


def watched_apps() -> list[str]:
    return list(settings.DATA_VERSION_APPS)


def version_of(app_label: str, model_name: str) -> str | None:
    """The version a model's writes raise: None for the models settings exempt
    (``DATA_VERSION_UNWATCHED``), a version of their own for those settings name
    (``DATA_VERSION_OWN``), the reports' for every other model of the watched apps."""
    key = f"{app_label}.{model_name}"
    if key in settings.DATA_VERSION_UNWATCHED:
        return None
    name = settings.DATA_VERSION_OWN.get(key, REPORTS)
    if not _VERSION_NAME.fullmatch(name):  # it goes into the triggers' SQL
        raise ValueError(f"DATA_VERSION_OWN: {name!r} is not a version name (a-z and _)")
    return name


def unwatched(app_label: str, model_name: str) -> bool:
    """A model whose writes change no cached page."""
    return version_of(app_label, model_name) is None


def _upsert(vendor: str, name: str) -> str:
    """Raise version ``name`` (an SQL expression), creating its row at the clock."""
    return (
        f"INSERT INTO {VERSION_TABLE} (name, version) VALUES ({name}, {CLOCK[vendor]}) "  # noqa: S608
        f"ON CONFLICT (name) DO UPDATE SET version = {VERSION_TABLE}.version + 1"
    )


# The trigger's argument names the version (no argument: the reports', as the triggers of the
# first migrations were created).
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counter text := coalesce(TG_ARGV[0], '{REPORTS}');
    raised text := 'ikma.version_raised_' || counter;
BEGIN
    -- Once per transaction and version: the setting is local to the transaction.
    IF coalesce(current_setting(raised, true), '') <> 'on' THEN
        PERFORM set_config(raised, 'on', true);
        {_upsert("postgresql", "counter")};
    END IF;
    RETURN NULL;
END $$;
"""


def trigger_statements(vendor: str, table: str, name: str = REPORTS) -> list[str]:
    if not _VERSION_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a version name")
    if vendor == "postgresql":
        return [
            f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{name}')",
            f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{name}')",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {TRIGGER}_{event.lower()}_{table} AFTER {event} ON {table} "
            f"BEGIN {_upsert(vendor, repr(name))}; END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    return []


def drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}", f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {table}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER}_{event.lower()}_{table}" for event in ("INSERT", "UPDATE", "DELETE")]
    return []


def watched_tables(apps, app_label: str) -> dict[str, str]:
    """The watched tables of ``app_label``'s models (as the migration state knows them), each
    with the version its writes raise."""
    watched = {}
    for model in apps.get_app_config(app_label).get_models():
        name = version_of(app_label, model.__name__)
        if name and not model.__name__.startswith("Historical") and model._meta.db_table != VERSION_TABLE:
            watched[model._meta.db_table] = name
    return dict(sorted(watched.items()))


def watch_app(app_label: str, *, create_function: bool = False) -> migrations.RunPython:
    """A migration operation that puts the triggers on the app's watched tables of the time (and,
    once, creates the PostgreSQL function). Later models need none: install_triggers() runs
    after every migrate."""

    def forward(apps, schema_editor) -> None:
        _put_triggers(schema_editor, watched_tables(apps, app_label), with_function=create_function)

    def backward(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for table in watched_tables(apps, app_label):
            for statement in drop_statements(vendor, table):
                schema_editor.execute(statement)
        if create_function and vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")

    return migrations.RunPython(forward, backward, elidable=False)


def install_triggers(using: str = "default", **kwargs: Any) -> None:
    """Put the triggers on every watched table that exists (after every ``migrate``, from the
    post_migrate signal): a model added later is watched without a migration of its own, and
    SQLite, which rebuilds a table to alter it, gets back the triggers the rebuild dropped."""
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    if connection.vendor not in VENDORS:
        return
    existing = set(connection.introspection.table_names())
    tables = {
        table: name
        for label in watched_apps()
        for table, name in watched_tables(apps, label).items()
        if table in existing
    }
    with connection.schema_editor() as editor:
        _put_triggers(editor, tables, with_function=True)


def _put_triggers(editor: Any, tables: dict[str, str], *, with_function: bool) -> None:
    """(Re)create the triggers of ``tables`` (table: version), first the PostgreSQL function when
    asked."""
    vendor = editor.connection.vendor
    if with_function and vendor == "postgresql":
        editor.execute(POSTGRES_FUNCTION)
    for table, name in tables.items():
        for statement in drop_statements(vendor, table) + trigger_statements(vendor, table, name):
            editor.execute(statement)


def current_versions(names: Sequence[str]) -> tuple[int, ...] | None:
    """The versions ``names`` to key cached pages by, in one query; None when no cache may be
    used: inside a transaction (its own writes are not counted until it commits) or on a database
    without the triggers. A version never raised since the database was created or flushed is
    created at the clock (see CLOCK)."""
    from core.models import DataVersion

    if connection.in_atomic_block or connection.vendor not in VENDORS:
        return None
    found = dict(DataVersion.objects.filter(name__in=names).values_list("name", "version"))
    missing = [name for name in names if name not in found]
    if missing:
        with connection.cursor() as cursor:
            for name in missing:
                cursor.execute(
                    f"INSERT INTO {VERSION_TABLE} (name, version) VALUES (%s, {CLOCK[connection.vendor]}) "  # noqa: S608
                    "ON CONFLICT (name) DO NOTHING",
                    [name],
                )
        found = dict(DataVersion.objects.filter(name__in=names).values_list("name", "version"))
    return tuple(found[name] for name in names)


def reports_version() -> int | None:
    """The reports' version (see current_versions)."""
    versions = current_versions((REPORTS,))
    return None if versions is None else versions[0]
