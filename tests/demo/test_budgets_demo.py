"""load_demo_data: the published 2022 and 2023 figures read through budgets.reports.queries, the pagu
and RPD rules, the report states the screens need, determinism and idempotence; and the running
fiscal year, loaded up to the months that have ended."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef, Sum
from django.utils import timezone

from budgets.calendar import following_month, report_due_date
from budgets.models import (
    BudgetLine,
    BudgetRevision,
    BudgetRevisionLine,
    FiscalYear,
    MonthlyReport,
    Province,
    Realization,
    ReportTransition,
    RpdPlan,
    RpdRevision,
    Satker,
    SatkerAuthority,
)
from budgets.non_physical import dk_account_problem
from budgets.regions import satker_absence
from budgets.reports.queries import RealizationFilter, realization_by_province, realization_by_satker, realization_total
from budgets.ro_entry import outputs_missing
from budgets.services import realization_set, report_submit
from budgets.services.outputs import RoEntry, output_achievement_set
from demo.budgets import (
    BENGKULU,
    CENTRAL_PAGU,
    current_demo_year,
    current_year_plan,
    current_year_problems,
    demo_data_load,
    year_plan,
)

pytestmark = pytest.mark.django_db

YEARS = (2022, 2023)
Status = MonthlyReport.Status


def run() -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_data: str) -> str:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end):
    what load_demo_data printed."""
    return demo_data


def dk(year: int) -> RealizationFilter:
    return RealizationFilter(year=year, authority="DK")


def test_first_run_reports_what_it_loaded(demo: str) -> None:
    # DK in 2022 and 2023 went to the 34 provinces of those DIPAs (plus the 4 central units).
    assert "TA 2022: 38 satker" in demo and "TA 2023: 38 satker" in demo
    assert "DK 97,97 %, seluruh Ditjen 98,68 %" in demo
    assert "dilewati" not in demo


def test_2022_dk_and_directorate_totals(demo: str) -> None:
    assert realization_total(dk(2022))["persen"] == Decimal("97.97")
    assert realization_total(RealizationFilter(year=2022))["persen"] == Decimal("98.68")


def test_2022_province_ranking(demo: str) -> None:
    rows = realization_by_province(dk(2022))
    assert len(rows) == 34
    assert not {row["province"] for row in rows} & {"92", "95", "96", "97"}  # not yet created
    ranked = sorted(rows, key=lambda row: row["persen"], reverse=True)
    assert [(row["province"], row["province_name"]) for row in ranked[:5]] == [
        ("17", "Bengkulu"),
        ("65", "Kalimantan Utara"),
        ("53", "Nusa Tenggara Timur"),
        ("72", "Sulawesi Tengah"),
        ("76", "Sulawesi Barat"),
    ]
    persen = [row["persen"] for row in rows]
    assert len(set(persen)) == 34
    total = realization_total(dk(2022))["persen"]
    assert sum(p > total for p in persen) == 20
    # The statement's "five provinces under the average of Ditjen IKMA (97,05 %)": the plain mean
    # of the provinces' percentages, computed.
    plain_mean = (sum(persen) / len(persen)).quantize(Decimal("0.01"))
    assert plain_mean == Decimal("97.05")
    assert sum(p < plain_mean for p in persen) == 5


def test_2022_one_dk_satker_under_the_threshold(demo: str) -> None:
    threshold = FiscalYear.objects.get(year=2022).below_average_threshold
    assert threshold == Decimal("91.20")
    # Each province has exactly one DK satker, so the province rows are the satker rows.
    per_province = SatkerAuthority.objects.filter(fiscal_year__year=2022, authority="DK").values("satker__province")
    assert {row["n"] for row in per_province.annotate(n=Count("pk"))} == {1}
    under = [row["province"] for row in realization_by_province(dk(2022)) if row["persen"] < threshold]
    assert len(under) == 1 and under != ["97"]  # not Papua Pegunungan: it did not exist for the 2022 DIPA
    assert Province.objects.existing_in(2022).filter(bps_code=under[0]).exists()


@pytest.mark.parametrize("authority", ["DK", None])
def test_2022_one_satker_under_the_threshold_by_satker_report(demo: str, authority: str | None) -> None:
    rows = realization_by_satker(RealizationFilter(year=2022, authority=authority))
    assert len(rows) == (34 if authority else 38)
    under = [row["satker"] for row in rows if row["persen"] < Decimal("91.20")]
    assert len(under) == 1 and under != ["970019"]


