"""Django admin for master data: searchable lists, filters and change history for each."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import (
    Account,
    BudgetComponent,
    FiscalYear,
    IkpaWeight,
    Province,
    Regency,
    Satker,
    SatkerAuthority,
    SpendingType,
)


@admin.register(Province)
class ProvinceAdmin(SimpleHistoryAdmin):
    list_display = ["bps_code", "kemendagri_code", "name", "name_en", "iso_code"]
    search_fields = ["bps_code", "kemendagri_code", "name", "name_en"]


@admin.register(Regency)
class RegencyAdmin(SimpleHistoryAdmin):
    list_display = ["kemendagri_code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["kemendagri_code", "name"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]


class SatkerAuthorityInline(admin.TabularInline):
    model = SatkerAuthority
    extra = 0
    autocomplete_fields = ["fiscal_year"]


@admin.register(Satker)
class SatkerAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "province", "is_central"]
    list_filter = ["is_central", "province"]
    search_fields = ["code", "name", "province__name"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [SatkerAuthorityInline]


@admin.register(SatkerAuthority)
class SatkerAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["satker", "fiscal_year", "authority"]
    list_filter = ["authority", "fiscal_year", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year"]
    autocomplete_fields = ["satker", "fiscal_year"]


class IkpaWeightFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("weight") is not None
        ]
        if weights and sum(weights) != Decimal(100):
            raise ValidationError(_("Jumlah bobot IKPA harus 100; sekarang %(total)s.") % {"total": sum(weights)})


class IkpaWeightInline(admin.TabularInline):
    model = IkpaWeight
    formset = IkpaWeightFormSet
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "is_closed",
        "below_average_threshold",
        "target_q1",
        "target_q2",
        "target_q3",
        "target_q4",
        "deviation_tolerance",
    ]
    list_filter = ["is_closed"]
    search_fields = ["year"]
    inlines = [IkpaWeightInline]


@admin.register(BudgetComponent)
class BudgetComponentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(SpendingType)
class SpendingTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name"]


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "spending_type"]
    list_filter = ["spending_type"]
    search_fields = ["code", "name"]
    list_select_related = ["spending_type"]
    readonly_fields = ["spending_type"]
