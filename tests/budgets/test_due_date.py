"""Report due date: the 5th working day of the following month, skipping weekends and holidays."""

from __future__ import annotations

from datetime import date

import pytest

from budgets.calendar import nth_working_day, report_due_date
from budgets.models import Holiday


def test_fifth_working_day_skips_weekends() -> None:
    # February 2023 starts on a Wednesday: 1, 2, 3, 6, 7.
    assert report_due_date(2023, 1, holidays=[]) == date(2023, 2, 7)
    # January 2023 starts on a Sunday: 2, 3, 4, 5, 6.
    assert report_due_date(2022, 12, holidays=[]) == date(2023, 1, 6)


def test_holidays_are_not_working_days() -> None:
    assert nth_working_day(2023, 2, 5, [date(2023, 2, 6)]) == date(2023, 2, 8)


@pytest.mark.django_db
def test_holiday_table_moves_the_due_date() -> None:
    assert report_due_date(2024, 4) == date(2024, 5, 7)
    Holiday.objects.create(date=date(2024, 5, 1), name="Hari Buruh")
    assert report_due_date(2024, 4) == date(2024, 5, 8)