def test_2023_pagu_and_the_five_provinces_under_90(demo: str) -> None:
    assert realization_total(dk(2023))["pagu"] == 49_050_000_000
    rows = realization_by_province(dk(2023))
    assert len(rows) == 34
    under = {(row["province"], row["province_name"]): row["persen"] for row in rows if row["persen"] < Decimal("90")}
    assert under == {
        ("14", "Riau"): Decimal("81.18"),
        ("11", "Aceh"): Decimal("86.58"),
        ("35", "Jawa Timur"): Decimal("88.43"),
        ("19", "Kepulauan Bangka Belitung"): Decimal("88.59"),
        ("33", "Jawa Tengah"): Decimal("89.57"),
    }


def test_budget_lines_and_initial_dipa(demo: str) -> None:
    lines = BudgetLine.objects.filter(fiscal_year__year__in=YEARS)
    per_satker = lines.values("satker__code", "satker__is_central", "fiscal_year__year").annotate(
        n=Count("pk"), pagu=Sum("pagu")
    )
    assert len(per_satker) == 38 * 2
    for row in per_satker:
        if row["satker__is_central"]:
            assert row["n"] >= 10
        else:
            assert 5 <= row["n"] <= 8
            assert 350_000_000 <= row["pagu"] <= 2_500_000_000
    provincial = lines.filter(satker__is_central=False)
    # The demo passes its own rules: no DK line on personnel (51) or capital (53), no DK satker in
    # a province that did not exist that year.
    dk_lines = lines.filter(satker__authorities__authority="DK", satker__authorities__fiscal_year=F("fiscal_year"))
    assert dk_lines.exists()
    assert not [code for code in dk_lines.values_list("account__code", flat=True) if dk_account_problem("DK", code)]
    for authority in SatkerAuthority.objects.filter(authority="DK").select_related("satker__province", "fiscal_year"):
        assert satker_absence(authority.satker, authority.fiscal_year.year) is None
    assert set(provincial.values_list("component__code", flat=True)) == {"051", "052", "053", "054", "055"}
    assert set(provincial.values_list("account__spending_type__code", flat=True)) == {"52"}
    central_types = set(lines.filter(satker__is_central=True).values_list("account__spending_type__code", flat=True))
    assert {"51", "52", "53"} <= central_types
    assert 0 < lines.filter(blokir__gt=0).count() < 20
    # One initial DIPA per satker-year records every line's amounts.
    initial = BudgetRevision.objects.filter(fiscal_year__year__in=YEARS, number=0)
    assert initial.count() == 76
    assert set(initial.values_list("kind", "created_by__username", "treasury_code")) == {("AWAL", "admin", "")}
    # Issue 24: later administrative revisions (no amount changed) carry the treasury's codes,
    # so that IKPA's revision indicator has something to count; some satkers pass the limit.
    assert_administrative_revisions(BudgetRevision.objects.filter(fiscal_year__year__in=YEARS, number__gt=0))
    revision_lines = BudgetRevisionLine.objects.filter(revision__fiscal_year__year__in=YEARS)
    assert revision_lines.count() == lines.count()
    assert not revision_lines.exclude(pagu_before=0, blokir_before=0, pagu_after=F("line__pagu")).exists()
    assert not revision_lines.exclude(blokir_after=F("line__blokir")).exists()


