"""Site-wide error pages that Django lets a project replace, and the in-app inbox."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import data_access_required
from core import inbox
from core.models import Notification


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an expired page, a form from another site): our
    403 page with what to do, not Django's English technical page."""
    message = _("Formulir ini sudah kedaluwarsa atau tidak lengkap. Muat ulang halaman, lalu kirim lagi.")
    return render(request, "403.html", {"message": message}, status=403)


# -- The in-app inbox (core.inbox) ------------------------------------------------------------

NOTIFICATIONS_SHOWN = 100


@data_access_required()
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first (the last ``NOTIFICATIONS_SHOWN``)."""
    shown = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")[:NOTIFICATIONS_SHOWN]
    return render(request, "core/notifications.html", {"notifications": list(shown)})


@data_access_required()
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's own notification read and follow its link when it leads into this site."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    inbox.mark_read(request.user, notification.pk)
    target = inbox.safe_target(notification.url)
    return redirect(target or "core:notifications")


@data_access_required()
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """POST ``pk``: that one notification; without it, all of the user's."""
    raw = request.POST.get("pk", "")
    if raw and not raw.isdigit():
        return HttpResponseBadRequest()
    changed = inbox.mark_read(request.user, int(raw) if raw else None)
    if not raw:
        messages.success(request, _("%(count)s notifikasi ditandai telah dibaca.") % {"count": changed})
    return redirect("core:notifications")
