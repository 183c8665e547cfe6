from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kit as an app: site-wide template tags, receivers and lookups."""

    name = "core"
    verbose_name = "IKMA monitoring"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import audit_log, data_version, db_lookups, tables2_signatures

        # Once per migrate (this app's signal, sent when every app's tables exist): the data
        # version's triggers on every watched table.
        post_migrate.connect(data_version.install_triggers, sender=self, dispatch_uid="core.data_version.triggers")
        audit_log.connect_receivers()
        tables2_signatures.install()
        db_lookups.install()