def test_rpd_adds_up_to_the_effective_pagu_of_each_spending_type(demo: str) -> None:
    effective = {
        (row["satker"], row["fiscal_year"], row["account__spending_type"]): row["total"]
        for row in BudgetLine.objects.filter(fiscal_year__year__in=YEARS)
        .values("satker", "fiscal_year", "account__spending_type")
        .annotate(total=Sum(F("pagu") - F("blokir")))
    }
    planned = {
        (row["satker"], row["fiscal_year"], row["spending_type"]): (row["total"], row["months"])
        for row in RpdPlan.objects.filter(fiscal_year__year__in=YEARS)
        .values("satker", "fiscal_year", "spending_type")
        .annotate(total=Sum("amount"), months=Count("month"))
    }
    assert planned == {key: (total, 12) for key, total in effective.items()}
    # S-shaped: the last quarter carries more than the first half for goods.
    goods = RpdPlan.objects.filter(spending_type__code="52", fiscal_year__year__in=YEARS)
    first_half = goods.filter(month__lte=6).aggregate(s=Sum("amount"))["s"]
    assert goods.filter(month__gte=10).aggregate(s=Sum("amount"))["s"] > first_half
    revisions = RpdRevision.objects.filter(fiscal_year__year__in=YEARS)
    assert revisions.count() == revisions.filter(window__isnull=True).count() == 76
    assert revisions.values("satker", "fiscal_year").distinct().count() == 76
    # Each first plan is kept as a version: nothing before it, the stored plan after it.
    stored = defaultdict(dict)
    for satker, year, code, month, amount in RpdPlan.objects.filter(
        fiscal_year__year__in=YEARS, amount__gt=0
    ).values_list("satker", "fiscal_year", "spending_type__code", "month", "amount"):
        stored[(satker, year)][f"{code}-{month}"] = amount
    assert {(r.satker_id, r.fiscal_year_id): (r.before, r.after) for r in revisions} == {
        key: ({}, after) for key, after in stored.items()
    }


def test_realization_never_exceeds_the_effective_pagu(demo: str) -> None:
    realized = defaultdict(int)
    for line_id, amount in Realization.objects.values_list("line", "amount"):
        realized[line_id] += amount
    lines = BudgetLine.objects.filter(fiscal_year__year__in=YEARS)
    assert [line for line in lines if realized[line.pk] > line.pagu_efektif] == []
    assert any(realized[line.pk] == line.pagu_efektif for line in lines)  # some lines fully spent
    # Each realization belongs to a line of the report's own satker and year.
    assert not Realization.objects.exclude(line__satker=F("report__satker")).exists()
    assert not Realization.objects.exclude(line__fiscal_year=F("report__fiscal_year")).exists()
    assert not Realization.objects.filter(amount__lte=0).exists()


def test_reports_give_every_screen_something(demo: str) -> None:
    reports = MonthlyReport.objects.filter(fiscal_year__year__in=YEARS).select_related("satker", "fiscal_year")
    assert reports.count() == 38 * 12 * 2
    by_key = {(r.satker.code, r.fiscal_year.year, r.month): r for r in reports}
    steps = defaultdict(list)
    for step in ReportTransition.objects.select_related("by").order_by("at", "pk"):
        steps[step.report_id].append(step)

    draft = by_key[("019102", 2023, 12)]
    assert (draft.status, draft.submitted_at, steps[draft.pk]) == (Status.DRAFT, None, [])
    assert draft.realizations.exists()
    returned = by_key[("019103", 2023, 12)]
    assert returned.status == Status.RETURNED and returned.approved_at is None
    assert [(s.from_status, s.to_status) for s in steps[returned.pk]] == [
        ("DRAFT", "SUBMITTED"),
        ("SUBMITTED", "RETURNED"),
    ]
    assert steps[returned.pk][1].by.username == "reviewer" and "SP2D" in steps[returned.pk][1].comment
    waiting = by_key[("019104", 2023, 12)]
    assert waiting.status == Status.SUBMITTED
    assert [(s.from_status, s.to_status) for s in steps[waiting.pk]] == [("DRAFT", "SUBMITTED")]
    not_approved = {key for key, r in by_key.items() if r.status != Status.APPROVED}
    assert not_approved == {("019102", 2023, 12), ("019103", 2023, 12), ("019104", 2023, 12)}

    late = [key for key, r in by_key.items() if r.submitted_on_time is False]
    assert ("019102", 2023, 11) in late
    assert 5 <= len(late) <= 20
    assert all(by_key[key].status == Status.APPROVED for key in late)


