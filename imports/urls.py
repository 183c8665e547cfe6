"""The import pages: the kinds with their templates, an upload's page and its steps."""

from __future__ import annotations

from django.urls import path

from imports.views import (
    cancel,
    confirm,
    detail,
    errors_download,
    index,
    status,
    stored_file,
    template_download,
    upload,
)

app_name = "imports"
urlpatterns = [
    path("imports/", index, name="index"),
    path("imports/uploads/<int:pk>/", detail, name="detail"),
    path("imports/uploads/<int:pk>/status.json", status, name="status"),
    path("imports/uploads/<int:pk>/confirm/", confirm, name="confirm"),
    path("imports/uploads/<int:pk>/cancel/", cancel, name="cancel"),
    path("imports/uploads/<int:pk>/errors.xlsx", errors_download, name="errors"),
    path("imports/uploads/<int:pk>/file", stored_file, name="file"),
    path("imports/<slug:kind>/template.xlsx", template_download, name="template"),
    path("imports/<slug:kind>/", upload, name="upload"),
]
