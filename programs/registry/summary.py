"""RegistrySummary: the IKM registry's totals per (province, data year, KBLI group), kept current
by the writes of Enterprise inside their own transaction, and what reads it.

A national registry holds millions of enterprises; aggregating them on each request costs about
half a second at 4,4 million, while the same totals from this table (a few thousand rows) take
a few milliseconds. Nothing is refreshed in a batch: each write adds its own change, so a change
shows in the next request.

Where the registry is written, and where each write keeps the summary (same transaction):

- ``programs.registry.services.enterprise_save`` (the officers' form and the Django admin, whose
  saves and history reverts go through it): the stored enterprise's contribution out, the saved
  one's in;
- ``programs.registry.import_kind`` (the ``ikm`` import): the deltas of the whole file, added up per key
  in Python and written once at the end of its apply (one upsert per 500 keys);
- ``demo.programs`` (the demo registry): the enterprises it creates;
- ``programs.registry.services.enterprises_delete`` (the admin's delete and delete action): the
  deleted enterprises' contributions out.

Anything else that writes enterprises (``Model.delete`` or ``QuerySet.delete`` in a shell,
``bulk_create``, ``QuerySet.update`` of a summarised field, raw SQL or COPY, e.g. a benchmark
loader) must add its change with ``RegistryChange`` in the same transaction, or run
``manage.py rebuild_registry_summary`` afterwards. That command recomputes the table from the
enterprises; it is a repair tool, never part of a report. ``--check`` only compares.

A key whose enterprises are all gone keeps a row of zeros; the readers skip rows without
enterprises (a row with no enterprise has nothing else either).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr

from programs.models import Enterprise, RegistrySummary, SizeClass

Key = tuple[int, int, str]  # province id, data year, KBLI group
KEY_COLUMNS = ("province_id", "data_year", "kbli_group")
# The figures of a key, in this order in every delta and row.
FIGURES = ("enterprises", "small", "medium", "large", "workers_male", "workers_female", "investment",
           "production_value")  # fmt: skip
SIZE_FIGURE = {SizeClass.SMALL.value: "small", SizeClass.MEDIUM.value: "medium", SizeClass.LARGE.value: "large"}
_SIZE_INDEX = {size: FIGURES.index(figure) for size, figure in SIZE_FIGURE.items()}
UPSERT_CHUNK = 500  # keys per statement (11 parameters each; SQLite takes 32.766)


class Summarised(Protocol):
    """What a contribution reads: an Enterprise, or the importer's values of one."""

    province_id: int
    data_year: int
    kbli: str
    size_class: str
    workers_male: int
    workers_female: int
    investment: int
    production_value: int


def kbli_group(kbli: str) -> str:
    return kbli[:2]


def key_of(enterprise: Summarised) -> Key:
    return (enterprise.province_id, enterprise.data_year, kbli_group(enterprise.kbli))


