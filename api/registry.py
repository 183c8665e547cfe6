"""GET /api/v1/registry/: the IKM enterprises the token's account may see (scoped(), as the list
page), with the list page's filters, one page at a time in the registry's keyset order
(programs/registry/views.py: the cursor names the last row given, so a page costs one index range
scan however deep, and rows added or removed meanwhile shift nothing), each row as the registry's
JSON export writes it."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import create_model

from accounts.scoping import scoped
from api.errors import ErrorOut, ErrorsOut
from budgets.models import Regency
from programs.models import Enterprise
from programs.registry.filters import EnterpriseFilter
from programs.registry.tables import EXPORT_COLUMNS, export_rows
from programs.registry.views import decode_cursor, keyset_page
from reports.params import unknown_or_repeated

router = Router(tags=["registry"])

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FILTERS = ("q", "province", "regency", "kbli", "size_class", "data_year")
PAGING = ("cursor", "limit")

KBLI = "^[0-9]{2}([0-9]{3})?$"  # as the registry's filter checks it
REGENCY_CODE = re.compile(r"([0-9]{2})\.?([0-9]{2})")
KIND_TYPES: dict[str, Any] = {"text": str | None, "int": int | None, "money": int | None}
EnterpriseOut = create_model(
    "Enterprise", __base__=Schema, **{column.key: (KIND_TYPES[column.kind], None) for column in EXPORT_COLUMNS}
)


class RegistryPage(Schema):
    results: list[EnterpriseOut]  # type: ignore[valid-type]
    next: str | None


class BadQuery(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _limit(query: QueryDict) -> int:
    raw = query.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadQuery({"limit": [_("Isi bilangan bulat 1 sampai %(max)s.") % {"max": MAX_LIMIT}]})
    return int(raw)


def _filterset(request: HttpRequest) -> EnterpriseFilter:
    """The list page's filterset on the query's filters. ``regency`` is a Kemendagri code here (a
    program knows codes, not our row ids): it is turned into the page's choice."""
    query = request.GET
    errors = unknown_or_repeated(query, {*FILTERS, *PAGING})
    if errors:
        raise BadQuery(errors)
    data = QueryDict(mutable=True)
    for name in FILTERS:
        if name in query:
            data[name] = query[name]
    if data.get("regency"):
        # A Kemendagri code (17.71, or 1771) to the page's choice, the regency's id (the filter
        # then refuses a regency outside the token's scope, as the page does).
        written = REGENCY_CODE.fullmatch(data["regency"])
        found = None
        if written:
            code = f"{written[1]}.{written[2]}"
            found = Regency.objects.filter(kemendagri_code=code).values_list("pk", flat=True).first()
        if found is None:
            raise BadQuery({"regency": [_("Kode kabupaten/kota tidak dikenal: tulis kode Kemendagri, mis. 17.71.")]})
        data["regency"] = str(found)
    filterset = EnterpriseFilter(data, queryset=scoped(Enterprise.objects.all(), request.user), user=request.user)
    if not filterset.is_valid():
        raise BadQuery({name: [str(message) for message in messages] for name, messages in filterset.errors.items()})
    return filterset


@router.get(
    "/",
    response={200: RegistryPage, 400: ErrorsOut, 401: ErrorOut, 429: ErrorOut},
    url_name="registry",
    operation_id="registry",
    summary="Registri IKM",
    description=(
        "The IKM enterprises the token's account may see, in name order, `limit` at a time (default "
        f"{DEFAULT_LIMIT}, at most {MAX_LIMIT}). `next` is the cursor of the following page (`?cursor=...`, with "
        "the same filters), null on the last. Filters as the registry page: `q` (name or 13-digit NIB), `province` "
        "(BPS code), `regency` (Kemendagri code, e.g. 17.71), `kbli` (5 digits or a 2-digit group), `size_class`, "
        "`data_year`. A malformed cursor or filter: 400."
    ),
    openapi_extra={
        "parameters": [
            {"in": "query", "name": "cursor", "required": False, "schema": {"type": "string"}},
            {
                "in": "query",
                "name": "limit",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
            {"in": "query", "name": "q", "required": False, "schema": {"type": "string", "maxLength": 200}},
            {
                "in": "query",
                "name": "province",
                "required": False,
                "schema": {"type": "string", "pattern": "^[0-9]{2}$"},
            },
            {"in": "query", "name": "regency", "required": False, "schema": {"type": "string"}},
            {
                "in": "query",
                "name": "kbli",
                "required": False,
                "schema": {"type": "string", "pattern": "^[0-9]{2}([0-9]{3})?$"},
            },
            {"in": "query", "name": "size_class", "required": False, "schema": {"type": "string"}},
            {"in": "query", "name": "data_year", "required": False, "schema": {"type": "integer"}},
        ]
    },
)
def registry(request: HttpRequest):
    try:
        limit = _limit(request.GET)
        filterset = _filterset(request)
        cursor = request.GET.get("cursor")
        after = decode_cursor(cursor) if cursor is not None else None
        if cursor is not None and after is None:
            raise BadQuery({"cursor": [_("Kursor tidak valid: pakai nilai next dari halaman sebelumnya.")]})
    except BadQuery as bad:
        return Status(400, {"error": _("Parameter registri tidak valid."), "errors": bad.errors})
    page = keyset_page(filterset.qs, after=after, before=None, size=limit)
    keys = [column.key for column in EXPORT_COLUMNS]
    # The export's rows (its columns and values) of exactly this page's enterprises, in its order.
    rows = export_rows(Enterprise.objects.filter(pk__in=[enterprise.pk for enterprise in page.rows]))
    return {"results": [dict(zip(keys, row, strict=True)) for row in rows], "next": page.next_cursor}