def test_report_dates_transitions_and_snapshots(demo: str) -> None:
    entries = defaultdict(dict)
    for report_id, line_id, amount in Realization.objects.values_list("report", "line", "amount"):
        entries[report_id][str(line_id)] = amount
    steps = defaultdict(list)
    for step in ReportTransition.objects.select_related("by").order_by("at", "pk"):
        steps[step.report_id].append(step)
    for report in MonthlyReport.objects.filter(status=Status.APPROVED).select_related("satker__province"):
        year, month = report.fiscal_year.year, report.month
        central = report.satker.is_central
        assert report.due_date == report_due_date(year, month)
        assert report.version == (3 if central else 4)
        # Sent when the head verified it (the same day it was submitted); a central unit when submitted.
        sent = timezone.localdate(report.submitted_at if central else report.verified_at)
        assert report.submitted_on_time == (sent <= report.due_date)
        assert report.submitted_at < report.approved_at
        submit, *verify, approve = steps[report.pk]
        officer = "admin" if central else f"officer-{report.satker.province.bps_code}"
        assert (submit.to_status, submit.by.username, submit.at) == ("SUBMITTED", officer, report.submitted_at)
        assert submit.snapshot == entries[report.pk]
        if central:
            assert verify == [] and report.verified_at is None
        else:
            head = f"head-{report.satker.province.bps_code}"
            assert [(v.to_status, v.by.username, v.at) for v in verify] == [("VERIFIED", head, report.verified_at)]
            assert report.verified_by.username == head
            assert timezone.localdate(report.verified_at) == timezone.localdate(report.submitted_at)
        assert (approve.to_status, approve.by.username, approve.at) == ("APPROVED", "reviewer", report.approved_at)
        assert report.updated_at == report.approved_at
    assert str(timezone.get_current_timezone()) == "Asia/Jakarta"


def test_no_month_is_handed_in_before_it_ends_and_nobody_decides_on_their_own(demo: str) -> None:
    submissions = ReportTransition.objects.filter(to_status=Status.SUBMITTED)
    for year, month, at in submissions.values_list("report__fiscal_year__year", "report__month", "at"):
        assert timezone.localdate(at) >= date(*following_month(year, month), 1), (year, month, at)
    decisions = ReportTransition.objects.exclude(to_status=Status.SUBMITTED)
    assert decisions.exists()
    submitted_by_them = submissions.filter(report=OuterRef("report"), by=OuterRef("by"))
    entered_by_them = Realization.history.filter(report_id=OuterRef("report"), history_user=OuterRef("by"))
    assert not decisions.filter(Exists(submitted_by_them) | Exists(entered_by_them)).exists()


def test_the_plan_is_deterministic(demo: str) -> None:
    provincial = dict(
        Satker.objects.filter(authorities__fiscal_year__year=2022, authorities__authority="DK").values_list(
            "code", "province__bps_code"
        )
    )
    assert year_plan(2022, provincial, set()) == year_plan(2022, provincial, set())


def assert_administrative_revisions(revisions, at_least: int = 1) -> None:
    from demo.budgets import DEMO_REVISION_CODES

    assert revisions.count() >= at_least
    assert set(revisions.values_list("kind", flat=True)) <= {"ADMINISTRASI"}
    assert set(revisions.values_list("treasury_code", flat=True)) <= set(DEMO_REVISION_CODES)
    assert not BudgetRevisionLine.objects.filter(revision__in=revisions).exists()


def counts() -> dict[str, int]:
    models = [BudgetLine, BudgetRevision, BudgetRevisionLine, RpdPlan, RpdRevision, Realization, MonthlyReport]
    result = {model.__name__: model.objects.count() for model in [*models, ReportTransition, get_user_model()]}
    history = [BudgetLine, BudgetRevision, RpdPlan, Realization, MonthlyReport, get_user_model()]
    result |= {f"{model.__name__} history": model.history.count() for model in history}
    return result


def figures() -> list[object]:
    return [
        (realization_total(f), realization_by_province(f))
        for year in YEARS
        for f in (dk(year), RealizationFilter(year=year), RealizationFilter(year=year, basis="submitted"))
    ]


def test_second_run_changes_nothing(demo: str) -> None:
    before, figures_before = counts(), figures()
    output = run()
    assert "TA 2022: dilewati" in output and "TA 2023: dilewati" in output
    current = current_demo_year(timezone.localdate())
    assert current is None or f"TA {current}: dilewati" in output
    assert counts() == before
    assert figures() == figures_before


def test_incomplete_master_data_is_refused_and_nothing_changes(demo: str) -> None:
    SatkerAuthority.objects.filter(fiscal_year__year=2023, satker__code="170019").delete()
    before = counts()
    with pytest.raises(CommandError, match="jalankan load_master_data lebih dulu"):
        run()
    assert counts() == before


# --- The running fiscal year -------------------------------------------------------------------


@pytest.fixture
def current(demo: str) -> int:
    """The running year, when the demo loads it (after 2023); its tests are skipped otherwise."""
    year = current_demo_year(timezone.localdate())
    if year is None:
        pytest.skip("tahun berjalan termasuk tahun data demo yang dipublikasikan")
    return year


