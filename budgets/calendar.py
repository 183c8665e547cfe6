"""Working days and report due dates (weekends and the Holiday table are not working days)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

REPORT_DUE_WORKING_DAY = 5  # the 5th working day of the following month
# The treasury closes RPD changes on the 10th working day of these months: Q1's window runs into
# February because the DIPA and the first RPD are only settled in January.
RPD_WINDOW_CLOSING_MONTH = {1: 2, 2: 4, 3: 7, 4: 10}
RPD_WINDOW_CLOSING_WORKING_DAY = 10


def nth_working_day(year: int, month: int, n: int, holidays: Iterable[date]) -> date:
    closed = set(holidays)
    day = date(year, month, 1)
    counted = 0
    while True:
        if day.weekday() < 5 and day not in closed:
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)


def rpd_window_bounds(
    year: int, quarter: int, holidays: Iterable[date], published: Mapping[tuple[int, int], date] | None = None
) -> tuple[date, date]:
    """Default RPD change window of ``quarter`` in ``year``: from the quarter's first day to the
    10th working day of February, April, July or October. A cut-off the KPPN has published for
    (year, quarter) in ``published`` wins over the rule."""
    opens_on = date(year, 3 * quarter - 2, 1)
    closes_on = (published or {}).get((year, quarter))
    if closes_on is None:
        closes_on = nth_working_day(year, RPD_WINDOW_CLOSING_MONTH[quarter], RPD_WINDOW_CLOSING_WORKING_DAY, holidays)
    return opens_on, closes_on


def following_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def report_due_date(year: int, month: int, holidays: Iterable[date] | None = None) -> date:
    """Due date of the report for (year, month): the 5th working day of the following month."""
    from budgets.models import Holiday

    next_year, next_month = following_month(year, month)
    if holidays is None:
        holidays = Holiday.objects.filter(date__year=next_year, date__month=next_month).values_list("date", flat=True)
    return nth_working_day(next_year, next_month, REPORT_DUE_WORKING_DAY, holidays)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    return date(*following_month(year, month), 1) - timedelta(days=1)


def last_started_month(year: int, today: date) -> int:
    """The last month of ``year`` that has started by ``today``: 12 for past years, 0 for future ones."""
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def last_completed_month(year: int, today: date) -> int:
    """The last month of ``year`` that has ended by ``today``: 12 for past years, 0 while its
    first month runs and for future years."""
    if year < today.year:
        return 12
    return today.month - 1 if year == today.year else 0


def as_of_month(year: int, today: date) -> int:
    """The month the year's figures stand at unless a report is asked for another: the last
    completed month (a month still running has no approved report yet, so counting it would
    compare provinces that closed it early with those that could not). January of the running
    year and future years stand at their first month and at their whole year respectively."""
    if year > today.year:
        return 12
    return max(last_completed_month(year, today), 1)


def working_days_after(start: date, end: date, holidays: Iterable[date]) -> int:
    """Working days in (start, end]: 0 on ``start`` itself, 1 on the first working day after it."""
    closed = set(holidays)
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            count += 1
        day += timedelta(days=1)
    return count
