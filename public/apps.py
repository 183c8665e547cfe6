from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public transparency page (/public/): approved province-level figures of the years the
    directorate has published, without sign-in."""

    name = "public"
    verbose_name = _("Halaman publik")
