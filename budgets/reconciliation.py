"""Reconciliation of a monthly report with the treasury's figure: the one home of the rule.

Per akun, the realization the officer entered for the month (the report's lines of that akun,
summed) against the treasury's realization of that akun and month (``TreasuryRealization``,
imported from OM-SPAN/SAKTI). A month without any treasury figure has nothing to reconcile. While
any akun differs, the report's verification (the Kepala Dinas) and approval (the directorate) are
refused unless the decider gives a reason, kept as a ``ReconciliationNote`` with who and when
(``ensure_reconciled``, called by budgets/services/monthly_report.py, so the page's buttons and the
cockpit's batch decision obey it alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from budgets.models import (
    Account,
    MonthlyReport,
    Realization,
    ReconciliationNote,
    ReportTransition,
    TreasuryRealization,
)
from core.formats import format_rupiah

if TYPE_CHECKING:
    from accounts.models import User

REASON_FIELD = "reconciliation_reason"  # the decision forms' field (budgets/forms.py ApproveForm)


@dataclass(frozen=True)
class ReconciliationRow:
    account_code: str
    account_name: str
    treasury: int | None  # None: the treasury reports nothing on this akun this month
    entered: int

    @property
    def difference(self) -> int:
        """Entered minus the treasury's (positive: more entered than the treasury paid)."""
        return self.entered - (self.treasury or 0)


@dataclass
class Reconciliation:
    has_treasury_figure: bool
    rows: list[ReconciliationRow] = field(default_factory=list)

    @property
    def treasury_total(self) -> int:
        return sum(row.treasury or 0 for row in self.rows)

    @property
    def entered_total(self) -> int:
        return sum(row.entered for row in self.rows)

    @property
    def difference_total(self) -> int:
        return self.entered_total - self.treasury_total

    @property
    def differing(self) -> list[ReconciliationRow]:
        return [row for row in self.rows if row.difference] if self.has_treasury_figure else []


def reconcile(*, satker_id: int, fiscal_year_id: int, month: int, report: MonthlyReport | None) -> Reconciliation:
    """The month's rows per akun: one query when the treasury reports nothing for the month (nothing to
    reconcile: the report page pays one query), three otherwise."""
    treasury = dict(
        TreasuryRealization.objects.filter(satker_id=satker_id, fiscal_year_id=fiscal_year_id, month=month)
        .values_list("account_id", "amount")
    )  # fmt: skip
    if not treasury:
        return Reconciliation(False)
    entered: dict[int, int] = {}
    if report is not None:
        entered = dict(
            Realization.objects.filter(report=report).values("line__account_id")
            .annotate(total=Sum("amount")).values_list("line__account_id", "total")
        )  # fmt: skip
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=set(treasury) | set(entered)).only("code", "name")}
    rows = [
        ReconciliationRow(accounts[pk].code, accounts[pk].name, treasury.get(pk), entered.get(pk, 0))
        for pk in sorted(accounts, key=lambda pk: accounts[pk].code)
    ]
    return Reconciliation(bool(treasury), rows)


def report_reconciliation(report: MonthlyReport) -> Reconciliation:
    return reconcile(satker_id=report.satker_id, fiscal_year_id=report.fiscal_year_id, month=report.month,
                     report=report)  # fmt: skip


def blocking_message(reconciliation: Reconciliation) -> str:
    differing = reconciliation.differing
    listed = "; ".join(
        _("akun %(account)s: diisi %(entered)s, perbendaharaan %(treasury)s")
        % {"account": row.account_code, "entered": format_rupiah(row.entered),
           "treasury": format_rupiah(row.treasury or 0)}
        for row in differing[:5]
    )  # fmt: skip
    more = _(" dan %(count)s akun lainnya") % {"count": len(differing) - 5} if len(differing) > 5 else ""
    return _(
        "Realisasi yang diisi berbeda dengan angka perbendaharaan (OM-SPAN/SAKTI) pada %(count)s akun "
        "(%(listed)s%(more)s; selisih jumlah %(total)s). Tuliskan alasan selisih untuk tetap melanjutkan, atau "
        "kembalikan laporan untuk diperbaiki."
    ) % {"count": len(differing), "listed": listed, "more": more,
         "total": format_rupiah(reconciliation.difference_total)}  # fmt: skip


def ensure_reconciled(*, report: MonthlyReport, by: User, reason: str = "") -> Reconciliation:
    """Refuse a decision on ``report`` while an akun differs from the treasury's figure and no
    reason is given (ValidationError on the decision form's reason field). With a reason, the
    caller records it with ``record_reason`` once the transition exists."""
    reconciliation = report_reconciliation(report)
    if reconciliation.differing and not (reason or "").strip():
        raise ValidationError({REASON_FIELD: [blocking_message(reconciliation)]})
    return reconciliation


def record_reason(
    *, reconciliation: Reconciliation, report: MonthlyReport, transition: ReportTransition, by: User, reason: str
) -> ReconciliationNote | None:
    """Keep the reason given for deciding despite the differences (nothing when none differed)."""
    if not reconciliation.differing:
        return None
    note = ReconciliationNote(
        report=report, transition=transition, reason=reason.strip(), by=by,
        differences=[[row.account_code, row.treasury or 0, row.entered] for row in reconciliation.differing],
    )  # fmt: skip
    note._history_user = by
    note.save()
    return note
