"""Hostile input to the sign-in and password change forms. Never a server error; a failed sign-in
signs nobody in and writes nothing but django-axes' record of the attempt; the redirect after a
sign-in never leaves the site whatever ``next`` says; a refused password change keeps the old
password; the typed text never comes back as markup."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from tests.factories import TEST_PASSWORD
from tests.fuzz.forms import mutations, post_data
from tests.fuzz.strategies import hostile
from tests.fuzz.support import (
    assert_fits_postgresql,
    assert_handled,
    changes,
    database_snapshot,
    is_refused,
    post_form,
    rolled_back,
    signed_in,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Kata-sandi-baru-2026!"
# Where a crafted link may try to send a user after signing in.
NEXT = ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "http:/evil.example",
        "\\\\evil.example", "/satkers/", "/%2F%2Fevil.example", " //evil.example", "///evil.example"]  # fmt: skip


def stays_on_site(location: str) -> bool:
    """A redirect target on this site: a path, or an absolute URL of the test server."""
    parts = urlsplit(location)
    if location.startswith(("//", "\\", "/\\")) or any(ord(c) < 32 for c in location):
        return False
    return (parts.scheme, parts.netloc) in {("", ""), ("http", "testserver"), ("https", "testserver")}


@given(
    right=st.tuples(st.booleans(), st.booleans()),
    typed=st.tuples(hostile(), hostile()),
    next_url=st.one_of(st.sampled_from(NEXT), hostile()),
)
def test_sign_in_with_hostile_input(officer, right, typed, next_url) -> None:
    """Username and password each right or hostile; ``next`` a crafted redirect or hostile text."""
    username = "officer-17" if right[0] else typed[0]
    password = TEST_PASSWORD if right[1] else typed[1]
    user_model = get_user_model()
    with rolled_back():
        client = Client(raise_request_exception=True)
        before = database_snapshot()
        # ``next`` as the sign-in form's hidden field carries it.
        response = client.post(LOGIN, {"username": username, "password": password, "next": next_url})
        assert_handled(response, (200, 302, 400, 403, 429))
        signed_in_as = client.session.get("_auth_user_id")
        event("signed in" if signed_in_as else f"refused ({response.status_code})")
        if username == "officer-17" and password == TEST_PASSWORD:
            assert response.status_code == 302 and signed_in_as == str(officer.pk)
            assert stays_on_site(response["Location"]), response["Location"]
            return
        assert signed_in_as is None
        assert response.status_code != 302
        assert changes(before, database_snapshot()) == {}  # failed attempts are axes' rows only
        for attempt in [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all()]:
            assert_fits_postgresql(attempt)  # a 10.000-character name was a server error there
        assert user_model.objects.get(pk=officer.pk).last_login == officer.last_login


PASSWORD_FIELDS = ["old_password", "new_password1", "new_password2"]


@given(changed=st.data(), same_new=st.booleans())
def test_password_change_with_hostile_input(officer, changed, same_new) -> None:
    good = {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    mutation = changed.draw(mutations(PASSWORD_FIELDS))
    if same_new and "new_password1" in mutation:  # both new fields typed alike: the validators decide
        mutation["new_password2"] = mutation["new_password1"]
    data = post_data(good, mutation)
    with rolled_back():
        # Signed in inside the example: a changed password moves the session to a new key, which
        # the rollback would take from a client shared between the examples.
        client = signed_in(officer)
        response = post_form(client, reverse("accounts:password-change"), data)
        user = get_user_model().objects.get(pk=officer.pk)
        if is_refused(response):
            assert user.password == officer.password
            return
        assert response["Location"] == reverse("accounts:password-change-done")
        assert user.check_password(data["new_password1"]) and data["new_password1"] == data["new_password2"]
        assert data["old_password"] == TEST_PASSWORD
        assert client.session.get("_auth_user_id") == str(officer.pk)  # still signed in
