"""``unread_notifications`` in every template: the bell's count (core.inbox)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.inbox import unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: counted (one query) only by a page that shows the bell, once however often it is read.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
