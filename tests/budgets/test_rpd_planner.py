"""The RPD planner (issue 24): the proposal for the months still to come, its projected deviation
and absorption against the current plan's, and its one-step apply through ``rpd_set``.

The hand-worked satker (the ``dipa`` fixture's, on 10 April of the running year):
- 52 goods, effective pagu 140.000.000 (100.000.000 - blokir 10.000.000 + 50.000.000);
  53 capital, 30.000.000.
- Current plan (the first one), in millions: 52: Jan 5, Feb 10, Mar 15, Apr 10, May-Dec 12,5
  each (5 + 10 + 15 + 10 + 8 x 12,5 = 140); 53: Nov 10, Dec 20, the rest 0.
- Realization, approved reports: 52: Jan 4, Feb 8, Mar 12 (24 in all); 53: nothing.
- Today 10 April: January-April are frozen; January-March completed (approved), April pending
  (its spending expected to follow its plan); May-December open.
- IKPA targets (the seeded ones): 52: Q1 15, Q2 50, Q3 70, Q4 95; 53: Q1 10, Q2 40, Q3 70, Q4 95.
  Deviation curve: 100 up to 5 %, then 1 point off per point above (0 at 105 %), types weighted
  by effective pagu (2024 rules); weights deviasi 15, penyerapan 20, all weights 100.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from budgets.calendar import rpd_window_bounds
from budgets.ikpa import rules
from budgets.ikpa.compute import ikpa_of_satkers
from budgets.ikpa.planner import PlannerInputs, TypeInputs, planner_inputs, propose
from budgets.ikpa.year_rules import year_rules
from budgets.models import (
    IkpaAbsorptionTarget,
    IkpaDeviationPoint,
    IkpaIndicator,
    IkpaWeight,
    MonthlyReport,
    RpdPlan,
    RpdRevision,
    RpdWindow,
)
from budgets.services import rpd_set
from tests.conftest import client_for
from tests.on_day import pretend_today
from tests.writes import add_realization

pytestmark = pytest.mark.django_db

M = 1_000_000
GOODS_PLAN = [5 * M, 10 * M, 15 * M, 10 * M] + [12_500_000] * 8
CAPITAL_PLAN = [0] * 10 + [10 * M, 20 * M]
GOODS_REALIZED = {1: 4 * M, 2: 8 * M, 3: 12 * M}
TARGETS = {1: {"52": D(15), "53": D(10)}, 2: {"52": D(50), "53": D(40)},
           3: {"52": D(70), "53": D(70)}, 4: {"52": D(95), "53": D(95)}}  # fmt: skip
WEIGHTS = {"revisi": D(10), "deviasi": D(15), "penyerapan": D(20), "kontraktual": D(10), "tagihan": D(10),
           "up_tup": D(10), "capaian_output": D(25)}  # fmt: skip
RULES = rules.YearRules(
    year=2026, weights=WEIGHTS, dispensation_deducts=True, deviation_tolerance=D(5),
    deviation_curve=((D(5), D(100)), (D(105), D(0))), deviation_weighted_by_pagu=True, absorption_targets=TARGETS,
    counted_revision_codes=frozenset({"201"}), revision_limit_per_semester=2, revision_penalty=D(25),
    output_timeliness_share=D(50),
)  # fmt: skip

# The proposal, worked on paper.
# 52: K (known) = realized 24 + April's plan 10 = 34; R = 140 - 34 = 106; the plan room Q = 140 - frozen
#     plan (5 + 10 + 15 + 10 = 40) = 100 (R - Q = 6: the 6 underspent in Jan-Mar cannot go back into
#     the plan, which must add up to the pagu). Pace p = 24 / 3 = 8 a month.
#     Q2 target 50 % x 140 = 70: K + May + June = 34 + 16 = 50, short 20 -> +10 each: May, June 18.
#     Q3 target 70 % = 98: 34 + 36 + 3 x 8 = 94, short 4 -> +1,333... each: Jul-Sep 9,333...
#     Q4 target 95 % = 133: 34 + 64 + 3 x 8 = 122, short 11 -> +3,666... each: Oct-Dec 11,666...
#     Open months now 99; Q - 99 = 1 spread over Oct-Dec -> 12 each; total 100 = Q.
#     Rounding on the running total to thousands: Jul 45.333.333,3 -> 45.333.000 (month 9.333.000),
#     Aug 54.666.666,7 -> 54.667.000 (9.334.000), Sep 64.000.000 (9.333.000); 12 months = 140.000.000.
GOODS_PROPOSED = [5 * M, 10 * M, 15 * M, 10 * M, 18 * M, 18 * M, 9_333_000, 9_334_000, 9_333_000] + [12 * M] * 3
# 53: nothing realized nor planned before May: K = 0, p = 0, Q = 30. Q2 40 % = 12 -> May, June 6;
#     Q3 70 % = 21 -> Jul-Sep 3 each; Q4 95 % = 28,5 -> Oct-Dec 2,5 each; the 1,5 left over Oct-Dec
#     -> 3 each; 12 + 9 + 9 = 30 = the effective pagu.
CAPITAL_PROPOSED = [0, 0, 0, 0, 6 * M, 6 * M] + [3 * M] * 6

# Projection. Month deviations (pagu-weighted, 140 : 30; 53 has no deviation while nothing is
# planned nor spent):
# - Jan-Mar, both plans: 52 |4-5|/5 = |8-10|/10 = |12-15|/15 = 20 % -> score 100 - (20 - 5) = 85.
# - April (pending, spending = plan): 0 % -> 100.
# - May-Dec, the proposal against itself: 100. The current plan against the proposal's spending:
#   May, June: 52 |18-12,5|/12,5 = 44 %, 53 6 vs 0 -> 100 %: (44x140 + 100x30)/170 = 53,88 -> 51,12;
#   Jul, Sep: 52 |9,333-12,5|/12,5 = 25,34 %: (25,34x140 + 3000)/170 = 38,52 -> 66,48;
#   Aug: 52 25,33 % -> 38,51 -> 66,49;
#   Oct: 52 |12-12,5|/12,5 = 4 %, 53 100 %: (560 + 3000)/170 = 20,94 -> 84,06;
#   Nov: 53 |3-10|/10 = 70 %: (560 + 2100)/170 = 15,65 -> 89,35; Dec: 53 85 %: (560 + 2550)/170 = 18,29 -> 86,71.
# deviasi: current (3x85 + 100 + 2x51,12 + 2x66,48 + 66,49 + 84,06 + 89,35 + 86,71) / 12 = 916,81 / 12 = 76,40;
#          proposal (3x85 + 9x100) / 12 = 96,25.
CURRENT_DEVIATION, PROPOSED_DEVIATION = D("76.40"), D("96.25")
# Absorption (per type min(100, absorbed / target x 100), pagu-weighted):
# - Q1 (both): 52 24/140 = 17,14 % of 15 -> 100; 53 0 -> (100x140 + 0)/170 = 82,35.
# - proposal: Q2 52 70 = 50 %, 53 12 = 40 %; Q3 98 = 70 %, 21 = 70 %; Q4 134 and 30: all 100.
#   mean (82,35 + 3 x 100) / 4 = 95,59.
# - current: Q2 52 24+10+25 = 59 = 42,14 % of 50 -> 84,29, 53 0: 84,2857x140/170 = 69,41;
#   Q3 52 59+37,5 = 96,5 = 68,93 % of 70 -> 98,47: x140/170 = 81,09; Q4 134 and 30 -> 100.
#   mean (82,35 + 69,41 + 81,09 + 100) / 4 = 83,21.
CURRENT_ABSORPTION, PROPOSED_ABSORPTION = D("83.21"), D("95.59")
# Points of the IKPA value (weights deviasi 15, penyerapan 20 of 100):
# current (15x76,40 + 20x83,21)/100 = 28,10; proposal (15x96,25 + 20x95,59)/100 = 33,56; +5,46.


def hand_worked_inputs() -> PlannerInputs:
    goods = TypeInputs(1, "52", "Belanja Barang", 140 * M, tuple(GOODS_PLAN), GOODS_REALIZED)
    capital = TypeInputs(2, "53", "Belanja Modal", 30 * M, tuple(CAPITAL_PLAN), {})
    return PlannerInputs(2026, range(1, 5), frozenset({1, 2, 3}), (goods, capital), RULES)


def test_the_proposal_of_the_hand_worked_satker() -> None:
    proposal = propose(hand_worked_inputs())
    goods, capital = proposal.types
    assert (goods.known, goods.remaining, goods.room, goods.pace) == (34 * M, 106 * M, 100 * M, 8 * M)
    assert goods.gap == 6 * M
    assert [(lift.quarter, lift.needed, lift.lift) for lift in goods.lifts] == [
        (2, 70 * M, 20 * M), (3, 98 * M, 4 * M), (4, 133 * M, 11 * M)]  # fmt: skip
    assert goods.spread == 1 * M and not goods.scaled
    assert list(goods.months) == GOODS_PROPOSED
    assert list(capital.months) == CAPITAL_PROPOSED
    # Each type's 12 months add up to its effective pagu (rpd_set's rule).
    assert sum(goods.months) == 140 * M and sum(capital.months) == 30 * M
    assert proposal.changed and proposal.feasible


def test_the_projection_of_both_plans_with_the_rules_functions() -> None:
    proposal = propose(hand_worked_inputs())
    assert proposal.current.month_score == (
        D(85), D(85), D(85), D(100), D("51.12"), D("51.12"), D("66.48"), D("66.49"), D("66.48"),
        D("84.06"), D("89.35"), D("86.71"))  # fmt: skip
    assert proposal.proposed.month_score == (D(85),) * 3 + (D(100),) * 9
    assert (proposal.current.deviation, proposal.proposed.deviation) == (CURRENT_DEVIATION, PROPOSED_DEVIATION)
    assert proposal.current.quarter_score == (D("82.35"), D("69.41"), D("81.09"), D(100))
    assert proposal.proposed.quarter_score == (D("82.35"), D(100), D(100), D(100))
    assert (proposal.current.absorption, proposal.proposed.absorption) == (CURRENT_ABSORPTION, PROPOSED_ABSORPTION)
    assert (proposal.current.contribution, proposal.proposed.contribution) == (D("28.10"), D("33.56"))
    assert proposal.change == D("5.46")


def test_frozen_months_keep_their_plan_whatever_the_pace() -> None:
    proposal = propose(hand_worked_inputs())
    for t in proposal.types:
        assert t.months[:4] == t.inputs.plan[:4]
    # Only the open months are in what differs from the current plan.
    changed = {m for t in proposal.types for m in range(1, 13) if t.months[m - 1] != t.inputs.plan[m - 1]}
    assert changed <= set(range(5, 13))


def test_open_months_scaled_down_when_the_pace_exceeds_what_is_left_and_the_remainder_in_the_last_month() -> None:
    # 51 personnel, pagu 12.000.500; January-June planned and spent 1.500.000 a month (9.000.000),
    # July (running, frozen) planned 0, December 3.000.500. On a day in July the room is
    # 12.000.500 - 9.000.000 = 3.000.500 for the five open months August-December; the pace
    # (5 x 1.500.000 = 7.500.000) exceeds it and is scaled by 3.000.500 / 7.500.000 to 600.100 a
    # month. Running totals rounded to thousands: 600.100 -> 600.000, 1.200.200 -> 1.200.000,
    # 1.800.300 -> 1.800.000, 2.400.400 -> 2.400.000; December takes the remainder
    # 3.000.500 - 2.400.000 = 600.500. (No target for 51 in these rules: no lift.)
    plan = (1_500_000,) * 6 + (0,) * 5 + (3_000_500,)
    personnel = TypeInputs(3, "51", "Belanja Pegawai", 12_000_500, plan, dict.fromkeys(range(1, 7), 1_500_000))
    inputs = PlannerInputs(2026, range(1, 8), frozenset(range(1, 7)), (personnel,), RULES)
    (t,) = propose(inputs).types
    # July is frozen (running): its plan 0 stays; the room is what the frozen months leave.
    assert t.room == 3_000_500 and t.scaled
    assert list(t.months[7:]) == [600_000] * 4 + [600_500]  # Aug-Nov, then December's remainder
    assert t.months[6] == 0  # July
    assert sum(t.months) == 12_000_500


# --- Through the database: the page, the apply, the projection against the score it produces.

APRIL_10 = (4, 10)


@pytest.fixture
def today(monkeypatch) -> date:
    return pretend_today(monkeypatch, date(date.today().year, *APRIL_10))


@pytest.fixture
def ikpa_rules(dipa) -> None:
    """The year's IKPA rules in the database: weights, the curve, the targets per type."""
    fiscal_year = dipa.fiscal_year
    for indicator, key in (("DIPA_REVISION", "revisi"), ("PAGE3_DEVIATION", "deviasi"), ("ABSORPTION", "penyerapan"),
                           ("CONTRACT", "kontraktual"), ("INVOICE", "tagihan"), ("PETTY_CASH", "up_tup"),
                           ("OUTPUT", "capaian_output")):  # fmt: skip
        IkpaWeight.objects.create(fiscal_year=fiscal_year, indicator=IkpaIndicator[indicator], weight=WEIGHTS[key])
    IkpaDeviationPoint.objects.create(fiscal_year=fiscal_year, deviation=D(105), score=D(0))
    types = {"52": dipa.goods, "53": dipa.capital}
    for quarter, targets in TARGETS.items():
        for code, target in targets.items():
            IkpaAbsorptionTarget.objects.create(fiscal_year=fiscal_year, quarter=quarter, spending_type=types[code],
                                                target=target)  # fmt: skip


