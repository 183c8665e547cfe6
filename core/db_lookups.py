"""``field__any=[...]``: membership in a list of keys, as one array parameter on PostgreSQL.

The reports filter their tables by the filter's satkers as a list of keys (a constant list lets
PostgreSQL estimate the rows; a subquery made it guess). With ``__in`` every key is a parameter
of its own: the realization report's one query had 374 of them nationally, and psycopg splits
and quotes a statement of more than 50 parameters on every execution (it caches only smaller
ones: ``psycopg._queries.MAX_CACHED_STATEMENT_PARAMS``), about a millisecond each time, besides
Django preparing each key. ``= ANY(%s)`` sends the keys as one array: the same plan
(PostgreSQL turns ``IN (...)`` into ``= ANY('{...}')`` itself), a cached statement.

Keys only: on an integer column (keys, relations) the values must be integers, on a text column
(the registry's NIBs and normalised names, 5.000 of them a query in an import) text; a model
instance, a subquery or a value of the other kind is refused. Other databases get the plain
``IN (...)`` of Django's ``__in``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, ForeignObject, IntegerField, TextField
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any"
    key_type: type = int
    # bigint[]: every key column here is an integer; the array's type is then fixed whatever the
    # sizes of the keys (psycopg would pick int2[] for small ones).
    array_type = "bigint[]"

    def get_prep_lookup(self) -> list[Any]:
        keys: Any = self.rhs
        if not isinstance(keys, Iterable) or isinstance(keys, str | bytes):
            raise TypeError(f"__any takes a list of {self.key_type.__name__} keys, not {type(keys).__name__}")
        prepared = []
        for key in keys:
            if isinstance(key, bool) or not isinstance(key, self.key_type):
                raise TypeError(f"__any takes {self.key_type.__name__} keys here, not {type(key).__name__}")
            prepared.append(key)
        return prepared

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.array_type})", [*lhs_params, self.rhs]


class TextAnyOf(AnyOf):
    # text[]: a varchar column compares as text, and its btree index (text_ops) serves the ANY.
    key_type = str
    array_type = "text[]"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # The array as one literal ('{"a","b"}'), written here: psycopg's client-side binding
        # (Django's default) quotes a list element by element in Python, 5.000 names a query.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.array_type})", [*lhs_params, text_array(self.rhs)]


def text_array(keys: Iterable[str]) -> str:
    """PostgreSQL's literal of a text array: each element double-quoted, with its backslashes
    and double quotes escaped (so commas, braces, spaces and the word NULL stay text)."""
    return "{" + ",".join('"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for key in keys) + "}"


def install() -> None:
    # Integer columns (every auto and big auto key is one) and relations, which keep lookups of
    # their own (ForeignObject.get_class_lookups stops at itself); text columns take text keys.
    for field_class in (IntegerField, ForeignObject):
        field_class.register_lookup(AnyOf)
    for field_class in (CharField, TextField):
        field_class.register_lookup(TextAnyOf)
