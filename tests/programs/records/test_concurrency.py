"""Programme records written while someone else works on the same month.

Runs on PostgreSQL (CI), where the satker and report row locks make the second writer wait."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from budgets.calendar import report_due_date
from budgets.models import MonthlyReport
from budgets.services import report_submit
from programs.models import NewEntrepreneur
from programs.records.services import new_entrepreneur_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race on")


def race(first: Callable[[], object], second: Callable[[], object]) -> dict[str, str]:
    """Run ``first`` in a transaction held open while ``second`` starts; report each outcome."""
    first_holds_lock = threading.Event()
    outcome: dict[str, str] = {}

    def run(name: str, work: Callable[[], object], hold: bool) -> None:
        try:
            if not hold:
                first_holds_lock.wait(timeout=10)
            with transaction.atomic():
                work()
                if hold:
                    first_holds_lock.set()
                    threading.Event().wait(0.5)
            outcome[name] = "saved"
        except ValidationError as refusal:
            outcome[name] = "refused: " + refusal.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=("first", first, True)),
               threading.Thread(target=run, args=("second", second, False))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def test_two_first_records_of_a_month_share_one_new_report(officer, satker, fiscal_year, regency) -> None:
    colleague = UserFactory(username="officer-17b", role="OFFICER", province=satker.province)

    def add(name: str, by) -> Callable[[], object]:
        return lambda: new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, month=1, name=name,
                                               regency=regency, business_type="Kopi", by=by)  # fmt: skip

    outcome = race(add("Siti", officer), add("Budi", colleague))
    assert outcome == {"first": "saved", "second": "saved"}
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=fiscal_year, month=1)
    assert set(NewEntrepreneur.objects.filter(report=report).values_list("name", flat=True)) == {"Siti", "Budi"}


def test_record_added_while_the_month_is_being_submitted_is_refused(officer, satker, fiscal_year, regency) -> None:
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=1,
                                          due_date=report_due_date(fiscal_year.year, 1))  # fmt: skip
    outcome = race(
        lambda: report_submit(report=report, by=officer),
        lambda: new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, month=1, name="Terlambat",
                                        regency=regency, business_type="Kopi", by=officer),
    )  # fmt: skip
    assert outcome["first"] == "saved"
    assert "terkunci" in outcome["second"]
    assert not NewEntrepreneur.objects.exists()
