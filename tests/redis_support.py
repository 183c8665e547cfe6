"""The machine's Redis for the shared-cache tests (CI runs one on 127.0.0.1:6379; .ci/run sets
REQUIRE_REDIS=1 so that CI fails rather than skips when it does not answer)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_with_prefix() -> Iterator[tuple[redis.Redis, str]]:
    """A client of the machine's Redis and a key prefix of the test's own, its keys removed after
    (a fixture's body: ``yield from redis_with_prefix()``); the test skips without Redis."""
    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    try:
        yield client, prefix
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()
