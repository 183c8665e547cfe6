"""A database that cannot answer right now (PostgreSQL restarting, its connection cut, SQLite
still locked by another writer after the wait): a 503 "coba lagi" page with Retry-After, never
a 500 with its "error recorded" wording. The request's transaction was rolled back, so nothing
was half-written; Django opens a fresh connection on the next request (CONN_HEALTH_CHECKS drops
a dead persistent one), so the site recovers by itself as soon as the database is back."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database is out of reach or busy, not that a query is wrong.
    SQLite reports a missing table as OperationalError too: that is a bug and stays a 500; only
    its lock/busy errors are passing states. PostgreSQL's OperationalError is by definition about
    the server's operation (connection lost, shutting down, deadlock, statement cancelled)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.__cause__, sqlite3.Error):
        text = str(error).lower()
        return "locked" in text or "busy" in text
    return True


def wants_json(request: HttpRequest) -> bool:
    return (
        request.GET.get("format") == "json"
        or request.path.startswith("/api/")
        or "application/json" in request.headers.get("Accept", "")
    )


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    # A warning, not an error: the database's own logs tell why; the stack trace would only
    # repeat where the request happened to touch it first.
    first_line = next(iter(str(error).strip().splitlines()), "")
    logger.warning(
        "database unavailable (%s: %s) for %s %s; answered 503", type(error).__name__, first_line, request.method,
        request.path,
    )  # fmt: skip
    message = _("Basis data sedang tidak dapat dihubungi. Coba lagi dalam beberapa detik; perubahan yang belum "
                "dikonfirmasi tidak tersimpan.")  # fmt: skip
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {"error": "database_unavailable", "message": message, "retry_after": RETRY_AFTER_SECONDS}, status=503
        )
    else:
        # Rendered without the request: its context processors would ask the database again.
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Views that hit an unavailable database answer 503 (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


def server_error_or_unavailable(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the same 503 when the database failed outside a view (a middleware loading
    the session or the user is usually the first to touch it), else Django's 500 page."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return unavailable_response(request, error)
    return server_error(request, template_name)
