"""The month's programme records, as the records page and the monthly report page show them.

The report page's section is named in settings (MONTHLY_REPORT_SECTIONS): budgets cannot
import programs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.scoping import scoped
from budgets.models import FiscalYear, MonthlyReport, Satker
from budgets.report_sections import ReportSection
from programs.models import Facilitation, NewEntrepreneur, PovertyActivity

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class MonthRecords:
    wub: list[NewEntrepreneur]
    poverty: list[PovertyActivity]
    facilitations: list[Facilitation]

    @property
    def wub_legal(self) -> int:
        return sum(1 for record in self.wub if record.nib)

    @property
    def beneficiaries(self) -> int:
        return sum(record.beneficiaries for record in self.poverty)

    @property
    def is_empty(self) -> bool:
        return not (self.wub or self.poverty or self.facilitations)


def month_records(*, satker: Satker, fiscal_year: FiscalYear, month: int) -> MonthRecords:
    """The three kinds of records of a satker's month: three queries, whatever their number."""
    where = {"satker": satker, "fiscal_year": fiscal_year, "month": month}
    return MonthRecords(
        wub=list(NewEntrepreneur.objects.filter(**where).select_related("regency").order_by("name", "pk")),
        poverty=list(PovertyActivity.objects.filter(**where).select_related("regency").order_by("kind", "pk")),
        facilitations=list(Facilitation.objects.filter(**where).order_by("kind", "enterprise_name", "pk")),
    )


def monthly_records_section(report: MonthlyReport, user: User) -> ReportSection | None:
    records = month_records(satker=report.satker, fiscal_year=report.fiscal_year, month=report.month)
    can_edit = (
        not report.is_locked
        and not report.fiscal_year.is_closed
        and scoped(Satker.objects.filter(pk=report.satker_id), user, for_edit=True).exists()
    )
    return {
        "title": _("Catatan program bulan ini"),
        "template": "programs/records/report_section.html",
        "context": {"report": report, "records": records, "can_edit": can_edit},
    }


def user_edited_records(report: MonthlyReport, user: User) -> bool:
    """Whether ``user`` wrote any programme record of the report (its history, deletions
    included): budgets' separation of duties asks (settings.MONTHLY_REPORT_EDITORS)."""
    histories = [model.history.filter(report_id=report.pk, history_user=user).values("pk")
                 for model in (NewEntrepreneur, PovertyActivity, Facilitation)]  # fmt: skip
    return histories[0].union(*histories[1:]).exists()
