"""Data-quality flags of a monthly report: budgets' rules (month spike, RPD without realization),
the refresh (idempotent, keeps decisions), who decides, the page and the bounded query count."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from budgets import realization_summary
from budgets.models import BudgetLine, MonthlyReport, QualityFlag, RpdPlan
from budgets.quality import (
    IDLE_REASON,
    MONTH_SPIKE,
    RPD_NO_REALIZATION,
    SPIKE_MULTIPLIER,
    budget_findings,
    is_idle,
    is_spike,
    median,
    with_open_flags_count,
)
from budgets.services.quality import flag_decide, flags_refresh
from budgets.services.realization import report_get_or_create
from tests.conftest import client_for
from tests.writes import add_realization

pytestmark = pytest.mark.django_db


def report_of(dipa, satker, month: int) -> MonthlyReport:
    return report_get_or_create(satker=satker, fiscal_year=dipa.fiscal_year, month=month)[0]


def months_realized(dipa, satker, amounts: dict[int, int], line: BudgetLine | None = None) -> dict[int, MonthlyReport]:
    reports = {}
    for month, amount in amounts.items():
        reports[month] = report_of(dipa, satker, month)
        if amount:
            add_realization(report=reports[month], line=line or dipa.ovop, amount=amount)
    return reports


# -- pure rules ----------------------------------------------------------------------------------


def test_median_of_odd_and_even_counts() -> None:
    assert median([5, 1, 3]) == 3
    assert median([1, 2, 3, 4]) == Fraction(5, 2)


def test_spike_is_strictly_above_three_times_the_median() -> None:
    assert SPIKE_MULTIPLIER == 3
    assert is_spike(30, [10, 10, 30]) is None  # exactly 3x the median (10)
    assert is_spike(31, [10, 10, 31]) == 10
    assert is_spike(0, [0, 0]) is None  # no month with realization


def test_idle_needs_rpd_in_every_month_and_no_realization() -> None:
    months = [1, 2, 3]
    assert is_idle({1: 5, 2: 5, 3: 5}, {}, months)
    assert not is_idle({1: 5, 2: 5, 3: 5}, {2: 1}, months)
    assert not is_idle({1: 5, 3: 5}, {}, months)


# -- MONTH_SPIKE ---------------------------------------------------------------------------------


def test_month_spike_fires_above_three_times_the_median_and_names_the_figures(dipa, satker) -> None:
    reports = months_realized(dipa, satker, {1: 10_000_000, 2: 10_000_000, 3: 30_000_001})
    (finding,) = budget_findings(reports[3])
    assert finding.code == MONTH_SPIKE
    assert "Rp30.000.001" in finding.reason and "Rp10.000.000" in finding.reason
    assert "3 kali" in finding.reason


def test_month_spike_exactly_three_times_the_median_does_not_fire(dipa, satker) -> None:
    reports = months_realized(dipa, satker, {1: 10_000_000, 2: 10_000_000, 3: 30_000_000})
    assert budget_findings(reports[3]) == []


def test_month_spike_ignores_later_months_and_months_without_realization(dipa, satker) -> None:
    reports = months_realized(dipa, satker, {1: 10_000_000, 2: 0, 3: 50_000_000, 4: 50_000_000})
    # Up to March: months with realization are January and March, median 30.000.000.
    assert budget_findings(reports[3]) == []
    # Another satker's figures do not count.
    assert budget_findings(report_of(dipa, satker, 5)) == []


# -- RPD_NO_REALIZATION --------------------------------------------------------------------------


def plan(dipa, satker, spending_type, months, amount: int = 5_000_000) -> None:
    RpdPlan.objects.bulk_create(
        RpdPlan(satker=satker, fiscal_year=dipa.fiscal_year, month=m, spending_type=spending_type, amount=amount)
        for m in months
    )


def test_rpd_without_realization_for_three_months_fires_per_spending_type(dipa, satker) -> None:
    plan(dipa, satker, dipa.goods, [1, 2, 3])
    plan(dipa, satker, dipa.capital, [1, 2, 3])
    reports = months_realized(dipa, satker, {1: 0, 2: 0, 3: 0})
    add_realization(report=reports[2], line=dipa.machine, amount=1_000_000)  # capital realized in February
    (finding,) = budget_findings(reports[3])
    assert finding.code == RPD_NO_REALIZATION
    assert finding.target == dipa.goods
    assert "52 Belanja Barang" in finding.reason
    assert "Januari Rp5.000.000" in finding.reason and "Maret Rp5.000.000" in finding.reason
    assert "3 bulan" in finding.reason


def test_rpd_rule_needs_three_months_of_plan(dipa, satker) -> None:
    plan(dipa, satker, dipa.goods, [2, 3])  # nothing planned in January
    reports = months_realized(dipa, satker, {1: 0, 2: 0, 3: 0})
    assert budget_findings(reports[3]) == []
    assert budget_findings(reports[2]) == []  # fewer than three months into the year


def test_rpd_rule_counts_realization_of_any_line_of_the_type(dipa, satker) -> None:
    plan(dipa, satker, dipa.goods, [1, 2, 3])
    reports = months_realized(dipa, satker, {1: 0, 2: 0, 3: 0})
    add_realization(report=reports[3], line=dipa.travel, amount=1)
    assert budget_findings(reports[3]) == []


# -- the refresh ---------------------------------------------------------------------------------


@pytest.fixture
def idle_report(dipa, satker) -> MonthlyReport:
    plan(dipa, satker, dipa.goods, [1, 2, 3])
    return months_realized(dipa, satker, {1: 0, 2: 0, 3: 0})[3]


def test_refresh_is_idempotent(idle_report) -> None:
    first = flags_refresh(report=idle_report)
    second = flags_refresh(report=idle_report)
    assert [flag.pk for flag in first] == [flag.pk for flag in second]
    assert QualityFlag.objects.filter(report=idle_report).count() == 1
    flag = first[0]
    assert flag.status == QualityFlag.Status.OPEN and flag.target_label == "52 Belanja Barang"
    assert flag.history.count() == 1


def test_refresh_keeps_decisions_and_marks_decided_flags_gone(idle_report, dipa, reviewer) -> None:
    (flag,) = flags_refresh(report=idle_report)
    flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="Lelang gagal, diulang April.", by=reviewer)
    flags_refresh(report=idle_report)
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.EXPLAINED and flag.gone_at is None
    # The data is fixed: the decided flag stays on record, marked gone...
    row = add_realization(report=idle_report, line=dipa.travel, amount=1_000_000)
    assert flags_refresh(report=idle_report) == []
    flag.refresh_from_db()
    assert flag.gone_at is not None and flag.status == QualityFlag.Status.EXPLAINED
    # ...and comes back, decision intact, when the finding returns.
    row.delete()
    realization_summary.refresh([idle_report.pk])
    (again,) = flags_refresh(report=idle_report)
    assert again.pk == flag.pk and again.gone_at is None and again.status == QualityFlag.Status.EXPLAINED


# -- the reason in the reader's language ---------------------------------------------------------


def test_reason_is_stored_as_a_message_and_rendered_in_the_active_language(idle_report) -> None:
    (flag,) = flags_refresh(report=idle_report)
    flag = QualityFlag.objects.get(pk=flag.pk)
    assert flag.reason_msgid == IDLE_REASON
    assert flag.reason_params["count"] == 3 and "52 Belanja Barang" in flag.reason
    # The stored text is the site's language (search, admin, history)...
    assert "direncanakan" in flag.reason and "Januari Rp5.000.000" in flag.reason
    assert flag.reason_text == flag.reason
    # ...and the page's text follows the reader: the msgid, the month names and "and" are
    # translated when shown, not when found.
    with translation.override("en"):
        english = flag.reason_text
    assert "was planned" in english and "direncanakan" not in english
    assert "January Rp5.000.000, February Rp5.000.000, and March Rp5.000.000" in english
    assert "52 Goods" in english and "Belanja Barang" not in english  # the type's English name


def test_old_flags_without_a_message_show_the_stored_reason(idle_report) -> None:
    (flag,) = flags_refresh(report=idle_report)
    QualityFlag.objects.filter(pk=flag.pk).update(reason="Alasan lama.", reason_msgid="", reason_params={})
    flag.refresh_from_db()
    with translation.override("en"):
        assert flag.reason_text == "Alasan lama."


def test_refresh_gives_old_flags_their_message_and_keeps_the_decision(idle_report, reviewer) -> None:
    (flag,) = flags_refresh(report=idle_report)
    flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="Lelang gagal.", by=reviewer)
    QualityFlag.objects.filter(pk=flag.pk).update(reason_msgid="", reason_params={})
    flags_refresh(report=idle_report)
    flag.refresh_from_db()
    assert flag.reason_msgid == IDLE_REASON and flag.reason_params["count"] == 3
    assert flag.status == QualityFlag.Status.EXPLAINED
    assert flag.history.first().reason_msgid == IDLE_REASON


def test_report_page_shows_the_reason_in_the_readers_language(idle_report, reviewer) -> None:
    flags_refresh(report=idle_report)
    client = client_for(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("budgets:report-detail", args=[idle_report.pk])).content.decode()
    assert "was planned (January Rp5.000.000" in page and "direncanakan" not in page


def test_refresh_deletes_open_flags_no_longer_found(idle_report, dipa) -> None:
    flags_refresh(report=idle_report)
    add_realization(report=idle_report, line=dipa.travel, amount=1_000_000)
    flags_refresh(report=idle_report)
    assert not QualityFlag.objects.filter(report=idle_report).exists()


def test_refresh_queries_do_not_grow_with_lines_and_months(dipa, satker, django_assert_max_num_queries) -> None:
    plan(dipa, satker, dipa.goods, [1, 2, 3])
    plan(dipa, satker, dipa.capital, [1, 2, 3])
    reports = months_realized(dipa, satker, {1: 1_000_000, 2: 1_000_000, 3: 90_000_000})
    small = reports[3]
    with django_assert_max_num_queries(14) as small_run:
        flags_refresh(report=small)
    for month in range(4, 10):
        add_realization(report=report_of(dipa, satker, month), line=dipa.travel, amount=1_000_000)
        add_realization(report=report_of(dipa, satker, month), line=dipa.machine, amount=1_000_000)
    big = report_of(dipa, satker, 10)
    add_realization(report=big, line=dipa.ovop, amount=90_000_000)
    QualityFlag.objects.all().delete()
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        flags_refresh(report=big)


# -- deciding ------------------------------------------------------------------------------------


@pytest.fixture
def flag(idle_report) -> QualityFlag:
    return flags_refresh(report=idle_report)[0]


def test_head_and_reviewer_decide_with_a_note(flag, head, reviewer) -> None:
    flag_decide(flag=flag, status=QualityFlag.Status.TO_FIX, note="Perbaiki RPD", by=head)
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by, flag.note) == (QualityFlag.Status.TO_FIX, head, "Perbaiki RPD")
    assert flag.history.first().history_user == head
    flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="Sudah dijelaskan satker", by=reviewer)
    flag.refresh_from_db()
    assert flag.decided_by == reviewer


def test_a_decision_needs_a_note_and_a_status(flag, reviewer) -> None:
    with pytest.raises(ValidationError) as refused:
        flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="  ", by=reviewer)
    assert "note" in refused.value.error_dict
    with pytest.raises(ValidationError):
        flag_decide(flag=flag, status=QualityFlag.Status.OPEN, note="x", by=reviewer)
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.OPEN


def test_officer_viewer_and_other_head_may_not_decide(flag, officer, viewer, other_head) -> None:
    for user in (officer, viewer, other_head):
        with pytest.raises(PermissionDenied):
            flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="x", by=user)


def post_decision(user, flag, **data):
    return client_for(user).post(reverse("budgets:flag-decide", args=[flag.pk]), data)


def test_decide_view_by_role(flag, officer, other_officer, head, reviewer) -> None:
    decision = {"status": "EXPLAINED", "note": "Pembayaran termin"}
    assert post_decision(officer, flag, **decision).status_code == 403
    assert post_decision(other_officer, flag, **decision).status_code == 404
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.OPEN
    answer = post_decision(head, flag, **decision)
    assert answer.status_code == 302 and answer["Location"].endswith("#quality-flags")
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == (QualityFlag.Status.EXPLAINED, head)
    assert post_decision(reviewer, flag, status="TO_FIX", note="").status_code == 302  # the note is missing
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.EXPLAINED


def test_report_page_shows_flags_and_forms_to_deciders_only(flag, officer, reviewer) -> None:
    url = reverse("budgets:report-detail", args=[flag.report_id])
    page = client_for(officer).get(url).content.decode()
    assert "data-quality-flags" in page and "52 Belanja Barang" in page
    assert reverse("budgets:flag-decide", args=[flag.pk]) not in page
    page = client_for(reviewer).get(url).content.decode()
    assert reverse("budgets:flag-decide", args=[flag.pk]) in page


def test_open_flags_count_annotation(flag, reviewer) -> None:
    counts = dict(with_open_flags_count(MonthlyReport.objects.all()).values_list("pk", "open_flags"))
    assert counts[flag.report_id] == 1
    assert sum(counts.values()) == 1
    flag_decide(flag=flag, status=QualityFlag.Status.EXPLAINED, note="ok", by=reviewer)
    assert with_open_flags_count(MonthlyReport.objects.filter(pk=flag.report_id)).get().open_flags == 0


def test_command_refreshes_the_years_handed_in_reports(idle_report, dipa) -> None:
    out = io.StringIO()
    call_command("refresh_quality_flags", year=dipa.fiscal_year.year, stdout=out)
    assert not QualityFlag.objects.exists()  # a draft is not refreshed
    MonthlyReport.objects.filter(pk=idle_report.pk).update(status=MonthlyReport.Status.SUBMITTED)
    call_command("refresh_quality_flags", year=dipa.fiscal_year.year, stdout=out)
    call_command("refresh_quality_flags", year=dipa.fiscal_year.year, stdout=out)
    assert QualityFlag.objects.filter(report=idle_report, code=RPD_NO_REALIZATION).count() == 1
    assert "1 laporan, 1 tanda" in out.getvalue()
