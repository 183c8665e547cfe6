"""Django admin for master data: searchable lists, filters and change history for each."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from accounts import permissions
from budgets import realization_summary
from budgets.evidence_rule_targets import condition_choices, target_choices
from budgets.models import (
    Account,
    Activity,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    BudgetRevisionLine,
    Evidence,
    EvidenceRule,
    FiscalYear,
    Holiday,
    IkpaAbsorptionTarget,
    IkpaDeviationPoint,
    IkpaTreasuryFigure,
    IkpaTreasuryPublished,
    IkpaWeight,
    IkpaYearRule,
    LineComment,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputClass,
    OutputVolumeTarget,
    Province,
    QualityFlag,
    Realization,
    ReconciliationNote,
    Regency,
    RegencyPeriod,
    ReportTransition,
    ReturnTarget,
    RpdPlan,
    RpdWindow,
    Satker,
    SatkerAuthority,
    SpendingType,
    TreasuryRealization,
    YearEndClosing,
)
from budgets.services.publication import publication_set


@admin.register(Province)
class ProvinceAdmin(SimpleHistoryAdmin):
    list_display = ["bps_code", "kemendagri_code", "name", "name_en", "iso_code", "valid_from", "valid_to"]
    search_fields = ["bps_code", "kemendagri_code", "name", "name_en"]


class RegencyPeriodInline(admin.TabularInline):
    model = RegencyPeriod
    extra = 0
    autocomplete_fields = ["province"]
    verbose_name_plural = gettext_lazy("Provinsi sebelumnya (kolom provinsi di atas: provinsi sekarang)")


@admin.register(Regency)
class RegencyAdmin(SimpleHistoryAdmin):
    list_display = ["kemendagri_code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["kemendagri_code", "name"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [RegencyPeriodInline]


class SatkerAuthorityInline(admin.TabularInline):
    model = SatkerAuthority
    extra = 0
    autocomplete_fields = ["fiscal_year"]


@admin.register(Satker)
class SatkerAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "province", "is_central", "first_year"]
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


class IkpaYearRuleInline(admin.StackedInline):
    model = IkpaYearRule
    extra = 0
    max_num = 1
    can_delete = False


class IkpaDeviationPointFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """The curve's scores never rise as the deviation rises."""
        super().clean()
        points = sorted(
            (form.cleaned_data["deviation"], form.cleaned_data["score"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("deviation") is not None
            and form.cleaned_data.get("score") is not None
        )
        if any(after[1] > before[1] for before, after in itertools.pairwise(points)):
            raise ValidationError(_("Nilai kurva deviasi tidak boleh naik ketika deviasi naik."))


class IkpaDeviationPointInline(admin.TabularInline):
    model = IkpaDeviationPoint
    formset = IkpaDeviationPointFormSet
    extra = 0
    verbose_name_plural = gettext_lazy(
        "Kurva nilai deviasi halaman III di atas toleransi (linear antar titik; sesudah titik terakhir tetap)"
    )


class IkpaAbsorptionTargetInline(admin.TabularInline):
    model = IkpaAbsorptionTarget
    extra = 0
    verbose_name_plural = gettext_lazy(
        "Target penyerapan IKPA per jenis belanja (terpisah dari target direktorat di atas)"
    )


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
    inlines = [IkpaWeightInline, IkpaYearRuleInline, IkpaDeviationPointInline, IkpaAbsorptionTargetInline]
    readonly_fields = ["published_at", "published_by"]
    actions = ["publish", "unpublish"]

    def get_list_display(self, request: HttpRequest) -> list[str]:
        return [*super().get_list_display(request), "published_at"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return permissions.may_publish(request.user)

    @admin.action(description=gettext_lazy("Publikasikan di halaman publik"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[FiscalYear]) -> None:
        self._set_publication(request, queryset, published=True)

    @admin.action(description=gettext_lazy("Tarik dari halaman publik"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[FiscalYear]) -> None:
        self._set_publication(request, queryset, published=False)

    def _set_publication(self, request: HttpRequest, queryset: QuerySet[FiscalYear], *, published: bool) -> None:
        changed = [str(year) for year in queryset.order_by("year")
                   if publication_set(fiscal_year=year, published=published, by=request.user)]  # fmt: skip
        if not changed:
            self.message_user(request, _("Tidak ada yang berubah: tahun terpilih sudah demikian."), messages.INFO)
        else:
            done = (
                _("Dipublikasikan di halaman publik: %(years)s.")
                if published
                else _("Ditarik dari halaman publik: %(years)s.")
            )
            self.message_user(request, done % {"years": ", ".join(changed)})


@admin.register(IkpaTreasuryFigure)
class IkpaTreasuryFigureAdmin(SimpleHistoryAdmin):
    """The admin types a figure the treasury's OM-SPAN shows (contracts, invoices, UP/TUP,
    dispensations); it is marked typed by the admin, with who and when."""

    list_display = ["satker", "fiscal_year", "month", "indicator", "value", "source", "entered_by", "entered_at"]
    list_filter = ["fiscal_year", "indicator", "source", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year", "entered_by"]
    autocomplete_fields = ["satker", "fiscal_year"]
    fields = ["satker", "fiscal_year", "month", "indicator", "value", "source", "upload", "entered_by", "entered_at"]
    readonly_fields = ["source", "upload", "entered_by", "entered_at"]

    def save_model(self, request: HttpRequest, obj: IkpaTreasuryFigure, form: forms.ModelForm, change: bool) -> None:
        # A figure saved here is the admin's, even one first imported: the import's upload no
        # longer describes it.
        obj.source = IkpaTreasuryFigure.Source.ADMIN
        obj.upload = None
        obj.entered_by = request.user
        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(BudgetComponent)
class BudgetComponentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "output"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["output__output_class__activity"]
    autocomplete_fields = ["output"]


# The DIPA's output hierarchy (kegiatan -> KRO -> RO): master data the admins keep.


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(OutputClass)
class OutputClassAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "activity", "code", "name"]
    list_filter = ["activity"]
    search_fields = ["code", "name", "activity__code"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "cumulative", "measured_by"]
    list_filter = ["output_class__activity", "output_class", "cumulative"]
    search_fields = ["code", "name", "name_en", "output_class__code", "output_class__activity__code"]
    list_select_related = ["output_class__activity"]
    autocomplete_fields = ["output_class"]


@admin.register(OutputVolumeTarget)
class OutputVolumeTargetAdmin(SimpleHistoryAdmin):
    list_display = ["satker", "fiscal_year", "output", "volume"]
    list_filter = ["fiscal_year", "output", "satker__province"]
    search_fields = ["satker__code", "satker__name", "output__code", "output__name"]
    list_select_related = ["satker", "fiscal_year", "output__output_class__activity"]
    autocomplete_fields = ["satker", "fiscal_year", "output"]


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

    def save_model(self, request: HttpRequest, obj: Account, form: forms.ModelForm, change: bool) -> None:
        # A new code may name another spending type (Account.clean), from the form or from a
        # version of its history: the realization already on the account's lines moves with it
        # in the per-type sums, in this request's transaction.
        stored = Account.objects.filter(pk=obj.pk).values_list("spending_type_id", flat=True).first()
        super().save_model(request, obj, form, change)
        if stored is not None and stored != obj.spending_type_id:
            realization_summary.refresh_account(obj.pk)


# Budget execution. Amounts change only through the services (revision form, entry grids,
# report transitions), which keep before/after and history; here they are read-only, and the
# change form links to where the change is made.


class ReadOnlyAmountsAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        # simple_history saves a posted history form ("revert") for anyone who may view the
        # object, whatever has_change_permission says: that would write an amount (a past
        # month's RPD, a pagu) around the services. Viewing an old version stays possible.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAmountsAdmin):
    list_display = ["satker", "fiscal_year", "output", "component", "account", "pagu", "blokir", "revise_link"]
    list_filter = ["fiscal_year", "output", "component", "account__spending_type", "satker__province"]
    search_fields = ["satker__code", "satker__name", "account__code", "component__code"]
    list_select_related = ["satker", "fiscal_year", "component", "account", "output__output_class__activity"]

    @admin.display(description=gettext_lazy("Revisi"))
    def revise_link(self, line: BudgetLine) -> str:
        url = reverse("budgets:pagu-revise", args=[line.satker.code, line.fiscal_year.year])
        return format_html('<a href="{}">{}</a>', url, _("catat revisi"))


class BudgetRevisionLineInline(admin.TabularInline):
    model = BudgetRevisionLine
    extra = 0
    can_delete = False
    fields = ["line", "pagu_before", "pagu_after", "blokir_before", "blokir_after"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BudgetRevision)
class BudgetRevisionAdmin(ReadOnlyAmountsAdmin):
    list_display = ["satker", "fiscal_year", "number", "kind", "treasury_code", "date", "created_by", "created_at"]
    list_filter = ["fiscal_year", "kind", "satker__province"]
    search_fields = ["satker__code", "satker__name", "reason"]
    list_select_related = ["satker", "fiscal_year", "created_by"]
    inlines = [BudgetRevisionLineInline]


@admin.register(RpdWindow)
class RpdWindowAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "quarter", "opens_on", "closes_on", "satker"]
    list_filter = ["fiscal_year", "quarter"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["fiscal_year", "satker"]
    autocomplete_fields = ["satker", "fiscal_year"]


@admin.register(RpdPlan)
class RpdPlanAdmin(ReadOnlyAmountsAdmin):
    list_display = ["satker", "fiscal_year", "spending_type", "month", "amount"]
    list_filter = ["fiscal_year", "spending_type", "month", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year", "spending_type"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReturnTargetInline(admin.TabularInline):
    """The lines and RO rows each return asked to fix (chosen on the report page)."""

    model = ReturnTarget
    extra = 0
    can_delete = False
    fields = ["transition", "line", "output"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related(
            "transition__report__satker", "transition__report__fiscal_year", "line__component", "line__account",
            "output__output_class__activity",
        )  # fmt: skip


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAmountsAdmin):
    list_display = [
        "satker",
        "fiscal_year",
        "month",
        "status",
        "due_date",
        "submitted_at",
        "submitted_on_time",
        "page_link",
    ]
    list_filter = ["status", "fiscal_year", "month", "submitted_on_time", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year"]
    inlines = [ReportTransitionInline, ReturnTargetInline]

    @admin.display(description=gettext_lazy("Halaman"))
    def page_link(self, report: MonthlyReport) -> str:
        return format_html('<a href="{}">{}</a>', reverse("budgets:report-detail", args=[report.pk]), _("buka"))


@admin.register(OutputAchievement)
class OutputAchievementAdmin(ReadOnlyAmountsAdmin):
    list_display = ["report", "output", "volume", "physical_progress"]
    list_filter = ["report__fiscal_year", "report__month", "report__status", "output"]
    search_fields = ["report__satker__code", "output__code", "output__name"]
    list_select_related = ["report__satker", "report__fiscal_year", "output__output_class__activity"]


@admin.register(OutputAdjustment)
class OutputAdjustmentAdmin(ReadOnlyAmountsAdmin):
    list_display = ["report", "output", "corrected_month", "volume", "reason"]
    list_filter = ["report__fiscal_year", "output"]
    search_fields = ["report__satker__code", "output__code", "reason"]
    list_select_related = ["report__satker", "report__fiscal_year", "output__output_class__activity"]


@admin.register(Realization)
class RealizationAdmin(ReadOnlyAmountsAdmin):
    list_display = ["report", "line", "amount"]
    list_filter = ["report__fiscal_year", "report__month", "report__status", "report__satker__province"]
    search_fields = ["report__satker__code", "line__account__code"]
    list_select_related = ["report__satker", "report__fiscal_year", "line__component", "line__account"]


@admin.register(TreasuryRealization)
class TreasuryRealizationAdmin(ReadOnlyAmountsAdmin):
    """The treasury's figure (OM-SPAN/SAKTI): written by the omspan_realisasi import alone."""

    list_display = ["satker", "fiscal_year", "month", "account", "amount", "source", "updated_at"]
    list_filter = ["fiscal_year", "month", "satker__province"]
    search_fields = ["satker__code", "satker__name", "account__code", "source"]
    list_select_related = ["satker", "fiscal_year", "account"]


@admin.register(IkpaTreasuryPublished)
class IkpaTreasuryPublishedAdmin(ReadOnlyAmountsAdmin):
    """The treasury's own IKPA values (OM-SPAN Monitoring IKPA): written by the ikpa import alone,
    shown beside the product's estimate, never an input of its computation."""

    list_display = ["satker", "fiscal_year", "month", "nilai_akhir", "upload", "entered_by", "entered_at"]
    list_filter = ["fiscal_year", "month", "satker__province"]
    search_fields = ["satker__code", "satker__name"]
    list_select_related = ["satker", "fiscal_year", "upload", "entered_by"]


@admin.register(ReconciliationNote)
class ReconciliationNoteAdmin(ReadOnlyAmountsAdmin):
    """Reasons given for deciding on a report that differs from the treasury's figure."""

    list_display = ["report", "by", "at", "reason"]
    list_filter = ["report__fiscal_year", "report__satker__province"]
    search_fields = ["report__satker__code", "reason"]
    list_select_related = ["report__satker", "report__fiscal_year", "by"]


@admin.register(YearEndClosing)
class YearEndClosingAdmin(SimpleHistoryAdmin):
    """The exception to the month-end rule: December submitted early to close the year."""

    list_display = ["fiscal_year", "allowed_from", "reason", "created_by", "created_at"]
    list_filter = ["fiscal_year"]
    list_select_related = ["fiscal_year", "created_by"]
    readonly_fields = ["created_by", "created_at"]
    autocomplete_fields = ["fiscal_year"]

    def save_model(self, request: HttpRequest, obj: YearEndClosing, form: object, change: bool) -> None:
        # Who allowed it is whoever recorded it first; a later correction keeps that name (the
        # history names each editor).
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Issue 22: comments on one line, data-quality flags and evidence are written on the report pages,
# through the services and their rules (who may open, decide, attach, remove); here they are read
# and searched only (ReadOnlyAmountsAdmin: no add, change, delete or history revert).


def _report_link(report: MonthlyReport, anchor: str = "") -> str:
    url = reverse("budgets:report-detail", args=[report.pk])
    return format_html('<a href="{}{}">{}</a>', url, anchor, report)


@admin.register(LineComment)
class LineCommentAdmin(ReadOnlyAmountsAdmin):
    list_display = ["report_page", "target", "opening", "author", "created_at", "resolved", "excerpt"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), ("thread", admin.EmptyFieldListFilter),
                   "report__fiscal_year", "report__month", "report__satker__province"]  # fmt: skip
    search_fields = ["body", "report__satker__code", "report__satker__name", "author__username",
                     "line__account__code", "line__component__code", "output__code", "output__name"]  # fmt: skip
    list_select_related = ["report__satker", "report__fiscal_year", "author", "line__component", "line__account",
                           "output__output_class__activity"]  # fmt: skip
    readonly_fields = ["report_page", "line", "output", "thread", "author", "body", "created_at", "resolved_at",
                       "resolved_by"]  # fmt: skip
    fields = readonly_fields
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("laporan bulanan"), ordering="report")
    def report_page(self, comment: LineComment) -> str:
        return _report_link(comment.report)

    @admin.display(description=gettext_lazy("sasaran"))
    def target(self, comment: LineComment) -> str:
        return str(comment.line or comment.output)

    @admin.display(description=gettext_lazy("pembuka utas"), boolean=True)
    def opening(self, comment: LineComment) -> bool:
        return comment.thread_id is None

    @admin.display(description=gettext_lazy("selesai"), boolean=True, ordering="resolved_at")
    def resolved(self, comment: LineComment) -> bool | None:
        # A reply is never resolved itself: its thread is.
        return None if comment.thread_id else comment.resolved_at is not None

    @admin.display(description=gettext_lazy("komentar"))
    def excerpt(self, comment: LineComment) -> str:
        return comment.body if len(comment.body) <= 80 else comment.body[:79] + "…"


@admin.register(QualityFlag)
class QualityFlagAdmin(ReadOnlyAmountsAdmin):
    """Decisions are taken on the report page (who may decide: the province's head and the
    directorate's reviewers); the reason is shown in the reader's language."""

    list_display = ["report_page", "code", "target_shown", "status", "decided_by", "decided_at", "gone_at",
                    "reason_shown"]  # fmt: skip
    list_filter = ["status", "code", ("gone_at", admin.EmptyFieldListFilter), "report__fiscal_year",
                   "report__month", "report__satker__province"]  # fmt: skip
    search_fields = ["code", "target_label", "reason", "note", "report__satker__code", "report__satker__name"]
    list_select_related = ["report__satker", "report__fiscal_year", "decided_by"]
    readonly_fields = ["report_page", "code", "target_shown", "target_label", "target_key", "target_type", "target_id",
                       "reason_shown", "reason", "status", "decided_by", "decided_at", "note", "gone_at",
                       "created_at"]  # fmt: skip
    fields = readonly_fields

    @admin.display(description=gettext_lazy("laporan bulanan"), ordering="report")
    def report_page(self, flag: QualityFlag) -> str:
        return _report_link(flag.report, f"#flag-{flag.pk}")

    @admin.display(description=gettext_lazy("sasaran"), ordering="target_label")
    def target_shown(self, flag: QualityFlag) -> str:
        return flag.target_label_text

    @admin.display(description=gettext_lazy("alasan"))
    def reason_shown(self, flag: QualityFlag) -> str:
        return flag.reason_text


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAmountsAdmin):
    """Evidence as attached (read-only: attached and removed on the report pages, by the
    services and their rules); the file opens through the site's scoped download, never by its
    place in the storage."""

    list_display = ["pk", "satker", "fiscal_year", "month", "kind", "number", "original_name", "size",
                    "short_sha256", "uploaded_by", "uploaded_at", "removed_at", "download"]  # fmt: skip
    list_filter = ["kind", "fiscal_year", "month", "satker__province", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["satker__code", "number", "original_name", "sha256"]
    list_select_related = ["satker", "fiscal_year", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["satker", "fiscal_year", "month", "monthly_report", "quarterly_report", "target_type",
                       "target_id", "kind", "number", "document_date", "original_name", "content_type", "size",
                       "sha256", "uploaded_by", "uploaded_at", "removed_at", "removed_by", "download"]  # fmt: skip

    @admin.display(description=gettext_lazy("berkas"))
    def download(self, obj: Evidence) -> str:
        if obj.is_removed:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("budgets:evidence-download", args=[obj.pk]), _("unduh"))

    @admin.display(description=gettext_lazy("SHA-256"), ordering="sha256")
    def short_sha256(self, obj: Evidence) -> str:
        return format_html('<span class="font-monospace" title="{}">{}…</span>', obj.sha256, obj.sha256[:12])


class EvidenceRuleForm(forms.ModelForm):
    """The kind of record and its condition from the registry (budgets/evidence_rules.py), the
    evidence kinds as checkboxes; the model's clean() checks the condition fits the record."""

    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("jenis bukti yang diterima"), choices=Evidence.Kind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("Salah satu jenis ini sudah cukup."),
    )  # fmt: skip

    class Meta:
        model = EvidenceRule
        fields = ["target", "condition", "kinds", "needs_number", "active", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"] = forms.ChoiceField(label=gettext_lazy("jenis data"), choices=target_choices())
        self.fields["condition"] = forms.ChoiceField(label=gettext_lazy("syarat"), choices=condition_choices())


@admin.register(EvidenceRule)
class EvidenceRuleAdmin(SimpleHistoryAdmin):
    form = EvidenceRuleForm
    list_display = ("target", "condition", "kinds_display", "needs_number", "active", "note")
    list_filter = ("active", "target", "needs_number")
    search_fields = ("target", "condition", "note")

    @admin.display(description=gettext_lazy("jenis bukti"))
    def kinds_display(self, rule: EvidenceRule) -> str:
        labels = dict(Evidence.Kind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in rule.kinds)
