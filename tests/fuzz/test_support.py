"""The fuzz suite's own helpers do what they claim."""

from __future__ import annotations

import pytest
from django.db import transaction

from budgets.models import Province
from tests.fuzz import support
from tests.fuzz.strategies import HOSTILE, RAW_MARKERS
from tests.imports.test_bad_inputs import database_snapshot

pytestmark = pytest.mark.django_db


def test_one_query_snapshot_is_the_import_tests_snapshot(satker, officer) -> None:
    assert support.database_snapshot() == database_snapshot()


def test_a_rolled_back_example_leaves_no_row(db) -> None:
    before = support.database_snapshot()
    with support.rolled_back():
        Province.objects.create(bps_code="99", kemendagri_code="99", name="Uji", name_en="Test", iso_code="ID-ZZ")
        assert support.changes(before, support.database_snapshot())["budgets.Province"] == (0, 1)
    assert support.database_snapshot() == before
    assert transaction.get_connection().in_atomic_block  # the test's own transaction is still open


def test_every_raw_marker_is_in_the_hostile_values_and_its_escaped_form_passes() -> None:
    from django.http import HttpResponse
    from django.utils.html import escape

    for marker in RAW_MARKERS:
        assert any(marker in value for value in HOSTILE)
        with pytest.raises(AssertionError):
            support.assert_no_raw_markup(HttpResponse(f"<p>{marker}</p>"))
        support.assert_no_raw_markup(HttpResponse(f"<p>{escape(marker)}</p>"))
