"""Building form posts for the fuzz tests: a good post of each form with some of its fields
replaced by hostile values (or left out), so that each hostile value is what the form has to
deal with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.strategies import hostile

# A field left out of the post altogether.
MISSING = object()


def mutations(fields: Sequence[str], *, max_size: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    """Up to ``max_size`` of ``fields``, each given a hostile value (now and then: left out)."""
    return _mutations(tuple(fields), max_size)


@cache
def _mutations(fields: tuple[str, ...], max_size: int) -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(hostile(), hostile(), hostile(), st.just(MISSING))
    return st.dictionaries(st.sampled_from(fields), value, max_size=min(max_size, len(fields)))


def post_data(good: Mapping[str, Any], changed: Mapping[str, Any]) -> dict[str, Any]:
    data = {**good, **changed}
    return {key: value for key, value in data.items() if value is not MISSING}


def must_refuse_amount(value: Any) -> bool:
    """Input that no rupiah field may accept: letters (besides a leading "Rp"), markup or SQL
    punctuation, a minus sign before a non-zero digit, sen (a non-zero fraction), or 16 digits
    and more."""
    text = "".join(str(value).split())
    body = text[2:] if text[:2] in ("Rp", "rp") else text
    if any(c.isalpha() or c in "<>;'\"%_\\" for c in body):
        return True
    whole, _comma, fraction = body.partition(",")
    if any(c in "123456789" for c in fraction):
        return True
    digits = "".join(c for c in whole if c in "0123456789")
    if body.startswith("-") and digits.strip("0"):
        return True
    return len(digits.lstrip("0")) > 15
