from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The signed-in home page: each role's dashboard, the tile map and the narrative."""

    name = "dashboard"
    verbose_name = _("Dasbor")
