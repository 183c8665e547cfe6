"""Sanction proposals (PP 7/2008 art. 75): the directorate proposes one for a satker from its
late-report ledger; another member of the directorate decides it. Who may is
accounts.permissions (``may_propose_sanction``, ``may_decide_sanction``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from budgets import ledger
from budgets.models import FiscalYear, SanctionProposal, Satker
from core.audit_log import audit_on_commit

Decision = SanctionProposal.Decision


@transaction.atomic
def sanction_propose(
    *, satker: Satker, fiscal_year: FiscalYear, kind: str, note: str, by: Any, today: date | None = None
) -> SanctionProposal:
    """Record a proposal resting on the satker's late or missing reports as the ledger has them
    today (kept in the proposal); refused when the satker has none."""
    if not permissions.may_propose_sanction(by):
        raise PermissionDenied
    if kind not in SanctionProposal.Kind.values:
        raise ValidationError({"kind": _("Jenis sanksi tidak dikenal.")})
    today = today or timezone.localdate()
    (entry,) = ledger.satker_ledgers(fiscal_year, Satker.objects.filter(pk=satker.pk), today)
    if not entry.rows:
        raise ValidationError(_("Satker ini tidak memiliki laporan terlambat atau belum dikirim pada tahun ini."))
    proposal = SanctionProposal.objects.create(
        satker=satker, fiscal_year=fiscal_year, kind=kind, note=note.strip(), proposed_by=by,
        late_reports=[row.as_record() for row in entry.rows],
    )  # fmt: skip
    audit_on_commit("sanction_proposed", sanction=proposal.pk, satker=satker.code, year=fiscal_year.year, kind=kind,
                    user=by.get_username())  # fmt: skip
    return proposal


@transaction.atomic
def sanction_decide(*, proposal: SanctionProposal, decision: str, note: str, by: Any) -> SanctionProposal:
    """Approve or reject a pending proposal; never by whoever proposed it."""
    proposal = SanctionProposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.may_decide_sanction(by):
        raise PermissionDenied
    if by.pk == proposal.proposed_by_id:
        raise ValidationError(_("Pengusul tidak dapat memutuskan usulannya sendiri."))
    if proposal.decision != Decision.PENDING:
        raise ValidationError(_("Usulan ini sudah diputuskan."))
    if decision not in (Decision.APPROVED, Decision.REJECTED):
        raise ValidationError({"decision": _("Pilih setujui atau tolak.")})
    if decision == Decision.REJECTED and not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan.")})
    proposal.decision = decision
    proposal.decision_note = note.strip()
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    audit_on_commit("sanction_decided", sanction=proposal.pk, satker=proposal.satker.code, decision=decision,
                    user=by.get_username())  # fmt: skip
    return proposal
