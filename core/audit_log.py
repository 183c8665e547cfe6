"""Structured security and workflow events: sign-ins, failed sign-ins, lockouts, sign-outs,
wrong current passwords on the password change page, 403 and 404 responses, report transitions
(submit, approve, return, reopen) and imports, one JSON object per line on the ``ikma.audit``
logger. Every line written during a request carries the client's address (``ip``: the
``AuditContextMiddleware`` of core/middleware.py; accounts/client_address.py reads it behind a
trusted proxy).

The model history (django-simple-history) says what changed in the data; this log says who did
what and from where, in a form a log collector can index without parsing sentences.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from accounts.client_address import client_address
from core.log_format import JsonFormatter  # noqa: F401 (the audit log's format, imported from here)

logger = logging.getLogger("ikma.audit")

# The address of the request being served: events raised deep in a service (a report
# transition) have no request at hand, yet their lines must say where they came from.
request_address: ContextVar[str | None] = ContextVar("ikma_audit_request_address", default=None)


def audit(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    fields.setdefault("ip", request_address.get())
    logger.log(level, event, extra={"event": event, **fields})


def audit_on_commit(event: str, **fields: Any) -> None:
    """Logged when the transaction commits: a transition rolled back did not happen. The address
    is the request's now (the commit may come after the request is served)."""
    fields.setdefault("ip", request_address.get())
    transaction.on_commit(lambda: audit(event, **fields))


def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    audit("sign_in", user=user.get_username(), role=getattr(user, "role", None), ip=client_address(request))


def _signed_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    audit("sign_out", user=user.get_username() if user else None, ip=client_address(request))


def _sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    # Django cleanses the credentials (the password is masked); the username is what was typed.
    audit("sign_in_failed", level=logging.WARNING, user=credentials.get("username"), ip=client_address(request))


def _locked_out(sender, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs) -> None:
    audit("lockout", level=logging.WARNING, user=username, ip=ip_address)


def _password_change_failed(sender, request: HttpRequest, user, failures: int, signed_out: bool, **kwargs) -> None:
    audit("password_change_failed", level=logging.WARNING, user=user.get_username(), failures=failures,
          signed_out=signed_out, ip=client_address(request))  # fmt: skip


def connect_receivers() -> None:
    """Sign-ins, sign-outs, failures and lockouts (django-axes' signal: a (username, address)
    pair was just locked) are logged from now on; called once by CoreConfig.ready()."""
    from axes.signals import user_locked_out

    from accounts.signals import password_change_failed

    user_logged_in.connect(_signed_in, dispatch_uid="ikma-audit-sign-in")
    user_logged_out.connect(_signed_out, dispatch_uid="ikma-audit-sign-out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="ikma-audit-sign-in-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="ikma-audit-lockout")
    password_change_failed.connect(_password_change_failed, dispatch_uid="ikma-audit-password-change-failed")
