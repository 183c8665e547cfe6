"""Checks shared by the budget execution services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from budgets.models import FiscalYear, MonthlyReport, Satker

if TYPE_CHECKING:
    from accounts.models import User


def closed_year_reason(fiscal_year: FiscalYear) -> str | None:
    """Why nothing of the year may change any more (None: the year is open)."""
    if fiscal_year.is_closed:
        return _("Tahun anggaran %(year)s sudah ditutup dan hanya dapat dibaca.") % {"year": fiscal_year.year}
    return None


def ensure_year_open(fiscal_year: FiscalYear) -> None:
    reason = closed_year_reason(fiscal_year)
    if reason:
        raise ValidationError(reason)


def ensure_can_edit_satker(user: User, satker: Satker) -> None:
    """Writes go through the same scoping rule as reads (admins anywhere, officers at home)."""
    if not scoped(Satker.objects.filter(pk=satker.pk), user, for_edit=True).exists():
        raise PermissionDenied(_("Anda tidak berhak mengubah data satker ini."))


def report_label(report: MonthlyReport) -> str:
    return f"{report.satker.code} {report.get_month_display()} {report.fiscal_year.year}"


def report_new_version(report: MonthlyReport, by: User) -> None:
    """An entry of the report changed (realization, RO rows, programme records): the report is a
    new version, so a form opened on the old one is refused as stale."""
    report.version += 1
    report._history_user = by
    report.save(update_fields=["version", "updated_at"])
