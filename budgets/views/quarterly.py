"""The quarterly (and year-end) report's page, its POST actions, and the obstacle board.

The page is ``/satkers/<code>/<year>/quarterly/<q>/`` with ``q`` = 1-4 for TW I-IV and
``year-end`` for the year-end report. Each action posts to ``.../<q>/<action>/`` and runs one
service; every refusal comes back on the page as a message (or the form's errors)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
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
from accounts.scoping import scoped
from budgets import quarterly_rules
from budgets.models import FiscalYear, Obstacle, Province, QuarterlyReport, Satker
from budgets.quarterly_forms import (
    NarrativeForm,
    ObstacleCloseForm,
    ObstacleForm,
    QuarterlyReturnForm,
    StepForm,
)
from budgets.reports.obstacles import obstacle_summary
from budgets.reports.quarterly import quarterly_report_of, report_figures, report_obstacles, satker_quarter_figures
from budgets.services import quarterly as service
from budgets.views.common import add_service_errors, satker_year_or_404
from core.filters import FilterSet
from core.formats import format_number, month_name

Status = QuarterlyReport.Status
ACTIONS = ("prepare", "narrative", "obstacle-add", "obstacle-update", "obstacle-close", "submit", "verify", "approve",
           "return")  # fmt: skip


class PeriodConverter:
    """``1``-``4`` (TW I-IV) or ``year-end``."""

    regex = "[1-4]|year-end"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class ActionConverter:
    regex = "|".join(ACTIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


@data_access_required()
def quarterly_detail(request: HttpRequest, code: str, year: int, q: str, forms: dict | None = None) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    period, year_end = quarterly_rules.period_of(q)
    report = quarterly_report_of(satker, fiscal_year, q)
    user, forms, today = request.user, forms or {}, timezone.localdate()
    # A verified report shows the figures its head signed; otherwise they are read now.
    figures = (
        report_figures(report, today=today)
        if report
        else satker_quarter_figures(
            satker=satker, fiscal_year=fiscal_year, period=period, year_end=year_end, today=today
        )
    )
    editable = bool(can_edit and report and report.status in service.EDITABLE and not fiscal_year.is_closed)
    may_decide = report is not None and (
        (report.status == Status.SUBMITTED and signs_for_province(user, satker.province_id, today)[0])
        or (report.status == Status.VERIFIED and permissions.may_review(user))
    )
    duty_conflict = service.quarterly_conflict(user, report) if may_decide else None
    version = {"version": report.version} if report else {}
    obstacles = report_obstacles(report) if report else []
    failed_edit = forms.get("obstacle-update")
    for obstacle in obstacles:
        # Each open obstacle's edit form, its fields named apart (ids) from the others'.
        if failed_edit is not None and str(failed_edit.data.get("obstacle")) == str(obstacle.pk):
            obstacle.edit_form = failed_edit
        else:
            obstacle.edit_form = ObstacleForm(
                initial={**version, "obstacle": obstacle.pk, **{name: getattr(obstacle, name)
                                                                for name in service.OBSTACLE_FIELDS}},
                auto_id=f"id_obstacle{obstacle.pk}_%s",
            )  # fmt: skip
    return render(request, "budgets/quarterly_detail.html", {
        "satker": satker, "fiscal_year": fiscal_year, "report": report, "q": q, "year_end": year_end,
        "period_label": report.period_label if report else _period_label(period, year_end),
        "figures": figures,
        "months": [(month, month_name(month), figures.month_status.get(month)) for month in figures.months],
        "obstacle_reasons": figures.obstacle_reasons(),
        "submit_problems": service.submit_problems(report, today=today, figures=figures) if editable else [],
        "obstacles": obstacles,
        "transitions": report.transitions.select_related("by").order_by("at", "pk") if report else [],
        "history": report.history.select_related("history_user").order_by("-history_date")[:20] if report else [],
        "can_prepare": can_edit and report is None and not fiscal_year.is_closed and not satker.is_central
        and service.quarter_has_started(fiscal_year, period, year_end=year_end, today=today),
        "editable": editable,
        "can_verify": may_decide and report.status == Status.SUBMITTED and not duty_conflict,
        "can_approve": may_decide and report.status == Status.VERIFIED and not duty_conflict,
        "duty_conflict": duty_conflict,
        "narrative_form": forms.get("narrative") or NarrativeForm(initial={**version,
                                                                           "narrative": report and report.narrative}),
        "obstacle_form": forms.get("obstacle-add") or ObstacleForm(initial=version),
        "close_form": forms.get("obstacle-close"),
        "step_form": forms.get("step") or StepForm(initial=version),
        "return_form": forms.get("return") or QuarterlyReturnForm(initial=version),
        "version": report.version if report else 0,
        "categories": Obstacle.Category.choices,
    })  # fmt: skip


def quarterly_links(satker: Satker, fiscal_year: FiscalYear) -> list[dict]:
    """The year's four quarterly reports and the year-end report, for the satker's year page
    (one query): q (the URL's period), label, and the report when it exists."""
    reports = {report.url_period: report
               for report in QuarterlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year)}  # fmt: skip
    links = []
    for q in ("1", "2", "3", "4", quarterly_rules.YEAR_END):
        period, year_end = quarterly_rules.period_of(q)
        links.append({"q": q, "label": _period_label(period, year_end), "report": reports.get(q)})
    return links


