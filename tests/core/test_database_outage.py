"""A PostgreSQL that cannot be reached (the connection refused, as while it restarts) answers a
503 "coba lagi" page with Retry-After, JSON for a JSON request, never a stack trace; the next
request after it is back succeeds with no restart of the site (issue 18, fault tolerance).
The restart itself under load is `make faults` (tests/faults/pg_restart.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.urls import reverse

from tests.conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a refused PostgreSQL connection; the SQLite lock case is tests/budgets/test_sqlite_concurrency.py")


class Outage:
    """Points the connection at a port nothing listens on (a real refused connection) and back."""

    def __init__(self) -> None:
        self.port = connection.settings_dict["PORT"]

    def begin(self) -> None:
        connection.close()
        connection.settings_dict["PORT"] = "1"

    def end(self) -> None:
        connection.close()
        connection.settings_dict["PORT"] = self.port


@pytest.fixture
def outage() -> Iterator[Outage]:
    fault = Outage()
    yield fault
    fault.end()


def test_an_unreachable_database_is_a_503_then_the_site_recovers(reviewer, outage) -> None:
    client = client_for(reviewer)
    client.raise_request_exception = False
    home, report = reverse("dashboard:home"), reverse("reports:provinces")
    assert client.get(home).status_code == 200

    outage.begin()
    page = client.get(home)
    assert page.status_code == 503 and page["Retry-After"]
    text = page.content.decode()
    assert "Coba lagi" in text and "Traceback" not in text and "OperationalError" not in text
    answer = client.get(report, {"format": "json"})
    assert answer.status_code == 503 and answer["Content-Type"].startswith("application/json")
    assert json.loads(answer.content)

    outage.end()  # the database is back: the next request reconnects by itself
    assert client.get(home).status_code == 200
