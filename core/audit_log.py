"""Structured security and workflow events: sign-ins, failed sign-ins, lockouts, sign-outs,
report transitions (submit, approve, return, reopen) and imports, one JSON object per line on
the ``ikma.audit`` logger.

The model history (django-simple-history) says what changed in the data; this log says who did
what and from where, in a form a log collector can index without parsing sentences.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from core.log_format import JsonFormatter  # noqa: F401 (the audit log's format, imported from here)

logger = logging.getLogger("ikma.audit")


def audit(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    logger.log(level, event, extra={"event": event, **fields})


def audit_on_commit(event: str, **fields: Any) -> None:
    """Logged when the transaction commits: a transition rolled back did not happen."""
    transaction.on_commit(lambda: audit(event, **fields))


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def _signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    audit("sign_in", user=user.get_username(), role=getattr(user, "role", None), ip=client_address(request))


def _signed_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    audit("sign_out", user=user.get_username() if user else None, ip=client_address(request))


def _sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    # Django cleanses the credentials (the password is masked); the username is what was typed.
    audit("sign_in_failed", level=logging.WARNING, user=credentials.get("username"), ip=client_address(request))


def _locked_out(sender, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs) -> None:
    audit("lockout", level=logging.WARNING, user=username, ip=ip_address)


def connect_receivers() -> None:
    """Sign-ins, sign-outs, failures and lockouts (django-axes' signal: a (username, address)
    pair was just locked) are logged from now on; called once by CoreConfig.ready()."""
    from axes.signals import user_locked_out

    user_logged_in.connect(_signed_in, dispatch_uid="ikma-audit-sign-in")
    user_logged_out.connect(_signed_out, dispatch_uid="ikma-audit-sign-out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="ikma-audit-sign-in-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="ikma-audit-lockout")
