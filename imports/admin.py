"""Uploads in the admin: read-only (an upload is a record of what happened), with its file."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from imports.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("id", "kind_title", "original_name", "uploaded_by", "uploaded_at", "status", "new_count",
                    "changed_count", "unchanged_count", "error_count")  # fmt: skip
    list_filter = ("status", "kind", "province")
    search_fields = ("original_name", "uploaded_by__username")
    date_hierarchy = "uploaded_at"
    list_select_related = ("uploaded_by",)
    readonly_fields = ("page", "stored_file")
    fields = ("page", "stored_file", "kind", "original_name", "size_bytes", "sha256", "uploaded_by", "province",
              "uploaded_at", "status", "row_count", "new_count", "changed_count", "unchanged_count", "error_count",
              "errors", "checked_at", "confirmed_by", "confirmed_at", "finished_at")  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("jenis impor"), ordering="kind")
    def kind_title(self, upload: Upload) -> str:
        return upload.kind_title

    @admin.display(description=_("halaman unggahan"))
    def page(self, upload: Upload) -> str:
        return format_html('<a href="{}">{}</a>', reverse("imports:detail", args=[upload.pk]), _("buka"))

    @admin.display(description=_("berkas tersimpan"))
    def stored_file(self, upload: Upload) -> str:
        if not upload.stored_name:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("imports:file", args=[upload.pk]), upload.original_name)
