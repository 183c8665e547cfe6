"""The API's error answers: always ``{"error": message}`` (plus ``errors`` by field where there are
several), in the request's language, never an HTML page. django-ninja's own answers
(``{"detail": ...}``, 422 for a body it cannot read) are replaced here so that every endpoint
speaks the shape the reports' JSON already uses for a refused parameter (reports/views.py)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ErrorOut(Schema):
    error: str


class ErrorsOut(Schema):
    error: str
    errors: dict[str, list[str]]


class TokenRefused(AuthenticationError):
    """A token was presented and refused (unknown, revoked, expired, its account unusable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


def error_response(api: NinjaAPI, request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": message, **extra}, status=status)


def install(api: NinjaAPI) -> None:
    """The handlers of the exceptions an endpoint (or ninja around it) raises."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        if isinstance(exc, TokenRefused):
            message = exc.message
        else:
            message = _("Token API diperlukan: kirim header Authorization: Bearer <token>.")
        response = error_response(api, request, 401, message)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        token = request.auth
        return error_response(api, request, 429, _(
            "Terlalu banyak permintaan: token ini dibatasi %(limit)s permintaan per menit. Coba lagi dalam "
            "%(seconds)s detik."
        ) % {"limit": token.rate_per_minute, "seconds": math.ceil(exc.wait or 1)})  # fmt: skip

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, _("Tidak ditemukan, atau di luar cakupan token ini."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or _("Peran akun token ini tidak boleh melakukan ini."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own refusals; the one it raises in practice is a body that is not JSON.
        if exc.status_code == 400:
            return error_response(api, request, 400, _("Isi permintaan tidak dapat dibaca: kirim JSON yang valid."))
        return error_response(api, request, exc.status_code, str(exc.message))

    @api.exception_handler(RequestInvalid)
    def invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        # ninja's errors (pydantic's) by where they are: "body.lines.0.realisasi" and the like.
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            # "body.lines.0.realisasi": ninja's location without the view's argument name ("payload").
            location = ".".join(str(part) for part in error.get("loc", ()) if part != "payload") or "__all__"
            errors.setdefault(location, []).append(str(error.get("msg", "")))
        return error_response(api, request, 400, _("Permintaan tidak valid."), errors=errors)
