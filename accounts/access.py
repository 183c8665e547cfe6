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

from accounts import permissions
from accounts.roles import Can


def access_denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "403.html", {"message": message}, status=403)


def check_data_access(request: HttpRequest, capability: Can | None = None) -> HttpResponse | None:
    """None when the request may go on; otherwise the response to send instead. ``capability``:
    the page is only for roles that may do this (accounts/roles.py)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    problem = permissions.access_problem(user)
    if problem:
        return access_denied(request, problem)
    if capability is not None and not permissions.can(user, capability):
        return access_denied(request, gettext("Halaman ini tidak tersedia untuk peran Anda."))
    return None


class DataAccessMixin(AccessMixin):
    """For class-based data views; ``required = None`` admits every role."""

    required: Can | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = check_data_access(request, self.required)
        return refusal or super().dispatch(request, *args, **kwargs)


def data_access_required(
    capability: Can | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The same gate for function views."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return check_data_access(request, capability) or view(request, *args, **kwargs)

        return wrapped

    return decorator
