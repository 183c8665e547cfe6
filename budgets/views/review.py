"""Monthly reports: the list / review queue, one report's page, and its transitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts import permissions
from accounts.access import DataAccessMixin, data_access_required
from accounts.delegation import signs_for_province
from accounts.scoping import get_scoped_or_404, scoped
from budgets.evidence_rules import with_evidence_completeness
from budgets.forms import ApproveForm, ReopenForm, ReturnForm
from budgets.models import BudgetLine, MonthlyReport, Province
from budgets.quality import with_open_flags_count
from budgets.report_sections import report_sections
from budgets.ro_entry import dipa_outputs
from budgets.selectors import realization_audit, realization_grid, report_changes_since_previous_submission
from budgets.selectors_comments import RecordRow, report_record_rows
from budgets.services import (
    report_approve,
    report_reopen,
    report_return,
    report_review_start,
    report_submit,
    report_verify,
    report_withdraw,
)
from budgets.services.duties import DutyConflict, conflict_of_duty
from budgets.services.editability import submit_lock
from budgets.services.monthly_report import (
    ensure_may_reopen,
    ensure_may_return,
    ensure_may_review,
    ensure_may_submit,
    ensure_may_verify,
)
from budgets.services.quality import flags_refresh
from budgets.signoff import awaiting_directorate_q, awaiting_head_q, awaits_directorate, awaits_head
from budgets.views.comments import comments_context
from budgets.views.common import add_service_errors
from budgets.views.outputs import outputs_context, outputs_post
from core.exports.table_export import TableExportMixin
from core.formats import MONTH_CHOICES, format_percent

# The two queues, beside the plain statuses: who must act next (budgets/signoff.py).
QUEUES = {"AWAITING_HEAD": awaiting_head_q, "AWAITING_DIRECTORATE": awaiting_directorate_q}
QUEUE_CHOICES = [
    ("AWAITING_HEAD", gettext_lazy("Menunggu verifikasi Kepala Dinas")),
    ("AWAITING_DIRECTORATE", gettext_lazy("Menunggu tinjauan direktorat")),
]


class MonthlyReportFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Provinsi"), field_name="satker__province", queryset=Province.objects.all()
    )
    year = django_filters.NumberFilter(label=gettext_lazy("Tahun"), field_name="fiscal_year__year")
    month = django_filters.ChoiceFilter(label=gettext_lazy("Bulan"), choices=MONTH_CHOICES)
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[*QUEUE_CHOICES, *MonthlyReport.Status.choices], method="filter_status"
    )

    class Meta:
        model = MonthlyReport
        fields = ["province", "year", "month", "status"]

    def filter_status(self, queryset: QuerySet[MonthlyReport], name: str, value: str) -> QuerySet[MonthlyReport]:
        queue = QUEUES.get(value)
        return queryset.filter(queue() if queue else Q(status=value))


class MonthlyReportTable(tables.Table):
    satker = tables.Column(verbose_name=gettext_lazy("Satker"), accessor="satker__code", order_by="satker__code",
                           linkify=("budgets:report-detail", {"pk": tables.A("pk")}))  # fmt: skip
    satker_name = tables.Column(verbose_name=gettext_lazy("Nama satker"), accessor="satker__name")
    province = tables.Column(verbose_name=gettext_lazy("Provinsi"), accessor="satker__province__name",
                             order_by="satker__province__bps_code")  # fmt: skip
    period = tables.Column(verbose_name=gettext_lazy("Periode"), accessor="month",
                           order_by=("fiscal_year__year", "month"), empty_values=())  # fmt: skip
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    due_date = tables.DateColumn(verbose_name=gettext_lazy("Batas waktu"), format="d-m-Y")
    submitted_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Diajukan"), format="d-m-Y H:i")
    submitted_on_time = tables.BooleanColumn(verbose_name=gettext_lazy("Tepat waktu"))
    open_flags = tables.Column(verbose_name=gettext_lazy("Tanda mutu terbuka"), attrs={"td": {"class": "num"}})
    # Set on the page's reports by MonthlyReportListView.get_table (budgets/evidence_rules.py).
    evidence_completeness = tables.Column(verbose_name=gettext_lazy("Kelengkapan bukti"), orderable=False,
                                          empty_values=(), attrs={"td": {"class": "num"}})  # fmt: skip

    class Meta:
        model = MonthlyReport
        fields = ["satker", "satker_name", "province", "period", "status", "due_date", "submitted_at",
                  "submitted_on_time", "open_flags", "evidence_completeness"]  # fmt: skip
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = gettext_lazy("Tidak ada laporan yang cocok dengan filter.")

    def render_period(self, record: MonthlyReport) -> str:
        return f"{record.get_month_display()} {record.fiscal_year.year}"

    def render_evidence_completeness(self, record: MonthlyReport) -> str:
        value = getattr(record, "evidence_completeness", None)
        return "-" if value is None else format_percent(value)


class MonthlyReportListView(DataAccessMixin, TableExportMixin, SingleTableMixin, FilterView):
    """The queues, until a filter is chosen: the directorate's (verified reports awaiting its
    review) and the head's (the province's submitted reports awaiting verification), oldest
    first; officers see their province's reports.
    ``?format=xlsx`` exports every report the filters select."""

    model = MonthlyReport
    table_class = MonthlyReportTable
    filterset_class = MonthlyReportFilter
    template_name = "budgets/report_list.html"
    paginate_by = 50
    export_name = gettext_lazy("Laporan bulanan")
    export_filename = "laporan-bulanan"
    export_exclude = ("evidence_completeness",)  # a page's figure, computed for the rows shown

    def get_queryset(self) -> QuerySet[MonthlyReport]:
        return scoped(
            with_open_flags_count(MonthlyReport.objects.select_related("satker__province", "fiscal_year")).order_by(
                "submitted_at", "fiscal_year__year", "month", "satker__code"
            ),
            self.request.user,
        )

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # The evidence completeness of the rows shown, in a fixed number of queries per page.
        with_evidence_completeness(row.record for row in table.page.object_list)
        return table

    def get_filterset_kwargs(self, filterset_class: type) -> dict:
        kwargs = super().get_filterset_kwargs(filterset_class)
        # The queue is the default until a filter is chosen: sorting, paging or exporting it
        # keeps the queue (its export link carries no filter).
        filters_given = any(name in self.request.GET for name in filterset_class.base_filters)
        if not filters_given:
            queue = self.queue_status()
            if queue:
                kwargs["data"] = {"status": queue}
        return kwargs

    def queue_status(self) -> str | None:
        user = self.request.user
        if permissions.reads_all_provinces(user):
            return "AWAITING_DIRECTORATE"
        if permissions.may_verify(user):
            return "AWAITING_HEAD"
        return None

    def get_filterset(self, filterset_class: type) -> MonthlyReportFilter:
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields["province"].queryset = scoped(Province.objects.all(), self.request.user)
        return filterset


def _report(request: HttpRequest, pk: int) -> MonthlyReport:
    return get_scoped_or_404(
        MonthlyReport.objects.select_related("satker__province", "fiscal_year"), request.user, pk=pk
    )


@data_access_required()
def report_detail(request: HttpRequest, pk: int, forms: dict | None = None) -> HttpResponse:
    report = _report(request, pk)
    user = request.user
    forms = forms or {}
    can_edit = scoped(MonthlyReport.objects.filter(pk=report.pk), user, for_edit=True).exists()
    Status = MonthlyReport.Status
    lines = realization_grid(satker=report.satker, fiscal_year=report.fiscal_year, month=report.month)
    transitions = list(report.transitions.select_related("by").order_by("at", "pk"))
    last_return = next((t for t in reversed(transitions) if t.to_status == Status.RETURNED), None)
    signs = awaits_head(report) and signs_for_province(user, report.satker.province_id)[0]
    reviews = permissions.may_review(user) and awaits_directorate(report)
    may_decide = signs or reviews or (permissions.may_reopen(user) and report.status == Status.APPROVED)
    # Asked only of whoever could decide now: the answer hides the decision forms and says why.
    duty_conflict = conflict_of_duty(user, report) if may_decide else None
    is_verifier, is_reviewer = signs and not duty_conflict, reviews and not duty_conflict
    if is_verifier or is_reviewer:
        report_review_start(report=report, by=user)
        flags_refresh(report=report)  # the data may have changed since the submission (other months, records)
    may_submit = can_edit and report.status in {Status.DRAFT, Status.RETURNED} and not report.fiscal_year.is_closed
    not_yet = submit_lock(fiscal_year=report.fiscal_year, month=report.month, today=timezone.localdate())
    ro_context = outputs_context(report, can_edit and not report.is_locked and not report.fiscal_year.is_closed, forms)
    changes = report_changes_since_previous_submission(report)
    # Comments on one line, RO row or record and the latest return's targets (budgets/_report_comments.html).
    comments = comments_context(report, user, lines, [item["ro"].output for item in ro_context["ro_rows"]], changes,
                                transitions)  # fmt: skip
    return render(request, "budgets/report_detail.html", {
        "report": report,
        "lines": lines,
        "total_this_month": sum(line.this_month for line in lines),
        "total_cumulative": sum(line.before + line.this_month for line in lines),
        "total_pagu_efektif": sum(line.pagu_efektif for line in lines),
        "transitions": transitions,
        "last_return": last_return if report.status == MonthlyReport.Status.RETURNED else None,
        "changes": changes,
        "audit": realization_audit(report),
        # Sections of the apps above budgets (the month's programme records), after the realization.
        "sections": report_sections(report, user),
        "can_submit": may_submit and not not_yet,
        "submit_lock": not_yet if may_submit else None,
        "can_withdraw": can_edit and report.status == Status.SUBMITTED and report.review_started_at is None
        and not report.fiscal_year.is_closed,
        "can_edit": can_edit and not report.is_locked and not report.fiscal_year.is_closed,
        "can_verify": is_verifier,
        "can_review": is_reviewer,
        "verify_form": forms.get("verify") or ApproveForm(),
        "can_reopen": permissions.may_reopen(user) and report.status == Status.APPROVED and not duty_conflict,
        "duty_conflict": duty_conflict,
        "approve_form": forms.get("approve") or ApproveForm(),
        "return_form": forms.get("return") or (ReturnForm(**_return_choices(report, comments["comment_record_rows"]))
                                               if is_verifier or is_reviewer else None),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        # The month's capaian RO, next to the money; editable exactly when the realization is.
        **ro_context,
        **comments,
    })  # fmt: skip


@data_access_required()
@require_POST
def report_outputs_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Capaian RO" section's POST: save the month's rows, add or take back an adjustment."""
    report = _report(request, pk)
    answer = outputs_post(request, report)
    return answer if isinstance(answer, HttpResponse) else report_detail(request, pk, forms=answer)


