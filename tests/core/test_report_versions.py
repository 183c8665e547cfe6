"""An officer's save of a draft raises the drafts' version, not the reports' (core/data_version.py
``ReportRule``, budgets/report_versions.py): every cached page counts only reports past the draft, so
they stay cached while the provinces type. Everything else still raises the reports' version, and
no cached page differs from a fresh build after a draft's save (the rule's safety net).

PostgreSQL (the rule's trigger); on SQLite every write raises the reports' version, checked last.
These tests commit (transactional database), as requests in production do."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from budgets.models import EvidenceRule, Holiday, LineComment, MonthlyReport, Realization, SatkerAuthority
from budgets.report_versions import report_rule
from budgets.services.monthly_report import report_submit
from budgets.services.realization import realization_set
from core.data_version import APPROVED, DRAFTS, REPORTS, current_versions
from reports.catalog import REPORTS as CATALOGUE
from tests.conftest import client_for
from tests.queries import counted_queries
from tests.writes import add_realization, ro_rows_filled, set_realization

pytestmark = pytest.mark.django_db(transaction=True)
Status = MonthlyReport.Status
# The draft: the month the reports show by default (the last one ended), so that every report,
# the evidence report's month included, reads it.
DRAFT_MONTH = max(2, timezone.localdate().month - 1)


@pytest.fixture
def on_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the drafts' version is PostgreSQL's (core/data_version.py); SQLite: the last test")


@pytest.fixture
def months(on_postgres, dipa, satker, other_satker):
    """January approved in both provinces; the last month ended a draft of the officer's satker.
    Paid realization needs an SP2D (the evidence report counts the drafts' rows too)."""
    EvidenceRule.objects.create(target="budgets.realization", condition="paid", kinds=["SP2D"])
    for unit, line in ((satker, dipa.ovop), (other_satker, dipa.other_line)):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=dipa.fiscal_year, authority="DK")
        report = MonthlyReport.objects.create(
            satker=unit, fiscal_year=dipa.fiscal_year, month=1, due_date="2026-02-06", status=Status.APPROVED
        )
        add_realization(report=report, line=line, amount=1_000_000)
    draft = MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=DRAFT_MONTH,
                                         due_date=date(dipa.fiscal_year.year, DRAFT_MONTH, 28))  # fmt: skip
    add_realization(report=draft, line=dipa.ovop, amount=2_000_000)
    return dipa


NAMES = (REPORTS, DRAFTS, APPROVED)


def versions() -> tuple[int, ...]:
    found = current_versions(NAMES)
    assert found is not None
    return found


