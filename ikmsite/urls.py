from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/narrative/", views.narrative, name="narrative"),
    path("", include("budgets.urls")),
    path("", include("programs.urls")),
    path("", include("imports.views")),
]
