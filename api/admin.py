"""The admin of API tokens (the models are accounts', the lowest layer; their admin is here, where
the audit log can be written): create a token (its key shown once), revoke, read the log."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ApiToken, ApiTokenUse
from core.audit_log import audit


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens of the other systems (/api/v1/). The key is shown once, in the message after the
    token is created: only its hash is stored. A token is revoked, never deleted (its log stays),
    and keeps its account: a token for another account is a new token."""

    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at", "rate_per_minute"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "user__role"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    fields = ["name", "user", "expires_at", "rate_per_minute", "prefix", "created_at", "created_by", "revoked_at",
              "last_used_at"]  # fmt: skip
    readonly_fields = ["prefix", "created_at", "created_by", "revoked_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        key = obj.set_key()
        super().save_model(request, obj, form, change)
        audit("api_token_created", user=request.user.get_username(), token=obj.prefix, system=obj.name,
              account=obj.user.get_username())  # fmt: skip
        messages.warning(request, gettext(
            "Kunci token API untuk %(name)s: %(key)s (salin sekarang: kunci ini tidak akan ditampilkan lagi)."
        ) % {"name": obj.name, "key": key})  # fmt: skip

    @admin.action(description=_("Cabut token API yang dipilih"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        now = timezone.now()
        for token in tokens:
            # One by one, so that each revocation is in the token's history with the admin's name.
            token.revoked_at = now
            token._change_reason = "revoke"
            token.save(update_fields=["revoked_at"])
            audit("api_token_revoked", level=logging.WARNING, user=request.user.get_username(), token=token.prefix,
                  system=token.name)  # fmt: skip
        messages.success(request, ngettext(
            "%(count)d token API dicabut.", "%(count)d token API dicabut.", len(tokens)
        ) % {"count": len(tokens)})  # fmt: skip


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(admin.ModelAdmin):
    """The tokens' log: read only."""

    list_display = ["at", "token", "method", "path", "status", "address", "duration_ms"]
    list_filter = ["status", "method", "token"]
    search_fields = ["path", "token__name", "token__prefix"]
    list_select_related = ["token"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiTokenUse | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiTokenUse | None = None) -> bool:
        return False
