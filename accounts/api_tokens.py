"""API tokens: what a key looks like, how it is issued and how a presented key is checked.

A key is ``ikma_<prefix>_<secret>``. The prefix is public (it names the token in the admin and in
the logs, and finds its row); the secret is shown once when the token is issued and only its
SHA-256 is stored, so a copy of the database gives no usable key. A token acts as its account:
every permission and scope of accounts.permissions and accounts.scoping then applies unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.demo import DEMO_API_KEYS

if TYPE_CHECKING:
    from accounts.models import ApiToken

KEY_PREFIX = "ikma_"
PREFIX_LENGTH = 8
# The secret's alphabet and length when the key is ours; a presented key is only matched by hash.
_KEY = re.compile(rf"^{KEY_PREFIX}([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{16,128}})$")
DEFAULT_LIFETIME = timedelta(days=365)
DEFAULT_RATE_PER_MINUTE = 120


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str | None = None) -> tuple[str, str]:
    """A fresh (prefix, key)."""
    prefix = prefix or "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(PREFIX_LENGTH))
    return prefix, f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def default_expiry() -> datetime:
    return timezone.now() + DEFAULT_LIFETIME


def parse_prefix(key: str) -> str | None:
    """The prefix of a well-formed key; None for anything else (never looked up)."""
    found = _KEY.match(key)
    return found[1] if found else None


@dataclass(frozen=True)
class Refusal:
    """Why a presented key does not authenticate: ``reason`` for the audit log, ``message`` for the
    caller (in the request's language)."""

    reason: str
    message: str


def check(token: ApiToken | None, key: str, now: datetime) -> Refusal | None:
    """None when ``key`` is ``token``'s and the token may be used now; the refusal otherwise.
    An unknown key and a wrong secret get the same answer: the caller learns nothing of prefixes."""
    if token is None or not hmac.compare_digest(token.key_hash, key_hash(key)):
        return Refusal("unknown", _("Token API tidak dikenal."))
    if getattr(settings, "IS_PRODUCTION", False) and key in DEMO_API_KEYS.values():
        # Published in the README: never a way in to a real installation.
        return Refusal("demo", _("Token API demo tidak berlaku di sistem produksi."))
    if token.revoked_at is not None:
        return Refusal("revoked", _("Token API ini sudah dicabut."))
    if token.expires_at <= now:
        return Refusal("expired", _("Token API ini sudah kedaluwarsa."))
    if not permissions.uses_site(token.user):
        # The account behind it was deactivated or lost its role: the token stops with it.
        return Refusal("account", _("Akun token API ini tidak aktif atau tidak memiliki peran."))
    return None