@pytest.fixture
def previous_month(current: int) -> int:
    """The last month that has ended; in January there is none and its tests are skipped."""
    month = timezone.localdate().month - 1
    if month == 0:
        pytest.skip("Januari: belum ada bulan yang berakhir")
    return month


def test_running_year_is_a_default_year_after_2023() -> None:
    assert current_demo_year(date(2026, 11, 28)) == 2026
    assert current_demo_year(date(2027, 1, 1)) == 2027
    # The published years are loaded whole; a clock in them adds nothing.
    assert current_demo_year(date(2023, 6, 30)) is None
    assert current_demo_year(date(2022, 1, 3)) is None


def test_running_year_reported_by_the_command(demo: str, current: int) -> None:
    assert f"TA {current}: 42 satker" in demo
    assert "Realisasi sejauh ini (laporan disetujui) TP" in demo
    if timezone.localdate().month > 1:
        assert "menunggu tinjauan" in demo and "officer-17 (Bengkulu)" in demo


def test_running_year_has_a_dipa_for_every_satker_with_an_authority(current: int) -> None:
    with_authority = set(SatkerAuthority.objects.filter(fiscal_year__year=current).values_list("satker", flat=True))
    lines = BudgetLine.objects.filter(fiscal_year__year=current)
    assert set(lines.values_list("satker", flat=True)) == with_authority
    assert len(with_authority) == 42
    authorities = set(
        SatkerAuthority.objects.filter(fiscal_year__year=current).values_list("satker__is_central", "authority")
    )
    assert authorities == {(False, "TP"), (True, "KP")}
    provincial = lines.filter(satker__is_central=False).aggregate(pagu=Sum("pagu"))["pagu"]
    assert 45_000_000_000 <= provincial <= 55_000_000_000
    assert 0 < lines.filter(blokir__gt=0).count() <= 6
    revisions = BudgetRevision.objects.filter(fiscal_year__year=current)
    assert set(revisions.filter(number=0).values_list("kind", "created_by__username")) == {("AWAL", "admin")}
    assert revisions.filter(number=0).count() == 42
    assert_administrative_revisions(revisions.filter(number__gt=0), at_least=0)
    revision_lines = BudgetRevisionLine.objects.filter(revision__fiscal_year__year=current)
    assert revision_lines.count() == lines.count()
    assert not revision_lines.exclude(revision__satker=F("line__satker")).exists()
    assert not revision_lines.exclude(
        pagu_before=0, blokir_before=0, pagu_after=F("line__pagu"), blokir_after=F("line__blokir")
    ).exists()
    rpd_revisions = RpdRevision.objects.filter(fiscal_year__year=current)
    assert rpd_revisions.count() == rpd_revisions.filter(window__isnull=True).count() == 42


def test_running_year_rpd_adds_up_to_the_effective_pagu(current: int) -> None:
    effective = {
        (row["satker"], row["account__spending_type"]): row["total"]
        for row in BudgetLine.objects.filter(fiscal_year__year=current)
        .values("satker", "account__spending_type")
        .annotate(total=Sum(F("pagu") - F("blokir")))
    }
    planned = {
        (row["satker"], row["spending_type"]): (row["total"], row["months"])
        for row in RpdPlan.objects.filter(fiscal_year__year=current)
        .values("satker", "spending_type")
        .annotate(total=Sum("amount"), months=Count("month"))
    }
    assert planned == {key: (total, 12) for key, total in effective.items()}


def test_running_year_has_nothing_for_the_current_month_or_later(current: int) -> None:
    month = timezone.localdate().month
    reports = MonthlyReport.objects.filter(fiscal_year__year=current)
    assert not reports.filter(month__gte=month).exists()
    assert not Realization.objects.filter(report__fiscal_year__year=current, report__month__gte=month).exists()
    # Every month before last month is reviewed for every satker, a few handed in late.
    earlier = reports.filter(month__lt=month - 1)
    assert earlier.count() == 42 * max(month - 2, 0)
    assert not earlier.exclude(status=Status.APPROVED).exists()
    if month > 3:
        assert 1 <= earlier.filter(submitted_on_time=False).count() <= 6


def last_month_states(today: date) -> set[str]:
    """What last month's reports can be in by ``today``: a month is handed in from the first of
    the next, and reviewed a day later at the earliest."""
    days = (today - today.replace(day=1)).days
    return {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.APPROVED, Status.RETURNED} if days >= 2 else (
        {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED} if days else {Status.DRAFT}
    )  # fmt: skip


