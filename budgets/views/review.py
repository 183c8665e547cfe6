"""Monthly reports: the list / review queue, one report's page, and its transitions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts import permissions
from accounts.access import DataAccessMixin, data_access_required
from accounts.delegation import signs_for_province
from accounts.scoping import get_scoped_or_404, scoped
from budgets.cockpit import (
    figures,
    month_ikpa_deviation,
    queue_order,
    rpd_against_realization,
    with_cockpit_figures,
)
from budgets.forms import ApproveForm, ReopenForm, ReturnForm
from budgets.models import BudgetLine, MonthlyReport, Province
from budgets.reconciliation import REASON_FIELD, Reconciliation, report_reconciliation
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
from budgets.services.common import report_label
from budgets.services.duties import DutyConflict, conflict_of_duty
from budgets.services.editability import submit_lock
from budgets.services.monthly_report import (
    ensure_may_reopen,
    ensure_may_return,
    ensure_may_review,
    ensure_may_submit,
    ensure_may_verify,
    report_batch_decide,
)
from budgets.services.quality import flags_refresh
from budgets.signoff import awaiting_directorate_q, awaiting_head_q, awaits_directorate, awaits_head
from budgets.views.comments import comments_context
from budgets.views.common import add_service_errors
from budgets.views.outputs import outputs_context, outputs_post
from core.exports.table_export import TableExportMixin
from core.filters import FilterSet
from core.formats import MONTH_CHOICES, format_percent, format_rupiah

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}

# The two queues, beside the plain statuses: who must act next (budgets/signoff.py).
QUEUES = {"AWAITING_HEAD": awaiting_head_q, "AWAITING_DIRECTORATE": awaiting_directorate_q}
QUEUE_CHOICES = [
    ("AWAITING_HEAD", gettext_lazy("Menunggu verifikasi Kepala Dinas")),
    ("AWAITING_DIRECTORATE", gettext_lazy("Menunggu tinjauan direktorat")),
]


class MonthlyReportFilter(FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Provinsi"),
        field_name="satker__province",
        queryset=Province.objects.all(),
        empty_label=gettext_lazy("Semua provinsi"),
    )
    year = django_filters.NumberFilter(label=gettext_lazy("Tahun"), field_name="fiscal_year__year")
    month = django_filters.ChoiceFilter(
        label=gettext_lazy("Bulan"), choices=MONTH_CHOICES, empty_label=gettext_lazy("Semua bulan")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*QUEUE_CHOICES, *MonthlyReport.Status.choices],
        method="filter_status",
        empty_label=gettext_lazy("Semua status"),
    )

    clean = django_filters.BooleanFilter(label=gettext_lazy("Hanya yang bersih"), method="filter_clean",
                                         widget=forms.CheckboxInput)  # fmt: skip

    class Meta:
        model = MonthlyReport
        fields = ["province", "year", "month", "status", "clean"]

    def filter_clean(self, queryset: QuerySet[MonthlyReport], name: str, value: bool) -> QuerySet[MonthlyReport]:
        # ``is_clean`` is annotated by budgets/cockpit.py (the list view's queryset).
        return queryset.filter(is_clean=True) if value else queryset

    def filter_status(self, queryset: QuerySet[MonthlyReport], name: str, value: str) -> QuerySet[MonthlyReport]:
        queue = QUEUES.get(value)
        return queryset.filter(queue() if queue else Q(status=value))


def _percent_cell(value: Decimal | None) -> str:
    return "-" if value is None else format_percent(value)


class MonthlyReportTable(tables.Table):
    """One row per report with the reviewer's cockpit figures (budgets/cockpit.py): every column
    sorts on an annotation, in the database."""

    pick = tables.Column(verbose_name=gettext_lazy("Pilih"), accessor="pk", orderable=False, empty_values=(),
                         exclude_from_export=True)  # fmt: skip
    satker = tables.Column(verbose_name=gettext_lazy("Satker"), accessor="satker__code", order_by="satker__code")
    satker_name = tables.Column(verbose_name=gettext_lazy("Nama satker"), accessor="satker__name",
                                attrs={"td": {"class": "cockpit-name"}})  # fmt: skip
    province = tables.Column(verbose_name=gettext_lazy("Provinsi"), accessor="satker__province__name",
                             order_by="satker__province__bps_code")  # fmt: skip
    period = tables.Column(verbose_name=gettext_lazy("Periode"), accessor="month",
                           order_by=("fiscal_year__year", "month"), empty_values=())  # fmt: skip
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    due_date = tables.DateColumn(verbose_name=gettext_lazy("Batas waktu"), format="d-m-Y")
    submitted_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Diajukan"), format="d-m-Y H:i")
    submitted_on_time = tables.BooleanColumn(verbose_name=gettext_lazy("Tepat waktu"))
    realized_total = tables.Column(verbose_name=gettext_lazy("Realisasi bulan ini"), attrs=NUM)
    cumulative = tables.Column(verbose_name=gettext_lazy("Realisasi s.d. bulan ini"), attrs=NUM)
    absorption = tables.Column(verbose_name=gettext_lazy("% pagu efektif"), accessor="absorption_order",
                               order_by="absorption_order", empty_values=(), attrs=NUM)  # fmt: skip
    deviation = tables.Column(verbose_name=gettext_lazy("Deviasi RPD (%)"), accessor="deviation_order",
                              order_by="deviation_order", empty_values=(), attrs=NUM)  # fmt: skip
    change = tables.Column(verbose_name=gettext_lazy("Perubahan dari bulan lalu"), attrs=NUM)
    ro_progress = tables.Column(verbose_name=gettext_lazy("Capaian RO (%)"), accessor="ro_order",
                                order_by="ro_order", empty_values=(), attrs=NUM)  # fmt: skip
    evidence_completeness = tables.Column(verbose_name=gettext_lazy("Kelengkapan bukti"), accessor="evidence_order",
                                          order_by="evidence_order", empty_values=(), attrs=NUM)  # fmt: skip
    open_flags = tables.Column(verbose_name=gettext_lazy("Tanda mutu terbuka"), attrs=NUM)
    open_threads = tables.Column(verbose_name=gettext_lazy("Komentar terbuka"), attrs=NUM)
    is_clean = tables.Column(verbose_name=gettext_lazy("Bersih"), empty_values=())

    class Meta:
        model = MonthlyReport
        fields = ["pick", "satker", "satker_name", "province", "period", "status", "due_date", "submitted_at",
                  "submitted_on_time", "realized_total", "cumulative", "absorption", "deviation", "change",
                  "ro_progress", "evidence_completeness", "open_flags", "open_threads", "is_clean"]  # fmt: skip
        attrs = {"class": "table table-sm table-striped align-middle cockpit"}
        empty_text = gettext_lazy("Tidak ada laporan yang cocok dengan filter.")

    def __init__(self, *args, queue_url: str = "", decides: Callable[[MonthlyReport], bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queue_url = queue_url  # the list as the user sees it: the review page's "next" goes back to it
        self.decides = decides or (lambda report: False)

    def _detail_url(self, record: MonthlyReport, anchor: str = "") -> str:
        url = reverse("budgets:report-detail", args=[record.pk])
        if self.queue_url:
            url += "?" + urlencode({"next": self.queue_url})
        return url + anchor

    def render_pick(self, record: MonthlyReport) -> str:
        # Only a clean report the user decides on now may be picked for a batch decision.
        if not (record.is_clean and self.decides(record)):
            return ""
        return format_html('<input type="checkbox" class="form-check-input" name="reports" value="{}" '
                           'form="batch-form" aria-label="{}">', record.pk,
                           _("Pilih %(report)s") % {"report": report_label(record)})  # fmt: skip

    def render_satker(self, record: MonthlyReport, value: str) -> str:
        return format_html('<a href="{}">{}</a>', self._detail_url(record), value)

    def render_period(self, record: MonthlyReport) -> str:
        return f"{record.get_month_display()} {record.fiscal_year.year}"

    def render_realized_total(self, value: int) -> str:
        return format_rupiah(value)

    def render_cumulative(self, value: int) -> str:
        return format_rupiah(value)

    def render_absorption(self, record: MonthlyReport) -> str:
        return _percent_cell(figures(record).absorption)

    def render_deviation(self, record: MonthlyReport) -> str:
        return _percent_cell(figures(record).deviation)

    def render_change(self, record: MonthlyReport, value: int) -> str:
        share = figures(record).change_percent
        sign = "+" if value > 0 else "-" if value < 0 else ""
        amount = f"{sign}{format_rupiah(abs(value))}"
        return amount if share is None else f"{amount} ({sign}{format_percent(abs(share))})"

    def render_ro_progress(self, record: MonthlyReport) -> str:
        return _percent_cell(figures(record).ro_progress)

    def render_evidence_completeness(self, record: MonthlyReport) -> str:
        return _percent_cell(figures(record).evidence)

    def render_open_threads(self, record: MonthlyReport, value: int) -> str:
        return format_html('<a href="{}">{}</a>', self._detail_url(record, "#komentar"), value)

    def render_is_clean(self, record: MonthlyReport) -> str:
        if record.is_clean:
            return format_html('<span class="badge text-bg-success">{}</span>', _("Bersih"))
        return ""

    def value_is_clean(self, record: MonthlyReport) -> str:
        return _("Ya") if record.is_clean else _("Tidak")

    # The export's raw values: money as numbers, percentages as numbers (None: no figure).
    def value_change(self, value: int) -> int:
        return value

    def value_absorption(self, record: MonthlyReport) -> Decimal | None:
        return figures(record).absorption

    def value_deviation(self, record: MonthlyReport) -> Decimal | None:
        return figures(record).deviation

    def value_ro_progress(self, record: MonthlyReport) -> Decimal | None:
        return figures(record).ro_progress

    def value_evidence_completeness(self, record: MonthlyReport) -> Decimal | None:
        return figures(record).evidence

    def value_open_threads(self, value: int) -> int:
        return value

    def value_realized_total(self, value: int) -> int:
        return value

    def value_cumulative(self, value: int) -> int:
        return value


def queue_queryset(user) -> QuerySet[MonthlyReport]:
    """The reports the user may read, with the cockpit's figures, in the queue's default order."""
    reports = with_cockpit_figures(MonthlyReport.objects.select_related("satker__province", "fiscal_year"))
    return scoped(queue_order(reports, timezone.localdate()), user)


def may_batch(user) -> bool:
    """Who decides reports at all (the head, the directorate's reviewers and admins)."""
    return permissions.may_review(user) or permissions.may_verify(user)


def decides_now(user) -> Callable[[MonthlyReport], bool]:
    """Whether the user decides on a report's current step by role and scope: the head on his
    province's submitted reports, the directorate on the verified ones. A conflict of duty is the
    service's to find, report by report (a batch says which were refused and why)."""
    reviews = permissions.may_review(user)
    provinces: dict[int, bool] = {}

    def decides(report: MonthlyReport) -> bool:
        if awaits_directorate(report):
            return reviews
        if awaits_head(report):
            if report.satker.province_id not in provinces:
                provinces[report.satker.province_id] = signs_for_province(user, report.satker.province_id)[0]
            return provinces[report.satker.province_id]
        return False

    return decides


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
    export_exclude = ("pick",)
    export_kinds = {"realized_total": "money", "cumulative": "money", "change": "money", "absorption": "percent",
                    "deviation": "percent", "ro_progress": "percent", "evidence_completeness": "percent",
                    "open_flags": "int", "open_threads": "int"}  # fmt: skip

    def get_queryset(self) -> QuerySet[MonthlyReport]:
        return queue_queryset(self.request.user)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = {"queue_url": self.request.get_full_path(), "decides": decides_now(self.request.user)}
        if not may_batch(self.request.user):
            kwargs["exclude"] = ("pick",)  # officers and readers decide nothing
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["queue_url"] = self.request.get_full_path()
        context["can_batch"] = may_batch(self.request.user)
        return context

    def get_filterset_kwargs(self, filterset_class: type) -> dict:
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = filter_data(self.request.user, self.request.GET)
        return kwargs

    def get_filterset(self, filterset_class: type) -> MonthlyReportFilter:
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields["province"].queryset = scoped(Province.objects.all(), self.request.user)
        return filterset


def queue_status(user) -> str | None:
    if permissions.reads_all_provinces(user):
        return "AWAITING_DIRECTORATE"
    if permissions.may_verify(user):
        return "AWAITING_HEAD"
    return None


def filter_data(user, data: QueryDict) -> QueryDict | dict:
    """The queue is the default until a filter is chosen: sorting, paging or exporting it keeps
    the queue (its export link carries no filter)."""
    if not any(name in data for name in MonthlyReportFilter.base_filters):
        queue = queue_status(user)
        if queue:
            return {"status": queue}
    return data


def queue_ids(user, queue_url: str) -> list[int]:
    """The reports of the list at ``queue_url`` (its filters and its sort), in its order."""
    data = QueryDict(urlsplit(queue_url).query)
    filterset = MonthlyReportFilter(filter_data(user, data), queryset=queue_queryset(user))
    reports = filterset.qs if filterset.is_valid() else queue_queryset(user).none()
    table = MonthlyReportTable(reports)
    sort = data.get("sort")
    if sort:
        table.order_by = sort  # django-tables2 ignores a column that does not sort
    return [row.record.pk for row in table.rows]


def local_queue_url(request: HttpRequest, url: str | None) -> str | None:
    """``url`` when it is this site's report list (a ``next`` from the page's form); None for
    anything else, another site above all."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):  # fmt: skip
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.path != reverse("budgets:report-list"):
        return None
    return url


def _next_in_queue(request: HttpRequest, report: MonthlyReport, queue_url: str | None,
                   before: list[int]) -> HttpResponse:  # fmt: skip
    """After a decision: the report after ``report`` in the queue as it stood (``before``) that is
    still in it, else the first one left; the queue with a message when none is left."""
    queue_url = queue_url or reverse("budgets:report-list")
    now = set(queue_ids(request.user, queue_url)) - {report.pk}
    position = before.index(report.pk) if report.pk in before else -1
    candidates = [pk for pk in before[position + 1 :] + before[: max(position, 0)] if pk in now]
    candidates += sorted(now - set(candidates))  # arrived meanwhile
    if not candidates:
        messages.info(request, _("Tidak ada laporan lain di antrean ini."))
        return redirect(queue_url)
    return redirect(reverse("budgets:report-detail", args=[candidates[0]]) + "?" + urlencode({"next": queue_url}))


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
    reconciliation = report_reconciliation(report)
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
        "verify_form": forms.get("verify") or _decision_form(reconciliation),
        "can_reopen": permissions.may_reopen(user) and report.status == Status.APPROVED and not duty_conflict,
        "duty_conflict": duty_conflict,
        "approve_form": forms.get("approve") or _decision_form(reconciliation),
        "return_form": forms.get("return") or (ReturnForm(**_return_choices(report, comments["comment_record_rows"]))
                                               if is_verifier or is_reviewer else None),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        # The queue the reviewer came from: "... dan buka berikutnya" goes on to its next report.
        "queue_url": local_queue_url(request, request.GET.get("next")) or reverse("budgets:report-list"),
        "rpd_rows": (rpd_rows := rpd_against_realization(report, lines)),
        "rpd_ikpa": month_ikpa_deviation(report, rpd_rows, lines),
        # The month against the treasury's figure (budgets/reconciliation.py): a difference needs a reason to decide.
        "reconciliation": reconciliation,
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


def _decision_form(reconciliation: Reconciliation) -> ApproveForm:
    """The verification's or approval's form; its reason field only while the month differs from the
    treasury's figure (budgets/reconciliation.py)."""
    form = ApproveForm()
    if not reconciliation.differing:
        del form.fields[REASON_FIELD]
    return form


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
    with_next: bool = False,
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
        # "... dan buka berikutnya": the same step, then the next report of the queue the user
        # came from (``next``: this site's report list only, else the default queue).
        and_next = with_next and "and_next" in request.POST
        queue_url = local_queue_url(request, request.POST.get("next"))
        try:
            may_act(request.user, report)
            extra = form_kwargs(report) if form_kwargs else {}
            form = form_class(request.POST, **extra) if form_class else None
            if form is None or form.is_valid():
                before = queue_ids(request.user, queue_url or reverse("budgets:report-list")) if and_next else []
                act(report=report, by=request.user, **(form.cleaned_data if form else {}))
                messages.success(request, done)
                if and_next:
                    return _next_in_queue(request, report, queue_url, before)
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
                                      gettext_lazy("Laporan diverifikasi dan dikirim ke direktorat."),
                                      with_next=True)  # fmt: skip