def _period_label(period: int, year_end: bool) -> str:
    return _("Akhir tahun") if year_end else _("TW %(roman)s") % {"roman": ("I", "II", "III", "IV")[period - 1]}


FORMS = {
    "narrative": NarrativeForm, "obstacle-add": ObstacleForm, "obstacle-update": ObstacleForm,
    "obstacle-close": ObstacleCloseForm, "submit": StepForm, "verify": StepForm, "approve": StepForm,
    "return": QuarterlyReturnForm,
}  # fmt: skip
DONE = {
    "prepare": gettext_lazy("Laporan triwulan disiapkan."),
    "narrative": gettext_lazy("Uraian disimpan."),
    "obstacle-add": gettext_lazy("Kendala ditambahkan."),
    "obstacle-update": gettext_lazy("Kendala diperbarui."),
    "obstacle-close": gettext_lazy("Kendala ditutup."),
    "submit": gettext_lazy("Laporan diajukan ke Kepala Dinas untuk diverifikasi."),
    "verify": gettext_lazy("Laporan diverifikasi dan dikirim ke direktorat."),
    "approve": gettext_lazy("Laporan disetujui."),
    "return": gettext_lazy("Laporan dikembalikan ke petugas dengan komentar Anda."),
}


def _obstacle(report: QuarterlyReport, pk: int | None) -> Obstacle:
    obstacle = report.obstacles.filter(pk=pk).first() if pk else None
    if obstacle is None:
        raise Http404
    return obstacle


def _act(action: str, report: QuarterlyReport | None, request: HttpRequest, data: dict, satker, fiscal_year, q):
    user, version = request.user, data.get("version")
    if action == "prepare":
        period, year_end = quarterly_rules.period_of(q)
        return service.quarterly_prepare(satker=satker, fiscal_year=fiscal_year, period=period, year_end=year_end,
                                         by=user)  # fmt: skip
    if report is None:
        raise Http404
    fields = {name: data[name] for name in service.OBSTACLE_FIELDS if name in data}
    match action:
        case "narrative":
            return service.quarterly_narrative_set(report=report, by=user, narrative=data["narrative"],
                                                   expected_version=version)  # fmt: skip
        case "obstacle-add":
            return service.obstacle_add(report=report, by=user, expected_version=version, **fields)
        case "obstacle-update":
            return service.obstacle_update(report=report, obstacle=_obstacle(report, data.get("obstacle")), by=user,
                                           expected_version=version, **fields)  # fmt: skip
        case "obstacle-close":
            return service.obstacle_close(report=report, obstacle=_obstacle(report, data.get("obstacle")), by=user,
                                          outcome=data["outcome"], resolved=data["resolved"],
                                          expected_version=version)  # fmt: skip
        case "submit":
            return service.quarterly_submit(report=report, by=user, expected_version=version)
        case "verify":
            return service.quarterly_verify(report=report, by=user, note=data.get("note", ""), expected_version=version)
        case "approve":
            return service.quarterly_approve(report=report, by=user, note=data.get("note", ""),
                                             expected_version=version)  # fmt: skip
        case "return":
            return service.quarterly_return(report=report, by=user, comment=data["comment"], expected_version=version)
    raise Http404


