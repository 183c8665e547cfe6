"""Django admin for OVOP (sentra, coaching, award cycles and candidates), WUB, poverty activities,
facilitations and output targets.

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
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    OvopScoreBand,
    PovertyActivity,
    Sentra,
    coaching_level_for,
)


def _level(stars: int | None) -> str:
    level = coaching_level_for(stars) if stars else None
    return str(CoachingLevel(level).label) if level else "-"


class OvopCoachingInline(admin.TabularInline):
    model = OvopCoaching
    extra = 0
    fields = ["year", "stars", "coaching_level"]
    readonly_fields = ["coaching_level"]
    ordering = ["-year"]

    @admin.display(description=_("tingkat pembinaan"))
    def coaching_level(self, coaching: OvopCoaching) -> str:
        return _level(coaching.stars)


@admin.register(Sentra)
class SentraAdmin(SimpleHistoryAdmin):
    list_display = ["name", "satker", "regency", "village", "commodity", "commodity_group", "unit_count",
                    "decree_number", "decree_date"]  # fmt: skip
    list_filter = ["commodity_group", "satker__province"]
    search_fields = ["name", "village", "commodity", "decree_number", "satker__code", "satker__name", "regency__name"]
    list_select_related = ["satker", "regency"]
    autocomplete_fields = ["satker", "regency"]
    inlines = [OvopCoachingInline]


@admin.register(OvopCoaching)
class OvopCoachingAdmin(SimpleHistoryAdmin):
    list_display = ["sentra", "year", "stars"]
    list_filter = ["year", "sentra__satker__province"]
    search_fields = ["sentra__name", "sentra__satker__code"]
    list_select_related = ["sentra__regency"]
    autocomplete_fields = ["sentra"]


class OvopScoreBandInline(admin.TabularInline):
    """The score bands per star: unpublished, so the directorate enters them per cycle."""

    model = OvopScoreBand
    extra = 0
    fields = ["stars", "min_score"]
    ordering = ["stars"]


@admin.register(OvopCycle)
class OvopCycleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "name"]
    search_fields = ["name", "year"]
    inlines = [OvopScoreBandInline]


@admin.register(OvopCandidate)
class OvopCandidateAdmin(SimpleHistoryAdmin):
    list_display = ["product", "enterprise", "cycle", "group", "satker", "regency", "admin_check_passed", "score",
                    "recommended_stars", "awarded_stars", "coaching_level"]  # fmt: skip
    list_filter = ["cycle", "group", "admin_check_passed", "awarded_stars", "satker__province"]
    search_fields = ["product", "enterprise__name", "enterprise__nib", "satker__code", "regency__name"]
    list_select_related = ["cycle", "enterprise", "satker", "regency"]
    autocomplete_fields = ["enterprise", "regency", "satker", "sentra", "re_evaluates"]

    @admin.display(description=_("tingkat pembinaan"))
    def coaching_level(self, candidate: OvopCandidate) -> str:
        return _level(candidate.awarded_stars)


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
