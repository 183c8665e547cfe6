"""The programme demo of load_demo_data: what it writes (records in the APPROVED reports the
budgets demo made, a valid IKM registry linked to the facilitations by NIB, a sentra directory
and its OVOP coaching, OVOP award cycles and candidates, poverty activities, targets, history
rows), determinism and idempotence."""

from __future__ import annotations

import io
import re
from datetime import datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from budgets.models import FiscalYear, MonthlyReport, Satker, SatkerAuthority
from budgets.region_lookup import province_of_record
from demo.budgets import DEMO_REASON, current_demo_year
from demo.programs import (
    _provinces,
    _users,
    _year_inputs,
    centre_plans,
    enterprise_plans,
    programme_demo_load,
    year_plan,
)
from programs.models import (
    CERTIFIED_KINDS,
    VALUED_KINDS,
    Enterprise,
    Facilitation,
    NewEntrepreneur,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    PovertyActivity,
    Sentra,
)
from programs.records.ovop import stars_for_score
from programs.registry.rules import is_manufacturing_kbli, normalize_name, size_class_for
from programs.registry.summary import summary_differences
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MODELS = (Enterprise, Sentra, OvopCoaching, OvopCycle, OvopCandidate, NewEntrepreneur, Facilitation, PovertyActivity,
          OutputTarget)  # fmt: skip
MONTHLY = (NewEntrepreneur, Facilitation, PovertyActivity)
NIB = re.compile(r"^[0-9]{13}$")


