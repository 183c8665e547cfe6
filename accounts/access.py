"""Gates in front of data pages: signed in, and with a usable role (and province for officers)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def access_denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"message": message}, status=403)


def check_data_access(request: HttpRequest, roles: frozenset[str] | None = None) -> HttpResponse | None:
    """None when the request may go on; otherwise the response to send instead."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.access_problem:
        return access_denied(request, user.access_problem)
    if roles is not None and user.role not in roles:
        return access_denied(request, gettext("Halaman ini tidak tersedia untuk peran Anda."))
    return None


class DataAccessMixin(AccessMixin):
    """For class-based data views; ``allowed_roles = None`` admits every role."""

    allowed_roles: frozenset[str] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = check_data_access(request, self.allowed_roles)
        return refusal or super().dispatch(request, *args, **kwargs)


def data_access_required(
    roles: frozenset[str] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The same gate for function views."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return check_data_access(request, roles) or view(request, *args, **kwargs)

        return wrapped

    return decorator
