"""Cached report pages are never stale: database triggers raise the data version when a write
commits, and the cache key holds it (core/data_version.py, core/fresh_cache.py).

These tests commit (transactional database), as requests in production do; inside a test's
transaction the cache is bypassed, which the last tests check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.models import Holiday, MonthlyReport, Realization, SatkerAuthority
from core import fresh_cache
from core.data_version import (
    APPROVED,
    DRAFTS,
    FUNCTION,
    REGISTRY,
    REPORTS,
    TRIGGER,
    VERSION_TABLE,
    current_versions,
    reports_version,
    unwatched,
    version_names,
)
from core.models import DataVersion
from programs.models import Enterprise
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise
from tests.queries import counted_queries
from tests.redis_support import REDIS_URL, redis_with_prefix
from tests.writes import add_realization, set_realization

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def approved(dipa, satker, other_satker):
    """Both provinces' satkers in the year, each with an approved January."""
    for unit, lines in ((satker, (dipa.ovop, dipa.travel)), (other_satker, (dipa.other_line,))):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority="DK")
        report = MonthlyReport.objects.create(
            satker=unit, fiscal_year=dipa.fiscal_year, month=1, due_date="2026-02-06", status="APPROVED"
        )
        for line in lines:
            add_realization(report=report, line=line, amount=1_000_000)
    return dipa


def report_json(client, name: str, year: int) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"reports:{name}"), {"year": year, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content), len(queries.captured_queries)


def page(client, params: dict) -> str:
    """The home page without the logout form's CSRF token (masked afresh for every response)."""
    html = client.get(reverse("dashboard:home"), params).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def watched_tables_in_database() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"]
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_of_budgets_and_programs_is_watched_or_listed_as_not() -> None:
    """A new model raises the version without a migration of its own (install_triggers after
    every migrate), unless settings exempt it; the version's own table is never watched."""
    watched = watched_tables_in_database()
    assert VERSION_TABLE not in watched
    for label in ("budgets", "programs"):
        for model in apps.get_app_config(label).get_models():
            if unwatched(label, model.__name__) or model.__name__.startswith("Historical"):
                assert model._meta.db_table not in watched
            else:
                assert model._meta.db_table in watched, f"{model.__name__} writes do not raise the data version"


def test_a_committed_write_raises_the_version(db) -> None:
    Holiday.objects.create(date="2026-01-01", name="Tahun Baru")
    first = reports_version()
    with transaction.atomic():
        Holiday.objects.create(date="2026-03-01", name="Nyepi")
        Holiday.objects.filter(date="2026-03-01").update(name="Hari Suci Nyepi")
    second = reports_version()
    assert first is not None and second > first
    if connection.vendor == "postgresql":  # once per transaction, at commit
        assert second == first + 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = %s", [FUNCTION])
            assert cursor.fetchone()[0] == 1


def test_a_flushed_database_counts_on_from_the_clock_not_from_one(db) -> None:
    """After a flush (reset_demo) the version starts above every value it had before, so a page a
    shared cache still holds under an old version is never served for the new data."""
    Holiday.objects.create(date="2026-01-01", name="Tahun Baru")
    before = reports_version()
    DataVersion.objects.all().delete()  # as after a flush
    first = reports_version()
    assert first > before and first > 1_700_000_000_000_000  # microseconds since 1970, after 2023
    Holiday.objects.create(date="2026-01-02", name="Cuti bersama")
    assert reports_version() == first + 1
    DataVersion.objects.all().delete()
    Holiday.objects.create(date="2026-01-03", name="Cuti bersama")  # the trigger creates the row
    assert reports_version() > first + 1


def test_a_restore_raises_every_version_past_the_highest_before_it(db) -> None:
    """A restore puts back the backup's versions; pages cached under any version counted since
    (the drafts' too: the evidence report keys on it) must never be served for the restored data."""
    from core.backup import _raise_data_version

    assert set(version_names()) == {REPORTS, DRAFTS, APPROVED, REGISTRY}
    current_versions(version_names())
    highest = max(DataVersion.objects.values_list("version", flat=True))
    # As restored: the drafts' version back at its (lower) value of the backup's time.
    DataVersion.objects.filter(name=DRAFTS).update(version=highest - 1000)
    _raise_data_version("default", above=highest)
    assert all(version > highest for version in current_versions(version_names()))