def run(**options: object) -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(demo_data: str) -> str:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end):
    what load_demo_data printed."""
    return demo_data


def counts() -> dict[str, int]:
    result = {model.__name__: model.objects.count() for model in MODELS}
    result |= {f"history {model.__name__}": model.history.count() for model in MODELS}
    result["reports"] = MonthlyReport.objects.count()
    return result


def test_first_run_reports_the_programme_data_and_the_2022_outputs(demo: str) -> None:
    assert "Registri IKM dan sentra OVOP: 4000 IKM terdaftar" in demo
    assert re.search(r"sentra OVOP, [0-9]+ calon bintang OVOP baru", demo)
    assert "Program TA 2022: 13220 WUB" in demo and "Program TA 2023:" in demo
    assert (
        "Capaian (laporan disetujui) WUB 13.220 (DK 4.579, 2.572 berizin usaha), sentra OVOP 1.574, "
        "pengembangan produk 1.133, pameran 306 IKM (Rp46,9 miliar), industri 4.0 20, restrukturisasi 99 IKM "
        "(Rp10,86 miliar), SNI 41, ISO 13, HACCP 29, HKI 472, kemitraan 67."
    ) in demo
    assert "dilewati" not in demo
    assert demo.rstrip().endswith("kata sandi demo-ikma-2026.")


def test_second_run_changes_nothing(demo: str) -> None:
    before = counts()
    output = run()
    assert "Program TA 2022: dilewati" in output and "Program TA 2023: dilewati" in output
    assert "0 IKM terdaftar, 0 sentra OVOP, 0 calon bintang OVOP baru" in output
    assert counts() == before
    assert "Program TA 2022: dilewati" in run(year=[2022])


def test_no_monthly_report_is_created_records_sit_in_their_approved_reports(demo: str) -> None:
    made_by_budgets = sum(int(n) for n in re.findall(r"(\d+) laporan bulanan", demo))
    assert MonthlyReport.objects.count() == made_by_budgets
    for model in MONTHLY:
        records = model.objects.all()
        assert records.exists()
        assert not records.exclude(report__status=MonthlyReport.Status.APPROVED).exists()
        assert not records.exclude(report__satker=F("satker")).exists()
        assert not records.exclude(report__month=F("month")).exists()
        assert not records.exclude(report__fiscal_year=F("fiscal_year")).exists()
        years = set(records.values_list("fiscal_year__year", flat=True))
        assert {2022, 2023} <= years


def test_every_satker_of_2022_grew_entrepreneurs_with_valid_nibs(demo: str) -> None:
    wub = NewEntrepreneur.objects.filter(fiscal_year__year=2022)
    per_satker = dict(wub.values_list("satker__code").annotate(n=Count("pk")))
    assert len(per_satker) >= 37  # the 34 DK provinces and the central units that grow WUB
    legal = wub.filter(nib__isnull=False)
    assert all(NIB.match(nib) for nib in legal.values_list("nib", flat=True))
    assert not legal.filter(legalized_on__isnull=True).exists()
    assert not wub.filter(nib__isnull=True, legalized_on__isnull=False).exists()
    provincial = wub.filter(satker__is_central=False)
    assert not provincial.exclude(regency__province=F("satker__province")).exists()


def test_registry_is_valid_and_spread_over_the_provinces(demo: str) -> None:
    enterprises = list(Enterprise.objects.select_related("regency"))
    assert len(enterprises) == 4_000
    nibs = [e.nib for e in enterprises]
    assert len(set(nibs)) == 4_000 and all(NIB.match(nib) for nib in nibs)
    assert any(nib.startswith("0") for nib in nibs)  # leading zeros kept
    for e in enterprises:
        assert is_manufacturing_kbli(e.kbli)
        assert e.size_class == size_class_for(e.workers, e.investment)
        assert e.name_normalized == normalize_name(e.name)
        # A record counts for its regency's province in its data year (Jayawijaya was Papua's in 2022).
        assert e.province_id == province_of_record(e.regency, e.data_year)
    assert len({e.province_id for e in enterprises}) == 38
    assert Enterprise.objects.filter(data_year__lte=2022).exclude(province=F("regency__province")).exists()
    assert len({e.regency_id for e in enterprises}) > 300
    assert {e.size_class for e in enterprises} == {"KECIL", "MENENGAH", "BESAR"}
    members = Enterprise.objects.filter(centre__isnull=False)
    assert members.count() > 100
    assert not members.exclude(centre__regency=F("regency")).exists()
    assert summary_differences() == []  # the registry summary has the demo registry too


def test_facilitations_are_linked_to_the_registry_by_nib(demo: str) -> None:
    facilitations = Facilitation.objects.all()
    linked = facilitations.filter(enterprise__isnull=False)
    assert linked.count() == facilitations.count()
    assert not linked.exclude(nib=F("enterprise__nib")).exists()
    assert not linked.exclude(enterprise_name=F("enterprise__name")).exists()
    provincial = linked.filter(satker__is_central=False)
    assert not provincial.exclude(enterprise__province=F("satker__province")).exists()
    certified = facilitations.filter(kind__in=CERTIFIED_KINDS)
    assert not certified.filter(Q(certificate_number="") | Q(certificate_date__isnull=True)).exists()
    assert not facilitations.filter(kind__in=VALUED_KINDS, value__lte=0).exists()
    assert not facilitations.exclude(kind__in=VALUED_KINDS).exclude(value=0).exists()
    # One IKM is facilitated once per kind and year where the registry allows it.
    repeated = (
        facilitations.filter(fiscal_year__year=2022, kind="PRODUK")
        .values("enterprise")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert repeated.count() < 50


def test_sentra_and_their_coaching_across_years_provinces_and_groups(demo: str) -> None:
    centres = Sentra.objects.all()
    assert not centres.filter(unit_count__lt=5).exists()
    assert not centres.exclude(regency__province=F("satker__province")).exists()
    assert not centres.filter(satker__is_central=True).exists()
    assert len(set(centres.values_list("satker__province", flat=True))) == 34  # coached by the 2022 DK satkers
    assert set(centres.values_list("commodity_group", flat=True)) == {
        "PANGAN", "TENUN", "BATIK", "ANYAMAN", "GERABAH", "LAINNYA",
    }  # fmt: skip
    assert OvopCoaching.objects.filter(year=2022).count() == 1_574
    both = OvopCoaching.objects.filter(year=2023, sentra__coachings__year=2022)
    assert both.count() > 1_400
    assert set(OvopCoaching.objects.filter(year=2022).values_list("stars", flat=True)) == {1, 2, 3, 4, 5}
    stars_2022 = dict(OvopCoaching.objects.filter(year=2022).values_list("sentra", "stars"))
    stars_2023 = dict(OvopCoaching.objects.filter(year=2023).values_list("sentra", "stars"))
    assert all(stars >= stars_2022[centre] for centre, stars in stars_2023.items() if centre in stars_2022)
    assert any(stars > stars_2022[centre] for centre, stars in stars_2023.items() if centre in stars_2022)


def test_ovop_award_cycles_as_published(demo: str) -> None:
    """DOMAIN.md: cycles 2013, 2015, 2018, 2022, 2024; five stars rare (2 in 2015, 4 in 2018);
    2022 starred 77 IKM; 2024: 159 proposals from 22 provinces, 89 passed the administrative
    check, the 77 IKM starred in 2022 re-evaluated, recommendations of 1-3 stars."""
    assert list(OvopCycle.objects.order_by("year").values_list("year", flat=True)) == [2013, 2015, 2018, 2022, 2024]
    candidates = OvopCandidate.objects.all()
    starred = candidates.filter(awarded_stars__isnull=False)
    five = dict(starred.filter(awarded_stars=5).values("cycle__year").annotate(n=Count("pk")).values_list(
        "cycle__year", "n"))  # fmt: skip
    assert (five[2015], five[2018]) == (2, 4)
    assert starred.filter(cycle__year=2022).count() == 77
    new_2024 = candidates.filter(cycle__year=2024, re_evaluates__isnull=True)
    assert new_2024.count() == 159
    assert new_2024.values("satker__province").distinct().count() == 22
    assert new_2024.filter(admin_check_passed=True).count() == 89
    again = candidates.filter(cycle__year=2024, re_evaluates__isnull=False)
    assert again.count() == 77
    assert set(again.values_list("re_evaluates", flat=True)) == set(starred.filter(cycle__year=2022).values_list(
        "pk", flat=True))  # fmt: skip
    assert not again.exclude(enterprise=F("re_evaluates__enterprise")).exists()
    assert set(candidates.filter(cycle__year=2024).values_list("recommended_stars", flat=True)) - {None} == {1, 2, 3}
    # Candidates are registry enterprises of their satker's province, in the five OVOP groups.
    assert not candidates.exclude(enterprise__province=F("satker__province")).exists()
    assert not candidates.filter(satker__is_central=True).exists()
    assert set(candidates.values_list("group", flat=True)) <= {"PANGAN", "TENUN", "BATIK", "ANYAMAN", "GERABAH"}
    assert not candidates.filter(awarded_stars__isnull=False).exclude(admin_check_passed=True).exists()
    # The 2024 score bands are data of the cycle and agree with the recommendations.
    cycle = OvopCycle.objects.get(year=2024)
    assert cycle.bands.count() == 5
    for candidate in new_2024.filter(admin_check_passed=True)[:20]:
        assert stars_for_score(cycle, candidate.score) == candidate.recommended_stars


def test_ovop_report_of_2024_shows_the_cycle_and_its_moves(demo: str) -> None:
    viewer = get_user_model().objects.get(username="viewer")
    year = FiscalYear.objects.filter(year__gte=2024).order_by("year").values_list("year", flat=True).first()
    if year is None:
        pytest.skip("no fiscal year from 2024 on in the demo")
    totals = client_for(viewer).get("/reports/ovop/", {"year": year, "format": "json"}).json()["totals"]
    again = OvopCandidate.objects.filter(cycle__year=2024, re_evaluates__isnull=False)
    moves = {
        "moves_up": again.filter(awarded_stars__gt=F("re_evaluates__awarded_stars")).count(),
        "moves_same": again.filter(awarded_stars=F("re_evaluates__awarded_stars")).count(),
        "moves_down": again.filter(awarded_stars__lt=F("re_evaluates__awarded_stars")).count(),
    }
    assert (totals["cycle"], totals["proposals"], totals["admin_passed"], totals["reevaluated"]) == (2024, 159, 89, 77)
    assert {key: totals[key] for key in moves} == moves and sum(moves.values()) == 77
    assert (totals["stars_4"], totals["stars_5"], totals["level_central"]) == (0, 0, 0)


def test_poverty_activities_in_priority_regencies_of_2022_and_2023(demo: str) -> None:
    for year in (2022, 2023):
        activities = PovertyActivity.objects.filter(fiscal_year__year=year)
        assert activities.count() >= 10
        assert not activities.exclude(regency__province=F("satker__province")).exists()
        assert not activities.filter(Q(beneficiaries=0) | Q(value=0)).exists()
        regencies = activities.values("satker").annotate(n=Count("regency", distinct=True))
        assert max(row["n"] for row in regencies) <= 3


def test_output_targets_per_satker_for_2022(demo: str) -> None:
    targets = OutputTarget.objects.filter(fiscal_year__year=2022)
    satkers = SatkerAuthority.objects.filter(fiscal_year__year=2022).values_list("satker", flat=True)
    assert set(targets.values_list("satker", flat=True)) == set(satkers)
    assert not targets.filter(target__lte=0).exists()
    assert set(targets.values_list("indicator", flat=True)) >= {"wub", "ovop_centres", "hki", "exhibition_value"}


def test_every_record_has_its_history_row_dated_before_today(demo: str) -> None:
    start_of_today = datetime.combine(timezone.localdate(), time(0, 0), tzinfo=timezone.get_current_timezone())
    for model in MODELS:
        history = model.history.all()
        assert history.count() == model.objects.count()
        assert set(history.values_list("history_type", "history_change_reason").distinct()) == {("+", DEMO_REASON)}
        assert not history.filter(history_date__gte=start_of_today).exists()
    officer = NewEntrepreneur.history.filter(satker__code="170019").values_list("history_user__username", flat=True)
    assert set(officer) == {"officer-17"}
    assert set(NewEntrepreneur.history.filter(satker__is_central=True).values_list("history_user__username",
                                                                                  flat=True)) == {"admin"}  # fmt: skip


def test_running_year_records_only_in_months_that_have_ended(demo: str) -> None:
    current = current_demo_year(timezone.localdate())
    if current is None:
        pytest.skip("tahun berjalan termasuk tahun data demo yang dipublikasikan")
    month = timezone.localdate().month
    for model in MONTHLY:
        assert not model.objects.filter(fiscal_year__year=current, month__gte=month).exists()
    assert OutputTarget.objects.filter(fiscal_year__year=current).exists()


def test_plans_are_deterministic(demo: str) -> None:
    provinces = _provinces(coached_since=2022)
    assert centre_plans(provinces, 2023) == centre_plans(provinces, 2023)
    assert centre_plans(provinces, 2023) == centre_plans(provinces, 2026)[: len(centre_plans(provinces, 2023))]
    centres = [c for c in centre_plans(provinces, 2023) if c.start_year == 2022]
    assert enterprise_plans(provinces, centres) == enterprise_plans(provinces, centres)
    users, admin = _users()
    inputs = _year_inputs(FiscalYear.objects.get(year=2022), users, admin, timezone.localdate())
    first, second = (year_plan(inputs, centre_plans(provinces, 2022)) for _ in range(2))

    def rows(objects: list) -> list[tuple]:
        return [tuple(getattr(o, f.attname) for f in o._meta.concrete_fields if f.name != "id") for o in objects]

    for name in ("entrepreneurs", "facilitations", "poverty", "coachings", "targets"):
        assert rows(getattr(first, name)) == rows(getattr(second, name))
    assert len(first.entrepreneurs) == 13_220


def test_a_year_without_master_data_is_skipped_and_nothing_changes(demo: str) -> None:
    before = counts()
    year = max(2023, timezone.localdate().year) + 1
    results = programme_demo_load(years=[year])
    assert [(r.year, r.skipped) for r in results] == [(None, False), (year, True)]
    assert "belum ada" in results[1].note
    FiscalYear.objects.create(year=year)
    for satker in Satker.objects.all():
        SatkerAuthority.objects.create(satker=satker, fiscal_year=FiscalYear.objects.get(year=year),
                                       authority="KP" if satker.is_central else "TP")  # fmt: skip
    (_registry, result) = programme_demo_load(years=[year])
    assert not result.skipped and not result.counts and "laporan bulanan yang disetujui" in result.note
    assert counts() == before
