"""The fuzz tests' shared checks: a signed-in client that turns a server error into a failing
test, one example's writes rolled back, "nothing was written", and "no hostile markup came back
unescaped"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from hypothesis import event

from tests.fuzz.strategies import RAW_MARKERS

# Rows that a refused request still writes by design: the sign-in's failed attempts (django-axes)
# and the session a request keeps its messages in.
BOOKKEEPING = ("axes.", "sessions.")


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one hypothesis example in a savepoint that is always rolled back: the examples of a
    test share the test's transaction, and each must start from the same data."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def signed_in(user: Any) -> Client:
    """A client signed in as ``user``; an exception in a view is raised in the test (a 500)."""
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@cache
def _snapshot_sql() -> tuple[list[str], str]:
    """The keys of tests/imports/test_bad_inputs.py's ``database_snapshot`` (every managed
    table's row count, and the newest history id of each history table) and one statement that
    reads them all: that helper's 90 queries took longer than the request under test."""
    keys, parts = [], []
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        table = quote(model._meta.db_table)
        keys.append(model._meta.label)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 (table names from the models, quoted)
        if any(f.name == "history_id" for f in model._meta.concrete_fields):
            keys.append(f"{model._meta.label}.max(history_id)")
            parts.append(f"(SELECT MAX({quote('history_id')}) FROM {table})")  # noqa: S608
    return keys, "SELECT " + ", ".join(parts)


def database_snapshot() -> dict[str, int | None]:
    """What tests/imports/test_bad_inputs.py's ``database_snapshot`` returns, in one query."""
    keys, sql = _snapshot_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(keys, cursor.fetchone(), strict=True))


def changes(before: dict[str, int | None], after: dict[str, int | None]) -> dict[str, tuple]:
    """What differs between two database snapshots, less the bookkeeping rows."""
    return {
        key: (before[key], after[key])
        for key in before
        if before[key] != after[key] and not key.startswith(BOOKKEEPING)
    }


def body(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# Downloads whose text is the data as typed: escaping would change it (a name "<b>" is that name).
DATA_DOWNLOADS = ("text/csv", "text/plain")


def assert_no_raw_markup(response: HttpResponse) -> None:
    """None of the hostile fragments' markup is in the body as markup (its escaped form may be).
    A CSV or text download holds the data as typed: it must be an attachment that no browser
    sniffs into HTML."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith(DATA_DOWNLOADS) and response.get("Content-Disposition", "").startswith("attachment"):
        assert response.get("X-Content-Type-Options") == "nosniff"
        return
    content = body(response).decode("utf-8", errors="replace")
    found = [marker for marker in RAW_MARKERS if marker in content]
    assert not found, f"unescaped {found} in {response.get('Content-Type')} response"


LOGIN = reverse("accounts:login")


def assert_handled(response: HttpResponse, allowed: tuple[int, ...] = (200, 302, 400)) -> None:
    """The request was answered by the page itself: an expected status, not a server error, and
    not a detour to the sign-in page (a test whose client lost its session would test nothing).
    400 is Django's own answer to a post it cannot parse (a field name of 10.000 characters)."""
    assert response.status_code in allowed, (response.status_code, response.get("Location"), body(response)[:500])
    if response.status_code == 302:
        assert not response["Location"].startswith(LOGIN), response["Location"]
    assert_no_raw_markup(response)


def is_refused(response: HttpResponse) -> bool:
    """A form page that comes back (200, or 400 from Django itself) instead of redirecting has
    refused the input."""
    return response.status_code != 302


def post_form(client: Client, url: str, data: dict) -> HttpResponse:
    """Post ``data``; the page must handle it, and when it refuses (comes back instead of
    redirecting) nothing may have been written."""
    before = database_snapshot()
    response = client.post(url, data)
    assert_handled(response)
    if is_refused(response):
        assert changes(before, database_snapshot()) == {}, "a refused post wrote to the database"
    event("refused" if is_refused(response) else "saved")  # in --hypothesis-show-statistics
    return response


def assert_pages_escaped(client: Client, *urls: str) -> None:
    """Pages that show what was just stored: they render, with the stored text escaped."""
    for url in urls:
        assert_handled(client.get(url), (200,))


def assert_fits_postgresql(instance: Any) -> None:
    """Every value of a saved row fits its column on PostgreSQL too: SQLite keeps any 64-bit
    integer in an IntegerField, any length in a varchar and a NUL in text, where PostgreSQL
    refuses with a server error."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        limits = DatabaseOperations.integer_field_ranges.get(field.get_internal_type())
        if limits and value is not None:
            low, high = limits
            assert low <= value <= high, (field.name, value)
        if isinstance(value, str):
            assert "\x00" not in value, field.name
            if field.max_length is not None:
                assert len(value) <= field.max_length, (field.name, len(value))


def assert_rows_fit_postgresql(*models: type) -> None:
    for model in models:
        for row in model._base_manager.all():
            assert_fits_postgresql(row)
