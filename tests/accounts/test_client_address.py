"""The client's address behind a TLS proxy (accounts/client_address.py): the lockout and the
audit log name the client, X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.client_address import client_address
from core.log_format import JsonFormatter
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
WRONG = "typo-typo-typo"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def sign_in(password: str, forwarded: str, remote: str = PROXY):
    return Client().post(
        reverse("accounts:login"), {"username": "officer-17", "password": password},
        REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded,
    )  # fmt: skip


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "203.0.113.7", "203.0.113.7"),
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left one was written by the client
        (PROXY, "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two trusted hops
        (PROXY, "junk, 203.0.113.7", "203.0.113.7"),
        (PROXY, "10.0.0.9, junk", PROXY),  # nothing a trusted proxy vouched for but itself
        (PROXY, "", PROXY),
        ("198.51.100.1", "203.0.113.7", "198.51.100.1"),  # not from the proxy: the header is the client's own
        (PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_right_most_untrusted_address_behind_a_trusted_proxy(remote, forwarded, expected) -> None:
    assert client_address(request_from(remote, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address(request_from("198.51.100.1", "203.0.113.7")) == "198.51.100.1"
    assert client_address(None) is None


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_a_lockout_locks_one_client_only(officer) -> None:
    for _ in range(5):
        sign_in(WRONG, forwarded="203.0.113.7")
    assert sign_in(TEST_PASSWORD, forwarded="203.0.113.7").status_code == 429
    # Another office behind the same proxy signs in as the same user.
    assert sign_in(TEST_PASSWORD, forwarded="198.51.100.20").status_code == 302


def test_without_the_setting_a_forged_header_changes_nothing(officer) -> None:
    for index in range(5):
        sign_in(WRONG, forwarded=f"203.0.113.{index}", remote="198.51.100.1")  # a new "address" each time
    assert sign_in(TEST_PASSWORD, forwarded="192.0.2.99", remote="198.51.100.1").status_code == 429


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_audit_lines_carry_the_client_address(officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    sign_in(WRONG, forwarded="203.0.113.7")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "officer-17", "password": TEST_PASSWORD},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")  # fmt: skip
    client.get("/no-such-page/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")
    formatter = JsonFormatter()
    events = [json.loads(formatter.format(r)) for r in caplog.records if r.name == "ikma.audit"]
    by_kind = {event["event"]: event for event in events}
    assert by_kind["sign_in_failed"]["ip"] == "203.0.113.7"
    assert by_kind["sign_in"]["ip"] == "203.0.113.8"
    assert by_kind["not_found"]["ip"] == "203.0.113.8" and by_kind["not_found"]["user"] == "officer-17"
    assert all(event["ip"] != PROXY for event in events)
