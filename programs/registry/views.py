"""The IKM registry: a searchable, filtered list that stays fast at millions of rows (keyset
pagination on the normalised name, counts from the registry summary or capped), its streaming
exports, an enterprise's page with its facilitation history, and the create / edit forms. Plus
the route of /reports/ikm/."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts import permissions
from accounts.access import DataAccessMixin, data_access_required
from accounts.roles import Can
from accounts.scoping import get_scoped_or_404, scoped
from budgets.views.common import add_service_errors
from core.exports.csv_dialect import DEFAULT, DIALECT_PARAM, INDONESIAN, requested_dialect, unknown_dialect_message
from core.safe_json import SafeJSONEncoder
from programs.models import Enterprise, RegistrySummary, Sentra
from programs.registry.filters import EnterpriseFilter
from programs.registry.forms import EnterpriseForm
from programs.registry.services import POSSIBLE_DUPLICATE, enterprise_save
from programs.registry.summary import registry_count
from programs.registry.tables import EnterpriseTable, as_csv, as_json, as_xlsx, export_rows

PAGE_SIZE = 50
# The list says how many rows match: exactly from the registry summary when its filters allow
# (SUMMARY_FILTERS), otherwise up to this many and "more than" beyond (counting every matching
# row of a national registry on each page would cost more than the page itself).
COUNT_LIMIT = 1000
SUMMARY_FILTERS = frozenset({"province", "kbli", "size_class", "data_year"})  # kbli: a 2-digit group
EXPORT_FORMATS = ("xlsx", "csv", "json")
_CURSOR_NAME = re.compile(r"[0-9a-z ]{0,200}")
_MAX_ID = 2**63 - 1


# --- Keyset pagination -----------------------------------------------------------------------


def encode_cursor(enterprise: Enterprise) -> str:
    raw = json.dumps([enterprise.name_normalized, enterprise.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None) -> tuple[str, int] | None:
    """The (name_normalized, id) a cursor points at; None for a missing or malformed one."""
    if not token or len(token) > 400:
        return None
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(name, str) or not _CURSOR_NAME.fullmatch(name):
        return None
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= _MAX_ID:
        return None
    return name, pk


@dataclass
class KeysetPage:
    rows: list[Enterprise]
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool


ORDER = ("name_normalized", "id")
REVERSED = ("-name_normalized", "-id")


def _beyond(queryset: QuerySet[Enterprise], cursor: tuple[str, int] | None, backwards: bool) -> QuerySet[Enterprise]:
    """The rows after ``cursor`` in (name_normalized, id) order (before it when ``backwards``)."""
    if cursor is None:
        return queryset
    name, pk = cursor
    if backwards:
        return queryset.filter(Q(name_normalized__lte=name) & (Q(name_normalized__lt=name) | Q(id__lt=pk)))
    return queryset.filter(Q(name_normalized__gte=name) & (Q(name_normalized__gt=name) | Q(id__gt=pk)))


def _rows(
    queryset: QuerySet[Enterprise], cursor: tuple[str, int] | None, *, backwards: bool, limit: int
) -> list[Enterprise]:
    """Up to ``limit`` rows next to ``cursor`` (in name order, or reversed when ``backwards``).

    First the (name, id) keys alone: one range scan of a name-ordered index from the cursor on,
    whatever the depth. Those indexes hold every column the list filters on (Enterprise.Meta),
    so PostgreSQL checks the filters and the name search in the index itself (an index-only
    scan) and reads no table row for the entries it passes over, which matters where matches
    are sparse or sit far along the order (a common word's names all starting with it); a rare
    search word is taken from the trigram index instead. Then the page's rows, by primary key."""
    ordered = _beyond(queryset, cursor, backwards).order_by(*(REVERSED if backwards else ORDER))
    keys = list(ordered.values_list(*ORDER)[:limit])
    rows = queryset.in_bulk([pk for _name, pk in keys])
    return [rows[pk] for _name, pk in keys if pk in rows]  # (a row deleted in between is left out)


def keyset_page(
    queryset: QuerySet[Enterprise], *, after: tuple[str, int] | None, before: tuple[str, int] | None, size: int
) -> KeysetPage:
    """One page of ``queryset`` in (name_normalized, id) order, after or before a cursor. Each
    page is one indexed range scan of ``size + 1`` keys whatever the page's depth (an OFFSET
    would read and discard every earlier row), then its rows by primary key (see ``_rows``).
    Ties in the name are broken by id, so no row is skipped or repeated between pages."""
    if before is not None:
        chunk = _rows(queryset, before, backwards=True, limit=size + 1)
        if len(chunk) > size:
            rows = chunk[:size][::-1]
            return KeysetPage(rows, encode_cursor(rows[-1]), encode_cursor(rows[0]), is_first=False)
        # Back at the start: show a whole first page rather than a short one.
        after = None
    chunk = _rows(queryset, after, backwards=False, limit=size + 1)
    rows = chunk[:size]
    next_cursor = encode_cursor(rows[-1]) if len(chunk) > size else None
    previous_cursor = encode_cursor(rows[0]) if after is not None and rows else None
    return KeysetPage(rows, next_cursor, previous_cursor, is_first=after is None)


# --- The list and its exports ----------------------------------------------------------------


class RegistryListView(DataAccessMixin, SingleTableMixin, FilterView):
    """Enterprises the user may see (officers: their province; directorate: all), searched and
    filtered; ``format=xlsx|csv|json`` exports every filtered row instead of one page."""

    model = Enterprise
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    template_name = "programs/registry/list.html"
    table_pagination = False

    def get_queryset(self) -> QuerySet[Enterprise]:
        return scoped(Enterprise.objects.select_related("province", "regency"), self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format") or "html"
        if fmt not in ("html", *EXPORT_FORMATS):
            return JsonResponse({"error": _("Format tidak dikenal: pilih html, xlsx, csv atau json.")}, status=400)
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        if fmt != "html":
            if fmt == "csv" and requested_dialect(request) is None:
                return JsonResponse({"error": unknown_dialect_message()}, status=400)
            if not valid:
                return JsonResponse({"error": _("Filter tidak valid."), "errors": self.filterset.errors}, status=400,
                                    encoder=SafeJSONEncoder)  # fmt: skip
            return self.export(fmt)
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        self.filters = self.filterset.form.cleaned_data if self.filterset.is_bound and valid else {}
        self.page = keyset_page(
            self.object_list,
            after=decode_cursor(request.GET.get("after")),
            before=decode_cursor(request.GET.get("before")),
            size=PAGE_SIZE,
        )
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_table_data(self) -> list[Enterprise]:
        return self.page.rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = self.page
        matched, more = self._matched()
        context.update({
            "page": page,
            "matched": matched,
            "more_than_limit": more,
            "next_url": self._url_with(after=page.next_cursor) if page.next_cursor else None,
            "previous_url": self._url_with(before=page.previous_cursor) if page.previous_cursor else None,
            "first_url": None if page.is_first else self._url_with(),
            "exports": {**{fmt: self._url_with(format=fmt) for fmt in EXPORT_FORMATS},
                        "csv_id": self._url_with(format="csv", dialect=INDONESIAN.key)},
            "can_create": permissions.may_write(self.request.user),
        })  # fmt: skip
        return context

    def _matched(self) -> tuple[int, bool]:
        """How many rows match, and whether that is only a lower bound ("more than")."""
        page = self.page
        if page.is_first and page.next_cursor is None:
            return len(page.rows), False  # everything is on this page: no count needed
        exact = self._summary_count()
        if exact is not None:
            return exact, False
        # Without the list's order, so that the database may count from any index.
        matched = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        return min(matched, COUNT_LIMIT), matched > COUNT_LIMIT

    def _summary_count(self) -> int | None:
        """The exact count from the registry summary when the filters are among its keys
        (province, KBLI group, size class, data year); None otherwise."""
        used = {name for name, value in self.filters.items() if value not in (None, "")}
        kbli = self.filters.get("kbli") or ""
        if not used <= SUMMARY_FILTERS or len(kbli) not in (0, 2):
            return None
        summary = scoped(RegistrySummary.objects.all(), self.request.user)
        if self.filters.get("province"):
            summary = summary.filter(province_id=self.filterset.province_ids[self.filters["province"]])
        if kbli:
            summary = summary.filter(kbli_group=kbli)
        if self.filters.get("data_year") is not None:
            summary = summary.filter(data_year=int(self.filters["data_year"]))
        return registry_count(summary, size_class=self.filters.get("size_class") or None)

    def _url_with(self, **changes: str) -> str:
        query = self.request.GET.copy()
        for key in ("after", "before", "format", DIALECT_PARAM):
            query.pop(key, None)
        for key, value in changes.items():
            query[key] = value
        return "?" + query.urlencode() if query else "?"

    def export(self, fmt: str) -> HttpResponse:
        user = self.request.user
        parts = self.filterset.describe()
        if not permissions.reads_all_provinces(user) and not self.filterset.form.cleaned_data.get("province"):
            parts.insert(0, _("provinsi %(p)s") % {"p": user.province.name})
        now = timezone.localtime()
        title = " · ".join([_("Registri IKM"), *parts, _("diunduh %(at)s") % {"at": now.strftime("%d-%m-%Y %H:%M")}])
        filename = "registri-ikm-" + now.strftime("%Y%m%d-%H%M")
        rows = export_rows(self.filterset.qs)
        if fmt == "xlsx":
            return as_xlsx(rows, title=title, filename=filename)
        if fmt == "csv":
            return as_csv(rows, filename=filename, dialect=requested_dialect(self.request) or DEFAULT)
        return as_json(rows, params=self._export_params(), filename=filename)

    def _export_params(self) -> dict[str, Any]:
        data = self.filterset.form.cleaned_data
        regency = data.get("regency")  # the chosen regency's id, as text (a choice filter)
        year = data.get("data_year")
        return {
            "q": data.get("q") or None,
            "province": data.get("province") or None,
            "regency": self.filterset.regency_codes[regency] if regency else None,
            "kbli": data.get("kbli") or None,
            "size_class": data.get("size_class") or None,
            "data_year": int(year) if year is not None else None,
        }


# --- One enterprise --------------------------------------------------------------------------


@data_access_required()
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_scoped_or_404(
        Enterprise.objects.select_related("province", "regency", "satker", "centre__regency"), request.user, pk=pk
    )
    # The enterprise is in the user's scope, its facilitations not necessarily: those recorded
    # by the directorate's central units (or another province's satker) stay with the
    # directorate, as on every other page.
    facilitations = scoped(enterprise.facilitations.select_related("satker", "fiscal_year"), request.user).order_by(
        "-fiscal_year__year", "-month", "-pk"
    )
    # Likewise a centre coached by a central unit: the page says the enterprise is in one
    # without naming it.
    centre_shown = (
        enterprise.centre is not None and scoped(Sentra.objects.filter(pk=enterprise.centre_id), request.user).exists()
    )
    can_edit = (
        permissions.may_write(request.user)
        and scoped(Enterprise.objects.filter(pk=pk), request.user, for_edit=True).exists()
    )
    changes = enterprise.history.select_related("history_user").order_by("-history_date", "-history_id")[:10]
    return render(request, "programs/registry/detail.html", {
        "enterprise": enterprise, "facilitations": facilitations, "can_edit": can_edit, "changes": changes,
        "centre_shown": centre_shown,
    })  # fmt: skip


@data_access_required(Can.WRITE)
def enterprise_create(request: HttpRequest) -> HttpResponse:
    return _enterprise_form(request, None)


@data_access_required(Can.WRITE)
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_scoped_or_404(
        Enterprise.objects.select_related("province", "regency"), request.user, for_edit=True, pk=pk
    )
    return _enterprise_form(request, enterprise)


def _enterprise_form(request: HttpRequest, enterprise: Enterprise | None) -> HttpResponse:
    if request.method == "POST":
        form = EnterpriseForm(request.POST, user=request.user, enterprise=enterprise)
        if form.is_valid():
            try:
                saved = enterprise_save(
                    by=request.user,
                    data=form.service_data(),
                    enterprise=enterprise,
                    expected_version=form.cleaned_data["version"] if enterprise is not None else None,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                if _is_possible_duplicate(error):
                    form.ask_confirmation()
            else:
                messages.success(request, _("Data IKM %(name)s disimpan.") % {"name": saved.name})
                return redirect("programs:registry-detail", pk=saved.pk)
        messages.error(request, _("Data IKM belum disimpan: periksa pesan pada isian yang ditandai."))
    else:
        form = EnterpriseForm(user=request.user, enterprise=enterprise)
    return render(request, "programs/registry/form.html", {"form": form, "enterprise": enterprise})


def _is_possible_duplicate(error: ValidationError) -> bool:
    if not hasattr(error, "error_dict"):
        return False
    return any(item.code == POSSIBLE_DUPLICATE for items in error.error_dict.values() for item in items)


urlpatterns: list[URLPattern] = [
    path("registry/", RegistryListView.as_view(), name="registry-list"),
    path("registry/new/", enterprise_create, name="registry-create"),
    path("registry/<int:pk>/", enterprise_detail, name="registry-detail"),
    path("registry/<int:pk>/edit/", enterprise_edit, name="registry-edit"),
]
