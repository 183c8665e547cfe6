"""Site-wide middleware."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from accounts.client_address import client_address
from core.audit_log import audit, request_address

# 403 and 404 responses logged per client address and minute at most; beyond, one line says the
# rest were dropped: a scanner probing thousands of URLs must not flood the log.
PROBES_LOGGED_PER_MINUTE = 20
PROBE_EVENTS = {403: "forbidden", 404: "not_found"}


class LanguageFromChoiceMiddleware:
    """Indonesian unless the user chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    browsers are set to English: the product's working language must not depend on that.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class AuditContextMiddleware:
    """Every audit line of the request carries the client's address (core/audit_log.py), and a
    403 or 404 answer (a probe for pages one may not see, or that do not exist) is an audit event
    with the path, the user and the address, rate-limited per address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address(request)
        token = request_address.set(address)
        try:
            response = self.get_response(request)
            event = PROBE_EVENTS.get(response.status_code)
            if event:
                self._log_probe(request, event, response.status_code, address)
            return response
        finally:
            request_address.reset(token)

    @staticmethod
    def _log_probe(request: HttpRequest, event: str, status: int, address: str | None) -> None:
        # One counter per address and minute in the default cache: cheap, and it forgets itself.
        key = f"audit-probes:{address}:{int(time.time() // 60)}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: count this one as the first
            count = 1
        if count > PROBES_LOGGED_PER_MINUTE + 1:
            return
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else None
        if count == PROBES_LOGGED_PER_MINUTE + 1:
            audit("probes_suppressed", level=logging.WARNING, user=name, limit=PROBES_LOGGED_PER_MINUTE)
            return
        audit(event, level=logging.WARNING, status=status, method=request.method, path=request.path[:300], user=name)


class SignedInNoStoreMiddleware:
    """A page or file served to a signed-in user says ``Cache-Control: private, no-store``: on a
    shared office computer the browser keeps no copy for the next person (back button, disk
    cache), and no shared cache in between keeps one. Static files (whitenoise answers them before
    this runs) and the anonymous sign-in page keep their own headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
