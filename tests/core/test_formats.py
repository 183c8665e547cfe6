"""Typed rupiah amounts: the ways Indonesian documents write whole amounts are read; cents,
negatives and text are refused with a message."""

from __future__ import annotations

import pytest

from core.formats import RupiahError, parse_rupiah


@pytest.mark.parametrize(("typed", "amount"), [
    ("1250000", 1_250_000), ("1.250.000", 1_250_000), ("Rp1.250.000", 1_250_000), ("Rp 1.250.000", 1_250_000),
    ("Rp. 1.250.000", 1_250_000), ("Rp1.250.000,-", 1_250_000), ("1.250.000,-", 1_250_000),
    ("1.250.000,00", 1_250_000), ("rp 500", 500), ("", 0), (" ", 0), (7, 7),
])  # fmt: skip
def test_whole_amounts_are_read(typed, amount: int) -> None:
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(("typed", "message"), [
    ("1.250.000,50", "rupiah bulat"), ("-5", "negatif"), ("satu juta", "bukan jumlah rupiah"),
    (".5", "bukan jumlah rupiah"), ("Rp.", None), ("1,-5", "rupiah bulat"),
])  # fmt: skip
def test_other_text_is_refused_with_a_message(typed: str, message: str | None) -> None:
    if message is None:  # "Rp." alone: nothing typed after the currency
        assert parse_rupiah(typed) == 0
        return
    with pytest.raises(RupiahError, match=message):
        parse_rupiah(typed)
