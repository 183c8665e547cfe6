"""Officers' programme records: a month's WUB, extreme-poverty activities and facilitations (next
to the month's realization) and the output targets (OVOP: programs.records.ovop_views).

Every page loads its satker through the scoping helper (another province's satker is a 404);
writes need the edit scope (reviewers and viewers get 403) and go through one service each.
``?format=xlsx`` gives each page's rows as a workbook, read through the same scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404, scoped
from budgets.models import FiscalYear, MonthlyReport, Satker
from budgets.reports.specs import Column
from budgets.services.editability import month_editability, record_lock, records_lock, returned_targets
from budgets.views.common import add_service_errors, month_or_404, satker_year_or_404
from core.exports.table_export import (
    Sheet,
    export_filename,
    export_heading,
    requested_format,
    unknown_format,
    xlsx_response,
)
from core.formats import MONTH_NAMES
from programs.models import (
    Facilitation,
    NewEntrepreneur,
    OutputIndicator,
    OutputTarget,
    PovertyActivity,
)
from programs.records import services
from programs.records.forms import (
    FacilitationForm,
    NewEntrepreneurForm,
    OutputTargetsForm,
    PovertyActivityForm,
)
from programs.records.section import month_records


@dataclass(frozen=True)
class RecordKind:
    """One kind of monthly record: its model, form, services and words."""

    key: str  # URL part, form prefix and attribute of MonthRecords
    attr: str
    model: type[Model]
    form_class: type[forms.Form]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    title: Promise
    saved: Promise
    deleted: Promise


KINDS = {
    kind.key: kind
    for kind in [
        RecordKind("wub", "wub", NewEntrepreneur, NewEntrepreneurForm, services.new_entrepreneur_create,
                   services.new_entrepreneur_update, services.new_entrepreneur_delete,
                   gettext_lazy("Wirausaha baru (WUB)"), gettext_lazy("Data WUB disimpan."),
                   gettext_lazy("Data WUB dihapus.")),
        RecordKind("poverty", "poverty", PovertyActivity, PovertyActivityForm, services.poverty_activity_create,
                   services.poverty_activity_update, services.poverty_activity_delete,
                   gettext_lazy("Penanganan kemiskinan ekstrem"),
                   gettext_lazy("Kegiatan penanganan kemiskinan ekstrem disimpan."),
                   gettext_lazy("Kegiatan penanganan kemiskinan ekstrem dihapus.")),
        RecordKind("facilitation", "facilitations", Facilitation, FacilitationForm, services.facilitation_create,
                   services.facilitation_update, services.facilitation_delete, gettext_lazy("Fasilitasi IKM"),
                   gettext_lazy("Data fasilitasi disimpan."), gettext_lazy("Data fasilitasi dihapus.")),
    ]
}  # fmt: skip


def _kind_or_404(kind: str) -> RecordKind:
    try:
        return KINDS[kind]
    except KeyError as missing:
        raise Http404 from missing


def put_errors(request: HttpRequest, form: forms.Form, error: ValidationError) -> None:
    """Field errors of a service onto the form; errors about the whole month (locked report,
    closed year...) as page messages, since a read-only page shows no form."""
    if hasattr(error, "error_dict"):
        general = error.message_dict.get("__all__", [])
        add_service_errors(form, ValidationError({k: v for k, v in error.message_dict.items() if k != "__all__"}))
    else:
        general = error.messages
    for message in general:
        messages.error(request, message)


def read_only_reason(fiscal_year: FiscalYear, month: int, report: MonthlyReport | None, can_edit: bool) -> str | None:
    """Why the month's programme records cannot be changed here, or None."""
    if not can_edit:
        return _("Anda hanya dapat membaca catatan program satker ini.")
    return month_editability(fiscal_year=fiscal_year, month=month, report=report, today=timezone.localdate())


def _records_url(satker: Satker, fiscal_year: FiscalYear, month: int, anchor: str = "") -> str:
    url = reverse("programs:records", args=[satker.code, fiscal_year.year, month])
    return f"{url}#{anchor}" if anchor else url


def _records_page(
    request: HttpRequest,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    can_edit: bool,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    report = MonthlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, month=month).first()
    reason = read_only_reason(fiscal_year, month, report, can_edit)
    records = month_records(satker=satker, fiscal_year=fiscal_year, month=month)
    # A return that named lines, RO rows or records opens only the records it named: the others
    # show why (``return_lock``), and no record is added (editability.record_lock).
    targets = returned_targets(report) if reason is None else None
    add_lock = record_lock(targets) if targets else None
    bound = bound or {}
    sections = []
    for kind in KINDS.values():
        form = None
        if targets:
            for row in getattr(records, kind.attr):
                row.return_lock = record_lock(targets, row)
                row.return_open = row.return_lock is None
        if reason is None and add_lock is None:
            form = bound.get(kind.key) or kind.form_class(
                province=satker.province, year=fiscal_year.year, prefix=kind.key
            )
        sections.append({"kind": kind, "rows": getattr(records, kind.attr), "form": form})
    return render(request, "programs/records/month.html", {
        "satker": satker, "fiscal_year": fiscal_year, "month": month, "month_name": MONTH_NAMES[month],
        "report": report, "records": records, "sections": sections, "editable": reason is None,
        "read_only_reason": reason, "can_edit": can_edit, "add_lock": add_lock,
        "export_url": _records_url(satker, fiscal_year, month) + "?format=xlsx",
        "previous_month": month - 1 if month > 1 else None, "next_month": month + 1 if month < 12 else None,
    })  # fmt: skip


