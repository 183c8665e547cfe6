"""The reports' data version: a counter raised by database triggers whenever a transaction that
wrote to a table the reports read commits. Cached pages (``core.fresh_cache``) are keyed by
it, so a cached page is never older than the data behind it.

Why triggers and not the services: every path that writes (forms, imports with COPY, the admin,
bulk updates, the bench loader, a DBA's fix in psql) passes through them; a forgotten ``bump()``
in one service would serve stale figures silently.

PostgreSQL: a deferred row-level constraint trigger per watched table runs at COMMIT, and raises
the counter once per transaction (a transaction-local setting remembers it did). Taking the
counter's row lock only at commit keeps writers from queueing behind each other for the length
of their transactions (an import) and cannot deadlock with their other locks. TRUNCATE, which
row triggers do not see, has a statement trigger. SQLite (development and tests): plain row
triggers; SQLite runs one writer at a time anyway. Other databases: no triggers, so no caching
(``reports_version()`` answers None).

For migrations: PostgreSQL refuses to ALTER a table in the transaction that changed its rows
while their deferred trigger events are pending ("pending trigger events"). A data migration of a
watched table and a schema change of it go in two migrations (each commits on its own).

Watched: every table of the apps settings name (``DATA_VERSION_APPS``: the budget and programme
data) except the models settings exempt (``DATA_VERSION_UNWATCHED``: the IKM registry, whose pages
are not cached and whose bulk imports should not invalidate the budget reports), the version's
own table and django-simple-history's copies. The migrations put the triggers on the tables of
their time; after every ``migrate`` the post_migrate signal puts them on every watched table
again (``install_triggers``), so a new model is watched without further work and SQLite, which
rebuilds a table to alter it (dropping its triggers), gets them back. A test checks that every
model table of those apps is watched or exempt.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, migrations

REPORTS = "reports"
VERSION_TABLE = "budgets_dataversion"  # core.DataVersion's (its table kept the name it was created with)
FUNCTION = "ikma_raise_reports_version"
TRIGGER = "ikma_reports_version"
VENDORS = ("postgresql", "sqlite")


def watched_apps() -> list[str]:
    return list(settings.DATA_VERSION_APPS)


def unwatched(app_label: str, model_name: str) -> bool:
    """A model whose writes change no cached page (settings.DATA_VERSION_UNWATCHED, "app.Model")."""
    return f"{app_label}.{model_name}" in settings.DATA_VERSION_UNWATCHED


# Constants of this module only, no input:
_UPSERT = (
    f"INSERT INTO {VERSION_TABLE} (name, version) VALUES ('{REPORTS}', 1) "  # noqa: S608
    f"ON CONFLICT (name) DO UPDATE SET version = {VERSION_TABLE}.version + 1"
)

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the setting is local to it, so the next transaction starts unset.
    IF coalesce(current_setting('ikma.reports_version_raised', true), '') <> 'on' THEN
        PERFORM set_config('ikma.reports_version_raised', 'on', true);
        {_UPSERT};
    END IF;
    RETURN NULL;
END $$;
"""


def trigger_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {TRIGGER}_{event.lower()}_{table} AFTER {event} ON {table} BEGIN {_UPSERT}; END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    return []


def drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}", f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {table}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER}_{event.lower()}_{table}" for event in ("INSERT", "UPDATE", "DELETE")]
    return []


def watched_tables(apps, app_label: str) -> list[str]:
    """The tables of ``app_label``'s models (as the migration state knows them) that are watched."""
    return sorted(
        model._meta.db_table
        for model in apps.get_app_config(app_label).get_models()
        if not unwatched(app_label, model.__name__)
        and not model.__name__.startswith("Historical")
        and model._meta.db_table != VERSION_TABLE
    )


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
    tables = [table for label in watched_apps() for table in watched_tables(apps, label) if table in existing]
    with connection.schema_editor() as editor:
        _put_triggers(editor, tables, with_function=True)


def _put_triggers(editor: Any, tables: list[str], *, with_function: bool) -> None:
    """(Re)create the triggers of ``tables``, first the PostgreSQL function when asked."""
    vendor = editor.connection.vendor
    if with_function and vendor == "postgresql":
        editor.execute(POSTGRES_FUNCTION)
    for table in tables:
        for statement in drop_statements(vendor, table) + trigger_statements(vendor, table):
            editor.execute(statement)


def reports_version() -> int | None:
    """The version to key cached report pages by; None when no cache may be used: inside a
    transaction (its own writes are not counted until it commits) or on a database without the
    triggers."""
    from core.models import DataVersion

    if connection.in_atomic_block or connection.vendor not in VENDORS:
        return None
    version = DataVersion.objects.filter(name=REPORTS).values_list("version", flat=True).first()
    if version is None:  # nothing written since the database was created or flushed
        version = DataVersion.objects.get_or_create(name=REPORTS)[0].version
    return version
