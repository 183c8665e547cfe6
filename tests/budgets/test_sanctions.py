"""Sanction proposals (art. 75): proposed by the directorate from the ledger, decided by the
admin, never by the proposer; scoped to the province; shown on the satker's page."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from budgets.models import SanctionProposal
from budgets.services.sanctions import sanction_decide, sanction_propose
from tests.budgets.ledger_world import make_year, sent_report
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Kind, Decision = SanctionProposal.Kind, SanctionProposal.Decision


@pytest.fixture
def year(satker, other_satker):
    return make_year(satker, other_satker)


def propose(client, year, satker, kind=Kind.POSTPONE_NEXT_QUARTER, note="Tidak melapor tiga bulan."):
    return client.post(reverse("budgets:sanction-propose", args=[year.year, satker.code]), {"kind": kind, "note": note})


def test_a_reviewer_proposes_from_the_ledger_with_its_rows(year, satker, reviewer) -> None:
    client = client_for(reviewer)
    ledger_page = client.get(reverse("budgets:ledger"), {"year": 2025}).content.decode()
    assert reverse("budgets:sanction-propose", args=[2025, satker.code]) in ledger_page
    response = propose(client, year, satker)
    proposal = SanctionProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "budgets:sanction-detail", args=[proposal.pk]
    )
    assert (proposal.satker, proposal.proposed_by, proposal.decision) == (satker, reviewer, Decision.PENDING)
    kinds = [row["kind"] for row in proposal.late_reports]
    assert (kinds.count("monthly"), kinds.count("quarterly")) == (12, 5) and proposal.late_reports[0][
        "period"
    ] == "2025-01"
    assert proposal.late_reports[0]["due_date"] == "2025-02-07"
    # Listed in the ledger, and on the satker's page (its partial).
    assert (
        reverse("budgets:sanction-detail", args=[proposal.pk])
        in client.get(reverse("budgets:ledger"), {"year": 2025}).content.decode()
    )
    page = client.get(reverse("budgets:satker-year", args=[satker.code, 2025])).content.decode()
    assert 'id="sanctions"' in page and "Penundaan penyaluran triwulan berikutnya" in page


def test_no_proposal_without_late_reports(year, satker, reviewer) -> None:
    from budgets.models import QuarterlyReport

    for month in range(1, 13):
        sent_report(satker, year, month, date(2025, 1, 1), on_time=True)
    sent = timezone.make_aware(datetime(2025, 1, 1, 10))
    for period, kind in [(1, "QUARTER"), (2, "QUARTER"), (3, "QUARTER"), (4, "QUARTER"), (4, "YEAR_END")]:
        QuarterlyReport.objects.create(satker=satker, fiscal_year=year, period=period, kind=kind, status="APPROVED",
                                       due_date=date(2026, 1, 7), sent_at=sent, sent_on_time=True)  # fmt: skip
    with pytest.raises(ValidationError):
        sanction_propose(satker=satker, fiscal_year=year, kind=Kind.STOP_NEXT_YEAR, note="x", by=reviewer,
                         today=date(2026, 3, 1))  # fmt: skip
    assert SanctionProposal.objects.count() == 0


@pytest.mark.parametrize("persona", ["officer", "viewer"])
def test_the_province_and_the_viewer_may_not_propose(persona, request, year, satker) -> None:
    user = request.getfixturevalue(persona)
    assert propose(client_for(user), year, satker).status_code == 403
    with pytest.raises(PermissionDenied):
        sanction_propose(satker=satker, fiscal_year=year, kind=Kind.STOP_NEXT_YEAR, note="x", by=user)
    assert SanctionProposal.objects.count() == 0


def test_who_may_propose_and_decide_is_the_permissions_module(officer, reviewer, viewer, admin_user) -> None:
    assert [permissions.may_propose_sanction(u) for u in (officer, reviewer, viewer, admin_user)] == [
        False, True, False, True,
    ]  # fmt: skip
    assert [permissions.may_decide_sanction(u) for u in (officer, reviewer, viewer, admin_user)] == [
        False, False, False, True,
    ]  # fmt: skip
    assert not permissions.may_decide_sanction(admin_user, proposed_by_id=admin_user.pk)


@pytest.fixture
def proposal(year, satker, reviewer):
    return sanction_propose(satker=satker, fiscal_year=year, kind=Kind.POSTPONE_NEXT_QUARTER, note="Terlambat",
                            by=reviewer)  # fmt: skip


def decide(client, proposal, decision, note=""):
    return client.post(reverse("budgets:sanction-detail", args=[proposal.pk]), {"decision": decision, "note": note})


def test_the_admin_decides(proposal, admin_user) -> None:
    client = client_for(admin_user)
    assert 'name="decision"' in client.get(reverse("budgets:sanction-detail", args=[proposal.pk])).content.decode()
    assert decide(client, proposal, Decision.APPROVED, "Sesuai pasal 75.").status_code == 302
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.decided_by, proposal.decision_note) == (
        Decision.APPROVED, admin_user, "Sesuai pasal 75."
    )  # fmt: skip
    assert proposal.decided_at is not None
    assert proposal.history.count() == 2  # proposed, decided
    # Decided once: the form is gone and a second decision is refused.
    assert 'name="decision"' not in client.get(reverse("budgets:sanction-detail", args=[proposal.pk])).content.decode()
    with pytest.raises(ValidationError):
        sanction_decide(proposal=proposal, decision=Decision.REJECTED, note="x", by=admin_user)


def test_a_rejection_needs_a_reason(proposal, admin_user) -> None:
    response = decide(client_for(admin_user), proposal, Decision.REJECTED)
    assert response.status_code == 200 and response.context["form"].errors
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_a_reviewer_may_not_decide(proposal, reviewer, officer) -> None:
    assert decide(client_for(reviewer), proposal, Decision.APPROVED).status_code == 403
    assert decide(client_for(officer), proposal, Decision.APPROVED).status_code == 403
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_who_proposed_may_not_decide(year, satker, admin_user) -> None:
    own = sanction_propose(satker=satker, fiscal_year=year, kind=Kind.STOP_NEXT_YEAR, note="x", by=admin_user)
    client = client_for(admin_user)
    page = client.get(reverse("budgets:sanction-detail", args=[own.pk]))
    assert page.context["form"] is None
    response = decide(client, own, Decision.APPROVED, "ok")
    assert response.status_code == 200 and "Pengusul tidak dapat" in response.content.decode()
    own.refresh_from_db()
    assert own.decision == Decision.PENDING
    other_admin = UserFactory(username="admin2", role="ADMIN")
    sanction_decide(proposal=own, decision=Decision.APPROVED, note="", by=other_admin)
    # The database holds it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionProposal.objects.filter(pk=own.pk).update(decided_by=admin_user, decided_at=timezone.now())


def test_the_province_reads_its_own_and_another_province_gets_404(proposal, officer, other_officer, satker) -> None:
    assert client_for(officer).get(reverse("budgets:sanction-detail", args=[proposal.pk])).status_code == 200
    assert client_for(other_officer).get(reverse("budgets:sanction-detail", args=[proposal.pk])).status_code == 404
    assert decide(client_for(other_officer), proposal, Decision.APPROVED).status_code == 404
    listed = client_for(other_officer).get(reverse("budgets:ledger"), {"year": 2025}).content.decode()
    assert reverse("budgets:sanction-detail", args=[proposal.pk]) not in listed
