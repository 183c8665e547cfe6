from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kit as an app: site-wide template tags, receivers and lookups."""

    name = "core"
    verbose_name = "IKMA monitoring"

    def ready(self) -> None:
        from core import audit_log, db_lookups, tables2_signatures

        audit_log.connect_receivers()
        tables2_signatures.install()
        db_lookups.install()