def every_state_by_now() -> None:
    if len(last_month_states(timezone.localdate())) < 4:
        pytest.skip("too early in the month for last month to be reviewed (test_running_year_plan_on_any_day)")


def test_running_year_last_month_fills_the_review_queue(previous_month: int, current: int) -> None:
    every_state_by_now()
    reports = MonthlyReport.objects.filter(fiscal_year__year=current, month=previous_month)
    statuses = dict(reports.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert set(statuses) == {Status.SUBMITTED, Status.VERIFIED, Status.APPROVED, Status.RETURNED, Status.DRAFT}
    # Most satkers wait: a third for their head's verification, the rest for the directorate.
    assert statuses[Status.SUBMITTED] + statuses[Status.VERIFIED] > 42 // 2
    assert statuses[Status.VERIFIED] > statuses[Status.SUBMITTED] >= 5
    assert statuses[Status.RETURNED] >= 2 and statuses[Status.DRAFT] >= 2
    missing = set(
        SatkerAuthority.objects.filter(fiscal_year__year=current)
        .exclude(satker__reports__in=reports)
        .values_list("satker__code", "satker__is_central")
    )
    assert 2 <= len(missing) <= 3
    assert {is_central for _code, is_central in missing} == {False}
    assert BENGKULU not in {code for code, _central in missing}
    for report in reports.filter(status=Status.RETURNED):
        last = report.transitions.order_by("at", "pk").last()
        assert (last.to_status, last.by.username) == (Status.RETURNED, "reviewer") and last.comment
        assert report.approved_at is None and report.version == (4 if report.satker.is_central else 5)
    for report in reports.filter(status=Status.DRAFT):
        assert (report.submitted_at, report.submitted_on_time, report.transitions.count()) == (None, None, 0)
    waiting = reports.filter(status__in=[Status.SUBMITTED, Status.VERIFIED])
    assert not waiting.exclude(approved_at=None).exists()
    for r in waiting.select_related("satker__province"):
        steps = [(t.to_status, t.by.username) for t in r.transitions.select_related("by").order_by("at", "pk")]
        if r.status == Status.VERIFIED:
            assert steps[1:] == [(Status.VERIFIED, f"head-{r.satker.province.bps_code}")] and r.verified_at
        else:
            assert [status for status, _by in steps] == [Status.SUBMITTED] and r.verified_at is None


def test_running_year_dates_are_consistent_and_in_the_past(current: int) -> None:
    start_of_today = datetime.combine(timezone.localdate(), time(0, 0), tzinfo=timezone.get_current_timezone())
    reports = MonthlyReport.objects.filter(fiscal_year__year=current)
    for report in reports:
        assert report.due_date == report_due_date(current, report.month)
        assert report.updated_at < start_of_today
        if report.submitted_at is None:
            assert report.submitted_on_time is None
            continue
        assert report.submitted_at < start_of_today
        sent = report.submitted_at if report.satker.is_central else report.verified_at
        if sent is None:  # submitted, not verified yet: not sent
            assert report.submitted_on_time is None
        else:
            assert report.submitted_on_time == (timezone.localdate(sent) <= report.due_date)
        if report.approved_at is not None:
            assert report.submitted_at < report.approved_at < start_of_today
    steps = ReportTransition.objects.filter(report__fiscal_year__year=current)
    assert steps.exists() == (timezone.localdate().month > 1)
    assert not steps.filter(at__gte=start_of_today).exists()
    assert not RpdRevision.objects.filter(fiscal_year__year=current, saved_at__gte=start_of_today).exists()
    assert not BudgetRevision.objects.filter(fiscal_year__year=current, created_at__gte=start_of_today).exists()
    assert not MonthlyReport.history.filter(fiscal_year__year=current, history_date__gte=start_of_today).exists()
    assert not Realization.history.filter(report__fiscal_year__year=current, history_date__gte=start_of_today).exists()


def test_running_year_realization_stays_below_the_effective_pagu(current: int) -> None:
    realized = defaultdict(int)
    for line_id, amount in Realization.objects.filter(report__fiscal_year__year=current).values_list("line", "amount"):
        realized[line_id] += amount
    lines = list(BudgetLine.objects.filter(fiscal_year__year=current))
    assert [line for line in lines if realized[line.pk] > line.pagu_efektif] == []
    # The year is not over: every line still has money left, the total well below the pagu.
    assert all(realized[line.pk] < line.pagu_efektif for line in lines)
    assert sum(realized.values()) < 0.9 * sum(line.pagu_efektif for line in lines)
    assert not Realization.objects.exclude(line__satker=F("report__satker")).exists()


def test_bengkulu_can_fix_and_resubmit_last_month_and_enter_this_month(previous_month: int, current: int) -> None:
    every_state_by_now()
    officer = get_user_model().objects.get(username="officer-17")
    satker = Satker.objects.get(code=BENGKULU)
    fiscal_year = FiscalYear.objects.get(year=current)
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=fiscal_year, month=previous_month)
    assert report.status == Status.RETURNED
    returned = report.transitions.order_by("at", "pk").last()
    assert (returned.to_status, returned.by.username) == (Status.RETURNED, "reviewer")
    assert "ajukan ulang" in returned.comment
    lines = {
        f"{line.component.code}.{line.account.code}": line
        for line in satker.budget_lines.filter(fiscal_year=fiscal_year)
    }
    named = [key for key in lines if key in returned.comment]
    entries = dict(report.realizations.values_list("line", "amount"))
    assert named or not entries  # the comment names the line to fix (or says the month is empty)

    # What the officer does after signing in: correct the line, resubmit, then enter this month.
    if named:
        entries[lines[named[0]].pk] //= 2
    report = realization_set(
        satker=satker, fiscal_year=fiscal_year, month=previous_month, amounts=entries,
        expected_version=report.version, by=officer,
    )  # fmt: skip
    on_time = report.submitted_on_time
    missing = {output.pk: RoEntry(Decimal(0), Decimal(0)) for output in outputs_missing(report)}
    if missing:  # the month's RO rows the demo left empty are filled before submitting
        report = output_achievement_set(
            satker=satker, fiscal_year=fiscal_year, month=previous_month, entries=missing,
            expected_version=report.version, by=officer,
        )  # fmt: skip
    report = report_submit(report=report, by=officer, expected_version=report.version)
    assert (report.status, report.submitted_on_time) == (Status.SUBMITTED, on_time)
    this_month = realization_set(
        satker=satker, fiscal_year=fiscal_year, month=timezone.localdate().month,
        amounts={line.pk: 1_000_000 for line in lines.values()}, expected_version=0, by=officer,
    )  # fmt: skip
    assert this_month.status == Status.DRAFT