@pytest.fixture
def planned_satker(satker, dipa, officer, today, ikpa_rules):
    """The hand-worked satker in the database: the IKPA rules of the year, the first plan, January
    to March approved with their realization."""
    fiscal_year = dipa.fiscal_year
    plan = {(dipa.goods.pk, m): a for m, a in enumerate(GOODS_PLAN, 1)} | {
        (dipa.capital.pk, m): a for m, a in enumerate(CAPITAL_PLAN, 1)}  # fmt: skip
    rpd_set(satker=satker, fiscal_year=fiscal_year, plan=plan, by=officer, today=today)
    for month, amount in GOODS_REALIZED.items():
        approved_month(satker, dipa, month, {dipa.ovop: amount})
    return satker


def approved_month(satker, dipa, month: int, amounts: dict) -> MonthlyReport:
    report = MonthlyReport.objects.create(
        satker=satker,
        fiscal_year=dipa.fiscal_year,
        month=month,
        status=MonthlyReport.Status.APPROVED,
        due_date=date(dipa.fiscal_year.year, 12, 31),
    )
    for line, amount in amounts.items():
        add_realization(report=report, line=line, amount=amount)
    return report


@pytest.fixture
def window(dipa, today) -> RpdWindow:
    """TW II's window, open today (1 to 15 April)."""
    return RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=2, opens_on=today.replace(day=1),
                                    closes_on=today + timedelta(days=5))  # fmt: skip