@data_access_required()
def month_records_view(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format()
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    if fmt == "xlsx":
        return _records_xlsx(satker, fiscal_year, month)
    return _records_page(request, satker, fiscal_year, month, can_edit)


# The export's columns of each kind of monthly record, and a record's values in that order.
RECORD_COLUMNS: dict[str, tuple[Column, ...]] = {
    "wub": (
        Column("name", gettext_lazy("Nama")),
        Column("regency_code", gettext_lazy("Kode kabupaten/kota")),
        Column("regency", gettext_lazy("Kabupaten/kota")),
        Column("business_type", gettext_lazy("Jenis usaha")),
        Column("nib", gettext_lazy("NIB")),
        Column("legalized_on", gettext_lazy("Tanggal memperoleh NIB"), "date"),
        Column("in_registry", gettext_lazy("Di registri IKM"), "bool"),
    ),
    "poverty": (
        Column("kind", gettext_lazy("Jenis kegiatan")),
        Column("regency_code", gettext_lazy("Kode kabupaten/kota")),
        Column("regency", gettext_lazy("Kabupaten/kota prioritas")),
        Column("description", gettext_lazy("Uraian")),
        Column("beneficiaries", gettext_lazy("Penerima manfaat"), "count"),
        Column("value", gettext_lazy("Nilai (Rp)"), "money"),
    ),
    "facilitation": (
        Column("kind", gettext_lazy("Jenis fasilitasi")),
        Column("enterprise_name", gettext_lazy("Nama usaha")),
        Column("nib", gettext_lazy("NIB")),
        Column("value", gettext_lazy("Nilai (Rp)"), "money"),
        Column("certificate_number", gettext_lazy("Nomor sertifikat/pendaftaran")),
        Column("certificate_date", gettext_lazy("Tanggal sertifikat/pendaftaran"), "date"),
        Column("note", gettext_lazy("Keterangan")),
    ),
}
RECORD_VALUES: dict[str, Callable[[Any], list[Any]]] = {
    "wub": lambda r: [r.name, r.regency.kemendagri_code, r.regency.name, r.business_type, r.nib, r.legalized_on,
                      r.enterprise_id is not None],
    "poverty": lambda r: [r.get_kind_display(), r.regency.kemendagri_code, r.regency.name, r.description,
                          r.beneficiaries, r.value],
    "facilitation": lambda r: [r.get_kind_display(), r.enterprise_name, r.nib, r.value, r.certificate_number,
                               r.certificate_date, r.note],
}  # fmt: skip


def _records_xlsx(satker: Satker, fiscal_year: FiscalYear, month: int) -> HttpResponse:
    """The month's records as the page shows them: one sheet per kind, in the page's order."""
    records = month_records(satker=satker, fiscal_year=fiscal_year, month=month)
    where = [f"{satker.code} {satker.name}", f"{MONTH_NAMES[month]} {fiscal_year.year}"]
    sheets = [
        Sheet(str(kind.title), export_heading(kind.title, where), RECORD_COLUMNS[kind.key],
              [RECORD_VALUES[kind.key](record) for record in getattr(records, kind.attr)])
        for kind in KINDS.values()
    ]  # fmt: skip
    return xlsx_response(sheets, filename=export_filename("catatan-program", satker.code, fiscal_year.year, month))


@data_access_required()
@require_POST
def record_add(request: HttpRequest, code: str, year: int, month: int, kind: str) -> HttpResponse:
    spec = _kind_or_404(kind)
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    if not can_edit:
        raise PermissionDenied
    form = spec.form_class(request.POST, province=satker.province, year=fiscal_year.year, prefix=spec.key)
    if form.is_valid():
        try:
            spec.create(satker=satker, fiscal_year=fiscal_year, month=month, by=request.user, **form.cleaned_data)
            messages.success(request, spec.saved)
            return redirect(_records_url(satker, fiscal_year, month, spec.key))
        except ValidationError as error:
            put_errors(request, form, error)
    messages.error(request, _("%(what)s belum disimpan: periksa isian yang ditandai.") % {"what": spec.title})
    return _records_page(request, satker, fiscal_year, month, can_edit, bound={spec.key: form})


def _record_or_404(request: HttpRequest, spec: RecordKind, satker: Satker, fiscal_year: FiscalYear, month: int,
                   pk: int) -> Any:  # fmt: skip
    records = spec.model.objects.filter(satker=satker, fiscal_year=fiscal_year, month=month)
    return get_scoped_or_404(records.select_related("satker__province", "fiscal_year", "report"), request.user, pk=pk)


@data_access_required()
def record_edit(request: HttpRequest, code: str, year: int, month: int, kind: str, pk: int) -> HttpResponse:
    spec = _kind_or_404(kind)
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    record = _record_or_404(request, spec, satker, fiscal_year, month, pk)
    if not can_edit:
        raise PermissionDenied
    reason = read_only_reason(fiscal_year, month, record.report, can_edit) or records_lock(record.report, record)
    if request.method == "POST":
        form = spec.form_class(request.POST, province=satker.province, year=fiscal_year.year)
        if form.is_valid():
            try:
                spec.update(record=record, by=request.user, **form.cleaned_data)
                messages.success(request, spec.saved)
                return redirect(_records_url(satker, fiscal_year, month, spec.key))
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Perubahan belum disimpan: periksa pesan pada isian yang ditandai."))
    else:
        form = spec.form_class(
            province=satker.province,
            year=fiscal_year.year,
            initial={name: getattr(record, name) for name in spec.form_class.base_fields},
        )
    return render(request, "programs/records/edit.html", {
        "satker": satker, "fiscal_year": fiscal_year, "month": month, "month_name": MONTH_NAMES[month],
        "kind": spec, "record": record, "form": form, "read_only_reason": reason,
        "back_url": _records_url(satker, fiscal_year, month, spec.key),
    })  # fmt: skip


@data_access_required()
@require_POST
def record_delete(request: HttpRequest, code: str, year: int, month: int, kind: str, pk: int) -> HttpResponse:
    spec = _kind_or_404(kind)
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    month = month_or_404(month)
    record = _record_or_404(request, spec, satker, fiscal_year, month, pk)
    if not can_edit:
        raise PermissionDenied
    try:
        spec.delete(record=record, by=request.user)
        messages.success(request, spec.deleted)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_records_url(satker, fiscal_year, month, spec.key))


