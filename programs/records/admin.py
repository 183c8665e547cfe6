"""Django admin for OVOP, WUB, poverty activities, facilitations and output targets.

The monthly records (WUB, poverty activities, facilitations) are read-only here on purpose:
they belong to a MonthlyReport and may change only while it is a draft or returned, and every
change must bump the report's version. The services of programs.records.services enforce both;
a plain admin form would bypass them (and could change an approved month behind the reviewer's
back). Admins change these records on the satker's programme records page, which goes through
the services; here they search, read and see the history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programs.models import (
    CoachingLevel,
    Facilitation,
    NewEntrepreneur,
    OutputTarget,
    OvopCentre,
    OvopRating,
    PovertyActivity,
)


class OvopRatingInline(admin.TabularInline):
    model = OvopRating
    extra = 0
    fields = ["year", "stars", "coaching_level"]
    readonly_fields = ["coaching_level"]
    ordering = ["-year"]

    @admin.display(description=_("tingkat pembinaan"))
    def coaching_level(self, rating: OvopRating) -> str:
        return str(CoachingLevel(rating.coaching_level).label) if rating.stars else "-"


@admin.register(OvopCentre)
class OvopCentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "satker", "regency", "village", "commodity_group", "unit_count"]
    list_filter = ["commodity_group", "satker__province"]
    search_fields = ["name", "village", "satker__code", "satker__name", "regency__name"]
    list_select_related = ["satker", "regency"]
    autocomplete_fields = ["satker", "regency"]
    inlines = [OvopRatingInline]


class MonthlyRecordAdmin(SimpleHistoryAdmin):
    """Read-only: see the module docstring."""

    list_select_related = ["satker", "fiscal_year", "report"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("status laporan"), ordering="report__status")
    def report_status(self, record: Any) -> str:
        return record.report.get_status_display()


@admin.register(NewEntrepreneur)
class NewEntrepreneurAdmin(MonthlyRecordAdmin):
    list_display = ["name", "satker", "fiscal_year", "month", "regency", "business_type", "nib", "legalized_on",
                    "report_status"]  # fmt: skip
    list_filter = ["fiscal_year", "month", "satker__province", ("nib", admin.EmptyFieldListFilter)]
    search_fields = ["name", "nib", "business_type", "satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year", "report", "regency"]


@admin.register(PovertyActivity)
class PovertyActivityAdmin(MonthlyRecordAdmin):
    list_display = ["kind", "satker", "fiscal_year", "month", "regency", "beneficiaries", "value", "report_status"]
    list_filter = ["kind", "fiscal_year", "month", "satker__province"]
    search_fields = ["description", "regency__name", "satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year", "report", "regency"]


@admin.register(Facilitation)
class FacilitationAdmin(MonthlyRecordAdmin):
    list_display = ["kind", "enterprise_name", "nib", "satker", "fiscal_year", "month", "value", "certificate_number",
                    "report_status"]  # fmt: skip
    list_filter = ["kind", "fiscal_year", "month", "satker__province"]
    search_fields = ["enterprise_name", "nib", "certificate_number", "satker__code", "satker__name"]


@admin.register(OutputTarget)
class OutputTargetAdmin(SimpleHistoryAdmin):
    list_display = ["satker", "fiscal_year", "indicator", "target"]
    list_filter = ["fiscal_year", "indicator", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year"]
    autocomplete_fields = ["satker", "fiscal_year"]
