"""Tokens for the personas, and clients that call the API with them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.test import Client

from accounts.models import ApiToken
from budgets.models import MonthlyReport, SatkerAuthority
from tests.writes import add_realization


def issue(user, *, name: str = "Sistem uji", **options) -> str:
    """A new token's key for ``user``."""
    _token, key = ApiToken.issue(name=name, user=user, created_by=None, **options)
    return key


def api_client(key: str | None, **headers: str) -> Client:
    """A client that sends ``key`` as the bearer token on every request (none: no header)."""
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return Client(headers=headers)


@pytest.fixture(autouse=True)
def _fresh_rate_windows() -> None:
    # The rate counters live in the default cache (Redis when REDIS_URL is set): tokens of one
    # test's database must not inherit the counts of another's tokens with the same id.
    caches["default"].clear()


@pytest.fixture
def client_of() -> Callable[..., Client]:
    """``client_of(user)``: a client with a fresh token of ``user``."""

    def make(user, **options) -> Client:
        return api_client(issue(user, **options))

    return make


@pytest.fixture
def approved(dipa, satker, other_satker):
    """Both provinces' satkers in the year, each with an approved January (reports with figures)."""
    for unit, lines in ((satker, (dipa.ovop, dipa.travel)), (other_satker, (dipa.other_line,))):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority="DK")
        report = MonthlyReport.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, month=1,
                                              due_date=f"{dipa.fiscal_year.year}-02-06", status="APPROVED")  # fmt: skip
        for line in lines:
            add_realization(report=report, line=line, amount=1_000_000)
    return dipa
