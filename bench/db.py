"""The benchmark databases: created when missing, and vacuumed as a settled one would be."""

from __future__ import annotations

import sys


def ensure_database() -> None:
    """Create the database named in DATABASE_URL when it does not exist yet."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_bench")
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"] or "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


def vacuum_analyze() -> list[str]:
    """VACUUM (ANALYZE) every table written since its last one: statistics and visibility maps
    (index-only scans need them) as a settled production database has them, where autovacuum
    keeps them. The CI's PostgreSQL runs with autovacuum off, so the bench does it itself, after
    the load and after the import benchmark and the summary rebuilds. The tables are read from
    PostgreSQL's own counters, not listed here: a list went stale when the outputs summary came
    (274.652 dead rows left in programs_reportoutput made its scan 7 ms of the outputs report's
    11). VACUUM cannot run inside a transaction. Returns the tables."""
    from django.db import connection

    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # counters as of now, not of this transaction
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > 0 OR n_mod_since_analyze > 0 "
                "OR (last_analyze IS NULL AND last_autoanalyze IS NULL) ORDER BY relname"
            )
            tables = [name for (name,) in cursor.fetchall()]
            for table in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    finally:
        connection.set_autocommit(autocommit)
    return tables
