"""Evidence (bukti dukung): download through the scoping gate, attach, remove.

- ``/evidence/<id>/``: the file, streamed, only through ``get_scoped_or_404`` (another province's
  file, or a removed one, is a 404); PDFs as attachments, images inline, ``nosniff`` and a
  sandboxing CSP so a browser never runs anything it holds.
- ``/evidence/attach/`` (POST): the target named as ``<app.model>:<id>``; the request body is
  refused unread over the size limit; back to ``next`` only when it is a local path.
- ``/evidence/<id>/remove/`` (POST): soft delete, by whoever may attach.
"""

from __future__ import annotations

import logging

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404
from budgets.evidence_targets import evidence_targets
from budgets.models import Evidence
from budgets.services.evidence import evidence_attach, evidence_remove
from core.files.checks import max_bytes
from core.formats import format_megabytes
from imports.upload_limits import REQUEST_OVERHEAD_BYTES, SizeLimitedUploadHandler, declared_length

logger = logging.getLogger(__name__)


class EvidenceForm(forms.Form):
    target = forms.CharField(max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis bukti"), choices=Evidence.Kind.choices)
    number = forms.CharField(label=gettext_lazy("Nomor"), max_length=100, required=False)
    document_date = forms.DateField(label=gettext_lazy("Tanggal dokumen"), required=False)
    file = forms.FileField(label=gettext_lazy("Berkas (PDF, JPEG, PNG)"))


def safe_next(request: HttpRequest) -> str | None:
    """``next`` (POST, then the query string) when it is a path of this site; else None."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return target


def evidence_home(evidence: Evidence) -> str:
    """The page an evidence belongs to: its monthly or quarterly report, else the satker's year."""
    if evidence.monthly_report_id:
        return reverse("budgets:report-detail", args=[evidence.monthly_report_id])
    if evidence.quarterly_report_id:
        report = evidence.quarterly_report
        return reverse("budgets:quarterly-detail", args=[evidence.satker.code, report.fiscal_year.year,
                                                          report.url_period])  # fmt: skip
    return reverse("budgets:satker-year", args=[evidence.satker.code, evidence.fiscal_year.year])


def _back(request: HttpRequest, evidence: Evidence | None = None) -> HttpResponse:
    target = safe_next(request) or (evidence_home(evidence) if evidence else reverse("budgets:satker-list"))
    return redirect(target)


@data_access_required()
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_scoped_or_404(Evidence.objects.live(), request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        logger.error("evidence %s: stored file %s is missing", evidence.pk, evidence.file.name)
        raise Http404 from None
    name = evidence.original_name or f"bukti-{evidence.pk}.{evidence.file.name.rsplit('.', 1)[-1]}"
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=not evidence.is_image,
                            filename=name)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@csrf_exempt  # checked by _attach, once the body's size is known to be acceptable
@data_access_required()
@require_POST
def evidence_attach_view(request: HttpRequest) -> HttpResponse:
    if not permissions.may_write(request.user):
        raise PermissionDenied(_("Peran Anda tidak dapat melampirkan bukti dukung."))
    limit = max_bytes() + REQUEST_OVERHEAD_BYTES
    handler = None
    if declared_length(request) <= limit:
        handler = SizeLimitedUploadHandler(request, limit=limit)
        request.upload_handlers.insert(0, handler)
    if handler is None or _exceeded(request, handler):
        # Not a byte of the body read (or the rest of it dropped): nothing stored.
        messages.error(request, _("Berkas melebihi batas %(limit)s MB; tidak ada yang disimpan.")
                       % {"limit": format_megabytes(max_bytes())})  # fmt: skip
        return redirect(safe_next(request) or reverse("budgets:satker-list"))
    return _attach(request)


def _exceeded(request: HttpRequest, handler: SizeLimitedUploadHandler) -> bool:
    request.POST  # noqa: B018 (parse the body now, through the size-limited handler)
    return handler.exceeded


def _target_or_error(request: HttpRequest, reference: str):
    label, _sep, raw_id = reference.partition(":")
    if label not in evidence_targets() or not raw_id.isdigit():
        return None
    model = apps.get_model(label)
    return get_scoped_or_404(model._default_manager.all(), request.user, pk=int(raw_id))


@csrf_protect
def _attach(request: HttpRequest) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    reference = request.POST.get("target", "")
    target = _target_or_error(request, reference)
    if target is None:
        return HttpResponseBadRequest(_("Sasaran bukti dukung tidak dikenal."))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return _back(request)
    data = form.cleaned_data
    try:
        evidence = evidence_attach(target=target, kind=data["kind"], file=data["file"], number=data["number"],
                                   date=data["document_date"], by=request.user)  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(request)
    messages.success(request, _("Bukti dukung %(kind)s dilampirkan.") % {"kind": evidence.get_kind_display()})
    return _back(request, evidence)


@data_access_required()
@require_POST
def evidence_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_scoped_or_404(Evidence.objects.live().select_related("satker"), request.user, pk=pk)
    try:
        evidence_remove(evidence=evidence, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(request, evidence)
    messages.success(request, _("Bukti dukung dihapus (riwayatnya tetap tersimpan)."))
    return _back(request, evidence)
