"""Signals of the accounts for the audit log, which lives a layer above (core/audit_log.py)."""

from __future__ import annotations

from django.dispatch import Signal

# A wrong current password on the password change page: sent with ``request``, ``user``,
# ``failures`` (in the throttle's window) and ``signed_out`` (the throttle ended the session).
password_change_failed = Signal()
