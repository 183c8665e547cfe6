"""Two officers saving the same month at once: the second is refused, nothing is overwritten.

Runs on PostgreSQL (CI), where the report row lock makes the second save wait for the first
and then see the newer version."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from budgets.models import MonthlyReport, Realization
from budgets.services import StaleVersion, realization_set
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race on")


def test_second_concurrent_save_of_the_same_month_is_refused(officer, satker, dipa) -> None:
    colleague = UserFactory(username="officer-17b", role="OFFICER", province=satker.province)
    first = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000},
                            expected_version=0, by=officer)  # fmt: skip
    version_both_saw = first.version
    first_holds_lock = threading.Event()
    outcome: dict[str, str] = {}

    def save(name: str, user, amount: int, hold: bool) -> None:
        try:
            if not hold:
                first_holds_lock.wait(timeout=10)
            with transaction.atomic():
                realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: amount},
                                expected_version=version_both_saw, by=user)  # fmt: skip
                if hold:
                    # Keep the transaction (and its row lock) open while the other save starts.
                    first_holds_lock.set()
                    threading.Event().wait(0.5)
            outcome[name] = "saved"
        except StaleVersion as refusal:
            outcome[name] = "refused: " + refusal.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("first", officer, 2_000, True)),
        threading.Thread(target=save, args=("second", colleague, 3_000, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["first"] == "saved"
    assert outcome["second"].startswith("refused: Data bulan ini sudah diubah orang lain")
    assert Realization.objects.get(line=dipa.ovop).amount == 2_000
    assert MonthlyReport.objects.get(satker=satker, month=1).version == version_both_saw + 1
