"""The version of the data the reports read, raised by database triggers on every write."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DataVersion(models.Model):
    """One counter per kind of data (``core.data_version``). Triggers on the watched tables
    raise it when a transaction that wrote to them commits, so cached report pages keyed by it
    are never older than the data: a change shows in the next request."""

    name = models.CharField(_("nama"), max_length=30, primary_key=True)
    version = models.BigIntegerField(_("versi"), default=0)

    class Meta:
        # Created by budgets (its migration 0004) before the data version moved to core.
        db_table = "budgets_dataversion"
        verbose_name = _("versi data")
        verbose_name_plural = pgettext_lazy("jamak", "versi data")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
