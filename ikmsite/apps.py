from __future__ import annotations

from django.apps import AppConfig


class IkmsiteConfig(AppConfig):
    """The project package as an app: site-wide template tags and templates."""

    name = "ikmsite"
    verbose_name = "IKMA monitoring"

    def ready(self) -> None:
        from ikmsite import audit_log, db_lookups, security, tables2_signatures  # noqa: F401 (receivers)

        tables2_signatures.install()
        db_lookups.install()