def test_the_registry_summary_raises_its_own_version_and_the_budget_data_the_reports(db, regency) -> None:
    """The IKM report is cached under both versions; a registry import must not invalidate the
    budget reports, nor a budget write the IKM report."""
    reports, registry = current_versions((REPORTS, REGISTRY))
    make_enterprise(regency, "Usaha Versi")  # an enterprise and its share of the summary
    reports_after, registry_after = current_versions((REPORTS, REGISTRY))
    assert reports_after == reports and registry_after > registry
    Holiday.objects.create(date="2026-01-01", name="Tahun Baru")
    assert current_versions((REPORTS, REGISTRY)) == (reports + 1, registry_after)
    Enterprise.objects.filter(name="Usaha Versi").update(name="Usaha Versi Baru")  # not watched
    assert current_versions((REPORTS, REGISTRY)) == (reports + 1, registry_after)


def test_the_ikm_report_is_built_once_per_registry_version(db, regency, reviewer) -> None:
    client = client_for(reviewer)
    year = timezone.localdate().year
    make_enterprise(regency, "Usaha Satu")
    before, built = report_json(client, "ikm", year)
    again, served = report_json(client, "ikm", year)
    assert again == before and served < built
    make_enterprise(regency, "Usaha Dua")
    after, _ = report_json(client, "ikm", year)
    assert after["totals"]["enterprises"] == before["totals"]["enterprises"] + 1


def test_the_narrative_download_is_built_once_per_data_version(approved, reviewer) -> None:
    client = client_for(reviewer)
    params = {"year": approved.fiscal_year.year, "lang": "id"}
    with counted_queries() as built:
        first = client.get(reverse("dashboard:narrative"), params)
    with counted_queries() as served:
        again = client.get(reverse("dashboard:narrative"), params)
    assert again.content == first.content and again["Content-Disposition"] == first["Content-Disposition"]
    assert len(served) < 8 < len(built)
    english = client.get(reverse("dashboard:narrative"), {**params, "lang": "en"})
    assert english.content != first.content and english["Content-Language"] == "en"
    set_realization(Realization.objects.get(line=approved.other_line), 9_000_000)
    assert client.get(reverse("dashboard:narrative"), params).content != first.content


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_exports_are_built_once_per_data_version(approved, reviewer, kind) -> None:
    client = client_for(reviewer)
    params = {"year": approved.fiscal_year.year, "format": kind}
    with counted_queries() as built:
        first = client.get(reverse("reports:provinces"), params)
    with counted_queries() as served:
        again = client.get(reverse("reports:provinces"), params)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"] and kind in first["Content-Disposition"]
    assert len(served) < len(built)
    if kind == "csv":  # the dialect is part of the key
        other = client.get(reverse("reports:provinces"), {**params, "dialect": "id"})
        assert other.status_code == 200 and other.content != first.content
    set_realization(Realization.objects.get(line=approved.other_line), 8_000_000)
    assert client.get(reverse("reports:provinces"), params).content != first.content


def test_a_change_shows_in_the_next_request(approved, reviewer) -> None:
    client = client_for(reviewer)
    year = approved.fiscal_year.year
    before, built = report_json(client, "provinces", year)
    again, served = report_json(client, "provinces", year)
    assert again == before and served < built  # the second came from the cache
    set_realization(Realization.objects.get(line=approved.other_line), 7_000_000)
    after, _ = report_json(client, "provinces", year)
    aceh = next(row for row in after["rows"] if row["province"] == "11")
    assert aceh["realisasi"] == 7_000_000
    assert after["totals"]["realisasi"] == before["totals"]["realisasi"] + 6_000_000


def test_a_status_change_shows_in_the_next_report(approved, reviewer) -> None:
    client = client_for(reviewer)
    year = approved.fiscal_year.year
    before, _ = report_json(client, "realization", year)
    MonthlyReport.objects.filter(satker__code="110019").update(status="RETURNED")
    after, _ = report_json(client, "realization", year)
    assert after["totals"]["realisasi"] == before["totals"]["realisasi"] - 1_000_000


def test_cached_pages_are_not_shared_across_provinces(approved, officer, other_officer) -> None:
    year = approved.fiscal_year.year
    own, _ = report_json(client_for(officer), "satkers", year)
    other, _ = report_json(client_for(other_officer), "satkers", year)
    assert [row["satker"] for row in own["rows"]] == ["170019"]
    assert [row["satker"] for row in other["rows"]] == ["110019"]


