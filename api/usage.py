"""Around every API operation: the reader's language, and the token's log (ApiTokenUse) once the
answer is known (its status and duration). A refused token writes no row (it is audited:
api/auth.py); a rate-limited request does, with its 429."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.client_address import client_address
from accounts.models import ApiTokenUse


def reader_language(request: HttpRequest) -> str:
    """The language of the answer: the site's language cookie when the client sends one, else
    the Accept-Language header (a program asks with it), else the site's default (Django's own
    choice, among settings.LANGUAGES). The pages ignore Accept-Language on purpose
    (core/middleware.py: an office browser's setting is no choice); a program's header is one."""
    return translation.get_language_from_request(request)


def logged(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        started = time.monotonic()
        language = reader_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = run(request, *args, **kwargs)
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
