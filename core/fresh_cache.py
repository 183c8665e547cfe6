"""Cached page parts that are never stale.

A cached value's key holds the data versions the part reads (``core.data_version``: raised by
database triggers whenever a transaction that wrote the data commits; the reports' version unless
the caller names others), the date (figures that
depend on today: months started, reports overdue), the language, what the user may see
(``scoping.scope_key``: role and province) and the query parameters the page reads (only those,
sorted, each value once: ``?a=1&b=2`` and ``?b=2&a=1`` share an entry, and parameters the page
ignores cannot fill the cache with copies; the values were validated by the page's form first). A write makes a new
version, so the next request builds afresh; an unchanged version means unchanged data, so the
cached part is exactly what building it again would give.

Only parts that depend on nothing else may be cached: no CSRF token (a form that posts), no
user name. ``cached()`` refuses to store HTML holding a CSRF token.

The cache is the ``pages`` cache of settings (Redis with REDIS_URL, shared by every server;
otherwise each process's memory, bounded in bytes: core/bounded_cache.py); when the version cannot
be read (inside a transaction, a database without the triggers) the part
is built every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone, translation

from accounts.scoping import scope_key
from core.data_version import REPORTS, current_versions

T = TypeVar("T")
CACHE = "pages"
CSRF_FIELD = "csrfmiddlewaretoken"


# The scope of a part that reads no user (``cached(..., for_everyone=True)``).
EVERYONE = "everyone"


def cache_key(request: HttpRequest, name: str, versions: Sequence[int], params: Iterable[str] = (), *,
              for_everyone: bool = False) -> str:  # fmt: skip
    # An empty value stays in the key: for some reports "given, empty" differs from "absent".
    known = set(params)
    query = "&".join(sorted({f"{key}={value}" for key, values in request.GET.lists() if key in known
                             for value in values}))  # fmt: skip
    parts = [name, ".".join(map(str, versions)), timezone.localdate().isoformat(), translation.get_language() or "",
             EVERYONE if for_everyone else scope_key(request.user), query]  # fmt: skip
    return "fresh:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached(request: HttpRequest, name: str, build: Callable[[], T], *, params: Iterable[str],
           enabled: bool = True, versions: Sequence[str] = (REPORTS,), for_everyone: bool = False) -> T:  # fmt: skip
    """``build()``'s value for this request, from the cache when the data has not changed
    (``enabled=False``: built every time, for parts that read tables the version does not watch).
    ``params``: the query parameters the part depends on; any other is left out of the key.
    ``versions``: the data versions of the tables the part reads (core.data_version).
    ``for_everyone``: the part reads nothing of the user (province-level figures every role may
    read, as data, not HTML with a role's actions): one entry serves every role and province."""
    if not enabled or not settings.FRESH_CACHE_ENABLED:
        return build()
    numbers = current_versions(versions)
    if numbers is None:
        return build()
    cache = caches[CACHE]
    key = cache_key(request, name, numbers, params, for_everyone=for_everyone)
    value = cache.get(key)
    if value is None:
        value = build()
        if not _holds_csrf_token(value):
            cache.set(key, value)
    return value


def _holds_csrf_token(value: object) -> bool:
    texts = value.values() if isinstance(value, dict) else [value]
    return any(isinstance(text, str | bytes) and CSRF_FIELD in str(text) for text in texts)
