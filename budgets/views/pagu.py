"""A satker-year's DIPA: its budget lines with pagu and blokir, its revisions, and the
admins' revision form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.access import data_access_required
from budgets.forms import ExistingLineForm, NewLineFormSet, RevisionHeaderForm
from budgets.models import BudgetRevision, BudgetRevisionLine
from budgets.selectors import pagu_summary, realization_grid
from budgets.services import PaguLine, pagu_revise
from budgets.views.common import satker_year_or_404


@data_access_required()
def pagu_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    lines = realization_grid(satker=satker, fiscal_year=fiscal_year, month=13)  # month 13: all months are "before"
    revision_lines = BudgetRevisionLine.objects.select_related("line__component", "line__account")
    revisions = (
        BudgetRevision.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .select_related("created_by")
        .prefetch_related(Prefetch("lines", queryset=revision_lines))
        .order_by("-number")
    )
    return render(request, "budgets/pagu_detail.html", {
        "satker": satker, "fiscal_year": fiscal_year, "lines": lines, "revisions": revisions,
        "summary": pagu_summary(satker=satker, fiscal_year=fiscal_year),
        "realized": sum(line.before for line in lines),
        "can_revise": permissions.may_record_pagu(request.user) and not fiscal_year.is_closed,
    })  # fmt: skip


@data_access_required()
def pagu_revise_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    if not permissions.may_record_pagu(request.user):
        raise PermissionDenied
    satker, fiscal_year, _can_edit = satker_year_or_404(request, code, year)
    lines = realization_grid(satker=satker, fiscal_year=fiscal_year, month=13)
    data = request.POST if request.method == "POST" else None
    header = RevisionHeaderForm(data, initial={"date": timezone.localdate(), "kind": BudgetRevision.Kind.PAGU})
    line_forms = [
        (line, ExistingLineForm(data, prefix=f"line-{line.pk}", initial={"pagu": line.pagu, "blokir": line.blokir}))
        for line in lines
    ]
    new_lines = NewLineFormSet(data, prefix="new")
    if request.method == "POST":
        valid = header.is_valid() & new_lines.is_valid() & all([form.is_valid() for _line, form in line_forms])
        if valid:
            wanted = [
                PaguLine(line.component, line.account, form.cleaned_data["pagu"], form.cleaned_data["blokir"] or 0)
                for line, form in line_forms
            ] + [
                PaguLine(f.cleaned_data["component"], f.cleaned_data["account"], f.cleaned_data["pagu"],
                         f.cleaned_data.get("blokir") or 0)
                for f in new_lines
                if f.cleaned_data.get("component")
            ]  # fmt: skip
            try:
                revision = pagu_revise(satker=satker, fiscal_year=fiscal_year, lines=wanted, by=request.user,
                                       **header.cleaned_data)  # fmt: skip
                messages.success(request, _("Revisi %(number)s dicatat.") % {"number": revision.number})
                return redirect("budgets:pagu", code=satker.code, year=fiscal_year.year)
            except ValidationError as error:
                keyed = {f"line-{line.component.code}.{line.account.code}": form for line, form in line_forms}
                for key, problems in (error.message_dict if hasattr(error, "error_dict") else {}).items():
                    target = keyed.get(key)
                    for problem in problems:
                        if target is not None:
                            target.add_error(None, problem)
                        elif key in header.fields:
                            header.add_error(key, problem)
                        else:
                            header.add_error(None, problem)
                if not hasattr(error, "error_dict"):
                    for problem in error.messages:
                        header.add_error(None, problem)
        messages.error(request, _("Revisi belum dicatat: periksa pesan yang ditandai."))
    return render(request, "budgets/pagu_revise.html", {
        "satker": satker, "fiscal_year": fiscal_year, "header": header, "line_forms": line_forms,
        "new_lines": new_lines,
    })  # fmt: skip
