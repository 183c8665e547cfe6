"""Reconciliation with the treasury's figure (issue 24): the page per satker and month (figures per
akun, totals, scope, queries), and the verification and approval refused while a difference is
unexplained, unblocked with a reason kept with who and when, the cockpit's batch obeying the same
rule, and nothing to block without a treasury figure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Account, EvidenceRule, MonthlyReport, ReconciliationNote, TreasuryRealization
from budgets.reconciliation import report_reconciliation
from budgets.services import report_approve, report_verify
from budgets.services.monthly_report import report_batch_decide
from tests.conftest import client_for
from tests.writes import add_realization

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


@pytest.fixture(autouse=True)
def _no_seeded_evidence_rules(db) -> None:
    EvidenceRule.objects.update(active=False)  # the batch decides clean reports only


def make_report(satker, fiscal_year, month: int, status: str, amounts=()) -> MonthlyReport:
    report = MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=month, status=status,
        due_date=date(fiscal_year.year, month, 10) + timedelta(days=31), submitted_at=timezone.now(),
    )  # fmt: skip
    for line, amount in amounts:
        add_realization(report=report, line=line, amount=amount)
    return report


def treasury(satker, fiscal_year, month: int, figures: dict) -> None:
    for account, amount in figures.items():
        TreasuryRealization.objects.create(satker=satker, fiscal_year=fiscal_year, month=month, account=account,
                                           amount=amount, source="Impor omspan_realisasi #1: jan.xlsx")  # fmt: skip


@pytest.fixture
def january(dipa, satker):
    """January verified: entered 521211 Rp12.500.000 and 524111 Rp2.000.000; the treasury reports
    521211 Rp12.500.000, 524111 Rp3.000.000 and 532111 Rp1.000.000.
    Per akun (entered - treasury): 521211 0; 524111 2 - 3 = -1 juta; 532111 0 - 1 = -1 juta.
    Totals: treasury 16.500.000, entered 14.500.000, difference -2.000.000."""
    year = dipa.fiscal_year
    report = make_report(satker, year, 1, Status.VERIFIED, [(dipa.ovop, 12_500_000), (dipa.travel, 2_000_000)])
    treasury(satker, year, 1, {dipa.ovop.account: 12_500_000, dipa.travel.account: 3_000_000,
                               dipa.machine.account: 1_000_000})  # fmt: skip
    return report


def test_figures_per_akun_and_totals(january) -> None:
    reconciliation = report_reconciliation(january)
    assert [(r.account_code, r.treasury, r.entered, r.difference) for r in reconciliation.rows] == [
        ("521211", 12_500_000, 12_500_000, 0),
        ("524111", 3_000_000, 2_000_000, -1_000_000),
        ("532111", 1_000_000, 0, -1_000_000),
    ]
    assert (reconciliation.treasury_total, reconciliation.entered_total, reconciliation.difference_total) == (
        16_500_000, 14_500_000, -2_000_000)  # fmt: skip
    assert [row.account_code for row in reconciliation.differing] == ["524111", "532111"]


def test_the_page_shows_the_figures_in_few_queries_and_is_linked_from_the_report(
    january, reviewer, satker, django_assert_max_num_queries
) -> None:
    client = client_for(reviewer)
    url = reverse("budgets:reconciliation", args=[satker.code, january.fiscal_year.year, 1])
    client.get(url)  # warm the session and caches
    # Session, user, satker, year, write scope, report, treasury rows, entries, akun, latest import, notes:
    # the same number whatever the number of akun (three more below).
    with django_assert_max_num_queries(11):
        response = client.get(url)
    for code in ("521219", "521811", "522151"):
        account = Account.objects.create(code=code, name=code, spending_type=january.satker.budget_lines.first()
                                         .account.spending_type)  # fmt: skip
        treasury(satker, january.fiscal_year, 1, {account: 1})
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    page = response.content.decode()
    assert response.status_code == 200
    assert "16.500.000" in page and "14.500.000" in page and "-2.000.000" in page and "-1.000.000" in page
    assert "2 akun berbeda" in page
    report_page = client.get(reverse("budgets:report-detail", args=[january.pk])).content.decode()
    assert url in report_page and 'name="reconciliation_reason"' in report_page


def test_another_provinces_officer_gets_404_and_the_own_officer_reads_it(january, officer, other_officer, satker):
    url = reverse("budgets:reconciliation", args=[satker.code, january.fiscal_year.year, 1])
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(officer).get(url).status_code == 200
    assert client_for(officer).get(url.replace("/1/", "/13/")).status_code == 404


def test_approval_is_refused_while_unexplained_and_goes_through_with_a_reason(january, reviewer) -> None:
    client = client_for(reviewer)
    url = reverse("budgets:report-approve", args=[january.pk])
    refused = client.post(url, {"note": ""})
    january.refresh_from_db()
    assert january.status == Status.VERIFIED
    assert "berbeda dengan angka perbendaharaan" in refused.content.decode()
    assert "akun 524111: diisi Rp2.000.000, perbendaharaan Rp3.000.000" in refused.content.decode()
    client.post(url, {"note": "", "reconciliation_reason": "SP2D 524111 terbit 31 Januari, dibukukan KPPN Februari."})
    january.refresh_from_db()
    assert january.status == Status.APPROVED
    note = ReconciliationNote.objects.get(report=january)
    assert (note.by, note.transition.to_status) == (reviewer, Status.APPROVED)
    assert note.reason.startswith("SP2D 524111") and note.differences == [
        ["524111", 3_000_000, 2_000_000], ["532111", 1_000_000, 0]]  # fmt: skip


def test_the_heads_verification_is_held_the_same_way(dipa, satker, head) -> None:
    report = make_report(satker, dipa.fiscal_year, 2, Status.SUBMITTED, [(dipa.ovop, 1_000_000)])
    treasury(satker, dipa.fiscal_year, 2, {dipa.ovop.account: 900_000})
    with pytest.raises(Exception, match="berbeda dengan angka perbendaharaan"):
        report_verify(report=report, by=head)
    report_verify(report=report, by=head, reconciliation_reason="Pengembalian belanja Rp100.000 (SSPB).")
    report.refresh_from_db()
    assert report.status == Status.VERIFIED and report.reconciliation_notes.count() == 1


def test_no_treasury_figure_or_equal_figures_block_nothing(dipa, satker, reviewer) -> None:
    without = make_report(satker, dipa.fiscal_year, 3, Status.VERIFIED, [(dipa.ovop, 1_000_000)])
    page = client_for(reviewer).get(reverse("budgets:report-detail", args=[without.pk])).content.decode()
    assert "Setujui laporan" in page and 'name="reconciliation_reason"' not in page  # nothing to explain
    report_approve(report=without, by=reviewer)
    equal = make_report(satker, dipa.fiscal_year, 4, Status.VERIFIED, [(dipa.ovop, 2_000_000)])
    treasury(satker, dipa.fiscal_year, 4, {dipa.ovop.account: 2_000_000})
    report_approve(report=equal, by=reviewer)
    assert not ReconciliationNote.objects.exists()
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_the_batch_approval_of_the_cockpit_is_refused_with_the_reason(january, dipa, satker, reviewer) -> None:
    clean = make_report(satker, dipa.fiscal_year, 3, Status.VERIFIED, [(dipa.ovop, 1_000_000)])
    outcome = report_batch_decide(reports=[january, clean], by=reviewer)
    assert [report.pk for report in outcome.done] == [clean.pk]
    assert len(outcome.refused) == 1 and "berbeda dengan angka perbendaharaan" in outcome.refused[0][1]
    january.refresh_from_db()
    assert january.status == Status.VERIFIED
