"""Counting a block's queries in tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def counted_queries() -> Iterator[list[dict]]:
    """The queries of the block, copied when it ends: CaptureQueriesContext reads the connection's
    log only when asked, and the next request clears that log (Django's request_started), so a
    count read after another request comes out wrong."""
    queries: list[dict] = []
    with CaptureQueriesContext(connection) as captured:
        yield queries
    queries.extend(captured.captured_queries)
