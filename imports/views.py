"""Import pages: the kinds with their templates, the upload form, and an upload's page (progress
while the worker checks or imports, then the preview with every error, confirm or cancel)."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from accounts import permissions
from accounts.access import data_access_required
from accounts.roles import Can
from accounts.scoping import get_scoped_or_404, scoped
from core.exports.cells import xlsx_text, xlsx_text_cell
from core.formats import format_number
from imports.catalog import UnknownKind, all_kinds, get_kind, treasury_kinds
from imports.errors import shown_errors
from imports.importer import PHASE_CHECK, PHASE_READ, PHASE_VALIDATE, PHASE_WRITE
from imports.kinds import ImportKind
from imports.models import Upload
from imports.stored import upload_path
from imports.upload_limits import SizeLimitedUploadHandler, declared_length, max_request_bytes
from imports.uploads import UploadRefused, cancel_upload, confirm_upload, receive_upload, too_large
from imports.workbook_templates import template_workbook
from imports.worker import release_stuck_uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 1_000  # on the page; the error workbook holds them all
RECENT_UPLOADS = 20
PHASES = {
    PHASE_CHECK: gettext_lazy("Memeriksa berkas"),
    PHASE_READ: gettext_lazy("Membaca baris"),
    PHASE_VALIDATE: gettext_lazy("Memeriksa aturan setiap baris"),
    PHASE_WRITE: gettext_lazy("Menyimpan ke basis data"),
}
ACTIONS = {"new": gettext_lazy("baru"), "changed": gettext_lazy("berubah"), "unchanged": gettext_lazy("tetap")}


def _kind_or_404(kind: str) -> ImportKind:
    try:
        return get_kind(kind)
    except UnknownKind as unknown:
        raise Http404 from unknown


def _upload_or_404(request: HttpRequest, pk: int) -> Upload:
    return get_scoped_or_404(Upload.objects.select_related("uploaded_by", "confirmed_by"), request.user, pk=pk)


@data_access_required(Can.IMPORT)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_or_404(kind)
    example = spec.example_workbook()
    if example is not None:  # a published layout (the treasury's): an example of it, not a template
        response = HttpResponse(example, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="contoh-{kind}.xlsx"'
        return response
    prefill = spec.prefill(user=request.user, query=request.GET, today=timezone.localdate())
    response = HttpResponse(
        template_workbook(spec, prefill.rows, regencies=spec.regency_rows(request.user)), content_type=XLSX
    )
    suffix = f"-{prefill.label}" if prefill.label else ""
    response["Content-Disposition"] = f'attachment; filename="template-{kind}{suffix}.xlsx"'
    return response


def kinds_for(user) -> list[ImportKind]:
    return [kind for kind in all_kinds() if permissions.can(user, kind.capability)]


@data_access_required(Can.IMPORT)
def index(request: HttpRequest) -> HttpResponse:
    release_stuck_uploads()
    uploads = scoped(Upload.objects.select_related("uploaded_by"), request.user)[:RECENT_UPLOADS]
    treasury = [kind for kind in treasury_kinds() if permissions.can(request.user, kind.capability)]
    return render(request, "imports/index.html", {"kinds": kinds_for(request.user), "treasury_kinds": treasury,
                                                  "uploads": uploads})  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas Excel (.xlsx)"),
        help_text=gettext_lazy("Lembar pertama, judul kolom di baris 1, satu baris per data."),
        error_messages={
            "required": gettext_lazy("Pilih berkas .xlsx yang akan diimpor."),
            "empty": gettext_lazy("Berkas kosong."),
        },
    )


@csrf_exempt  # checked by _receive, once the size of the body is known to be acceptable
@data_access_required(Can.IMPORT)
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_or_404(kind)
    if not permissions.can(request.user, spec.capability):
        raise PermissionDenied(spec.refusal)
    handler = None
    if request.method == "POST":
        # Before anything reads the body: a declared length over the limit is refused unread, and
        # a body that declares none (or lies) is stopped by the handler once it passes the limit.
        declared = declared_length(request)
        if declared > max_request_bytes():
            return _refused(request, spec, too_large(user=request.user, kind=kind, size=declared))
        handler = SizeLimitedUploadHandler(request)
        request.upload_handlers.insert(0, handler)
    return _receive(request, spec, handler)


@csrf_protect
def _receive(request: HttpRequest, spec: ImportKind, handler: SizeLimitedUploadHandler | None) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if handler is not None and handler.exceeded:
        return _refused(request, spec, too_large(user=request.user, kind=spec.name, size=handler.received))
    if form.is_bound and form.is_valid():
        try:
            created = receive_upload(user=request.user, kind=spec.name, file=form.cleaned_data["file"])
        except UploadRefused as refusal:
            return _refused(request, spec, refusal)
        return redirect("imports:detail", pk=created.pk)
    return render(request, "imports/upload_form.html", {"kind": spec, "form": form}, status=400 if form.errors else 200)


def _refused(request: HttpRequest, spec: ImportKind, refusal: UploadRefused) -> HttpResponse:
    form = UploadForm()  # empty again, with the refusal under its file field
    form._errors = ErrorDict({"file": form.error_class([str(refusal)])})
    return render(request, "imports/upload_form.html", {"kind": spec, "form": form}, status=refusal.status)


@data_access_required(Can.IMPORT)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    release_stuck_uploads()
    upload = _upload_or_404(request, pk)
    errors = shown_errors(upload.errors[:ERRORS_SHOWN])  # in the reader's language
    context = {
        "upload": upload,
        "kind": _kind_or_404(upload.kind),
        "phase": PHASES.get(upload.phase, ""),
        "errors": errors,
        "errors_hidden": max(upload.error_count - len(errors), 0),
        "preview": [
            (row, ACTIONS.get(action, action), action, text, changes[0] if changes else [])
            for row, action, text, *changes in upload.preview
        ],
        "can_decide": upload.status == Upload.Status.READY
        and permissions.may_decide_upload(request.user, upload.uploaded_by_id),
    }
    return render(request, "imports/upload_detail.html", context)


@data_access_required(Can.IMPORT)
def status(request: HttpRequest, pk: int) -> JsonResponse:
    release_stuck_uploads()
    upload = _upload_or_404(request, pk)
    total = upload.progress_total
    return JsonResponse(
        {
            "status": upload.status,
            "status_label": upload.get_status_display(),
            "working": upload.is_working,
            "phase": str(PHASES.get(upload.phase, "")),
            "done": upload.progress_done,
            "total": total,
            "percent": min(100, round(100 * upload.progress_done / total)) if total else None,
        }
    )


@require_POST
@data_access_required(Can.IMPORT)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    try:
        confirm_upload(upload, request.user)
    except UploadRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("imports:detail", pk=upload.pk)


@require_POST
@data_access_required(Can.IMPORT)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    try:
        cancel_upload(upload, request.user)
        messages.success(request, _("Impor dibatalkan; tidak ada data yang diubah."))
    except UploadRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("imports:detail", pk=upload.pk)


@data_access_required(Can.IMPORT)
def errors_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Every error of a refused upload as a workbook (the page shows the first ERRORS_SHOWN)."""
    upload = _upload_or_404(request, pk)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Kesalahan"))
    sheet.append([_("baris"), _("kolom"), _("pesan")])
    # In the language of whoever downloads it (the errors keep their msgid: imports/errors.py).
    for row, column, message in shown_errors(upload.errors):
        # A header or cell quoted in a message is the file's text: written as text, never a formula.
        sheet.append([row or None, xlsx_text_cell(sheet, xlsx_text(column)), xlsx_text_cell(sheet, xlsx_text(message))])
    left_out = upload.error_count - len(upload.errors)
    if left_out > 0:
        sheet.append([None, "", _("… dan %(count)s kesalahan lainnya (hanya %(kept)s yang pertama disimpan).")
                      % {"count": format_number(left_out), "kept": format_number(len(upload.errors))}])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{upload.pk}.xlsx"'
    return response


@data_access_required(Can.ADMINISTER)
def stored_file(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file as it was received (admins: what exactly was imported)."""
    upload = _upload_or_404(request, pk)
    if not upload.stored_name or not upload_path(upload).exists():
        raise Http404
    return FileResponse(open(upload_path(upload), "rb"), as_attachment=True, filename=upload.original_name)