def planner_url(satker, dipa) -> str:
    return reverse("budgets:rpd-planner", args=[satker.code, dipa.fiscal_year.year])


def stored_plan(satker, dipa) -> dict[str, list[int]]:
    plan = {"52": [0] * 12, "53": [0] * 12}
    rows = RpdPlan.objects.filter(satker=satker).values_list("spending_type__code", "month", "amount")
    for code, month, amount in rows:
        plan[code][month - 1] = amount
    return plan


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_database_reading_gives_the_hand_worked_inputs(planned_satker, dipa, today) -> None:
    inputs = planner_inputs(satker=planned_satker, fiscal_year=dipa.fiscal_year, today=today,
                            frozen=range(1, 5), year_rules=year_rules(dipa.fiscal_year))  # fmt: skip
    assert inputs.frozen == range(1, 5) and inputs.completed == {1, 2, 3}
    goods, capital = inputs.types
    assert (goods.code, goods.pagu, list(goods.plan)) == ("52", 140 * M, GOODS_PLAN)
    assert goods.realized == GOODS_REALIZED
    assert (capital.code, capital.pagu, list(capital.plan)) == ("53", 30 * M, CAPITAL_PLAN)
    assert inputs.rules.absorption_targets == TARGETS
    proposal = propose(inputs)
    assert [list(t.months) for t in proposal.types] == [GOODS_PROPOSED, CAPITAL_PROPOSED]
    assert proposal.proposed.deviation == PROPOSED_DEVIATION and proposal.current.deviation == CURRENT_DEVIATION


