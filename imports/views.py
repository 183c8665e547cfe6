"""Import pages: the template of each kind (the upload flow follows)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from budgets.models import Satker
from ikmsite.accounts.access import data_access_required
from ikmsite.accounts.scoping import get_scoped_or_404, scoped
from imports.kinds import KINDS
from imports.workbook_templates import template_workbook

# Reviewers and viewers do not import (CONTRACT): they get no template either.
IMPORTERS = frozenset({"ADMIN", "OFFICER"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@data_access_required(IMPORTERS)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    user = request.user
    editable = scoped(Satker.objects.filter(is_central=False), user, for_edit=True)
    if request.GET.get("satker"):
        satker = get_scoped_or_404(Satker.objects.all(), user, for_edit=True, code=request.GET["satker"])
    else:
        # An officer's own satker pre-fills the template; an admin picks one with ?satker=.
        satker = editable.order_by("code").first() if user.is_officer else None
    content = template_workbook(KINDS[kind], satker, timezone.localdate())
    response = HttpResponse(content, content_type=XLSX)
    suffix = f"-{satker.code}" if satker else ""
    response["Content-Disposition"] = f'attachment; filename="template-{kind}{suffix}.xlsx"'
    return response


app_name = "imports"
urlpatterns = [path("imports/<slug:kind>/template.xlsx", template_download, name="template")]
