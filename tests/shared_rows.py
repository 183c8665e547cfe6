"""Rows that several tests read, written once for a module or the whole run, the way
TestCase.setUpTestData does for a class: inside a transaction that is rolled back when the
fixture ends; each test runs in a savepoint of it, so what a test writes is undone after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import connection, transaction

T = TypeVar("T")


def rolled_back_at_end(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a fixture of module or session scope: ``yield from rolled_back_at_end(blocker, build)``."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
            _fire_deferred_triggers()
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _fire_deferred_triggers() -> None:
    """PostgreSQL queues a deferred trigger event (the data version's) for every row written.
    Each test's teardown checks constraints (SET CONSTRAINTS ALL IMMEDIATE), which fires every
    pending event, and the rollback of the test's savepoint marks them pending again: on the demo
    data, half a second per test. Fired once here, outside any savepoint, they are done for good."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