class RegistryChange:
    """The change a write makes to the summary: figures per key, added up in Python, then
    written by ``apply`` in one upsert per UPSERT_CHUNK keys (keys in a fixed order, so two
    transactions that touch the same keys cannot deadlock on them). Call ``apply`` inside the
    transaction of the write."""

    def __init__(self) -> None:
        self._deltas: dict[Key, list[int]] = {}

    def add(self, enterprise: Summarised, sign: int = 1) -> RegistryChange:
        figures = self._deltas.setdefault(key_of(enterprise), [0] * len(FIGURES))
        figures[0] += sign
        figures[_SIZE_INDEX[enterprise.size_class]] += sign
        figures[4] += sign * enterprise.workers_male
        figures[5] += sign * enterprise.workers_female
        figures[6] += sign * enterprise.investment
        figures[7] += sign * enterprise.production_value
        return self

    def remove(self, enterprise: Summarised) -> RegistryChange:
        return self.add(enterprise, -1)

    def adding(self, enterprises: Iterable[Summarised]) -> RegistryChange:
        for enterprise in enterprises:
            self.add(enterprise)
        return self

    def removing(self, enterprises: Iterable[Summarised]) -> RegistryChange:
        for enterprise in enterprises:
            self.add(enterprise, -1)
        return self

    def deltas(self) -> dict[Key, tuple[int, ...]]:
        """The non-zero changes (an edit of the name changes nothing here)."""
        return {key: tuple(figures) for key, figures in self._deltas.items() if any(figures)}

    def apply(self) -> None:
        changes = sorted(self.deltas().items())
        self._deltas.clear()
        for chunk in _chunks(changes, UPSERT_CHUNK):
            _upsert(chunk)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(changes: Sequence[tuple[Key, tuple[int, ...]]]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding to the stored figures (PostgreSQL and SQLite 3.24+
    spell it the same way). Concurrent writers of one key queue on its row; the additions
    commute, so each sees the other's committed figures."""
    quote = connection.ops.quote_name
    table = quote(RegistrySummary._meta.db_table)
    columns = [*KEY_COLUMNS, *FIGURES]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{quote(name)} = {table}.{quote(name)} + EXCLUDED.{quote(name)}" for name in FIGURES)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(name) for name in columns)}) "  # noqa: S608 (names only)
        f"VALUES {', '.join([row] * len(changes))} "
        f"ON CONFLICT ({', '.join(quote(name) for name in KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )
    params = [value for key, figures in changes for value in (*key, *figures)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Reading ------------------------------------------------------------------------------------


def present(summary: QuerySet[RegistrySummary]) -> QuerySet[RegistrySummary]:
    """The rows that still have enterprises (the others are zeros left by deletes and moves)."""
    return summary.filter(enterprises__gt=0)


def registry_count(summary: QuerySet[RegistrySummary], *, size_class: str | None = None) -> int:
    """How many enterprises the rows hold (of ``size_class`` when given): one small query."""
    figure = SIZE_FIGURE[size_class] if size_class else "enterprises"
    return summary.aggregate(total=Coalesce(Sum(figure), Value(0)))["total"]


# --- Computing from the enterprises (repair and checks, never a report) ---------------------------


def enterprise_totals(enterprises: QuerySet[Enterprise] | None = None) -> dict[Key, tuple[int, ...]]:
    """The figures per key aggregated from the enterprises themselves (one GROUP BY over the
    whole registry: seconds at national scale)."""
    enterprises = Enterprise.objects.all() if enterprises is None else enterprises
    sizes = {figure: Count("id", filter=Q(size_class=size)) for size, figure in SIZE_FIGURE.items()}
    rows = (
        enterprises.order_by()
        .annotate(kbli_group=Substr("kbli", 1, 2))
        .values(*KEY_COLUMNS)
        .annotate(
            enterprises=Count("id"),
            **sizes,
            **{name: Sum(name) for name in ("workers_male", "workers_female", "investment", "production_value")},
        )
    )
    return {tuple(row[name] for name in KEY_COLUMNS): tuple(row[name] for name in FIGURES) for row in rows}


def stored_totals() -> dict[Key, tuple[int, ...]]:
    rows = present(RegistrySummary.objects.all()).values_list(*KEY_COLUMNS, *FIGURES)
    return {tuple(row[:3]): tuple(row[3:]) for row in rows}


def summary_differences() -> list[tuple[Key, tuple[int, ...] | None, tuple[int, ...] | None]]:
    """(key, stored, expected) for every key where the summary disagrees with the enterprises."""
    stored, expected = stored_totals(), enterprise_totals()
    return [
        (key, stored.get(key), expected.get(key))
        for key in sorted(stored.keys() | expected.keys())
        if stored.get(key) != expected.get(key)
    ]


def rebuild_registry_summary() -> int:
    """Recompute the summary from the enterprises, in one transaction; returns the keys written.
    On PostgreSQL the registry is locked against writes meanwhile (reads go on), so no write
    falls between the aggregate and the new rows."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Enterprise._meta.db_table)} IN SHARE MODE")
        RegistrySummary.objects.all().delete()  # first: on SQLite this takes the write lock
        totals = enterprise_totals()
        RegistrySummary.objects.bulk_create(
            [
                RegistrySummary(**dict(zip(KEY_COLUMNS, key, strict=True)), **dict(zip(FIGURES, figures, strict=True)))
                for key, figures in sorted(totals.items())
            ],
            batch_size=1000,
        )
    return len(totals)
