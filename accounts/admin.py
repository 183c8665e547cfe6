from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Delegation, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "province", "is_active", "last_login"]
    list_filter = ["role", "is_active", "province"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Peran dan cakupan"), {"fields": ("role", "province", "is_active")}),
        (_("Data pribadi"), {"fields": ("first_name", "last_name", "nip", "email")}),
        (_("Waktu penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "province", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["head", "acting", "kind", "starts_on", "ends_on", "decree"]
    list_filter = ["kind", "head__province"]
    search_fields = ["head__username", "acting__username", "decree"]
    list_select_related = ["head", "acting"]
    autocomplete_fields = ["head", "acting"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
