from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data and demo accounts (make run), outside the domain apps."""

    name = "demo"
    verbose_name = _("Data demo")
