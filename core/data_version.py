"""The data versions: counters raised by database triggers whenever a transaction that wrote to
a table the cached pages read commits. Cached pages (``core.fresh_cache``) are keyed by the
versions they read, so a cached page is never older than the data behind it. The versions:
``reports`` (the budget and programme data), ``approved`` (what the approved figures read: below),
``drafts`` (below) and ``registry`` (the IKM registry's summary, which the IKM report reads: its
bulk imports must not invalidate the budget reports).

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

Drafts (``ReportRule``, given by the app that owns the reports: budgets/apps.py): every cached
report counts only reports past the draft (submitted, verified, approved); an officer saving a
draft changes nothing they show. So a write that changes only reports not yet counted (their rows:
realization and its sums; the report's own entry columns: its total, its version) raises the
``drafts`` version instead of the reports', and the cached pages live on while officers type;
so does a change of the report's bookkeeping no cached page reads (who started reviewing it).
Whether a report counts is read at COMMIT, from its status then: a transaction that saves and
submits raises the reports' version (the status changed); a report not found counts. A page that
shows drafts' figures keys on ``DRAFTS`` too. PostgreSQL only: on SQLite (development and tests)
every write raises the reports' version, as a trigger there that reads another table breaks
the migrations that rebuild that table.

Approved figures (the same rule): the reports on the default basis count approved reports only,
and the master data. A write raising the reports' version raises the ``approved`` version too,
unless the rule shows it touched no approved report: a report's row whose status was not
approved before the write nor after it, the rows of reports not approved at commit (realization
and its sums), and the sign-off's bookkeeping of those reports (steps, flags, comments). So
submitting, verifying and returning leave the approved figures' pages cached; approving and
reopening do not. A page keys on ``APPROVED`` instead of ``REPORTS`` only when it reads reports
through the approved status alone (``ReportSpec.approved_versions``). PostgreSQL only, as above:
on SQLite every write raises both.

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
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, migrations

REPORTS = "reports"
REGISTRY = "registry"
DRAFTS = "drafts"
APPROVED = "approved"
VERSION_TABLE = "budgets_dataversion"  # core.DataVersion's (its table kept the name it was created with)
FUNCTION = "ikma_raise_reports_version"  # the name it was created with; it raises any version now
REPORT_FUNCTION = "ikma_raise_version_unless_draft"  # the name it was created with: it decides every report version
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


def version_names() -> tuple[str, ...]:
    """Every data version a trigger may raise: the reports', the drafts', the approved figures'
    and the settings' own."""
    return tuple(dict.fromkeys((REPORTS, DRAFTS, APPROVED, *settings.DATA_VERSION_OWN.values())))


def raised_with(name: str) -> tuple[str, ...]:
    """The versions a write that raises ``name`` raises: the reports' version comes with the
    approved figures' unless the report rule shows the write left every approved report alone."""
    return (REPORTS, APPROVED) if name == REPORTS else (name,)


def unwatched(app_label: str, model_name: str) -> bool:
    """A model whose writes change no cached page."""
    return version_of(app_label, model_name) is None


@dataclass(frozen=True)
class ReportRule:
    """Which writes change only drafts, and which leave the approved figures alone (see the
    module's docstring): the reports' table, its status column and the statuses no report counts,
    the tables of a report's rows (table: the column naming the report) and the report's columns
    a draft's entry changes."""

    report_table: str
    status_column: str
    uncounted: tuple[str, ...]
    rows: dict[str, str] = field(default_factory=dict)
    entry_columns: tuple[str, ...] = ()
    # The report's bookkeeping no cached page reads (who started reviewing it, and when): a change
    # of these alone raises the drafts' version whatever the status.
    unread_columns: tuple[str, ...] = ()
    # The statuses of the reports the approved figures count: a write that changes no report of
    # these statuses (before or after) and none of its rows leaves the approved version alone.
    official: tuple[str, ...] = ()
    # The tables of a report's sign-off bookkeeping (table: the column naming the report): the
    # steps, flags, comments. They raise the reports' version, and the approved figures' only for
    # an official report (or none found).
    bookkeeping: dict[str, str] = field(default_factory=dict)

    def covers(self, table: str) -> bool:
        return table == self.report_table or table in self.rows or table in self.bookkeeping

    def names(self) -> tuple[str, ...]:
        """Every name that goes into the triggers' SQL."""
        return (self.report_table, self.status_column, *self.rows, *self.rows.values(), *self.bookkeeping,
                *self.bookkeeping.values(), *self.entry_columns, *self.unread_columns, *self.uncounted,
                *self.official)  # fmt: skip


