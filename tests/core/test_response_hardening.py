"""Finding 8 of issue 18: no-store for signed-in responses, 403/404 in the audit log, HSTS
preload opt-in, the page cache keyed on the parameters a page reads, absolute e-mail links."""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from budgets import notifications
from budgets.models import MonthlyReport
from core import fresh_cache
from core.log_format import JsonFormatter
from core.middleware import PROBES_LOGGED_PER_MINUTE
from tests.conftest import client_for
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_signed_in_pages_exports_and_the_admin_are_not_stored(officer, admin_user) -> None:
    client = client_for(officer)
    assert no_store(client.get(reverse("dashboard:home")))
    assert no_store(client.get(reverse("budgets:report-list"), {"format": "xlsx"}))
    assert no_store(client_for(admin_user).get(reverse("admin:index")))


def test_a_csv_export_is_not_stored(reviewer, dipa) -> None:
    response = client_for(reviewer).get(reverse("reports:outputs"), {"year": dipa.fiscal_year.year, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert no_store(response)


def test_anonymous_pages_keep_their_own_headers() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200 and "public" not in response.get("Cache-Control", "")


def audit_events(caplog, kind: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "ikma.audit" and r.event == kind]


def test_forbidden_and_not_found_are_audited(viewer, officer, satker, dipa, caplog) -> None:
    cache.clear()
    caplog.set_level(logging.INFO, logger="ikma.audit")
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                                          due_date="2026-02-06", status="SUBMITTED")  # fmt: skip
    approve = reverse("budgets:report-approve", args=[report.pk])
    assert client_for(viewer).post(approve, {"note": ""}, REMOTE_ADDR="10.0.0.7").status_code == 403
    forbidden = audit_events(caplog, "forbidden")
    assert [(e["path"], e["user"], e["ip"], e["status"]) for e in forbidden] == [(approve, "viewer", "10.0.0.7", 403)]
    client = client_for(officer)
    assert client.get("/satkers/999999/", REMOTE_ADDR="10.17.0.5").status_code == 404
    Client().get("/wp-login.php", REMOTE_ADDR="203.0.113.9")
    missing = audit_events(caplog, "not_found")
    assert {(e["path"], e["user"], e["ip"]) for e in missing} >= {
        ("/satkers/999999/", "officer-17", "10.17.0.5"),
        ("/wp-login.php", None, "203.0.113.9"),
    }


def test_a_scanner_fills_the_log_with_a_bounded_number_of_lines(caplog) -> None:
    cache.clear()
    caplog.set_level(logging.INFO, logger="ikma.audit")
    client = Client()
    for index in range(PROBES_LOGGED_PER_MINUTE * 3):
        client.get(f"/probe-{index}/", REMOTE_ADDR="203.0.113.50")
    assert len(audit_events(caplog, "not_found")) == PROBES_LOGGED_PER_MINUTE
    assert len(audit_events(caplog, "probes_suppressed")) == 1


def test_hsts_preload_is_opt_in_in_production() -> None:
    show = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS)"
    assert manage("shell", "--no-imports", "-c", show, **PRODUCTION).stdout.split() == ["False", "31536000"]
    preloaded = manage("shell", "--no-imports", "-c", show, **PRODUCTION, DJANGO_SECURE_HSTS_PRELOAD="1")
    assert preloaded.stdout.split()[0] == "True"
    checked = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_SECURE_HSTS_PRELOAD="1")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_cache_key_holds_only_the_parameters_the_page_reads(reviewer) -> None:
    def key(query: str) -> str:
        request = RequestFactory().get("/?" + query)
        request.user = reviewer
        return fresh_cache.cache_key(request, "home", (1,), params=("year", "authority"))

    assert key("year=2026&authority=DK") == key("authority=DK&year=2026") == key("year=2026&authority=DK&x=1")
    assert key("year=2026&year=2026&authority=DK") == key("year=2026&authority=DK")
    assert key("year=2026&utm_source=a") == key("year=2026&utm_source=b") == key("year=2026")
    assert key("year=2026") != key("year=2025") != key("year=2025&authority=DK")


@pytest.mark.django_db(transaction=True)
def test_junk_query_strings_do_not_multiply_cache_entries(reviewer, dipa) -> None:
    from django.core.cache import caches

    pages = caches[fresh_cache.CACHE]
    pages.clear()
    client = client_for(reviewer)
    year = dipa.fiscal_year.year
    assert client.get(reverse("dashboard:home"), {"year": year}).status_code == 200
    entries = len(pages._cache)
    for index in range(20):
        assert client.get(reverse("dashboard:home") + f"?year={year}&junk{index}={index}").status_code == 200
    assert len(pages._cache) == entries


@override_settings(SITE_URL="https://monitoring.kemenperin.go.id")
def test_email_links_are_absolute(officer, satker, dipa) -> None:
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                                          due_date="2026-02-06", status="SUBMITTED")  # fmt: skip
    url = f"https://monitoring.kemenperin.go.id/monthly-reports/{report.pk}/"
    assert settings.SITE_URL + notifications._report_path(report) == url
    from django.core import mail

    officer.email = "petugas@example.go.id"
    officer.save()
    notifications.report_approved(report)
    assert f"Buka: {url}" in mail.outbox[-1].body
