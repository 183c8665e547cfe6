"""Checks shared by the budget execution services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from budgets.models import FiscalYear, MonthlyReport, Satker

if TYPE_CHECKING:
    from accounts.models import User


def ensure_year_open(fiscal_year: FiscalYear) -> None:
    if fiscal_year.is_closed:
        raise ValidationError(
            _("Tahun anggaran %(year)s sudah ditutup dan hanya dapat dibaca.") % {"year": fiscal_year.year}
        )


def ensure_can_edit_satker(user: User, satker: Satker) -> None:
    """Writes go through the same scoping rule as reads (admins anywhere, officers at home)."""
    if not scoped(Satker.objects.filter(pk=satker.pk), user, for_edit=True).exists():
        raise PermissionDenied(_("Anda tidak berhak mengubah data satker ini."))


def report_label(report: MonthlyReport) -> str:
    return f"{report.satker.code} {report.get_month_display()} {report.fiscal_year.year}"
