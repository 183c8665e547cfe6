"""The fuzz suite's hypothesis profile: a bounded number of examples, the same ones on every run
(derandomized, no example database written into the tree), no deadline (a request's time varies
on a shared machine). ``HYPOTHESIS_PROFILE=fuzz-long`` runs many more examples by hand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DataError, connection
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.fuzz.support import signed_in

# The examples of one test share its fixtures and transaction; each example rolls its own writes
# back (tests/fuzz/support.py rolled_back), so a function-scoped fixture is what we want.
_COMMON = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "print_blob": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large, HealthCheck.large_base_example],
}  # fmt: skip
settings.register_profile("fuzz", max_examples=25, **_COMMON)
settings.register_profile("fuzz-long", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


@pytest.fixture(autouse=True)
def _nul_refused_as_postgresql_does() -> Iterator[None]:
    """PostgreSQL refuses a NUL character in any text parameter (a server error); SQLite stores
    it. Refuse it on SQLite too, so that the default run finds what the PostgreSQL run would."""

    def refuse(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        rows = params if many else [params]
        for row in rows or ():
            values = row.values() if isinstance(row, dict) else (row or ())
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


# Signed-in clients, one per test function (its examples share it; the session row is written
# before the examples' savepoints, so rolling an example back keeps the client signed in). Take
# them as test arguments: one fetched with request.getfixturevalue inside an example would be
# signed in inside that example's savepoint and signed out by its rollback.
@pytest.fixture
def as_officer(officer) -> Client:
    return signed_in(officer)


@pytest.fixture
def as_admin(admin_user) -> Client:
    return signed_in(admin_user)


@pytest.fixture
def as_reviewer(reviewer) -> Client:
    return signed_in(reviewer)
