"""The in-process page cache (no REDIS_URL) is bounded by the bytes it holds (core/bounded_cache.py)."""

from __future__ import annotations

import pickle
import uuid

from core.bounded_cache import BytesBoundedLocMemCache


def cache(max_bytes: int) -> BytesBoundedLocMemCache:
    return BytesBoundedLocMemCache(f"test-{uuid.uuid4().hex}", {"OPTIONS": {"MAX_BYTES": max_bytes}})


def size(value: object) -> int:
    return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


PAGE = "x" * 3_000  # about 3 KB pickled


def test_the_bytes_stay_within_the_bound_and_the_least_recently_used_go_first() -> None:
    pages = cache(10_000)
    for name in ("a", "b", "c"):
        pages.set(name, PAGE)
    assert pages.get("a") == PAGE  # read: now the most recently used
    pages.set("d", PAGE)  # 4 x 3 KB > 10 KB: "b", the least recently used, goes
    assert pages.get("b") is None
    assert [pages.get(name) for name in ("a", "c", "d")] == [PAGE] * 3
    assert pages.used_bytes() == 3 * size(PAGE) <= 10_000


def test_many_entries_are_kept_when_they_are_small() -> None:
    """The bound is in bytes: LocMemCache's default limit of 300 entries does not apply."""
    pages = cache(1_000_000)
    for index in range(1_000):
        pages.set(f"k{index}", index)
    assert all(pages.get(f"k{index}") == index for index in range(1_000))


def test_replacing_a_value_counts_its_bytes_once() -> None:
    pages = cache(10_000)
    for _ in range(10):
        pages.set("same", PAGE)
    pages.set("other", PAGE)
    assert pages.used_bytes() == 2 * size(PAGE)
    assert pages.get("same") == PAGE


def test_a_value_larger_than_the_whole_cache_is_not_stored_and_evicts_nothing() -> None:
    pages = cache(10_000)
    pages.set("small", PAGE)
    pages.set("huge", "y" * 20_000)
    assert pages.get("huge") is None and pages.get("small") == PAGE
    assert pages.add("huge", "y" * 20_000) is False or pages.get("huge") is None


def test_caches_of_one_location_share_one_bound() -> None:
    """Django makes a cache object per thread; the store and its bound are the process's."""
    name = f"test-{uuid.uuid4().hex}"
    first = BytesBoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": 7_000}})
    second = BytesBoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": 7_000}})
    first.set("a", PAGE)
    second.set("b", PAGE)
    second.set("c", PAGE)
    assert first.get("a") is None and first.get("c") == PAGE
    assert first.used_bytes() == second.used_bytes() == 2 * size(PAGE)
