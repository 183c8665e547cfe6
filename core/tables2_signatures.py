"""Memoised callable signatures for django-tables2.

django-tables2 calls ``inspect.signature`` on every cell's ``render_*`` method, for every cell
of every row (``utils.call_with_appropriate``). On the outputs report (38 provinces x 25
columns) that was a quarter of the page's time in `make bench`. A method's parameters never
change while the process runs, so the answer is kept per function; bound methods share their
function's entry, so no table or row is kept alive by the cache.
"""

from __future__ import annotations

import types
from functools import lru_cache
from typing import Any

from django_tables2 import utils

_uncached = utils.signature


@lru_cache(maxsize=4096)
def _signature_of(function: Any, bound: bool) -> tuple[tuple[str, ...], str | None]:
    # django-tables2 drops ``self`` of bound methods: ask it about a method bound to nothing in
    # particular so the result is the same as for the real bound method.
    return _uncached(types.MethodType(function, object()) if bound else function)


def signature(fn: Any) -> tuple[tuple[str, ...], str | None]:
    """``django_tables2.utils.signature``, answered from the cache for functions and methods."""
    if isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
        return _signature_of(fn.__func__, True)
    if isinstance(fn, types.FunctionType):
        return _signature_of(fn, False)
    return _uncached(fn)  # partials, callable objects: rare, left as they are


def install() -> None:
    """Route django-tables2's lookups through the cache (its callers read the module global)."""
    utils.signature = signature
