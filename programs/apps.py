from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """OVOP, IKM registry, WUB, poverty handling, facilitations (filled by the programmes issue)."""

    name = "programs"
    verbose_name = _("Program")