def test_an_unapproved_ended_month_counts_as_planned(planned_satker, dipa, today) -> None:
    # March's report sent back to draft: March is pending (expected = its plan 15), the pace is
    # January-February's (4 + 8) / 2 = 6.
    MonthlyReport.objects.filter(satker=planned_satker, month=3).update(status=MonthlyReport.Status.SUBMITTED)
    inputs = planner_inputs(satker=planned_satker, fiscal_year=dipa.fiscal_year, today=today,
                            frozen=range(1, 5), year_rules=year_rules(dipa.fiscal_year))  # fmt: skip
    assert inputs.completed == {1, 2}
    goods = propose(inputs).types[0]
    assert goods.pace == 6 * M and goods.known == 4 * M + 8 * M + 15 * M + 10 * M


def test_page_shows_window_scores_and_the_apply_button(planned_satker, dipa, officer, window,
                                                       django_assert_max_num_queries) -> None:  # fmt: skip
    client = client_for(officer)
    client.get(planner_url(planned_satker, dipa))  # the session's first queries out of the count
    with django_assert_max_num_queries(19):
        page = client.get(planner_url(planned_satker, dipa))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"sampai batas akhir {window.closes_on.day} April" in html
    assert "Sisa 5 hari" in html
    assert "Terapkan usulan" in html and "data-confirm" in html
    assert "76,40" in html and "96,25" in html and "83,21" in html and "95,59" in html and "+5,46" in html
    assert "9.334.000" in html  # August's proposed goods
    # The RPD page links to the planner.
    rpd_page = client.get(reverse("budgets:rpd-entry", args=[planned_satker.code, dipa.fiscal_year.year]))
    assert planner_url(planned_satker, dipa) in rpd_page.content.decode()


