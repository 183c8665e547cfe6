"""The functions every form and import reads typed values with, fed each hostile value of the
list and generated ones: they answer with a value or their own Indonesian refusal, never another
exception (which a page shows as a server error and an import as a crash)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from hypothesis import given

from budgets.forms import RupiahField
from core.formats import MAX_RUPIAH, RupiahError, parse_rupiah
from imports.reader import CellError, parse_amount, parse_code, parse_int, parse_regency_code, parse_text
from programs.records import import_kinds as kinds_records
from programs.records import import_ovop as kinds_ovop
from programs.registry import import_kind as kinds_registry
from tests.fuzz.forms import must_refuse_amount
from tests.fuzz.strategies import HOSTILE, INF, NEG_INF, cell_values, hostile

CELL_PARSERS: dict[str, Callable[[Any], Any]] = {
    "amount": parse_amount,
    "month": lambda value: parse_int(value, low=1, high=12),
    "year": lambda value: parse_int(value, low=2000, high=2100),
    "satker": lambda value: parse_code(value, digits=6, label="Kode satker"),
    "nib": lambda value: parse_code(value, digits=13, label="NIB", required=False),
    "regency": parse_regency_code,
    "text": lambda value: parse_text(value, max_length=200),
    # Each import kind's own cell readers.
    "ikm nib": kinds_registry.parse_nib,
    "ikm name": kinds_registry.parse_name,
    "ikm owner": kinds_registry.parse_owner,
    "ikm address": kinds_registry.parse_address,
    "ikm kbli": kinds_registry.parse_kbli,
    "ikm workers": kinds_registry.parse_workers,
    "ikm data year": kinds_registry.year_parser(dt.date(2026, 6, 1)),
    "facilitation kind": kinds_records.parse_facilitation_kind,
    "record text": kinds_records.optional_text(300),
    "ovop words": lambda value: kinds_ovop.parse_words(value, max_length=200),
    "ovop commodity": kinds_ovop.parse_commodity_group,
    "ovop units": kinds_ovop.parse_unit_count,
}
# What a reading of a number cell can give besides what openpyxl writes: +/- infinity from
# "1e999" in the sheet XML (see test_import_parsers).
EXTREMES = [float("inf"), float("-inf"), float("nan"), INF, NEG_INF, 10**400, -(10**400), True, False]


def check_rupiah(value: Any) -> None:
    try:
        amount = parse_rupiah(value)
    except RupiahError as refused:
        assert str(refused)
        return
    assert 0 <= amount < MAX_RUPIAH
    assert not must_refuse_amount(value), value


def check_cell(parse: Callable[[Any], Any], value: Any) -> None:
    try:
        parse(value)
    except CellError as refused:
        assert str(refused)


def check_field(value: Any) -> None:
    try:
        amount = RupiahField(required=False).clean(value)
    except forms.ValidationError as refused:
        assert refused.messages
        return
    assert amount is None or 0 <= amount < MAX_RUPIAH


def test_every_hostile_value_is_read_or_refused_with_a_message() -> None:
    for value in [*HOSTILE, *EXTREMES]:
        if isinstance(value, str):
            check_rupiah(value)
            check_field(value)
        for parse in CELL_PARSERS.values():
            check_cell(parse, value)


@given(value=hostile())
def test_typed_amounts_are_read_or_refused_with_a_message(value: str) -> None:
    check_rupiah(value)
    check_field(value)


@pytest.mark.parametrize("parser", list(CELL_PARSERS))
@given(value=cell_values())
def test_cell_values_are_read_or_refused_with_a_message(parser: str, value: Any) -> None:
    check_cell(CELL_PARSERS[parser], value)