@pytest.mark.parametrize(
    "today",
    [
        date(2027, *month_day)
        for month_day in [(1, 1), (1, 31), (2, 1), (2, 2), (3, 1), (5, 3), (7, 1), (10, 9), (11, 28), (12, 31)]
    ],
)
def test_running_year_plan_on_any_day(demo: str, today: date) -> None:
    """The plan is pure: checked for days the clock is not on, January and month starts included."""
    provincial = dict(
        Satker.objects.filter(is_central=False).order_by("code").values_list("code", "province__bps_code")
    )
    holidays = {date(2027, 1, 1), date(2027, 3, 10), date(2027, 3, 31), date(2027, 5, 1), date(2027, 12, 25)}
    plan = current_year_plan(today, provincial, sorted(CENTRAL_PAGU), holidays)
    assert current_year_problems(plan, today) == []
    assert plan == current_year_plan(today, provincial, sorted(CENTRAL_PAGU), holidays)
    assert plan.dipa_date < today
    if today.month == 1:
        assert plan.reports == [] and all(line.realization == 0 for line in plan.lines)
        return
    last = [r for r in plan.reports if r.month == today.month - 1]
    assert {r.status for r in last} == last_month_states(today)
    assert 42 - len(last) in (2, 3)
    assert max(r.updated_at for r in plan.reports).date() <= today - timedelta(days=1)


def test_running_year_not_in_the_master_data_is_skipped(demo: str) -> None:
    next_year = max(*YEARS, timezone.localdate().year) + 1
    before = counts()
    (result,) = demo_data_load(years=(next_year,), today=date(next_year, 3, 10))
    assert result.skipped and "load_master_data" in result.note and not result.counts
    FiscalYear.objects.create(year=next_year)
    (result,) = demo_data_load(years=(next_year,), today=date(next_year, 3, 10))
    assert result.skipped and "berkewenangan" in result.note
    assert counts() == before