_report_rule: ReportRule | None = None


def set_report_rule(rule: ReportRule | None) -> None:
    """Called once by the app that owns the reports (its AppConfig.ready); the triggers read it
    when they are (re)created, after every migrate."""
    global _report_rule
    for name in rule.names() if rule else ():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):  # it goes into the triggers' SQL
            raise ValueError(f"ReportRule: {name!r} is not a plain SQL name")
    _report_rule = rule


def report_rule() -> ReportRule | None:
    return _report_rule


def _upsert(vendor: str, name: str) -> str:
    """Raise version ``name`` (an SQL expression), creating its row at the clock."""
    return (
        f"INSERT INTO {VERSION_TABLE} (name, version) VALUES ({name}, {CLOCK[vendor]}) "  # noqa: S608
        f"ON CONFLICT (name) DO UPDATE SET version = {VERSION_TABLE}.version + 1"
    )


def _raise_once(name: str) -> str:
    """PL/pgSQL: raise version ``name`` (an SQL expression) unless this transaction did (the
    setting is local to the transaction)."""
    return f"""
    IF coalesce(current_setting('ikma.version_raised_' || {name}, true), '') <> 'on' THEN
        PERFORM set_config('ikma.version_raised_' || {name}, 'on', true);
        {_upsert("postgresql", name)};
    END IF;"""


def _raised(name: str) -> str:
    """PL/pgSQL: whether this transaction raised version ``name`` (a literal) already."""
    return f"coalesce(current_setting('ikma.version_raised_{name}', true), '') = 'on'"


# The trigger's arguments name the versions it raises (none: the reports' and the approved
# figures', as the triggers of the first migrations were created).
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counter text;
BEGIN
    FOREACH counter IN ARRAY CASE WHEN TG_NARGS = 0 THEN ARRAY{list(raised_with(REPORTS))}::text[] ELSE TG_ARGV END
    LOOP{_raise_once("counter")}
    END LOOP;
    RETURN NULL;
