"""Admin for core's own models: the e-mail outbox, read-only (what was sent, what failed and why)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "subject"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