def save(dipa, officer, month: int, amount: int) -> MonthlyReport:
    """The officer's save, through the service the entry form and the import use."""
    report = MonthlyReport.objects.get(satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, month=month)
    return realization_set(satker=report.satker, fiscal_year=dipa.fiscal_year, month=month,
                           amounts={dipa.ovop.pk: amount, dipa.travel.pk: amount // 2},
                           expected_version=report.version, by=officer)  # fmt: skip


def test_the_rule_counts_what_the_reports_count() -> None:
    rule = report_rule()
    assert rule.uncounted == ("DRAFT", "RETURNED")
    assert set(rule.rows) == {"budgets_realization", "budgets_componentrealization", "budgets_spendingtyperealization"}
    assert rule.unread_columns == ("review_started_at", "review_started_by_id")
    assert rule.official == ("APPROVED",)
    assert set(rule.bookkeeping) == {"budgets_reporttransition", "budgets_returntarget", "budgets_qualityflag",
                                     "budgets_linecomment", "budgets_reconciliationnote"}  # fmt: skip


def test_a_drafts_save_raises_the_drafts_version_only(months, officer) -> None:
    before = versions()
    report = save(months, officer, DRAFT_MONTH, 3_000_000)
    assert report.realized_total == 4_500_000  # written: rows, sums, total, version
    assert raised(before) == {DRAFTS}
    before = versions()
    MonthlyReport.objects.filter(pk=report.pk).update(status=Status.RETURNED)  # a status change counts
    assert raised(before) == {REPORTS}
    before = versions()
    save(months, officer, DRAFT_MONTH, 4_000_000)  # a returned report is not counted either
    assert raised(before) == {DRAFTS}


def raised(before: tuple[int, ...]) -> set[str]:
    """Which versions moved since ``before``."""
    after = versions()
    return {name for name, old, new in zip(NAMES, before, after, strict=True) if new != old}


def test_writes_of_counted_reports_and_of_anything_else_raise_the_reports_version(months, officer) -> None:
    draft = MonthlyReport.objects.get(satker=months.ovop.satker, month=DRAFT_MONTH)
    before = versions()
    set_realization(Realization.objects.get(line=months.other_line), 5_000_000)  # an approved month's row
    assert raised(before) == {REPORTS, APPROVED}
    before = versions()
    # The due date is no entry column.
    MonthlyReport.objects.filter(pk=draft.pk).update(due_date=date(months.fiscal_year.year, DRAFT_MONTH, 27))
    assert raised(before) == {REPORTS}
    before = versions()
    december = MonthlyReport.objects.create(satker=draft.satker, fiscal_year=months.fiscal_year, month=12,
                                            due_date=date(months.fiscal_year.year, 12, 28))  # fmt: skip
    assert raised(before) == {REPORTS}  # a new report changes the submissions matrix
    before = versions()
    january = MonthlyReport.objects.get(satker=draft.satker, month=1)
    Realization.objects.filter(report=january).update(report=december)  # rows moved out of a counted report
    assert raised(before) == {REPORTS, APPROVED}
    Realization.objects.filter(report=december).update(report=january)
    before = versions()
    with transaction.atomic():  # one transaction that writes rows of a draft and of a counted report
        Realization.objects.filter(report=draft).update(amount=2_000_001)
        Realization.objects.filter(report=january).update(amount=1_000_001)
    assert {REPORTS, APPROVED} <= raised(before)


def test_a_reviewers_first_opening_raises_the_drafts_version_but_a_decision_the_reports(months, officer,
                                                                                        head) -> None:  # fmt: skip
    """``review_started_at``/``_by`` are shown on the report's own page only (never cached)."""
    draft = MonthlyReport.objects.get(satker=months.ovop.satker, month=DRAFT_MONTH)
    ro_rows_filled(draft)
    report_submit(report=draft, by=officer)
    before = versions()
    page = client_for(head).get(reverse("budgets:report-detail", args=[draft.pk]))
    assert page.status_code == 200 and page.context["can_verify"]
    assert MonthlyReport.objects.get(pk=draft.pk).review_started_by == head
    assert raised(before) == {DRAFTS}
    before = versions()
    MonthlyReport.objects.filter(pk=draft.pk).update(review_started_at=None, review_started_by=None,
                                                     submitted_on_time=False)  # fmt: skip
    assert raised(before) == {REPORTS}  # with a column the reports read


def test_a_save_and_submit_in_one_transaction_raises_the_reports_version(months, officer) -> None:
    draft = MonthlyReport.objects.get(satker=months.ovop.satker, month=DRAFT_MONTH)
    ro_rows_filled(draft)
    before = versions()
    with transaction.atomic():
        report = save(months, officer, DRAFT_MONTH, 3_000_000)
        report_submit(report=report, by=officer)
    assert REPORTS in raised(before)
    assert MonthlyReport.objects.get(pk=draft.pk).status == Status.SUBMITTED


def step(who, report: MonthlyReport, name: str, **data: str) -> None:
    """A sign-off step through its form, as the pages post it."""
    answer = client_for(who).post(reverse(f"budgets:report-{name}", args=[report.pk]), data)
    assert answer.status_code == 302, answer.content[:300]


@pytest.fixture
def submitted(months, officer):
    """The officer's draft month, its RO rows filled, ready to submit."""
    draft = MonthlyReport.objects.get(satker=months.ovop.satker, month=DRAFT_MONTH)
    ro_rows_filled(draft)
    return draft


def test_the_sign_off_steps_short_of_approving_leave_the_approved_version(submitted, officer, head, reviewer,
                                                                           admin_user) -> None:  # fmt: skip
    """Submit, verify and return change no approved report: the approved figures' pages stay
    cached. Approving and reopening change one, and so does any write outside the rule."""
    walk = [
        (officer, "submit", {}, Status.SUBMITTED, {REPORTS}),
        (head, "verify", {"note": ""}, Status.VERIFIED, {REPORTS}),
        (reviewer, "return", {"comment": "Mohon periksa kembali."}, Status.RETURNED, {REPORTS}),
        (officer, "submit", {}, Status.SUBMITTED, {REPORTS}),
        (head, "verify", {"note": ""}, Status.VERIFIED, {REPORTS}),
        (reviewer, "approve", {"note": "Sesuai."}, Status.APPROVED, {REPORTS, APPROVED}),
        (admin_user, "reopen", {"reason": "Koreksi realisasi."}, Status.RETURNED, {REPORTS, APPROVED}),
    ]
    for who, name, data, status, expected in walk:
        before = versions()
        step(who, submitted, name, **data)
        assert MonthlyReport.objects.get(pk=submitted.pk).status == status
        assert raised(before) == expected, name
    before = versions()
    Holiday.objects.create(date=date(submitted.fiscal_year.year, 8, 17), name="Hari Kemerdekaan")  # master data
    assert raised(before) == {REPORTS, APPROVED}


def test_a_bookkeeping_row_of_an_approved_report_raises_the_approved_version(months, reviewer) -> None:
    january = MonthlyReport.objects.get(satker=months.ovop.satker, month=1)
    before = versions()
    LineComment.objects.create(report=january, line=months.ovop, author=reviewer, body="Cek SP2D.")
    assert raised(before) == {REPORTS, APPROVED}
    draft = MonthlyReport.objects.get(satker=months.ovop.satker, month=DRAFT_MONTH)
    before = versions()
    LineComment.objects.create(report=draft, line=months.ovop, author=reviewer, body="Cek SP2D.")
    assert raised(before) == {REPORTS}


def test_a_cached_approved_page_outlives_a_submission(submitted, officer, viewer) -> None:
    """The point of the approved version: a report on the default basis is served from the cache
    after a submission (the submissions report, which shows it, is built afresh)."""
    client = client_for(viewer)
    year = {"year": submitted.fiscal_year.year}
    for name in ("realization", "submissions"):
        assert client.get(reverse(f"reports:{name}"), year).status_code == 200
    step(officer, submitted, "submit")
    with counted_queries() as approved_page:
        assert client.get(reverse("reports:realization"), year).status_code == 200
    with counted_queries() as submissions_page:
        assert b"Diajukan" in client.get(reverse("reports:submissions"), year).content
    assert len(approved_page) < 10 < len(submissions_page)


def test_the_dashboard_keeps_its_approved_figures_across_a_submission(submitted, officer, viewer) -> None:
    """The dashboard's figures of approved reports are cached apart: after a submission only the
    sign-off's counts and the RO progress are read again, and the new count shows."""
    client = client_for(viewer)
    year = {"year": submitted.fiscal_year.year}
    with counted_queries() as built:
        before = client.get(reverse("dashboard:home"), year).content.decode()
    step(officer, submitted, "submit")
    with counted_queries() as rebuilt:
        after = client.get(reverse("dashboard:home"), year).content.decode()
    waiting = re.compile(r'data-kpi="awaiting_verification"><a [^>]*>(\d+) ')
    assert (waiting.search(before)[1], waiting.search(after)[1]) == ("0", "1")
    assert len(rebuilt) < len(built) / 2


def strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("who", ["reviewer", "officer", "viewer"])
def test_no_cached_page_differs_from_a_fresh_build_after_a_drafts_save(months, who, request, settings) -> None:
    """Every report of the catalogue (HTML and JSON) and the dashboard, cached before an
    officer's save of a draft, is what building it afresh gives after it."""
    client = client_for(request.getfixturevalue(who))
    year = {"year": months.fiscal_year.year}
    pages = [(reverse("dashboard:home"), year)] + [
        (reverse(f"reports:{name}"), {**year, **extra}) for name in CATALOGUE for extra in ({}, {"format": "json"})
    ]

    def read() -> list[str]:
        answers = [client.get(path, params) for path, params in pages]
        assert [answer.status_code for answer in answers] == [200] * len(pages)
        return [strip_tokens(answer.content.decode()) for answer in answers]

    read()  # cached
    before = versions()
    save(months, request.getfixturevalue("officer"), DRAFT_MONTH, 7_000_000)
    assert raised(before) == {DRAFTS}
    served = read()
    settings.FRESH_CACHE_ENABLED = False
    fresh = read()
    different = [path for (path, params), one, other in zip(pages, served, fresh, strict=True) if one != other]
    assert different == []


@pytest.mark.parametrize("who", ["reviewer", "officer", "viewer"])
def test_no_cached_page_differs_from_a_fresh_build_after_a_step_short_of_approving(
    submitted, who, request, settings, officer, head, reviewer
) -> None:
    """Every report of the catalogue (HTML and JSON, each basis) and the dashboard, cached before a
    submission, a verification or a return, is what building it afresh gives after it."""
    client = client_for(request.getfixturevalue(who))
    year = {"year": submitted.fiscal_year.year}
    pages = [(reverse("dashboard:home"), year)] + [
        (reverse(f"reports:{name}"), {**year, **extra, **basis})
        for name, spec in CATALOGUE.items()
        for extra in ({}, {"format": "json"})
        for basis in ({}, {"basis": "submitted"}) if "basis" in spec.params or not basis
    ]  # fmt: skip

    def read() -> list[str]:
        answers = [client.get(path, params) for path, params in pages]
        assert [answer.status_code for answer in answers] == [200] * len(pages)
        return [strip_tokens(answer.content.decode()) for answer in answers]

    for who_steps, name, data in ((officer, "submit", {}), (head, "verify", {"note": ""}),
                                  (reviewer, "return", {"comment": "Mohon periksa kembali."})):  # fmt: skip
        settings.FRESH_CACHE_ENABLED = True
        read()  # cached
        before = versions()
        step(who_steps, submitted, name, **data)
        assert raised(before) == {REPORTS}
        served = read()
        settings.FRESH_CACHE_ENABLED = False
        fresh = read()
        different = [path for (path, params), one, other in zip(pages, served, fresh, strict=True) if one != other]
        assert different == [], name


def test_on_sqlite_a_drafts_save_raises_the_reports_and_approved_versions(dipa, satker, officer) -> None:
    """No trigger there reads another table (SQLite's table rebuilds in migrations would break it):
    every write raises the reports' and the approved figures' versions, so no page is ever stale,
    only rebuilt more often."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers")
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=DRAFT_MONTH,
                                 due_date=date(dipa.fiscal_year.year, DRAFT_MONTH, 28))  # fmt: skip
    before = versions()
    save(dipa, officer, DRAFT_MONTH, 3_000_000)
    assert raised(before) == {REPORTS, APPROVED}
