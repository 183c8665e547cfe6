"""Two app servers over one database and one Redis (issue 25): a report approved through one is
seen at once through the other, and a page one builds the other serves from Redis.

Two gunicorn processes (bench/harness.py's, as `make bench` and `make load` start them) on two
ports, over this test's PostgreSQL database and the machine's Redis under a key prefix of the
test's own. The requests are plain HTTP from this process, as a browser would send them."""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from bench import harness
from bench.pages import csrf_token
from budgets.models import MonthlyReport, SatkerAuthority
from tests.redis_support import REDIS_URL, redis_with_prefix
from tests.writes import add_realization

pytestmark = pytest.mark.django_db(transaction=True)
Status = MonthlyReport.Status


class Browser:
    """One user's cookies over any number of servers (they share the session in the database)."""

    def __init__(self, cookies: dict[str, str]) -> None:
        self.cookies = dict(cookies)

    def request(self, port: int, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection_.request(method, path, body=body, headers=headers)
            response = connection_.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection_.close()

    def report_totals(self, port: int, year: int) -> dict:
        status, content = self.request(port, "GET", f"{reverse('reports:realization')}?year={year}&format=json")
        assert status == 200, content[:300]
        return json.loads(content)["totals"]


@pytest.fixture
def shared_redis() -> Iterator[tuple[redis.Redis, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("two servers need a database server (PostgreSQL)")
    yield from redis_with_prefix()


@pytest.fixture
def two_servers(shared_redis) -> Iterator[tuple[int, int]]:
    _client, prefix = shared_redis
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the session's auth hash is checked with it
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_CONN_MAX_AGE": "0",  # no connection left open when the test database is dropped
    }
    env.pop("DJANGO_ENV", None)
    servers = [harness.start_server(env, workers=1, threads=2) for _ in range(2)]
    try:
        yield servers[0].port, servers[1].port
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def verified(dipa, satker, other_satker):
    """Aceh's January approved; Bengkulu's verified by its head, waiting for the directorate."""
    reports = {}
    for unit, lines, status in (
        (satker, (dipa.ovop,), Status.VERIFIED),
        (other_satker, (dipa.other_line,), Status.APPROVED),
    ):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority="DK")
        report = MonthlyReport.objects.create(
            satker=unit, fiscal_year=dipa.fiscal_year, month=1, due_date="2026-02-06", status=status
        )
        for line in lines:
            add_realization(report=report, line=line, amount=1_000_000 if status == Status.APPROVED else 4_000_000)
        reports[unit.code] = report
    return reports[satker.code]


def test_an_approval_through_one_server_is_seen_at_once_through_the_other(
    two_servers, shared_redis, verified, reviewer
) -> None:
    first, second = two_servers
    redis_client, prefix = shared_redis
    year = verified.fiscal_year.year
    cookie_name, value = harness.session_cookie(reviewer).split("=", 1)
    browser = Browser({cookie_name: value})

    before = browser.report_totals(first, year)
    assert before["realisasi"] == 1_000_000  # only the approved report counts
    assert list(redis_client.scan_iter(f"{prefix}*")), "the first server stored nothing in Redis"
    hits = redis_client.info("stats")["keyspace_hits"]
    assert browser.report_totals(second, year) == before
    assert redis_client.info("stats")["keyspace_hits"] > hits, "the second server built the page again"

    # The reviewer approves through the second server, as the review page posts it.
    detail = reverse("budgets:report-detail", args=[verified.pk])
    status, page = browser.request(second, "GET", detail)
    assert status == 200
    token = csrf_token(page.decode())
    status, _ = browser.request(second, "POST", reverse("budgets:report-approve", args=[verified.pk]),
                                {"csrfmiddlewaretoken": token, "note": ""})  # fmt: skip
    assert status == 302
    verified.refresh_from_db()
    assert verified.status == Status.APPROVED

    assert browser.report_totals(first, year)["realisasi"] == 5_000_000
    assert browser.report_totals(second, year)["realisasi"] == 5_000_000