def _return_choices(report: MonthlyReport, records: list[RecordRow] | None = None) -> dict[str, Any]:
    """What a return may name to fix: the report's realization lines, RO rows and the month's
    programme records (``records``: when the caller has them already)."""
    lines = BudgetLine.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year).select_related(
        "component", "account"
    )
    return {
        "lines": list(lines.order_by("component__code", "account__code")),
        "outputs": list(dipa_outputs(satker=report.satker, fiscal_year=report.fiscal_year)),
        "records": report_record_rows(report) if records is None else records,
    }


def _transition_view(
    form_class: type | None,
    form_key: str,
    act: Callable,
    may_act: Callable,
    done: str,
    form_kwargs: Callable[[MonthlyReport], dict[str, Any]] | None = None,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only view that runs one transition service and returns to the report page.
    ``may_act`` is the service's own permission rule, checked before the form: a user who may
    not act gets 403 whatever they posted, not the form's errors; one whose role may act but who
    has a conflict of duty on this report is sent back to it with the reason."""

    @data_access_required()
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        report = _report(request, pk)
        form = None
        try:
            may_act(request.user, report)
            extra = form_kwargs(report) if form_kwargs else {}
            form = form_class(request.POST, **extra) if form_class else None
            if form is None or form.is_valid():
                act(report=report, by=request.user, **(form.cleaned_data if form else {}))
                messages.success(request, done)
                return redirect("budgets:report-detail", pk=report.pk)
        except DutyConflict as refusal:
            messages.error(request, str(refusal))
            return redirect("budgets:report-detail", pk=report.pk)
        except ValidationError as error:
            # A refusal about the report, not about a field (its status changed under the user,
            # e.g. a colleague approved it a moment earlier): the report page with the reason.
            # Re-rendering the form would hide it, as the form is gone once the status moved on.
            if form is None or not hasattr(error, "error_dict"):
                for message in error.messages:
                    messages.error(request, message)
                return redirect("budgets:report-detail", pk=report.pk)
            add_service_errors(form, error)
        messages.error(request, _("Langkah belum dilakukan: periksa isian formulir."))
        return report_detail(request, pk, forms={form_key: form})

    return view


report_submit_view = _transition_view(None, "submit", report_submit, ensure_may_submit,
                                      gettext_lazy("Laporan diajukan untuk diverifikasi Kepala Dinas."))  # fmt: skip
report_verify_view = _transition_view(ApproveForm, "verify", report_verify, ensure_may_verify,
                                      gettext_lazy("Laporan diverifikasi dan dikirim ke direktorat."))  # fmt: skip
report_approve_view = _transition_view(ApproveForm, "approve", report_approve, ensure_may_review,
                                       gettext_lazy("Laporan disetujui."))  # fmt: skip
report_return_view = _transition_view(ReturnForm, "return", report_return, ensure_may_return,
                                      gettext_lazy("Laporan dikembalikan ke satker dengan komentar Anda."),
                                      form_kwargs=_return_choices)  # fmt: skip
report_reopen_view = _transition_view(ReopenForm, "reopen", report_reopen, ensure_may_reopen,
                                      gettext_lazy("Laporan dibuka kembali dan dikembalikan ke satker."))  # fmt: skip
report_withdraw_view = _transition_view(None, "withdraw", report_withdraw, ensure_may_submit,
                                        gettext_lazy("Pengajuan ditarik; laporan kembali menjadi draf."))  # fmt: skip
