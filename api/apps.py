from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned API for the ministry's other systems (/api/v1/): token-authenticated reads of
    every report and the registry, and the writes a system really pushes."""

    name = "api"
    verbose_name = _("API")
