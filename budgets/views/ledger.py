"""The late-report ledger (budgets/ledger.py) and the sanction proposals made from it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions
from accounts.access import data_access_required
from accounts.roles import Can
from accounts.scoping import get_scoped_or_404, scoped
from budgets import ledger
from budgets.models import FiscalYear, SanctionProposal, Satker
from budgets.sanction_forms import SanctionDecideForm, SanctionProposeForm
from budgets.selectors import year_options
from budgets.services.sanctions import sanction_decide, sanction_propose
from budgets.views.common import add_service_errors, satker_code_or_404


def _year_or_none(raw: str | None) -> int | bool | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) != 4:
        return False
    return int(raw)


@data_access_required()
@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    """Late and missing reports per satker of one fiscal year (``?year=``, default the running
    year): the directorate sees every satker, a province's roles their own."""
    year = _year_or_none(request.GET.get("year"))
    if year is False:
        return HttpResponseBadRequest(_("Tahun tidak valid."))
    today = timezone.localdate()
    if year is None:
        fiscal_year = (
            FiscalYear.objects.filter(year__lte=today.year).order_by("-year").first()
            or FiscalYear.objects.order_by("year").first()
        )
        if fiscal_year is None:
            return render(request, "budgets/ledger.html", {"fiscal_year": None, "ledgers": []})
    else:
        fiscal_year = get_object_or_404(FiscalYear, year=year)
    satkers = scoped(ledger.reporting_satkers(fiscal_year), request.user)
    ledgers = ledger.satker_ledgers(fiscal_year, satkers, today)
    proposals = scoped(
        SanctionProposal.objects.filter(fiscal_year=fiscal_year).select_related("satker", "proposed_by", "decided_by"),
        request.user,
    )
    by_satker: dict[int, list[SanctionProposal]] = {}
    for proposal in proposals:
        by_satker.setdefault(proposal.satker_id, []).append(proposal)
    return render(request, "budgets/ledger.html", {
        "fiscal_year": fiscal_year,
        "years": year_options(),  # years with data first (budgets.selectors)
        "ledgers": [(entry, by_satker.get(entry.satker.pk, [])) for entry in ledgers],
        "late_satkers": sum(1 for entry in ledgers if entry.rows),
        "propose_form": SanctionProposeForm() if permissions.may_propose_sanction(request.user) else None,
        "head_days": ledger.HEAD_STAGE_WORKING_DAYS,
        "directorate_days": ledger.DIRECTORATE_STAGE_WORKING_DAYS,
    })  # fmt: skip


@data_access_required(Can.PROPOSE_SANCTION)
@require_POST
def sanction_propose_view(request: HttpRequest, year: int, code: str) -> HttpResponse:
    satker = get_scoped_or_404(Satker.objects.all(), request.user, code=satker_code_or_404(code))
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    back = f"{reverse('budgets:ledger')}?year={fiscal_year.year}"
    form = SanctionProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Usulan sanksi %(satker)s tidak dicatat: pilih jenis sanksi dan tuliskan alasannya.")
                       % {"satker": satker.code})  # fmt: skip
        return redirect(back)
    try:
        proposal = sanction_propose(satker=satker, fiscal_year=fiscal_year, kind=form.cleaned_data["kind"],
                                    note=form.cleaned_data["note"], by=request.user)  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request, _("Usulan sanksi untuk %(satker)s dicatat dan menunggu keputusan.") % {"satker": satker.code}
    )
    return redirect("budgets:sanction-detail", pk=proposal.pk)


@data_access_required()
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal, the late reports it rests on, and (for whoever may decide it) the decision."""
    proposal = get_scoped_or_404(
        SanctionProposal.objects.select_related("satker__province", "fiscal_year", "proposed_by", "decided_by"),
        request.user, pk=pk,
    )  # fmt: skip
    may_decide = proposal.is_pending and permissions.may_decide_sanction(request.user, proposal.proposed_by_id)
    form = SanctionDecideForm() if may_decide else None
    if request.method == "POST":
        if not permissions.may_decide_sanction(request.user):
            raise PermissionDenied
        form = SanctionDecideForm(request.POST)
        if form.is_valid():
            try:
                sanction_decide(proposal=proposal, decision=form.cleaned_data["decision"],
                                note=form.cleaned_data["note"], by=request.user)  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Keputusan atas usulan sanksi dicatat."))
                return redirect("budgets:sanction-detail", pk=proposal.pk)
    return render(request, "budgets/sanction_detail.html", {
        "proposal": proposal, "form": form,
        "history": proposal.history.select_related("history_user").order_by("history_date"),
    })  # fmt: skip