def test_apply_writes_the_proposal_through_rpd_set(planned_satker, dipa, officer, window) -> None:
    client = client_for(officer)
    fingerprint = client.get(planner_url(planned_satker, dipa)).context["proposal"].fingerprint()
    response = client.post(planner_url(planned_satker, dipa), {"proposal": fingerprint})
    assert response.status_code == 302 and response.url == planner_url(planned_satker, dipa)
    assert any("diterapkan" in m for m in flash(response))
    assert stored_plan(planned_satker, dipa) == {"52": GOODS_PROPOSED, "53": CAPITAL_PROPOSED}
    # A change in the window, kept as a version with the cells before and after, and in the history.
    revision = RpdRevision.objects.filter(satker=planned_satker).latest("pk")
    assert revision.window == window and revision.saved_by == officer
    assert revision.before["52-5"] == 12_500_000 and revision.after["52-5"] == 18 * M
    assert RpdPlan.history.filter(history_change_reason="Perencana RPD", history_user=officer).exists()
    # The window is used: the page no longer offers to apply, and a second apply is refused.
    page = client.get(planner_url(planned_satker, dipa))
    assert "Terapkan usulan" not in page.content.decode()
    assert "sudah diubah satu kali" in page.content.decode()


def test_a_stale_page_applies_nothing(planned_satker, dipa, officer, window) -> None:
    response = client_for(officer).post(planner_url(planned_satker, dipa), {"proposal": "0" * 16})
    assert response.status_code == 302 and any("berubah sejak halaman dibuka" in m for m in flash(response))
    assert stored_plan(planned_satker, dipa) == {"52": GOODS_PLAN, "53": CAPITAL_PLAN}


def test_outside_a_window_the_proposal_is_read_only_and_apply_refused(planned_satker, dipa, officer, today) -> None:
    RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=3, opens_on=date(today.year, 7, 1),
                             closes_on=date(today.year, 7, 14))  # fmt: skip
    client = client_for(officer)
    page = client.get(planner_url(planned_satker, dipa))
    html = page.content.decode()
    assert "Tidak ada jendela perubahan RPD yang terbuka hari ini" in html
    assert "Jendela berikutnya (TW III) dibuka 1 Juli" in html
    assert "Terapkan usulan" not in html and "96,25" in html
    revisions = RpdRevision.objects.count()
    response = client.post(planner_url(planned_satker, dipa), {"proposal": page.context["proposal"].fingerprint()})
    assert response.status_code == 302
    assert any("Di luar jendela perubahan RPD" in m for m in flash(response))
    assert stored_plan(planned_satker, dipa) == {"52": GOODS_PLAN, "53": CAPITAL_PLAN}
    assert RpdRevision.objects.count() == revisions


def test_without_windows_for_the_year_the_treasurys_rule_tells_the_cut_off(planned_satker, dipa, officer) -> None:
    # No RpdWindow row for the year: the page gives the rule's cut-off of TW II, the 10th working
    # day of April (no holiday in the test database; 14 April in 2026: 1, 2, 3, 6, 7, 8, 9, 10, 13, 14).
    html = client_for(officer).get(planner_url(planned_satker, dipa)).content.decode()
    cut_off = rpd_window_bounds(dipa.fiscal_year.year, 2, [])[1]
    assert f"batas perubahan RPD TW II adalah {cut_off.day} April" in html
    assert "Terapkan usulan" not in html


