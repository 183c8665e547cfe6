"""Requests per token and minute: a fixed window counted in the default cache (Redis with
REDIS_URL, so every app server counts together), the limit the token's own (``rate_per_minute``,
set by the admin). Past it: 429 with Retry-After (django-ninja adds the header from ``wait()``;
the message is api/errors.py's)."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

WINDOW = 60


def _window_key(token_pk: int, now: float) -> str:
    return f"api-rate:{token_pk}:{int(now // WINDOW)}"


class PerTokenRate(BaseThrottle):
    """Checked after authentication: ``request.auth`` is the token."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = request.auth
        cache = caches["default"]
        key = _window_key(token.pk, time.time())
        # add() then incr(): atomic in Redis, so two servers never both see the same count.
        cache.add(key, 0, timeout=WINDOW * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: this request starts the window again
            cache.set(key, 1, timeout=WINDOW * 2)
            count = 1
        return count <= token.rate_per_minute

    def wait(self) -> float:
        # Until the window ends: stateless, so one instance serves every request and thread.
        return WINDOW - time.time() % WINDOW
