"""The bench's ORM/SQL ratio: the median of the ratios of calls timed in turn."""

from __future__ import annotations

import pytest

from bench.harness import paired_ratio


def test_each_pair_shares_its_load() -> None:
    # The machine slows down half way: each pair keeps a ratio of 1,1 however slow.
    orm = [11.0, 11.0, 11.0, 22.0, 22.0, 22.0]
    sql = [10.0, 10.0, 10.0, 20.0, 20.0, 20.0]
    assert paired_ratio(orm, sql) == pytest.approx(1.1)


def test_one_outlier_pair_does_not_move_it() -> None:
    assert paired_ratio([10.0, 10.0, 90.0], [10.0, 10.0, 10.0]) == 1.0


def test_series_must_pair_up() -> None:
    with pytest.raises(ValueError):
        paired_ratio([1.0, 2.0], [1.0])
