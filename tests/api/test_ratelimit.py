"""Requests per token and minute, counted in the default cache: Redis here, as with REDIS_URL in
production (every app server counts together)."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.cache import caches

from accounts.models import ApiTokenUse
from api import ratelimit
from tests.api.conftest import api_client, issue
from tests.redis_support import REDIS_URL, redis_with_prefix

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/registry/"


@pytest.fixture
def redis_default(settings):
    """The default cache in the machine's Redis under a prefix of this test's own."""
    for client, prefix in redis_with_prefix():
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                        "KEY_PREFIX": prefix},
        }  # fmt: skip
        yield client, prefix


@pytest.fixture
def mid_window():
    """The clock 10 s into a minute, so that no test's window ends half-way."""
    with mock.patch.object(ratelimit.time, "time", return_value=60 * 29_000_000 + 10.0) as clock:
        yield clock


def test_past_its_rate_a_token_gets_429_with_retry_after(redis_default, mid_window, officer, viewer) -> None:
    client_redis, prefix = redis_default
    limited = api_client(issue(officer, rate_per_minute=3))
    assert [limited.get(REGISTRY).status_code for _ in range(3)] == [200, 200, 200]
    refused = limited.get(REGISTRY)
    assert refused.status_code == 429 and refused["Retry-After"] == "50"
    assert json.loads(refused.content)["error"].startswith("Terlalu banyak permintaan: token ini dibatasi 3 ")
    # Counted in Redis, where every server counts.
    assert list(client_redis.scan_iter(f"{prefix}:*api-rate:*"))
    # Another token (even of the same account) has its own count.
    assert api_client(issue(officer, rate_per_minute=3)).get(REGISTRY).status_code == 200
    assert api_client(issue(viewer)).get(REGISTRY).status_code == 200
    # The refusals are in the token's log too.
    assert list(ApiTokenUse.objects.order_by("at", "pk").values_list("status", flat=True))[:4] == [200, 200, 200, 429]
    # The next minute starts a new window.
    mid_window.return_value += 60
    assert limited.get(REGISTRY).status_code == 200


def test_the_count_is_shared_by_every_server(redis_default, mid_window, officer) -> None:
    """A second process's cache connection (another app server) sees the same count."""
    key = issue(officer, rate_per_minute=2)
    assert api_client(key).get(REGISTRY).status_code == 200
    caches["default"].close()
    del caches["default"]
    assert api_client(key).get(REGISTRY).status_code == 200
    assert api_client(key).get(REGISTRY).status_code == 429


def test_an_evicted_window_starts_again(mid_window, officer) -> None:
    client = api_client(issue(officer, rate_per_minute=1))
    assert client.get(REGISTRY).status_code == 200
    caches["default"].clear()
    assert client.get(REGISTRY).status_code == 200
    assert client.get(REGISTRY).status_code == 429
