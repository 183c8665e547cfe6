"""The page cache of a server without Redis: Django's in-process LocMemCache bounded by the bytes
it holds, not by its number of entries.

Pages differ in size by two orders of magnitude (a province's JSON report against the national
dashboard's HTML), so a count of entries bounds nothing: 2.000 national pages are hundreds of MB
in every gunicorn worker. Here ``OPTIONS["MAX_BYTES"]`` bounds the pickled values of every
cache of the same LOCATION in the process (LocMemCache shares its store by LOCATION), evicting
the least recently used first; a value larger than the whole bound is not stored. With REDIS_URL
the pages live in Redis instead, bounded by its ``maxmemory`` (README "Configuration").
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class BytesBoundedLocMemCache(LocMemCache):
    def __init__(self, name: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.max_bytes = int(options.pop("MAX_BYTES", DEFAULT_MAX_BYTES))
        # Entries are bounded by bytes: LocMemCache's own count limit (300 by default) must not cull first.
        options.setdefault("MAX_ENTRIES", 10**9)
        super().__init__(name, {**params, "OPTIONS": options})

    def used_bytes(self) -> int:
        with self._lock:
            return sum(map(len, self._cache.values()))

    def _set(self, key: str, value: bytes, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        # Called with the lock held and the value pickled (LocMemCache.set and .add). Summing the
        # sizes on every store costs microseconds against the page build that precedes it, and
        # cannot drift from what is stored.
        self._delete(key)
        if len(value) > self.max_bytes:
            return
        used = sum(map(len, self._cache.values()))
        while self._cache and used + len(value) > self.max_bytes:
            evicted, pickled = self._cache.popitem()  # the last: the least recently used
            self._expire_info.pop(evicted, None)
            used -= len(pickled)
        super()._set(key, value, timeout)
