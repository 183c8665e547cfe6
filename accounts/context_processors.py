"""``may`` in every template: what the signed-in user may do (accounts.permissions)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from accounts.permissions import TemplatePermissions


def permissions(request: HttpRequest) -> dict[str, TemplatePermissions]:
    # An error page answered before the authentication middleware ran has no user: nothing is allowed.
    return {"may": TemplatePermissions(getattr(request, "user", None) or AnonymousUser())}
