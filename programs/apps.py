from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """OVOP, the IKM registry, WUB, poverty handling, facilitations and output targets."""

    name = "programs"
    verbose_name = _("Program")