report_approve_view = _transition_view(ApproveForm, "approve", report_approve, ensure_may_review,
                                       gettext_lazy("Laporan disetujui."), with_next=True)  # fmt: skip
report_return_view = _transition_view(ReturnForm, "return", report_return, ensure_may_return,
                                      gettext_lazy("Laporan dikembalikan ke satker dengan komentar Anda."),
                                      form_kwargs=_return_choices)  # fmt: skip
report_reopen_view = _transition_view(ReopenForm, "reopen", report_reopen, ensure_may_reopen,
                                      gettext_lazy("Laporan dibuka kembali dan dikembalikan ke satker."))  # fmt: skip
report_withdraw_view = _transition_view(None, "withdraw", report_withdraw, ensure_may_submit,
                                        gettext_lazy("Pengajuan ditarik; laporan kembali menjadi draf."))  # fmt: skip


@data_access_required()
@require_POST
def report_batch_view(request: HttpRequest) -> HttpResponse:
    """The queue's batch decision on clean reports: the picked reports are listed for confirmation
    first (no script needed); once confirmed, each goes through its own service call
    (``report_batch_decide``). Ids outside the user's scope are not looked up: they are counted
    as not found, like a report that no longer exists."""
    if not may_batch(request.user):
        raise PermissionDenied(_("Hanya Kepala Dinas dan reviewer direktorat yang memutuskan laporan."))
    queue_url = local_queue_url(request, request.POST.get("next")) or reverse("budgets:report-list")
    wanted = sorted({int(value) for value in request.POST.getlist("reports") if value.isdigit()})
    reports = list(
        queue_queryset(request.user).filter(pk__in=wanted).order_by("fiscal_year__year", "month", "satker__code")
    )
    missing = len(wanted) - len(reports)
    if not reports:
        messages.error(request, _("Pilih dahulu laporan bersih yang akan diputuskan."))
        return redirect(queue_url)
    if request.POST.get("confirm") != "1":
        decides = decides_now(request.user)
        return render(request, "budgets/report_batch_confirm.html", {
            "reports": [(report, figures(report), report.is_clean and decides(report)) for report in reports],
            "missing": missing, "queue_url": queue_url,
        })  # fmt: skip
    outcome = report_batch_decide(reports=reports, by=request.user)
    if outcome.done:
        decided = "; ".join(report_label(report) for report in outcome.done)
        messages.success(request, ngettext("%(count)d laporan diputuskan: %(reports)s.",
                                           "%(count)d laporan diputuskan: %(reports)s.", len(outcome.done))
                         % {"count": len(outcome.done), "reports": decided})  # fmt: skip
    for label, reason in outcome.refused:
        messages.error(request, _("%(report)s tidak diputuskan: %(reason)s") % {"report": label, "reason": reason})
    if missing:
        messages.error(request, ngettext("%(count)d laporan tidak ditemukan atau di luar wilayah Anda.",
                                         "%(count)d laporan tidak ditemukan atau di luar wilayah Anda.", missing)
                       % {"count": missing})  # fmt: skip
    return redirect(queue_url)
