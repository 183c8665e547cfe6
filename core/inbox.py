"""The in-app inbox: messages to users, kept on the site beside the e-mail that says the same
(budgets.notifications sends both). The bell in the navbar shows ``unread_count``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def notify(users: Iterable[AbstractBaseUser], subject: str, body: str, url: str = "") -> list[Notification]:
    """One notification per distinct active user, written in one query."""
    recipients = {user.pk: user for user in users if user.pk is not None and user.is_active}
    return Notification.objects.bulk_create(
        [Notification(recipient_id=pk, subject=subject[:255], body=body, url=url[:500]) for pk in sorted(recipients)]
    )


def unread_count(user: Any) -> int:
    """The bell's number: one query for a signed-in user, none for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, pk: int | None = None) -> int:
    """Mark one of ``user``'s notifications (``pk``) or all of them read; how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def safe_target(url: str) -> str | None:
    """Where opening a notification may lead: a path of this site, or an address under
    settings.SITE_URL (as a path); anything else (another host, ``//host``, a scheme) is None,
    so a notification never becomes an open redirect."""
    if not url:
        return None
    site = settings.SITE_URL.rstrip("/")
    if url == site or url.startswith(site + "/"):
        url = url[len(site) :] or "/"
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    return url
