"""Session middleware of the accounts: the idle session timeout, and the password change that a
shared demo password forces in production; and what the sign-in marks on the new session."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from accounts.demo import DEMO_PASSWORD

LAST_SEEN = "last_seen"  # session key: seconds since the epoch of the last request
# The session is written again only when the last mark is older than this: the idle timeout
# needs minutes of precision, not a database write on every request.
LAST_SEEN_RESOLUTION = 60

MUST_CHANGE_PASSWORD = "must_change_password"  # noqa: S105 (a session key, not a password)


class IdleSessionTimeoutMiddleware:
    """Signs out a user who has not made a request for ``SESSION_IDLE_TIMEOUT`` seconds (0: off).
    A shared office computer left signed in must not stay open to the next person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(request, gettext("Sesi Anda berakhir karena lama tidak ada aktivitas. Masuk lagi."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """In production, a user signed in with a password that must be changed (the demo accounts'
    shared password) reaches only the password change page, sign-out and static files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(MUST_CHANGE_PASSWORD):
            allowed = {reverse("accounts:password-change"), reverse("accounts:logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                messages.warning(request, gettext("Ganti kata sandi demo terlebih dahulu sebelum memakai sistem."))
                return redirect("accounts:password-change")
        return self.get_response(request)


def password_must_change(user, password: str | None) -> bool:
    """Whether this sign-in's password is one that production does not accept for use."""
    if not getattr(settings, "IS_PRODUCTION", False) or password is None:
        return False
    return password == DEMO_PASSWORD


def mark_signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """The idle clock starts at sign-in (saved with the new session: no extra write later), and
    a sign-in with a password production does not accept (the sign-in form's, checked here once,
    not a hash on every request) closes the site until it is changed."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN] = int(time.time())
    password = request.POST.get("password") if request.method == "POST" else None
    if password_must_change(user, password):
        request.session[MUST_CHANGE_PASSWORD] = True
