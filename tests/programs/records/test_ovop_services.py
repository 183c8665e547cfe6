"""OVOP as it is run (programs.records.ovop): the sentra directory with its decree, the yearly
coaching of a sentra, award cycles with score bands, candidates (an enterprise and its product)
and their selection, an enterprise's current stars and coaching level; the database constraints
behind them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.models import FiscalYear
from programs.models import CoachingLevel, OvopCandidate, OvopCoaching, OvopCycle, OvopGroup, OvopScoreBand, Sentra
from programs.records import ovop
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/123/2021", "decree_date": date(2021, 5, 4)}


def refused(call, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.message_dict
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]


def make_sentra(satker, regency, by, **overrides) -> Sentra:
    fields = {"name": "Sentra Tenun Besurek", "regency": regency, "village": "Kebun Tebeng",
              "commodity": "Tenun ikat", "commodity_group": "TENUN", "unit_count": 12, **DECREE}  # fmt: skip
    fields.update(overrides)
    return ovop.sentra_create(satker=satker, by=by, **fields)


# -- the sentra directory ---------------------------------------------------------------------


def test_sentra_needs_five_units(officer, satker, regency) -> None:
    refused(lambda: make_sentra(satker, regency, officer, unit_count=4), "unit_count", "sentra minimal 5 unit IKM")
    refused(lambda: make_sentra(satker, regency, officer, unit_count=None), "unit_count", "wajib diisi")
    assert not Sentra.objects.exists()
    assert make_sentra(satker, regency, officer, unit_count=5).unit_count == 5


def test_new_sentra_needs_its_decree(officer, satker, regency) -> None:
    refused(lambda: make_sentra(satker, regency, officer, decree_number="", decree_date=None), "decree_number",
            "Nomor SK bupati/wali kota")  # fmt: skip
    refused(lambda: make_sentra(satker, regency, officer, decree_date=None), "decree_date", "Tanggal SK")
    future = timezone.localdate() + timedelta(days=1)
    refused(lambda: make_sentra(satker, regency, officer, decree_date=future), "decree_date", "setelah hari ini")
    assert not Sentra.objects.exists()
    sentra = make_sentra(satker, regency, officer)
    assert (sentra.commodity, sentra.decree_number, sentra.decree_date) == ("Tenun ikat", *DECREE.values())


def test_sentra_rules(officer, satker, regency, other_regency) -> None:
    refused(lambda: make_sentra(satker, other_regency, officer), "regency", "tidak berada di provinsi satker")
    refused(lambda: make_sentra(satker, regency, officer, commodity_group="EMAS"), "commodity_group", "Pilih kelompok")
    refused(lambda: make_sentra(satker, regency, officer, village=""), "village", "wajib diisi")
    assert not Sentra.objects.exists()
    # The directory keeps sentra outside the five OVOP groups.
    first = make_sentra(satker, regency, officer, commodity_group="LAINNYA", commodity="Pandai besi")
    refused(lambda: make_sentra(satker, regency, officer), "name", "sudah tercatat")
    fields = {"name": first.name, "regency": regency, "village": "Anggut", "commodity_group": "LAINNYA",
              "unit_count": 15, **DECREE}  # fmt: skip
    ovop.sentra_update(sentra=first, by=officer, **fields)
    first.refresh_from_db()
    assert (first.village, first.unit_count) == ("Anggut", 15)
    refused(lambda: ovop.sentra_update(sentra=first, by=officer, **{**fields, "unit_count": 3}), "unit_count",
            "minimal 5")  # fmt: skip
    # Once it has a decree it keeps one.
    without = {**fields, "decree_number": "", "decree_date": None}
    refused(lambda: ovop.sentra_update(sentra=first, by=officer, **without), "decree_number", "wajib diisi")
    first.refresh_from_db()
    assert first.unit_count == 15 and first.decree_number == DECREE["decree_number"]


def test_a_sentra_recorded_without_decree_may_stay_without(officer, satker, regency) -> None:
    sentra = Sentra.objects.create(satker=satker, name="Sentra Lama", regency=regency, village="Desa",
                                   commodity_group="BATIK", unit_count=6)  # fmt: skip
    fields = {"name": "Sentra Lama", "regency": regency, "village": "Desa Baru", "commodity_group": "BATIK",
              "unit_count": 7}  # fmt: skip
    ovop.sentra_update(sentra=sentra, by=officer, **fields)
    refused(lambda: ovop.sentra_update(sentra=sentra, by=officer, **fields, decree_number="1/2020"), "decree_date",
            "wajib diisi")  # fmt: skip
    sentra.refresh_from_db()
    assert (sentra.village, sentra.decree_number) == ("Desa Baru", "")


def test_sentra_writes_need_the_edit_scope(other_officer, reviewer, satker, regency) -> None:
    for user in [other_officer, reviewer]:
        with pytest.raises(PermissionDenied):
            make_sentra(satker, regency, user)
    assert not Sentra.objects.exists()


def test_sentra_constraints(satker, regency) -> None:
    base = {"satker": satker, "regency": regency, "village": "D", "commodity_group": "TENUN"}
    for bad in [{"unit_count": 4}, {"unit_count": 9, "decree_number": "1/2020"},
                {"unit_count": 9, "decree_date": date(2020, 1, 1)}]:  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Sentra.objects.create(name=f"S {bad}", **base, **bad)


# -- coaching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_reported_stars_outside_1_to_5_are_refused(stars, officer, satker, regency, fiscal_year) -> None:
    sentra = make_sentra(satker, regency, officer)
    refused(lambda: ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, stars=stars, by=officer), "stars",
            "Bintang harus 1 sampai 5")  # fmt: skip
    assert not OvopCoaching.objects.exists()


def test_one_coaching_per_sentra_and_year_with_or_without_a_level(officer, satker, regency, fiscal_year) -> None:
    sentra = make_sentra(satker, regency, officer)
    assert ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, stars=None, by=officer).stars is None
    coaching = ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, stars=4, by=officer)
    assert OvopCoaching.objects.filter(sentra=sentra).count() == 1
    assert (coaching.stars, coaching.coaching_level) == (4, "PUSAT")
    earlier = FiscalYear.objects.create(year=fiscal_year.year - 2)
    ovop.ovop_coaching_set(sentra=sentra, fiscal_year=earlier, stars=2, by=officer)
    assert dict(OvopCoaching.objects.values_list("year", "stars")) == {fiscal_year.year: 4, earlier.year: 2}
    ovop.ovop_coaching_delete(sentra=sentra, fiscal_year=earlier, by=officer)
    assert list(OvopCoaching.objects.values_list("year", flat=True)) == [fiscal_year.year]
    with pytest.raises(IntegrityError), transaction.atomic():
        OvopCoaching.objects.create(sentra=sentra, year=fiscal_year.year)


def test_coaching_of_a_closed_year_or_another_province_is_refused(
    officer, other_officer, satker, regency, fiscal_year
) -> None:
    sentra = make_sentra(satker, regency, officer)
    with pytest.raises(PermissionDenied):
        ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, stars=3, by=other_officer)
    fiscal_year.is_closed = True
    fiscal_year.save()
    with pytest.raises(ValidationError, match="sudah ditutup"):
        ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, stars=3, by=officer)
    assert not OvopCoaching.objects.exists()


# -- award cycles --------------------------------------------------------------------------------


@pytest.fixture
def cycles(db) -> dict[int, OvopCycle]:
    return {year: OvopCycle.objects.create(year=year, name=f"OVOP {year}") for year in (2018, 2022, 2024)}


@pytest.fixture
def enterprise(regency):
    return make_enterprise(regency, "Tenun Songket Rafflesia", nib="1700000000001", kbli="13121")


def propose(cycle, satker, enterprise, regency, by, **overrides) -> OvopCandidate:
    fields = {"product": "Songket Bengkulu", "group": "TENUN", "regency": regency, **overrides}
    return ovop.candidate_propose(cycle=cycle, satker=satker, enterprise=enterprise, by=by, **fields)


def test_ovop_groups_are_the_five_without_other() -> None:
    assert OvopGroup.values == ["PANGAN", "TENUN", "BATIK", "ANYAMAN", "GERABAH"]


def test_officer_proposes_an_ikm_of_the_province_once_per_cycle_and_product(
    officer, satker, regency, other_regency, cycles, enterprise
) -> None:
    candidate = propose(cycles[2024], satker, enterprise, regency, officer)
    assert (candidate.admin_check_passed, candidate.awarded_stars, candidate.satker) == (None, None, satker)
    refused(lambda: propose(cycles[2024], satker, enterprise, regency, officer), "product", "sudah diusulkan")
    refused(lambda: propose(cycles[2024], satker, enterprise, regency, officer, product="Kain", group="LAINNYA"),
            "group", "lima kelompok OVOP")  # fmt: skip
    refused(lambda: propose(cycles[2024], satker, enterprise, other_regency, officer, product="Kain"), "regency",
            "tidak berada di provinsi satker")  # fmt: skip
    other = make_enterprise(other_regency, "Kopi Gayo", nib="1100000000001")
    refused(lambda: propose(cycles[2024], satker, other, regency, officer, product="Kopi"), "enterprise",
            "tidak berada di provinsi satker")  # fmt: skip
    # Another product of the same IKM in the same cycle is another candidate.
    propose(cycles[2024], satker, enterprise, regency, officer, product="Tenun Ikat")
    assert OvopCandidate.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        OvopCandidate.objects.create(cycle=cycles[2024], enterprise=enterprise, product="Songket Bengkulu",
                                     group="TENUN", regency=regency, satker=satker)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        OvopCandidate.objects.create(cycle=cycles[2024], enterprise=enterprise, product="Pisau",
                                     group="LAINNYA", regency=regency, satker=satker)  # fmt: skip


def test_only_the_provinces_own_officer_proposes(other_officer, reviewer, satker, regency, cycles, enterprise) -> None:
    for user in [other_officer, reviewer]:
        with pytest.raises(PermissionDenied):
            propose(cycles[2024], satker, enterprise, regency, user)
    assert not OvopCandidate.objects.exists()


def test_selection_results_are_the_directorates_and_need_the_check(
    officer, reviewer, admin_user, satker, regency, cycles, enterprise
) -> None:
    candidate = propose(cycles[2024], satker, enterprise, regency, officer)
    for user in [officer, reviewer]:
        with pytest.raises(PermissionDenied):
            ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, awarded_stars=2, by=user)
    refused(lambda: ovop.candidate_evaluate(candidate=candidate, admin_check_passed=False, awarded_stars=2,
                                            by=admin_user), "awarded_stars", "lolos seleksi administrasi")  # fmt: skip
    refused(lambda: ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, awarded_stars=6,
                                            by=admin_user), "awarded_stars", "1 sampai 5")  # fmt: skip
    # Typed as volumes are (budgets.ro_entry.parse_decimal), with the score's range on top.
    for score, message in [
        ("101", "0 sampai 100"),
        ("-1", "0 sampai 100"),
        ("abc", "harus berupa angka"),
        ("80,123", "dua angka di belakang koma"),
        ("NaN", "harus berupa angka"),
    ]:
        refused(lambda score=score: ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, score=score,
                                                            by=admin_user), "score", message)  # fmt: skip
    candidate.refresh_from_db()
    assert (candidate.admin_check_passed, candidate.score, candidate.awarded_stars) == (None, None, None)
    done = ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, score="82,5", recommended_stars=3,
                                   awarded_stars=3, by=admin_user)  # fmt: skip
    assert (done.score, done.recommended_stars, done.awarded_stars, done.coaching_level) == (
        Decimal("82.50"),
        3,
        3,
        CoachingLevel.PROVINCE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OvopCandidate.objects.filter(pk=candidate.pk).update(admin_check_passed=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        OvopCandidate.objects.filter(pk=candidate.pk).update(awarded_stars=0)


def test_score_bands_are_data_and_recommend_stars(officer, admin_user, satker, regency, cycles, enterprise) -> None:
    cycle = cycles[2024]
    candidate = propose(cycle, satker, enterprise, regency, officer)
    ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, score="75", by=admin_user)
    candidate.refresh_from_db()
    assert candidate.recommended_stars is None  # no bands: no recommendation by itself
    for stars, low in [(1, 50), (2, 60), (3, 70), (4, 80), (5, 90)]:
        OvopScoreBand.objects.create(cycle=cycle, stars=stars, min_score=low)
    ovop.candidate_evaluate(candidate=candidate, admin_check_passed=True, score="75", by=admin_user)
    candidate.refresh_from_db()
    assert candidate.recommended_stars == 3
    assert ovop.stars_for_score(cycle, Decimal("49.99")) is None
    assert ovop.stars_for_score(cycle, Decimal("90")) == 5


def test_withdraw_only_before_the_check(officer, admin_user, satker, regency, cycles, enterprise) -> None:
    candidate = propose(cycles[2024], satker, enterprise, regency, officer)
    ovop.candidate_evaluate(candidate=candidate, admin_check_passed=False, by=admin_user)
    candidate.refresh_from_db()
    with pytest.raises(ValidationError, match="sudah diperiksa"):
        ovop.candidate_withdraw(candidate=candidate, by=officer)
    other = propose(cycles[2024], satker, enterprise, regency, officer, product="Kain Lain")
    ovop.candidate_withdraw(candidate=other, by=officer)
    assert list(OvopCandidate.objects.values_list("product", flat=True)) == ["Songket Bengkulu"]


def test_current_stars_are_the_latest_award_and_the_coaching_level_follows(
    officer, admin_user, satker, regency, cycles, enterprise
) -> None:
    assert ovop.current_stars(enterprise) is None and ovop.current_coaching_level(enterprise) is None
    first = propose(cycles[2018], satker, enterprise, regency, officer)
    ovop.candidate_evaluate(candidate=first, admin_check_passed=True, awarded_stars=4, by=admin_user)
    assert ovop.current_stars(enterprise) == 4
    assert ovop.current_coaching_level(enterprise) == CoachingLevel.CENTRAL
    # 2022 re-evaluates 2018: a move down to 3 stars; a 2024 proposal not yet decided changes nothing.
    again = propose(cycles[2022], satker, enterprise, regency, officer, re_evaluates=first)
    ovop.candidate_evaluate(candidate=again, admin_check_passed=True, awarded_stars=3, by=admin_user)
    propose(cycles[2024], satker, enterprise, regency, officer)
    assert ovop.current_stars(enterprise) == 3
    assert ovop.current_coaching_level(enterprise) == CoachingLevel.PROVINCE
    assert ovop.current_awards([enterprise.pk])[enterprise.pk].cycle.year == 2022


def test_a_re_evaluation_names_an_earlier_award_of_the_same_ikm(
    officer, admin_user, satker, regency, cycles, enterprise
) -> None:
    first = propose(cycles[2022], satker, enterprise, regency, officer)
    refused(lambda: propose(cycles[2024], satker, enterprise, regency, officer, re_evaluates=first), "re_evaluates",
            "siklus sebelumnya")  # not awarded  # fmt: skip
    ovop.candidate_evaluate(candidate=first, admin_check_passed=True, awarded_stars=2, by=admin_user)
    first.refresh_from_db()
    other = make_enterprise(regency, "Batik Besurek", nib="1700000000002")
    refused(lambda: propose(cycles[2024], satker, other, regency, officer, re_evaluates=first), "re_evaluates",
            "IKM yang sama")  # fmt: skip
    refused(lambda: propose(cycles[2018], satker, enterprise, regency, officer, re_evaluates=first), "re_evaluates",
            "siklus sebelumnya")  # fmt: skip
    assert propose(cycles[2024], satker, enterprise, regency, officer, re_evaluates=first).re_evaluates == first
