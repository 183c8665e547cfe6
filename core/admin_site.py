"""The Django admin, reserved for the ADMIN role.

Django's own gate is ``is_staff``; ours is the role, so that a single field decides who
administers the system. A signed-in user of another role gets 403, not a second login form.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts import permissions


class IkmaAdminSite(admin.AdminSite):
    site_header = _("Administrasi Monitoring Ditjen IKMA")
    site_title = _("Admin Monitoring IKMA")
    index_title = _("Data induk dan pengguna")

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.may_administer(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One sign-in page for the whole site (with its lockout); the admin only checks the role.
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class IkmaAdminConfig(AdminConfig):
    default_site = "core.admin_site.IkmaAdminSite"
