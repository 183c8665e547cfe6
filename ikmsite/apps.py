from __future__ import annotations

from django.apps import AppConfig


class IkmsiteConfig(AppConfig):
    """The project package as an app: site-wide template tags and templates."""

    name = "ikmsite"
    verbose_name = "IKMA monitoring"

    def ready(self) -> None:
        from ikmsite import tables2_signatures

        tables2_signatures.install()