# -- output targets ---------------------------------------------------------------------------


@data_access_required()
def output_targets(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A satker-year's output targets: directorate admins set them, everyone in scope reads them."""
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format()
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    stored = dict(
        scoped(OutputTarget.objects.filter(satker=satker, fiscal_year=fiscal_year), request.user).values_list(
            "indicator", "target"
        )
    )
    if fmt == "xlsx" and request.method == "GET":
        return _targets_xlsx(satker, fiscal_year, stored)
    user = request.user
    if request.method == "POST":
        if not permissions.may_set_targets(user):
            raise PermissionDenied
        form = OutputTargetsForm(request.POST, initial=stored)
        if form.is_valid():
            try:
                services.output_targets_set(satker=satker, fiscal_year=fiscal_year, targets=form.targets(), by=user)
                messages.success(request, _("Target output %(year)s disimpan.") % {"year": fiscal_year.year})
                return redirect("programs:targets", code=satker.code, year=fiscal_year.year)
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Target belum disimpan: periksa pesan pada isian yang ditandai."))
    else:
        form = OutputTargetsForm(initial=stored)
    rows = [{"key": key, "label": label, "target": stored.get(key), "field": form[key]}
            for key, label in OutputIndicator.choices]  # fmt: skip
    return render(request, "programs/records/targets.html", {
        "satker": satker, "fiscal_year": fiscal_year, "rows": rows, "form": form,
        "editable": permissions.may_set_targets(user) and not fiscal_year.is_closed,
        "export_url": reverse("programs:targets", args=[satker.code, fiscal_year.year]) + "?format=xlsx",
    })  # fmt: skip


def _targets_xlsx(satker: Satker, fiscal_year: FiscalYear, stored: dict[str, int]) -> HttpResponse:
    """Every indicator, as the page lists them; an empty target is one not set."""
    columns = (
        Column("indicator", gettext_lazy("Kode indikator")),
        Column("label", gettext_lazy("Indikator")),
        Column("target", gettext_lazy("Target"), "count"),
    )
    rows = [[key, str(label), stored.get(key)] for key, label in OutputIndicator.choices]
    title = _("Target output")
    where = [f"{satker.code} {satker.name}", _("Tahun %(year)s") % {"year": fiscal_year.year}]
    filename = export_filename("target-output", satker.code, fiscal_year.year)
    return xlsx_response([Sheet(title, export_heading(title, where), columns, rows)], filename=filename)


_MONTH = "satkers/<str:code>/<int:year>/programs/<int:month>/"

urlpatterns: list[URLPattern] = [
    path(_MONTH, month_records_view, name="records"),
    path(f"{_MONTH}<slug:kind>/add/", record_add, name="record-add"),
    path(f"{_MONTH}<slug:kind>/<int:pk>/edit/", record_edit, name="record-edit"),
    path(f"{_MONTH}<slug:kind>/<int:pk>/delete/", record_delete, name="record-delete"),
    path("satkers/<str:code>/<int:year>/targets/", output_targets, name="targets"),
]
