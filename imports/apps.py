from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Excel round trip: templates, uploads, checks and imports of every CONTRACT kind.

    Sits above programs and budgets (it writes into both); nothing imports it."""

    name = "imports"
    verbose_name = _("Impor Excel")
