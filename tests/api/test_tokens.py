"""Token authentication: a valid token acts as its account and is logged; an unknown, revoked or
expired token, or one whose account may not use the site, is a 401 with the reason (audited);
the admin creates a token (the key shown once) and revokes it."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts import api_tokens
from accounts.models import ApiToken, ApiTokenUse
from tests.api.conftest import api_client, issue
from tests.conftest import client_for
from tests.queries import counted_queries

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/registry/"


def error_of(response) -> str:
    return json.loads(response.content)["error"]


def test_a_valid_token_acts_as_its_account_and_is_logged(officer) -> None:
    key = issue(officer, name="Keuangan Bengkulu")
    token = ApiToken.objects.get()
    assert token.key_hash == api_tokens.key_hash(key) and key.startswith(f"ikma_{token.prefix}_")
    assert token.last_used_at is None and token.expires_at > timezone.now() + timedelta(days=360)
    response = api_client(key).get(REGISTRY, {"province": "17"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    use = ApiTokenUse.objects.get()
    assert (use.token, use.method, use.path, use.query, use.status, use.address) == (
        token, "GET", REGISTRY, "province=17", 200, "10.1.2.3")  # fmt: skip
    assert use.duration_ms >= 0
    token.refresh_from_db()
    assert token.last_used_at is not None
    # The answer is the account's: a signed-in user's private, never-stored copy.
    assert "no-store" in response["Cache-Control"]


def test_authentication_costs_a_lookup_and_the_log(officer) -> None:
    client = api_client(issue(officer))
    client.get(REGISTRY)  # last_used_at written once a minute at most
    with counted_queries() as queries:
        assert client.get("/api/v1/reports/realization/?year=1999").status_code == 400
    auth = [q["sql"] for q in queries if "accounts_apitoken" in q["sql"]]
    # The token with its account and province in one query, and the log's row; no update within the minute.
    assert len(auth) == 2 and auth[0].startswith("SELECT") and auth[1].startswith("INSERT"), auth


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "Token API tidak dikenal."),
        ("wrong_secret", "Token API tidak dikenal."),
        ("malformed", "Token API tidak dikenal."),
        ("revoked", "Token API ini sudah dicabut."),
        ("expired", "Token API ini sudah kedaluwarsa."),
        ("inactive", "Akun token API ini tidak aktif atau tidak memiliki peran."),
        ("no_role", "Akun token API ini tidak aktif atau tidak memiliki peran."),
    ],
)
def test_a_refused_token_is_401_with_the_reason_and_audited(case, message, officer, caplog) -> None:
    key = issue(officer)
    token = ApiToken.objects.get()
    if case == "unknown":
        key = api_tokens.new_key()[1]
    elif case == "wrong_secret":
        key = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    elif case == "malformed":
        key = "not-a-key"
    elif case == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "inactive":
        officer.is_active = False
        officer.save()
    elif case == "no_role":
        officer.role = ""
        officer.province = None
        officer.save()
    with caplog.at_level(logging.WARNING, logger="ikma.audit"):
        response = api_client(key).get(REGISTRY)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response) == message
    assert [r.event for r in caplog.records if getattr(r, "event", "") == "api_token_refused"] == ["api_token_refused"]
    assert not ApiTokenUse.objects.exists()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_no_token_and_a_session_are_not_enough(officer) -> None:
    """The API reads the bearer header only: a browser signed in to the site gets 401."""
    response = client_for(officer).get(REGISTRY)
    assert response.status_code == 401
    assert error_of(response) == "Token API diperlukan: kirim header Authorization: Bearer <token>."
    assert api_client(None, Authorization="Basic b2ZmaWNlcjpwdw==").get(REGISTRY).status_code == 401


def test_errors_in_english_on_request(officer) -> None:
    response = api_client("ikma_abcdefgh_" + "x" * 40, **{"Accept-Language": "en"}).get(REGISTRY)
    assert error_of(response) == "Unknown API token."
    assert response["Content-Language"] == "en"
    cookie = api_client("ikma_abcdefgh_" + "x" * 40)
    cookie.cookies["django_language"] = "en"
    assert error_of(cookie.get(REGISTRY)) == "Unknown API token."
    assert error_of(api_client("ikma_abcdefgh_" + "x" * 40).get(REGISTRY)) == "Token API tidak dikenal."


def test_the_admin_creates_a_token_and_sees_its_key_once(admin_user, officer) -> None:
    client = client_for(admin_user)
    expires = (timezone.localtime() + timedelta(days=90)).replace(microsecond=0)
    response = client.post(reverse("admin:accounts_apitoken_add"), {
        "name": "Keuangan Bengkulu", "user": officer.pk, "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"), "rate_per_minute": 60,
    }, follow=True)  # fmt: skip
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.created_by, token.rate_per_minute) == (
        "Keuangan Bengkulu", officer, admin_user, 60)  # fmt: skip
    shown = [str(message) for message in get_messages(response.wsgi_request)] or [response.content.decode()]
    key = next(word for text in shown for word in text.split() if word.startswith(f"ikma_{token.prefix}_"))
    assert api_tokens.key_hash(key) == token.key_hash
    assert api_client(key).get(REGISTRY).status_code == 200
    # Never again: the token's page shows the prefix, not the key.
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page and key not in page


def test_the_admin_revokes_tokens(admin_user, officer) -> None:
    key = issue(officer)
    token = ApiToken.objects.get()
    response = client_for(admin_user).post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # In the token's history, by the admin who revoked it.
    revoked = token.history.first()
    assert (revoked.revoked_at, revoked.history_user, revoked.history_change_reason) == (
        token.revoked_at, admin_user, "revoke")  # fmt: skip
    assert api_client(key).get(REGISTRY).status_code == 401


def test_the_log_is_read_only_and_tokens_are_never_deleted(admin_user, officer) -> None:
    api_client(issue(officer)).get(REGISTRY)
    client = client_for(admin_user)
    use = ApiTokenUse.objects.get()
    assert client.get(reverse("admin:accounts_apitokenuse_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_apitokenuse_add")).status_code == 403
    assert client.get(reverse("admin:accounts_apitokenuse_delete", args=[use.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_apitoken_delete", args=[use.token.pk])).status_code == 403


def test_only_the_admin_role_administers_tokens(reviewer) -> None:
    # The admin sends others to its sign-in, which refuses a signed-in user of another role.
    response = client_for(reviewer).get(reverse("admin:accounts_apitoken_changelist"), follow=True)
    assert response.status_code == 403