def test_the_dashboards_province_level_parts_are_built_once_for_every_role_and_province(
    approved, officer, other_officer, head, viewer, monkeypatch
) -> None:
    """The provincial ranking and the RO progress read no user: one cache entry serves the
    officers of two provinces, a head and leadership; every one of them still gets a body of
    their own (their province's figures and actions)."""
    import dashboard.views

    built = {"ranking": 0, "ro": 0}

    def counting(key, function):
        def wrapper(*args, **kwargs):
            built[key] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(dashboard.views, "provincial_ranking", counting("ranking", dashboard.views.provincial_ranking))
    monkeypatch.setattr(dashboard.views, "ro_progress_by_province",
                        counting("ro", dashboard.views.ro_progress_by_province))  # fmt: skip
    params = {"year": approved.fiscal_year.year}
    bodies = {page(client_for(user), params) for user in (officer, other_officer, head, viewer)}
    assert built == {"ranking": 1, "ro": 1} and len(bodies) == 4
    set_realization(Realization.objects.get(line=approved.other_line), 5_000_000)
    page(client_for(viewer), params)
    assert built == {"ranking": 2, "ro": 2}


def test_the_dashboard_is_served_from_the_cache_and_refreshed_by_a_write(approved, reviewer) -> None:
    client = client_for(reviewer)
    params = {"year": approved.fiscal_year.year}
    with counted_queries() as built:
        first = page(client, params)
    with counted_queries() as served:
        assert page(client, params) == first
    assert len(served) < 10 < len(built)
    set_realization(Realization.objects.get(line=approved.other_line), 5_000_000)
    assert page(client, params) != first


def test_html_with_a_csrf_token_is_never_stored(rf, reviewer, approved) -> None:
    request = rf.get("/")
    request.user = reviewer
    calls = []

    def build() -> str:
        calls.append(1)
        return '<form method="post"><input name="csrfmiddlewaretoken" value="secret"></form>'

    fresh_cache.cached(request, "form", build, params=())
    fresh_cache.cached(request, "form", build, params=())
    assert len(calls) == 2


@pytest.mark.django_db(transaction=False)
def test_inside_a_transaction_the_cache_is_bypassed(approved) -> None:
    # A test transaction stands for any open transaction: its own writes are not counted yet.
    assert reports_version() is None


# --- A shared cache: Redis when REDIS_URL is set (issue 25) ------------------------------------------


@pytest.fixture
def redis_pages(settings):
    """The settings' pages cache in Redis under a prefix of this test's own; its keys removed after."""
    for client, prefix in redis_with_prefix():
        settings.CACHES = {
            **settings.CACHES,
            "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": prefix, "TIMEOUT": 60},
        }  # fmt: skip
        yield client, prefix


def test_pages_are_cached_in_redis_where_every_server_reads_them(approved, reviewer, redis_pages) -> None:
    """The page built by one server is stored in Redis (not in the process), so a second app
    server on the same Redis serves it; a committed write (the data version in the database) makes
    every server build it afresh."""
    client_redis, prefix = redis_pages
    client = client_for(reviewer)
    year = approved.fiscal_year.year
    before, built = report_json(client, "provinces", year)
    stored = list(client_redis.scan_iter(f"{prefix}:*"))
    assert stored, "the page was not stored in Redis"
    # "Another server": a process of its own has its own connection handler; Redis is what they share.
    caches["pages"].close()
    del caches["pages"]
    again, served = report_json(client, "provinces", year)
    assert again == before and served < built
    set_realization(Realization.objects.get(line=approved.other_line), 7_000_000)
    after, _ = report_json(client, "provinces", year)
    assert after["totals"]["realisasi"] == before["totals"]["realisasi"] + 6_000_000


def test_the_cache_is_redis_with_redis_url_and_in_process_without() -> None:
    """Settings: REDIS_URL -> Django's RedisCache for both caches; none -> per-process memory."""
    script = (
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.CACHES['pages']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    run = partial(subprocess.run, [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
                  capture_output=True, text=True, check=True)  # fmt: skip
    with_redis = run(env={**env, "REDIS_URL": REDIS_URL}).stdout.splitlines()[-1].split()
    assert with_redis == ["django.core.cache.backends.redis.RedisCache"] * 2
    without = run(env=env).stdout.splitlines()[-1].split()
    assert without == ["django.core.cache.backends.locmem.LocMemCache", "core.bounded_cache.BytesBoundedLocMemCache"]
    bound = "from django.conf import settings as s; print(s.CACHES['pages']['OPTIONS']['MAX_BYTES'])"
    sized = subprocess.run([sys.executable, "manage.py", "shell", "-c", bound], cwd=ROOT, capture_output=True,  # noqa: S603
                           text=True, check=True, env={**env, "DJANGO_PAGE_CACHE_MB": "16"})  # fmt: skip
    assert sized.stdout.splitlines()[-1] == str(16 * 1024 * 1024)
