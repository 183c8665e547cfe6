"""The one home of the number formats (core/formats.py): typed rupiah amounts (the ways Indonesian
documents write whole amounts are read; cents, negatives and text are refused with a message),
and numbers, percentages, amounts in words, dates and lists in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.formats import (
    RupiahError,
    format_amount,
    format_date,
    format_decimal,
    format_megabytes,
    format_number,
    format_percent,
    format_rupiah,
    join_words,
    parse_rupiah,
)


@pytest.mark.parametrize(("typed", "amount"), [
    ("1250000", 1_250_000), ("1.250.000", 1_250_000), ("Rp1.250.000", 1_250_000), ("Rp 1.250.000", 1_250_000),
    ("Rp. 1.250.000", 1_250_000), ("Rp1.250.000,-", 1_250_000), ("1.250.000,-", 1_250_000),
    ("1.250.000,00", 1_250_000), ("rp 500", 500), ("", 0), (" ", 0), (7, 7),
    # Comma thousands separators where they cannot mean sen (issue 23): two groups or more, or a
    # ".00" after them, as a spreadsheet set to English shows amounts.
    ("1,250,000", 1_250_000), ("Rp 1,250,000", 1_250_000), ("1,250,000.00", 1_250_000), ("1,250.00", 1_250),
    ("12,345,678,901", 12_345_678_901),
])  # fmt: skip
def test_whole_amounts_are_read(typed, amount: int) -> None:
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(("typed", "says"), [
    # One comma group: 1.250 rupiah, or 1 rupiah 25 sen? The message names both ways to type it.
    ("1,250", ["1.250 rupiah atau 1 rupiah lebih sen", "Tulis 1.250 atau 1250"]),
    ("1,5", ["tanpa sen", "'1,5' memuat sen", "1.250.000"]),
    ("1,250,000.50", ["tanpa sen"]), ("1,250.000", ["bukan jumlah rupiah"]), ("1,25,000", ["bukan jumlah rupiah"]),
])  # fmt: skip
def test_ambiguous_commas_and_sen_say_what_to_type(typed: str, says: list[str]) -> None:
    with pytest.raises(RupiahError) as refused:
        parse_rupiah(typed)
    for words in says:
        assert words in str(refused.value)


@pytest.mark.parametrize(("typed", "message"), [
    ("1.250.000,50", "rupiah bulat"), ("-5", "negatif"), ("satu juta", "bukan jumlah rupiah"),
    (".5", "bukan jumlah rupiah"), ("Rp.", None), ("1,-5", "bukan jumlah rupiah"),
])  # fmt: skip
def test_other_text_is_refused_with_a_message(typed: str, message: str | None) -> None:
    if message is None:  # "Rp." alone: nothing typed after the currency
        assert parse_rupiah(typed) == 0
        return
    with pytest.raises(RupiahError, match=message):
        parse_rupiah(typed)


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (Decimal("97.97"), "97,97 %", "97.97%"),
        (Decimal("100"), "100,00 %", "100.00%"),
        (Decimal("0.005"), "0,01 %", "0.01%"),  # half up, as the directorate rounds
        (Decimal("1234.5"), "1.234,50 %", "1,234.50%"),
        (None, "-", "-"),
    ],
)
def test_percent_in_each_language(value, indonesian, english) -> None:
    assert format_percent(value, "id") == indonesian
    assert format_percent(value, "en") == english


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (49_050_000_000, "Rp49,05 miliar", "IDR 49.05 billion"),  # the seed article's 2023 pagu
        (46_900_000_000, "Rp46,9 miliar", "IDR 46.9 billion"),  # and its exhibition transactions
        (10_860_000_000, "Rp10,86 miliar", "IDR 10.86 billion"),
        (47_000_000_000, "Rp47 miliar", "IDR 47 billion"),
        (1_250_000_000_000, "Rp1,25 triliun", "IDR 1.25 trillion"),
        (1_234_567_890_000_000, "Rp1.234,57 triliun", "IDR 1,234.57 trillion"),
        (105_370_538, "Rp105,37 juta", "IDR 105.37 million"),
        (999_000, "Rp999.000", "IDR 999,000"),
        (0, "Rp0", "IDR 0"),
    ],
)
def test_amount_in_words_in_each_language(value, indonesian, english) -> None:
    assert format_amount(value, "id") == indonesian
    assert format_amount(value, "en") == english


def test_numbers_and_rupiah() -> None:
    assert (format_number(13_220), format_number(13_220, "en"), format_number(67), format_number(-1_250)) == (
        "13.220", "13,220", "67", "-1.250")  # fmt: skip
    assert (format_number(None), format_rupiah(12_345_678), format_rupiah(None)) == ("-", "Rp12.345.678", "-")
    assert (format_decimal(Decimal("1234.5")), format_decimal(Decimal("2.345"), 2, "en")) == ("1.234,50", "2.35")
    assert (format_megabytes(20 * 1024 * 1024), format_megabytes(1_153_434)) == ("20", "1,1")


def test_dates_and_lists_in_words() -> None:
    assert format_date(date(2026, 2, 7)) == "7 Februari 2026"
    assert format_date(date(2026, 2, 7), "en") == "7 February 2026"
    assert [join_words(items) for items in (["a"], ["a", "b"], ["a", "b", "c"])] == ["a", "a dan b", "a, b, dan c"]
    assert join_words(["a", "b", "c"], "en") == "a, b, and c"
