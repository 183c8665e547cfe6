from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Anggaran dan data induk")

    def ready(self) -> None:
        from budgets.report_versions import report_rule
        from core.data_version import set_report_rule

        set_report_rule(report_rule())