END $$;
"""


def _sql_list(values: Sequence[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


BOOKKEEPING = "bookkeeping"  # the report function's second argument for a bookkeeping table


def postgres_report_function(rule: ReportRule) -> str:
    """The row trigger of the tables the rule covers. The reports' version unless every report the
    row names (a report's row: its report, before and after) is uncounted at commit, or the report
    itself changed nothing but its unread columns, or, uncounted, its entry columns: then the
    drafts'. The approved figures' version when a report the write names is official (at commit;
    the report's own row: its status before or after) or not found."""
    report, status = rule.report_table, rule.status_column
    uncounted = f"ARRAY[{_sql_list(rule.uncounted)}]::text[]"
    official = f"ARRAY[{_sql_list(rule.official)}]::text[]"
    unread = f"ARRAY[{_sql_list(rule.unread_columns)}]::text[]"
    entry = f"ARRAY[{_sql_list(rule.entry_columns)}]::text[]"
    # The names were checked by set_report_rule (plain SQL names): nothing a user typed.
    return f"""
CREATE OR REPLACE FUNCTION {REPORT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := ARRAY[]::bigint[];
    ignored text[];
    counted boolean;
    is_official boolean;
BEGIN
    IF {_raised(REPORTS)} AND {_raised(APPROVED)} THEN
        RETURN NULL;  -- both raised already in this transaction: nothing more to learn
    END IF;
    IF TG_TABLE_NAME = '{report}' THEN
        IF TG_OP = 'INSERT' THEN
            counted := true;
            is_official := NEW.{status}::text = ANY ({official});
        ELSIF TG_OP = 'DELETE' THEN
            counted := true;
            is_official := OLD.{status}::text = ANY ({official});
        ELSIF OLD.{status} IS DISTINCT FROM NEW.{status} THEN
            counted := true;
            is_official := OLD.{status}::text = ANY ({official}) OR NEW.{status}::text = ANY ({official});
        ELSE
            ignored := {unread};
            IF NEW.{status}::text = ANY ({uncounted}) THEN
                ignored := ignored || {entry};
            END IF;
            counted := (to_jsonb(OLD) - ignored) IS DISTINCT FROM (to_jsonb(NEW) - ignored);
            is_official := counted AND NEW.{status}::text = ANY ({official});
        END IF;
    ELSE
        IF TG_OP <> 'DELETE' THEN ids := ids || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint; END IF;
        IF TG_OP <> 'INSERT' THEN ids := ids || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint; END IF;
        -- A report not found (or no report named) counts, and is official.
        counted := TG_ARGV[1] IS NOT DISTINCT FROM '{BOOKKEEPING}' OR EXISTS (
            SELECT 1 FROM unnest(ids) AS named(id)
            WHERE NOT EXISTS (SELECT 1 FROM {report} r WHERE r.id = named.id AND r.{status}::text = ANY ({uncounted}))
        );
        is_official := EXISTS (
            SELECT 1 FROM unnest(ids) AS named(id)
            WHERE NOT EXISTS (
                SELECT 1 FROM {report} r WHERE r.id = named.id AND NOT r.{status}::text = ANY ({official})
            )
        );
    END IF;
    IF counted THEN{_raise_once(f"'{REPORTS}'")}
    ELSE{_raise_once(f"'{DRAFTS}'")}
    END IF;
    IF is_official THEN{_raise_once(f"'{APPROVED}'")}
    END IF;
    RETURN NULL;
END $$;
"""  # noqa: S608


def trigger_statements(vendor: str, table: str, name: str = REPORTS, *, rule: ReportRule | None = None) -> list[str]:
    """The triggers raising ``name`` (and what comes with it: ``raised_with``) on writes of
    ``table``; on PostgreSQL the tables ``rule`` covers raise what the rule decides instead."""
    if not _VERSION_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a version name")
    names = raised_with(name)
    arguments = _sql_list(names)
    if vendor == "postgresql":
        row_function = f"{FUNCTION}({arguments})"
        if rule is not None and rule.covers(table) and name == REPORTS:
            of_report = {row: f"'{column}'" for row, column in rule.rows.items()}
            of_report |= {kept: f"'{column}', '{BOOKKEEPING}'" for kept, column in rule.bookkeeping.items()}
            row_function = f"{REPORT_FUNCTION}({of_report.get(table, '')})"
        return [
            f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {row_function}",
            f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({arguments})",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {TRIGGER}_{event.lower()}_{table} AFTER {event} ON {table} "
            f"BEGIN {' '.join(f'{_upsert(vendor, repr(each))};' for each in names)} END"
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
    rule = report_rule()
    if rule is not None and rule.report_table not in existing:
        rule = None
    with connection.schema_editor() as editor:
        _put_triggers(editor, tables, with_function=True, rule=rule)


def _put_triggers(editor: Any, tables: dict[str, str], *, with_function: bool, rule: ReportRule | None = None) -> None:
    """(Re)create the triggers of ``tables`` (table: version), first the PostgreSQL functions when
    asked; ``rule``: the report rule, for the tables it covers (the migrations' own calls pass
    none: every migrate ends with install_triggers)."""
    vendor = editor.connection.vendor
    if with_function and vendor == "postgresql":
        editor.execute(POSTGRES_FUNCTION)
        if rule is not None:
            editor.execute(postgres_report_function(rule))
    for table, name in tables.items():
        statements = trigger_statements(vendor, table, name, rule=rule)
        for statement in drop_statements(vendor, table) + statements:
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
