"""The working-day calendar after load_master_data: national holidays and collective leave from
budgets/data/holidays.csv move report due dates, and the default RPD windows close on the 10th
working day of February, April, July and October unless the KPPN has published the cut-off."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from simple_history.utils import bulk_create_with_history

from budgets.calendar import report_due_date, rpd_window_bounds
from budgets.models import FiscalYear, Holiday, RpdWindow
from budgets.services.master_data import MASTER_DATA_REASON

pytestmark = pytest.mark.django_db

THROUGH = 2026


def load(through_year: int = THROUGH) -> None:
    call_command("load_master_data", through_year=through_year, stdout=open("/dev/null", "w"))  # noqa: SIM115


def windows(year: int) -> list[tuple[date, date]]:
    return [
        (w.opens_on, w.closes_on)
        for w in RpdWindow.objects.filter(fiscal_year__year=year, satker=None).order_by("quarter")
    ]


def test_holidays_and_collective_leave_come_from_the_file() -> None:
    load()
    kinds = dict(Holiday.objects.filter(date__year=2026).values_list("date", "kind"))
    assert kinds[date(2026, 2, 16)] == Holiday.Kind.COLLECTIVE_LEAVE  # Imlek
    assert kinds[date(2026, 2, 17)] == Holiday.Kind.HOLIDAY
    assert kinds[date(2026, 4, 3)] == Holiday.Kind.HOLIDAY  # Good Friday
    assert kinds[date(2026, 3, 18)] == Holiday.Kind.COLLECTIVE_LEAVE  # Nyepi
    assert {kinds[date(2026, 3, day)] for day in (20, 23, 24)} == {Holiday.Kind.COLLECTIVE_LEAVE}  # Idul Fitri
    assert {date(2022, 5, 2), date(2023, 4, 24), date(2024, 4, 15), date(2025, 4, 7)} <= set(
        Holiday.objects.values_list("date", flat=True)
    )
    # 2027's SKB dates are estimates until the admin replaces them.
    assert Holiday.objects.filter(date__year=2027).exclude(name__endswith="(perkiraan)").count() == 0
    assert Holiday.objects.filter(date__year=2027).count() > 5


def test_years_after_the_file_get_the_fixed_holidays() -> None:
    load(through_year=2028)
    assert set(Holiday.objects.filter(date__year=2029).values_list("date", flat=True)) == {
        date(2029, 1, 1),
        date(2029, 5, 1),
        date(2029, 6, 1),
        date(2029, 8, 17),
        date(2029, 12, 25),
    }


def test_march_2026_report_is_due_after_good_friday() -> None:
    load()
    # April 2026: 1, 2, (3 Good Friday), 6, 7, 8.
    assert report_due_date(2026, 3) == date(2026, 4, 8)


def test_march_2025_report_is_due_after_idul_fitri_and_its_collective_leave() -> None:
    load()
    # 31 March - 7 April 2025 were Idul Fitri and collective leave: 8, 9, 10, 11, 14.
    assert report_due_date(2025, 3) == date(2025, 4, 14)


def test_2026_windows_close_on_the_kppn_published_cut_offs() -> None:
    load()
    assert windows(2026) == [
        (date(2026, 1, 1), date(2026, 2, 19)),
        (date(2026, 4, 1), date(2026, 4, 15)),
        (date(2026, 7, 1), date(2026, 7, 14)),
        (date(2026, 10, 1), date(2026, 10, 14)),
    ]


def test_rule_alone_matches_the_published_2026_cut_offs_except_february() -> None:
    load()
    holidays = list(Holiday.objects.values_list("date", flat=True))
    closes = [rpd_window_bounds(2026, quarter, holidays)[1] for quarter in range(1, 5)]
    assert closes == [date(2026, 2, 13), date(2026, 4, 15), date(2026, 7, 14), date(2026, 10, 14)]


def test_windows_without_published_cut_offs_close_on_the_10th_working_day() -> None:
    load()
    assert windows(2025) == [
        (date(2025, 1, 1), date(2025, 2, 14)),
        # April 2025: 1-7 Idul Fitri and collective leave, 18 Good Friday.
        (date(2025, 4, 1), date(2025, 4, 22)),
        (date(2025, 7, 1), date(2025, 7, 14)),
        (date(2025, 10, 1), date(2025, 10, 14)),
    ]


def test_second_run_writes_nothing() -> None:
    load()
    before = (Holiday.history.count(), RpdWindow.history.count(), Holiday.objects.count(), RpdWindow.objects.count())
    load()
    assert (Holiday.history.count(), RpdWindow.history.count(), Holiday.objects.count(), RpdWindow.objects.count()) == (
        before
    )


def test_admin_edits_and_deletions_are_kept() -> None:
    load()
    leave = Holiday.objects.get(date=date(2026, 2, 16))
    leave.name, leave.kind = "Libur Imlek (diubah admin)", Holiday.Kind.HOLIDAY
    leave.save()
    Holiday.objects.get(date=date(2026, 12, 24)).delete()  # e.g. an SKB revision cancels it
    window = RpdWindow.objects.get(fiscal_year__year=2025, quarter=2, satker=None)
    window.closes_on = date(2025, 4, 30)
    window.save()
    load()
    leave.refresh_from_db()
    assert (leave.name, leave.kind) == ("Libur Imlek (diubah admin)", Holiday.Kind.HOLIDAY)
    assert not Holiday.objects.filter(date=date(2026, 12, 24)).exists()
    assert RpdWindow.objects.get(pk=window.pk).closes_on == date(2025, 4, 30)


def test_untouched_windows_of_the_old_default_follow_the_rule() -> None:
    load()
    RpdWindow.objects.all().delete()
    year = FiscalYear.objects.get(year=2025)
    bulk_create_with_history(
        [
            RpdWindow(
                fiscal_year=year, quarter=q, opens_on=date(2025, 3 * q - 2, 1), closes_on=date(2025, 3 * q - 2, 10)
            )
            for q in (1, 2, 3)
        ],
        RpdWindow,
        default_change_reason=MASTER_DATA_REASON,
    )
    # An admin set Q4 to the same dates: the admin's choice stays.
    RpdWindow.objects.create(fiscal_year=year, quarter=4, opens_on=date(2025, 10, 1), closes_on=date(2025, 10, 10))
    load()
    assert windows(2025) == [
        (date(2025, 1, 1), date(2025, 2, 14)),
        (date(2025, 4, 1), date(2025, 4, 22)),
        (date(2025, 7, 1), date(2025, 7, 14)),
        (date(2025, 10, 1), date(2025, 10, 10)),
    ]
