"""``field__any=[...]``: membership in a list of keys, as one array parameter on PostgreSQL.

The reports filter their tables by the filter's satkers as a list of keys (a constant list lets
PostgreSQL estimate the rows; a subquery made it guess). With ``__in`` every key is a parameter
of its own: the realization report's one query had 374 of them nationally, and psycopg splits
and quotes a statement of more than 50 parameters on every execution (it caches only smaller
ones: ``psycopg._queries.MAX_CACHED_STATEMENT_PARAMS``), about a millisecond each time, besides
Django preparing each key. ``= ANY(%s)`` sends the keys as one array: the same plan
(PostgreSQL turns ``IN (...)`` into ``= ANY('{...}')`` itself), a cached statement.

Keys only: the values must be integers (a model instance or a subquery is refused). Other
databases get the plain ``IN (...)`` of Django's ``__in``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import ForeignObject, IntegerField
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any"

    def get_prep_lookup(self) -> list[int]:
        keys: Any = self.rhs
        if not isinstance(keys, Iterable) or isinstance(keys, str | bytes):
            raise TypeError(f"__any takes a list of integer keys, not {type(keys).__name__}")
        prepared = []
        for key in keys:
            if isinstance(key, bool) or not isinstance(key, int):
                raise TypeError(f"__any takes integer keys, not {type(key).__name__}")
            prepared.append(key)
        return prepared

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # bigint[]: every key column here is an integer; the array's type is then fixed whatever
        # the sizes of the keys (psycopg would pick int2[] for small ones).
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]


def install() -> None:
    # Integer columns (every auto and big auto key is one) and relations, which keep lookups of
    # their own (ForeignObject.get_class_lookups stops at itself); a text column has no __any.
    for field_class in (IntegerField, ForeignObject):
        field_class.register_lookup(AnyOf)