@data_access_required()
@require_POST
def quarterly_action(request: HttpRequest, code: str, year: int, q: str, action: str) -> HttpResponse:
    """One step or edit of the report. A user whose role may not act gets 403 (the service's
    PermissionDenied); a conflict of duty or a refusal about the report comes back as a message
    on the page; a form's field errors re-render the page with the form."""
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    report = quarterly_report_of(satker, fiscal_year, q)
    form_class = FORMS.get(action)
    form = form_class(request.POST) if form_class else None
    here = redirect("budgets:quarterly-detail", code=satker.code, year=fiscal_year.year, q=q)
    try:
        if form is None or form.is_valid():
            _act(action, report, request, form.cleaned_data if form else {}, satker, fiscal_year, q)
            messages.success(request, DONE[action])
            return here
    except service.QuarterlyDutyConflict as refusal:
        messages.error(request, str(refusal))
        return here
    except PermissionDenied:
        raise
    except ValidationError as error:
        if form is None or not hasattr(error, "error_dict"):
            for message in error.messages:
                messages.error(request, message)
            return here
        add_service_errors(form, error)
    key = "step" if action in {"submit", "verify", "approve"} else action
    messages.error(request, _("Belum disimpan: periksa isian formulir."))
    return quarterly_detail(request, code, year, q, forms={key: form})


# --- The obstacle board -----------------------------------------------------------------------


class ObstacleFilter(FilterSet):
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("Kategori"), choices=Obstacle.Category.choices, empty_label=gettext_lazy("Semua kategori")
    )
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Provinsi"),
        field_name="satker__province",
        queryset=Province.objects.all(),
        empty_label=gettext_lazy("Semua provinsi"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Obstacle.State.choices, empty_label=gettext_lazy("Semua status")
    )
    year = django_filters.NumberFilter(label=gettext_lazy("Tahun"), method="filter_year")

    class Meta:
        model = Obstacle
        fields = ["category", "province", "status", "year"]

    def filter_year(self, queryset: QuerySet[Obstacle], name: str, value: int) -> QuerySet[Obstacle]:
        """Obstacles reported in a report of that year (opened then, or carried into it)."""
        return queryset.filter(reported_in__fiscal_year__year=value).distinct()


class ObstacleTable(tables.Table):
    satker = tables.Column(verbose_name=gettext_lazy("Satker"), accessor="satker__code", order_by="satker__code")
    province = tables.Column(verbose_name=gettext_lazy("Provinsi"), accessor="satker__province__name",
                             order_by="satker__province__bps_code")  # fmt: skip
    category = tables.Column(verbose_name=gettext_lazy("Kategori"))
    description = tables.Column(verbose_name=gettext_lazy("Uraian"))
    amount_at_risk = tables.Column(verbose_name=gettext_lazy("Anggaran terdampak (Rp)"), attrs={"td": {"class": "num"}})
    follow_up = tables.Column(verbose_name=gettext_lazy("Tindak lanjut"))
    opened_in = tables.Column(verbose_name=gettext_lazy("Pertama dilaporkan"), order_by=("opened_in__fiscal_year__year",
                              "opened_in__period"))  # fmt: skip
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    outcome = tables.Column(verbose_name=gettext_lazy("Hasil"))

    class Meta:
        model = Obstacle
        fields = ["satker", "province", "category", "description", "amount_at_risk", "follow_up", "opened_in",
                  "status", "outcome"]  # fmt: skip
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = gettext_lazy("Tidak ada kendala yang cocok dengan filter.")

    def render_opened_in(self, record: Obstacle) -> str:
        return f"{record.opened_in.period_label} {record.opened_in.fiscal_year.year}"

    def render_amount_at_risk(self, value: int) -> str:
        return format_number(value)

    def render_outcome(self, record: Obstacle) -> str:
        if record.resolved is None:
            return record.outcome or ""
        verdict = _("berhasil") if record.resolved else _("tidak berhasil")
        return f"{record.outcome} ({verdict})"


class ObstacleBoardView(DataAccessMixin, SingleTableMixin, FilterView):
    """Every obstacle the user may see (an officer: their province's), with the board's figures
    over the filtered rows."""

    model = Obstacle
    table_class = ObstacleTable
    filterset_class = ObstacleFilter
    template_name = "budgets/obstacle_board.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Obstacle]:
        return scoped(
            Obstacle.objects.select_related("satker__province", "opened_in__fiscal_year").order_by("-pk"),
            self.request.user,
        )

    def get_filterset(self, filterset_class: type) -> ObstacleFilter:
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields["province"].queryset = scoped(Province.objects.all(), self.request.user)
        return filterset

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["summary"] = obstacle_summary(self.object_list)
        return context
