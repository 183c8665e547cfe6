"""The output rules (budgets/output_rules.py) against plain arithmetic."""

from __future__ import annotations

from decimal import Decimal as D

from budgets.output_rules import achievement, gap_flag, percent, volume_to_date, weighted_progress


def test_non_cumulative_volumes_add_and_cumulative_take_the_largest() -> None:
    months = [D(10), D(0), D(25), D(5)]
    assert volume_to_date(cumulative=False, monthly=months) == D(40)
    assert volume_to_date(cumulative=True, monthly=months) == D(25)
    assert volume_to_date(cumulative=False, monthly=months, adjustments=[D(-3), D(1)]) == D(38)
    assert volume_to_date(cumulative=False, monthly=[]) == D(0)


def test_achievement_and_percent() -> None:
    assert achievement(D(38), D(40)) == D("95.00")
    assert achievement(D(1), D(3)) == D("33.33")
    assert achievement(D(5), None) is None and achievement(D(5), D(0)) is None
    assert percent(2, 3) == D("66.67")


def test_physical_progress_is_pagu_weighted_and_a_missing_progress_is_zero() -> None:
    assert weighted_progress([(300, D(100)), (100, D(20))]) == D("80.00")
    assert weighted_progress([(100, D(50)), (100, None)]) == D("25.00")
    assert weighted_progress([]) is None


def test_gap_over_twenty_points_either_way() -> None:
    assert gap_flag(D(40), D("60.01")) and gap_flag(D("80.01"), D(60))
    assert not gap_flag(D(40), D(60)) and not gap_flag(None, D(90))
