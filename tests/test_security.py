"""Hardening: response headers and the CSP (with pages that need nothing inline), production
cookies and transport, session expiry (browser close, idle time), the demo password forced to
change in production, custom error pages without stack traces, and the structured audit log."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from accounts import middleware
from accounts.demo import DEMO_PASSWORD
from accounts.middleware import LAST_SEEN, MUST_CHANGE_PASSWORD
from core.log_format import JsonFormatter
from ikmsite import urls as site_urls
from tests.access_world import build_world
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD
from tests.personas import head_of
from tests.test_access_matrix import ADMIN_ROUTES, SITE, admin_path, site_path
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


# -- headers and the content security policy ---------------------------------------------------


def test_every_response_carries_the_security_headers(officer) -> None:
    response = client_for(officer).get(reverse("dashboard:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # The sign-in page too (anonymous), and an error page.
    assert "Content-Security-Policy" in Client().get(reverse("accounts:login"))
    assert "Content-Security-Policy" in client_for(officer).get("/no-such-page/")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=\"", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    return [found.group(0) for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER)
            for found in pattern.finditer(html)]  # fmt: skip


def test_inline_code_is_found_by_the_page_walk() -> None:
    assert inline_code('<script>alert(1)</script><p style="x"><a onclick="y">') == [
        "<script>",
        ' style="',
        ' onclick="',
    ]
    assert inline_code('<script src="/static/a.js"></script><script type="application/json" id="d">') == []


def test_no_page_needs_inline_script_or_style(satker, other_satker, officer, other_officer, admin_user) -> None:
    """The CSP forbids inline code: every HTML page of the site, and the admin's list and
    change pages, must work without (the browser would silently drop it)."""
    world = build_world(satker, other_satker, officer, other_officer)
    client = client_for(admin_user)
    pages = [site_path(name, world) for name in SITE]
    pages += [admin_path(route, world) for route in ADMIN_ROUTES
              if route.name.endswith(("_changelist", "_change", "_add")) or route.name == "admin:index"]  # fmt: skip
    walked = 0
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        walked += 1
        assert inline_code(response.content.decode()) == [], page
    assert walked > 80


# -- production settings -----------------------------------------------------------------------


def production_setting(*names: str, **env: str) -> list[str]:
    script = f"from django.conf import settings; print(*(repr(getattr(settings, n)) for n in {names!r}), sep='|')"
    result = manage("shell", "-c", script, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_production_cookies_and_transport() -> None:
    names = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
             "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
             "SESSION_IDLE_TIMEOUT", "DEBUG")  # fmt: skip
    assert production_setting(*names) == ["True", "True", "True", "True", "31536000", "True", "True", "1800", "False"]
    # Behind a TLS-terminating proxy: the redirect left to the proxy, its header trusted.
    behind_proxy = production_setting(
        "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
        DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )  # fmt: skip
    assert behind_proxy == ["False", "('HTTP_X_FORWARDED_PROTO', 'https')"]
    assert production_setting("SESSION_IDLE_TIMEOUT", DJANGO_SESSION_IDLE_MINUTES="10") == ["600"]


def test_production_logs_json_lines() -> None:
    assert production_setting("LOGGING")[0].count("'formatter': 'json'") == 1


def test_session_ends_when_the_browser_closes(officer) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "officer-17", "password": TEST_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and not cookie["expires"] and not cookie["max-age"]


# -- idle timeout ------------------------------------------------------------------------------


def set_last_seen(client: Client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


class Clock:
    """The idle timeout's clock (accounts.middleware.clock), moved by the test."""

    def __init__(self, monkeypatch) -> None:
        self.now = 1_800_000_000
        monkeypatch.setattr(middleware, "clock", lambda: self.now)


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60)
def test_idle_session_is_signed_out(officer, monkeypatch) -> None:
    clock = Clock(monkeypatch)
    client = client_for(officer)
    assert client.get(reverse("dashboard:home")).status_code == 200
    clock.now += 29 * 60
    assert client.get(reverse("dashboard:home")).status_code == 200  # still within the limit, and marked again
    assert client.session[LAST_SEEN] == clock.now
    clock.now += 31 * 60
    response = client.get(reverse("budgets:satker-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "next=/satkers/" in response["Location"]
    assert client.get(reverse("dashboard:home")).status_code == 302  # signed out for good
    page = client.get(response["Location"]).content.decode()
    assert "lama tidak ada aktivitas" in page


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60)
@pytest.mark.parametrize(("idle", "signed_in"), [(29 * 60 + 59, True), (30 * 60, True), (30 * 60 + 1, False)])
def test_idle_limit_counts_from_the_last_request_to_the_second(officer, monkeypatch, idle, signed_in) -> None:
    """The session's mark is written at most once a minute; a request 59 s after it must still
    count in full (the exact time rides in a signed cookie): not signed out up to 59 s early."""
    clock = Clock(monkeypatch)
    client = client_for(officer)
    assert client.get(reverse("dashboard:home")).status_code == 200  # marks the session
    clock.now += 59
    assert client.get(reverse("dashboard:home")).status_code == 200  # within the minute: no session write
    assert client.session[LAST_SEEN] == clock.now - 59
    clock.now += idle
    assert (client.get(reverse("dashboard:home")).status_code == 200) is signed_in


@override_settings(SESSION_IDLE_TIMEOUT=30 * 60)
def test_the_last_seen_cookie_cannot_be_forged_nor_moved_to_another_session(officer, monkeypatch) -> None:
    clock = Clock(monkeypatch)
    client = client_for(officer)
    client.get(reverse("dashboard:home"))
    clock.now += 31 * 60
    client.cookies[middleware.LAST_SEEN_COOKIE] = str(clock.now)  # unsigned: ignored
    assert client.get(reverse("dashboard:home")).status_code == 302
    third = client_for(officer)
    third.get(reverse("dashboard:home"))
    clock.now += 31 * 60
    other = client_for(officer)
    other.get(reverse("dashboard:home"))  # a fresh cookie, but signed for another session
    third.cookies[middleware.LAST_SEEN_COOKIE] = other.cookies[middleware.LAST_SEEN_COOKIE].value
    assert third.get(reverse("dashboard:home")).status_code == 302


@override_settings(SESSION_IDLE_TIMEOUT=0)
def test_idle_limit_can_be_switched_off(officer) -> None:
    client = client_for(officer)
    client.get(reverse("dashboard:home"))
    set_last_seen(client, 24 * 60 * 60)
    assert client.get(reverse("dashboard:home")).status_code == 200


# -- passwords ---------------------------------------------------------------------------------


def sign_in_with(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def change_password(client: Client, old: str, new: str):
    return client.post(
        reverse("accounts:password-change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.fixture
def demo_officer(officer):
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    return officer


@override_settings(IS_PRODUCTION=True)
def test_production_forces_the_demo_password_to_change(demo_officer) -> None:
    client = sign_in_with("officer-17", DEMO_PASSWORD)
    assert client.session[MUST_CHANGE_PASSWORD] is True
    for page in (reverse("dashboard:home"), reverse("budgets:satker-list"), "/reports/realization/?format=json"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password-change"), page
    form = client.get(reverse("accounts:password-change"))
    assert form.status_code == 200 and "Ganti kata sandi demo" in form.content.decode()
    # The demo password itself is refused as the new one.
    same = change_password(client, DEMO_PASSWORD, DEMO_PASSWORD)
    assert same.status_code == 200 and "Kata sandi demo tidak boleh dipakai" in same.content.decode()
    new = "Rendang-Padang-Bengkulu-7"
    changed = change_password(client, DEMO_PASSWORD, new)
    assert changed.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert client.get(reverse("budgets:satker-list")).status_code == 200


def test_outside_production_the_demo_password_is_accepted(demo_officer) -> None:
    client = sign_in_with("officer-17", DEMO_PASSWORD)
    assert client.get(reverse("dashboard:home")).status_code == 200


@override_settings(IS_PRODUCTION=True)
def test_production_lets_own_passwords_through(officer) -> None:
    client = sign_in_with("officer-17", TEST_PASSWORD)
    assert MUST_CHANGE_PASSWORD not in client.session
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_password_rules(officer) -> None:
    client = client_for(officer)
    for weak, message in (("Pendek-2026", "terlalu pendek"), ("12345678901234", "seluruhnya terdiri dari angka"),
                          (DEMO_PASSWORD, "Kata sandi demo tidak boleh dipakai")):  # fmt: skip
        response = change_password(client, TEST_PASSWORD, weak)
        assert response.status_code == 200 and message in response.content.decode(), weak
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)


# -- error pages -------------------------------------------------------------------------------


def explode(request):
    raise RuntimeError("secret detail: connection string postgres://user:pw@db")


urlpatterns = [path("boom/", explode), *site_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_has_no_stack_trace(officer) -> None:
    client = client_for(officer)
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan pada sistem" in page
    assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page
    assert "Content-Security-Policy" in response


@override_settings(DEBUG=False)
def test_not_found_bad_request_and_forbidden_pages_are_ours(officer, viewer) -> None:
    missing = client_for(officer).get("/no-such-page/")
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()
    bad_host = Client().get(reverse("accounts:login"), HTTP_HOST="evil.example")
    assert bad_host.status_code == 400 and "Permintaan tidak valid" in bad_host.content.decode()
    forbidden = client_for(viewer).get(reverse("imports:index"))
    assert forbidden.status_code == 403 and "Akses ditolak" in forbidden.content.decode()


def test_a_missing_csrf_token_gets_our_page(officer) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("accounts:logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in page and "Muat ulang halaman" in page


# -- the audit log -----------------------------------------------------------------------------


def audit_events(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == "ikma.audit"]


def test_sign_ins_failures_and_lockouts_are_logged(officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    login = reverse("accounts:login")
    Client().post(login, {"username": "officer-17", "password": TEST_PASSWORD}, REMOTE_ADDR="10.17.0.5")
    for _ in range(5):
        Client().post(login, {"username": "officer-17", "password": "salah-salah-salah"}, REMOTE_ADDR="10.17.0.5")
    events = audit_events(caplog)
    kinds = [event["event"] for event in events]
    assert kinds.count("sign_in") == 1 and kinds.count("sign_in_failed") == 5 and kinds.count("lockout") == 1
    signed_in = next(event for event in events if event["event"] == "sign_in")
    assert signed_in["user"] == "officer-17" and signed_in["role"] == "OFFICER" and signed_in["ip"] == "10.17.0.5"
    failed = next(event for event in events if event["event"] == "sign_in_failed")
    assert failed["level"] == "WARNING" and "salah" not in json.dumps(failed)  # never the password
    lockout = next(event for event in events if event["event"] == "lockout")
    assert lockout["user"] == "officer-17" and lockout["ip"] == "10.17.0.5"


def test_report_transitions_are_logged_when_committed(satker, other_satker, officer, other_officer, reviewer,
                                                       caplog, django_capture_on_commit_callbacks) -> None:  # fmt: skip
    world = build_world(satker, other_satker, officer, other_officer)
    caplog.set_level(logging.INFO, logger="ikma.audit")
    report = world.own.report
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer).post(reverse("budgets:report-submit", args=[report.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(head_of(satker.province)).post(reverse("budgets:report-verify", args=[report.pk]), {"note": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client_for(reviewer).post(reverse("budgets:report-approve", args=[report.pk]), {"note": ""})
    transitions = [event for event in audit_events(caplog) if event["event"] == "report_transition"]
    assert [(t["from_status"], t["to_status"], t["user"]) for t in transitions] == [
        ("DRAFT", "SUBMITTED", "officer-17"),
        ("SUBMITTED", "VERIFIED", "head-17"),
        ("VERIFIED", "APPROVED", "reviewer"),
    ]
    assert transitions[2]["satker"] == satker.code and transitions[2]["month"] == 1


def test_json_lines_carry_the_event_fields() -> None:
    record = logging.LogRecord("ikma.audit", logging.INFO, __file__, 1, "import", (), None)
    record.event, record.kind, record.new = "import", "wub", 3
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "import" and line["kind"] == "wub" and line["new"] == 3 and line["level"] == "INFO"
