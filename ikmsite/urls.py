"""The project's URLs: each app's own, under its namespace (the paths are CONTRACT's)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from api.site import api

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The versioned API for other systems (token authentication): api/site.py.
    path("api/v1/", api.urls),
    path("", include("reports.urls")),
    path("", include("public.urls")),
    path("", include("budgets.urls")),
    path("", include("programs.urls")),
    path("", include("imports.urls")),
    path("", include("core.urls")),
]

# A database that cannot answer outside a view (a middleware touched it first) is a 503, not a 500.
handler500 = "core.db_unavailable.server_error_or_unavailable"
