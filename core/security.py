"""The Content-Security-Policy header of every response.

Django 5.2 has no CSP support of its own (it arrives in 6.0); the policy is one header, so a
ten-line middleware is enough: every page loads only our own static files (no inline script or
style: the templates carry none, a test walks the pages for them). The session middleware (idle
timeout, forced password change) is the accounts' (accounts/middleware.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.security_policy import DEFAULT_POLICY


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
