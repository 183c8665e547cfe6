from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Anggaran dan data induk")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from budgets import realization_summary  # noqa: F401  (its signal receivers)
        from core.data_version import install_triggers

        # Once per migrate (budgets' signal), when every app's tables exist.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="core.data_version.install_triggers")
