"""Session middleware of the accounts: the idle session timeout, and the password change that a
shared demo password forces in production; and what the sign-in marks on the new session."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from accounts.demo import DEMO_PASSWORD

LAST_SEEN = "last_seen"  # session key: seconds since the epoch of the last request
# The session is written again only when the last mark is older than this: not a database write
# on every request. The exact time of the last request rides in a signed cookie instead
# (LAST_SEEN_COOKIE), so the limit is not cut short by up to a minute.
LAST_SEEN_RESOLUTION = 60
# Signed with the session key as salt: it cannot be forged, nor carried over to another session;
# a browser that drops it only falls back to the session's coarser mark (signed out sooner).
LAST_SEEN_COOKIE = "ikma_seen"


def clock() -> int:
    """Seconds since the epoch (a function: tests move the clock)."""
    return int(time.time())


MUST_CHANGE_PASSWORD = "must_change_password"  # noqa: S105 (a session key, not a password)


class IdleSessionTimeoutMiddleware:
    """Signs out a user who has not made a request for ``SESSION_IDLE_TIMEOUT`` seconds (0: off).
    A shared office computer left signed in must not stay open to the next person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        if not timeout or not request.user.is_authenticated:
            return self.get_response(request)
        now = clock()
        last_seen = self._last_seen(request, now)
        if last_seen is not None and now - last_seen > timeout:
            logout(request)
            messages.info(request, gettext("Sesi Anda berakhir karena lama tidak ada aktivitas. Masuk lagi."))
            return redirect_to_login(request.get_full_path())
        marked = request.session.get(LAST_SEEN)
        if marked is None or now - marked >= LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN] = now
        salt = self._salt(request)
        response = self.get_response(request)
        if salt == self._salt(request):  # not signed out (nor in again) meanwhile
            response.set_signed_cookie(LAST_SEEN_COOKIE, str(now), salt=salt, httponly=True, samesite="Lax",
                                       secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response

    @staticmethod
    def _salt(request: HttpRequest) -> str:
        return f"ikma-last-seen:{request.session.session_key}"

    def _last_seen(self, request: HttpRequest, now: int) -> int | None:
        """The later of the session's mark and the cookie's exact time (never in the future)."""
        marked = request.session.get(LAST_SEEN)
        try:
            exact = int(request.get_signed_cookie(LAST_SEEN_COOKIE, salt=self._salt(request)))
        except (KeyError, signing.BadSignature, ValueError):
            return marked
        if exact > now:
            return marked
        return exact if marked is None else max(marked, exact)


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
    request.session[LAST_SEEN] = clock()
    password = request.POST.get("password") if request.method == "POST" else None
    if password_must_change(user, password):
        request.session[MUST_CHANGE_PASSWORD] = True