def test_without_the_years_ikpa_data_the_page_says_so(satker, dipa, officer, today) -> None:
    # No targets nor weights for the year: the proposal follows the pace alone (here no
    # realization: 0 a month, everything left in October-December), absorption is not projected.
    html = client_for(officer).get(planner_url(satker, dipa)).content.decode()
    assert "Target penyerapan IKPA per jenis belanja tahun" in html and "Bobot IKPA tahun" in html
    assert "46.667.000" in html  # 52: 140.000.000 / 3 = 46.666.666,7 in October (running total rounded)


def test_other_province_and_read_only_roles_cannot_apply(planned_satker, dipa, other_officer, reviewer, head,
                                                         window) -> None:  # fmt: skip
    url = planner_url(planned_satker, dipa)
    fingerprint = client_for(reviewer).get(url).context["proposal"].fingerprint()
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(other_officer).post(url, {"proposal": fingerprint}).status_code == 404
    for reader in (reviewer, head):
        page = client_for(reader).get(url)
        assert page.status_code == 200 and "Terapkan usulan" not in page.content.decode()
        assert "Anda hanya dapat membaca" in page.content.decode()
        assert client_for(reader).post(url, {"proposal": fingerprint}).status_code == 403
    assert stored_plan(planned_satker, dipa) == {"52": GOODS_PLAN, "53": CAPITAL_PLAN}
    assert RpdRevision.objects.count() == 1


def test_the_projection_equals_the_score_the_applied_plan_then_produces(planned_satker, dipa, officer, window) -> None:
    client = client_for(officer)
    projected = client.get(planner_url(planned_satker, dipa)).context["proposal"]
    client.post(planner_url(planned_satker, dipa), {"proposal": projected.fingerprint()})
    # The rest of the year spent as planned: April as its (frozen) plan, May-December as the
    # proposal, every month approved. Goods on the OVOP line until its 90.000.000, then on travel.
    room = {dipa.ovop: 90 * M - sum(GOODS_REALIZED.values()), dipa.travel: 50 * M}
    for month in range(4, 13):
        goods = GOODS_PROPOSED[month - 1]
        on_ovop = min(goods, room[dipa.ovop])
        room[dipa.ovop] -= on_ovop
        amounts = {dipa.ovop: on_ovop, dipa.travel: goods - on_ovop, dipa.machine: CAPITAL_PROPOSED[month - 1]}
        approved_month(planned_satker, dipa, month, {line: a for line, a in amounts.items() if a})
    # The IKPA computation (budgets/ikpa/compute.py) as of December, on approved reports.
    ikpa = ikpa_of_satkers(dipa.fiscal_year, [planned_satker.pk], 12, statuses=[MonthlyReport.Status.APPROVED])
    values = ikpa[planned_satker.pk].values
    deviation, absorption = values[rules.DEVIASI], values[rules.PENYERAPAN]
    assert ikpa[planned_satker.pk].month_scores == dict(enumerate(projected.proposed.month_score, start=1))
    assert (deviation, absorption) == (projected.proposed.deviation, projected.proposed.absorption)
    assert (deviation, absorption) == (PROPOSED_DEVIATION, PROPOSED_ABSORPTION)


def test_a_first_plan_is_proposed_and_applied_without_a_window(satker, dipa, officer, ikpa_rules) -> None:
    # No RPD yet, January-March approved as before: the first plan may be saved at any time
    # (rpd_editability), so the planner applies it outside any window. The months begun keep
    # their (empty) plan; 52: K = 24, p = 8, Q = 140. Q2 70: 24 + 16 -> short 30, May, June 23;
    # Q3 98: 24 + 46 + 24 -> short 4, Jul-Sep 9,333...; Q4 133: 98 + 24 -> short 11, Oct-Dec
    # 11,666...; open months 109, the 31 left over Oct-Dec -> 22 each (46 + 28 + 66 = 140).
    # 53 as in the hand-worked satker.
    for month, amount in GOODS_REALIZED.items():
        approved_month(satker, dipa, month, {dipa.ovop: amount})
    client = client_for(officer)
    page = client.get(planner_url(satker, dipa))
    assert "RPD awal dapat diisi kapan saja" in page.content.decode()
    response = client.post(planner_url(satker, dipa), {"proposal": page.context["proposal"].fingerprint()})
    assert response.status_code == 302 and any("diterapkan" in m for m in flash(response))
    assert stored_plan(satker, dipa) == {
        "52": [0, 0, 0, 0, 23 * M, 23 * M, 9_333_000, 9_334_000, 9_333_000, 22 * M, 22 * M, 22 * M],
        "53": CAPITAL_PROPOSED,
    }
    assert RpdRevision.objects.get(satker=satker).window is None
