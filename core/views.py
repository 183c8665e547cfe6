"""Site-wide error pages that Django lets a project replace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an expired page, a form from another site): our
    403 page with what to do, not Django's English technical page."""
    message = _("Formulir ini sudah kedaluwarsa atau tidak lengkap. Muat ulang halaman, lalu kirim lagi.")
    return render(request, "403.html", {"message": message}, status=403)
