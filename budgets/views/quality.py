"""A data-quality flag's decision: the head of the province or a directorate reviewer marks it
as explained or to fix, with a note (the flags are shown on the report's page by
templates/budgets/_report_flags.html)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404
from budgets.models import QualityFlag
from budgets.services.quality import DECISIONS, flag_decide, may_decide_flags


class FlagDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[(status.value, status.label) for status in DECISIONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


@data_access_required()
@require_POST
def flag_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_scoped_or_404(QualityFlag.objects.select_related("report__satker"), request.user, pk=pk)
    if not may_decide_flags(request.user, flag.report):
        return HttpResponse(_("Anda tidak dapat menandai data ini."), status=403)
    form = FlagDecisionForm(request.POST)
    if form.is_valid():
        try:
            flag_decide(flag=flag, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Tanda kualitas data dicatat: %(status)s.") % {
                "status": flag.get_status_display()})  # fmt: skip
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, _("Tanda kualitas data belum dicatat: %(error)s") % {"error": message})
    # Back to the flags of the report's page (their anchor), the message above them.
    return redirect(reverse("budgets:report-detail", args=[flag.report_id]) + "#quality-flags")
