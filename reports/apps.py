from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Every report of CONTRACT in one view and four formats, from an explicit catalogue."""

    name = "reports"
    verbose_name = _("Laporan")
