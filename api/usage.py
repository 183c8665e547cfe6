"""Around every API operation: the reader's language, and the token's log (ApiTokenUse) once the
answer is known (its status and duration). A refused token writes no row (it is audited:
api/auth.py); a rate-limited request does, with its 429."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.client_address import client_address
from accounts.models import ApiTokenUse


def reader_language(request: HttpRequest) -> str | None:
    """The language of the answer: the site's language cookie when the client sends it (the
    middleware activated it already), else the Accept-Language header (a program asks with it),
    else the site's default. The pages ignore Accept-Language on purpose (core/middleware.py);
    a program's header is a choice, not a browser's setting."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in translation.trans_real.parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return None


def logged(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        started = time.monotonic()
        language = reader_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = run(request, *args, **kwargs)
        if language:
            response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        token = getattr(request, "api_token", None)
        if token is not None:
            ApiTokenUse.objects.create(
                token=token, method=request.method, path=request.path[:300],
                query=request.META.get("QUERY_STRING", "")[:1000], status=response.status_code,
                address=client_address(request), duration_ms=round((time.monotonic() - started) * 1000),
            )  # fmt: skip
        return response

    return wrapped
