"""``__any``: the same rows as ``__in``; on PostgreSQL one array parameter however many keys."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from budgets.models import Satker, SatkerAuthority
from core.db_lookups import text_array
from tests.factories import FiscalYearFactory, SatkerAuthorityFactory, SatkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def satkers(province, other_province) -> list[Satker]:
    return [SatkerFactory(province=province if n % 2 else other_province) for n in range(8)]


def test_same_rows_as_in(satkers) -> None:
    wanted = [satkers[1].pk, satkers[4].pk, satkers[6].pk]
    assert set(Satker.objects.filter(pk__any=wanted)) == set(Satker.objects.filter(pk__in=wanted))
    assert Satker.objects.filter(pk__any=wanted).count() == 3
    assert not Satker.objects.filter(pk__any=[]).exists()
    assert Satker.objects.exclude(pk__any=wanted).count() == 5


def test_through_a_relation_and_on_a_foreign_key_column(satkers) -> None:
    year = FiscalYearFactory(year=2024)
    for satker in satkers:
        SatkerAuthorityFactory(satker=satker, fiscal_year=year)
    wanted = [satkers[0].pk, satkers[3].pk]
    by_column = SatkerAuthority.objects.filter(satker_id__any=wanted)
    by_relation = SatkerAuthority.objects.filter(satker__id__any=wanted)
    assert {row.satker_id for row in by_column} == {row.satker_id for row in by_relation} == set(wanted)


@pytest.mark.parametrize("keys", ["12", [1, "2"], [1, 2.0], [True], None])
def test_only_integer_keys(keys) -> None:
    with pytest.raises(TypeError, match="__any"):
        Satker.objects.filter(pk__any=keys)


def test_text_keys_on_a_text_column(satkers) -> None:
    wanted = [satkers[2].code, satkers[5].code, "no such code"]
    assert set(Satker.objects.filter(code__any=wanted)) == {satkers[2], satkers[5]}
    with pytest.raises(TypeError, match="__any"):
        Satker.objects.filter(code__any=[1])  # an integer is no text key


def test_not_on_other_columns() -> None:
    with pytest.raises(FieldError, match="any"):
        Satker.objects.filter(is_central__any=[True])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_text_keys_as_one_text_array_on_postgresql(satkers) -> None:
    codes = [satker.code for satker in satkers] + [f"x{n}" for n in range(400)]
    query = Satker.objects.filter(code__any=codes)
    sql, params = query.query.sql_with_params()
    assert "= ANY(%s::text[])" in sql
    assert list(params) == [text_array(codes)]  # one parameter: the array's literal
    assert query.count() == 8


def test_text_keys_kept_as_typed(province) -> None:
    awkward = ['Satker "A", {B}', 'back\\slash \\"', "NULL", " spaced ", "koma,titik.", ""]
    satkers = [SatkerFactory(province=province, name=name) for name in awkward]
    assert set(Satker.objects.filter(name__any=awkward)) == set(satkers)
    for satker in satkers:
        assert list(Satker.objects.filter(name__any=[satker.name])) == [satker]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_one_array_parameter_on_postgresql(satkers) -> None:
    many = [satker.pk for satker in satkers] + list(range(10_000, 10_400))
    query = Satker.objects.filter(pk__any=many)
    sql, params = query.query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql
    assert list(params) == [many]  # the keys travel as one array, not a parameter each
    assert query.count() == 8
