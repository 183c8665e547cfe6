"""django-tables2's per-cell signature lookups are answered from a cache, with the same answers."""

from __future__ import annotations

from functools import partial

from django_tables2 import utils

from core import tables2_signatures


class Table:
    def render_amount(self, value, record):
        return value

    def render_any(self, value, **kwargs):
        return value


def plain(value, *args, bound_column=None):
    return value


def test_installed_for_django_tables2() -> None:
    assert utils.signature is tables2_signatures.signature


def test_same_answers_as_django_tables2() -> None:
    for fn in (Table().render_amount, Table().render_any, plain, partial(plain, 1), lambda **kw: kw):
        assert tables2_signatures.signature(fn) == tables2_signatures._uncached(fn)
    assert tables2_signatures.signature(Table().render_amount) == (("value", "record"), None)
    assert tables2_signatures.signature(Table().render_any) == (("value",), "kwargs")


def test_methods_of_every_table_share_one_entry() -> None:
    tables2_signatures._signature_of.cache_clear()
    for _ in range(50):
        utils.call_with_appropriate(Table().render_amount, {"value": 1, "record": None, "column": None})
    info = tables2_signatures._signature_of.cache_info()
    assert (info.misses, info.hits) == (1, 49)
