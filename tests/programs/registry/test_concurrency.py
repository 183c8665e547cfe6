"""Two officers saving at once (PostgreSQL, where the row locks make the second wait): the second
edit of the same enterprise is refused as stale, and the second of two simultaneous records of
the same enterprise is flagged as a duplicate instead of both being saved."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from programs.models import Enterprise
from programs.registry.services import POSSIBLE_DUPLICATE, STALE, enterprise_save
from tests.factories import UserFactory
from tests.programs.registry.support import make_enterprise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race on")


def data_for(regency, **changes) -> dict:
    return {"nib": "", "name": "Kopi Bengkulu", "regency": regency, "kbli": "10761", "workers_male": 2,
            "workers_female": 1, "investment": 0, "production_value": 0,
            "data_year": timezone.localdate().year, **changes}  # fmt: skip


def race(first: Callable[[], object], second: Callable[[], object]) -> dict[str, str]:
    """Run ``first`` holding its transaction open while ``second`` starts; each outcome is
    "saved" or the refusal's error code."""
    first_holds_lock = threading.Event()
    outcome: dict[str, str] = {}

    def run(name: str, save: Callable[[], object], hold: bool) -> None:
        try:
            if not hold:
                first_holds_lock.wait(timeout=10)
            with transaction.atomic():
                save()
                if hold:
                    first_holds_lock.set()
                    threading.Event().wait(0.5)
            outcome[name] = "saved"
        except ValidationError as refusal:
            outcome[name] = next(error.code for errors in refusal.error_dict.values() for error in errors)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=("first", first, True)),
               threading.Thread(target=run, args=("second", second, False))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def test_second_concurrent_edit_is_refused_as_stale(officer, satker, regency) -> None:
    colleague = UserFactory(username="officer-17b", role="OFFICER", province=satker.province)
    enterprise = make_enterprise(regency, "Kopi Bengkulu")

    outcome = race(
        lambda: enterprise_save(by=officer, data=data_for(regency, owner="Pertama"), enterprise=enterprise,
                                expected_version=1),
        lambda: enterprise_save(by=colleague, data=data_for(regency, owner="Kedua"), enterprise=enterprise,
                                expected_version=1),
    )  # fmt: skip

    assert outcome == {"first": "saved", "second": STALE}
    enterprise.refresh_from_db()
    assert (enterprise.owner, enterprise.version) == ("Pertama", 2)


def test_second_concurrent_record_of_the_same_name_is_flagged(officer, satker, regency) -> None:
    colleague = UserFactory(username="officer-17b", role="OFFICER", province=satker.province)

    outcome = race(
        lambda: enterprise_save(by=officer, data=data_for(regency)),
        lambda: enterprise_save(by=colleague, data=data_for(regency, name="CV Kopi Bengkulu")),
    )

    assert outcome == {"first": "saved", "second": POSSIBLE_DUPLICATE}
    assert Enterprise.objects.count() == 1
