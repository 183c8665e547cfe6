"""The IKPA formulas (budgets/ikpa/rules.py) on examples worked on paper, the computation written
out beside each assertion. No database: the rules are pure."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from budgets.ikpa.rules import (
    YearRules,
    absorption_score,
    category,
    composite,
    deviation_score,
    mean,
    month_deviation,
    output_achievement,
    output_score,
    quarters_ended,
    revision_score,
    semesters_started,
    type_deviation,
)

TARGETS = {
    1: {"51": D(20), "52": D(15), "53": D(10), "57": D(25)},
    2: {"51": D(50), "52": D(50), "53": D(40), "57": D(50)},
    3: {"51": D(75), "52": D(70), "53": D(70), "57": D(75)},
    4: {"51": D(95), "52": D(95), "53": D(95), "57": D(95)},
}

# 2023 (PER-5/PB/2022): dispensasi weighted 5, deviation as the arithmetic mean of the types.
RULES_2023 = YearRules(
    year=2023,
    weights={
        "revisi": D(10),
        "deviasi": D(10),
        "penyerapan": D(20),
        "kontraktual": D(10),
        "tagihan": D(10),
        "up_tup": D(10),
        "dispensasi": D(5),
        "capaian_output": D(25),
    },
    dispensation_deducts=False,
    deviation_tolerance=D(5),
    # The old linear rule of slope 1: (5, 100) -> (105, 0).
    deviation_curve=((D(5), D(100)), (D(105), D(0))),
    deviation_weighted_by_pagu=False,
    absorption_targets=TARGETS,
    counted_revision_codes=frozenset({"201", "211", "212", "213", "217", "220"}),
    revision_limit_per_semester=2,
    revision_penalty=D(25),
    output_timeliness_share=D(50),
)
# 2024 (PER-5/PB/2024): deviasi 15, no dispensasi weight (it is deducted), pagu-weighted deviation.
RULES_2024 = replace(
    RULES_2023,
    year=2024,
    weights={
        "revisi": D(10),
        "deviasi": D(15),
        "penyerapan": D(20),
        "kontraktual": D(10),
        "tagihan": D(10),
        "up_tup": D(10),
        "capaian_output": D(25),
    },
    dispensation_deducts=True,
    deviation_weighted_by_pagu=True,
)


def test_type_deviation() -> None:
    # |90 - 100| / 100 = 10 %
    assert type_deviation(90, 100) == D("10.00")
    # |130 - 100| / 100 = 30 %
    assert type_deviation(130, 100) == D("30.00")
    # |1 - 3| / 3 = 66.666.. -> 66.67 (half up)
    assert type_deviation(1, 3) == D("66.67")
    # nothing planned, nothing spent: nothing to judge; spent without plan: 100 %
    assert type_deviation(0, 0) is None
    assert type_deviation(5, 0) == D(100)


# A satker-month with three spending types (amounts in rupiah):
#   51 personnel: RPD 100,  realized  98 -> |98 - 100| / 100 =  2 %
#   52 goods:     RPD 200,  realized 140 -> 60 / 200        = 30 %
#   53 capital:   RPD 50,   realized  70 -> 20 / 50         = 40 %
#   57: nothing planned nor spent -> skipped
# Effective pagu: 51 600, 52 300, 53 100 (1000 in all).
MONTH = {"51": (98, 100), "52": (140, 200), "53": (70, 50), "57": (0, 0)}
PAGU = {"51": 600, "52": 300, "53": 100, "57": 0}


def test_month_deviation_arithmetic_until_2023() -> None:
    # (2 + 30 + 40) / 3 = 24 %
    assert month_deviation(MONTH, PAGU, RULES_2023) == D("24.00")


def test_month_deviation_weighted_by_pagu_from_2024() -> None:
    # (2 x 600 + 30 x 300 + 40 x 100) / 1000 = (1200 + 9000 + 4000) / 1000 = 14.2 %
    assert month_deviation(MONTH, PAGU, RULES_2024) == D("14.20")
    # The same month on national sums would be |308 - 350| / 350 = 12 %: neither rule.
    assert month_deviation({}, PAGU, RULES_2024) is None
    assert month_deviation({"57": (0, 0)}, PAGU, RULES_2023) is None


def test_deviation_score_tolerance_and_linear_curve() -> None:
    # within 5 %: full marks, the edge included
    assert deviation_score(D("4.99"), RULES_2023) == D(100)
    assert deviation_score(D(5), RULES_2023) == D(100)
    # 24 %: 100 + (0 - 100) x (24 - 5) / (105 - 5) = 100 - 19 = 81
    assert deviation_score(D(24), RULES_2023) == D("81.00")
    # 14.2 %: 100 - 9.2 = 90.8
    assert deviation_score(D("14.20"), RULES_2023) == D("90.80")
    # beyond the last point: the last point's score
    assert deviation_score(D(300), RULES_2023) == D(0)
    assert deviation_score(None, RULES_2023) is None


def test_deviation_score_interpolates_a_curve_of_several_points() -> None:
    # Curve (5, 100) -> (25, 80) -> (50, 40), then flat at 40.
    rules = replace(RULES_2023, deviation_curve=((D(5), D(100)), (D(25), D(80)), (D(50), D(40))))
    # 15 %: between (5,100) and (25,80): 100 - 20 x (15 - 5) / 20 = 90
    assert deviation_score(D(15), rules) == D("90.00")
    # 30 %: between (25,80) and (50,40): 80 - 40 x (30 - 25) / 25 = 80 - 8 = 72
    assert deviation_score(D(30), rules) == D("72.00")
    # 33.33 %: 80 - 40 x 8.33 / 25 = 80 - 13.328 = 66.672 -> 66.67
    assert deviation_score(D("33.33"), rules) == D("66.67")
    # exactly on a point, and beyond the last one
    assert deviation_score(D(25), rules) == D("80.00")
    assert deviation_score(D(80), rules) == D("40.00")


def test_mean_skips_missing_values() -> None:
    # (81 + 90.8 + 100) / 3 = 271.8 / 3 = 90.6
    assert mean([D(81), None, D("90.80"), D(100)]) == D("90.60")
    # (1 + 2) / 3... of (0.01, 0.02, 0.02): 0.05 / 3 = 0.01666 -> 0.02
    assert mean([D("0.01"), D("0.02"), D("0.02")]) == D("0.02")
    assert mean([None, None]) is None
    assert mean([]) is None


def test_absorption_per_type_capped_and_pagu_weighted() -> None:
    # Q3 targets: 51 75 %, 52 70 %, 53 70 %. Effective pagu (pagu - blokir) 600 / 300 / 100.
    #   51: realized 480 / 600 = 80 % -> 80 / 75 x 100 = 106.67 -> capped 100
    #   52: realized 168 / 300 = 56 % -> 56 / 70 x 100 = 80
    #   53: realized  35 / 100 = 35 % -> 35 / 70 x 100 = 50
    #   57: no pagu -> skipped
    # weighted: (100 x 600 + 80 x 300 + 50 x 100) / 1000 = (60000 + 24000 + 5000) / 1000 = 89
    realized = {"51": 480, "52": 168, "53": 35}
    assert absorption_score(realized, PAGU, 3, RULES_2023) == D("89.00")
    # Q1 targets 20 / 15 / 10: 51 80 % -> 100, 52 56 % -> 100, 53 35 % -> 100 => 100
    assert absorption_score(realized, PAGU, 1, RULES_2023) == D("100.00")
    # A type without a target in the quarter is skipped: only 51 counts -> 100
    rules = replace(RULES_2023, absorption_targets={3: {"51": D(75)}})
    assert absorption_score(realized, PAGU, 3, rules) == D("100.00")
    # Nothing to score
    assert absorption_score(realized, {"57": 0}, 3, RULES_2023) is None
    assert absorption_score(realized, PAGU, 3, replace(RULES_2023, absorption_targets={})) is None


def test_absorption_rounds_once_at_the_end() -> None:
    # Q2: 51 target 50, pagu 3, realized 1 -> 33.33.. % -> 66.666..; 52 target 50, pagu 3,
    # realized 3 -> 100 % -> capped 100; weighted (66.666.. x 3 + 100 x 3) / 6 = 83.333.. -> 83.33
    assert absorption_score({"51": 1, "52": 3}, {"51": 3, "52": 3}, 2, RULES_2023) == D("83.33")


def test_revisions_beyond_the_limit() -> None:
    # limit 2 per semester, 25 points off per revision beyond it
    assert revision_score(0, RULES_2023) == D(100)
    assert revision_score(2, RULES_2023) == D(100)
    assert revision_score(3, RULES_2023) == D(75)  # 100 - 25 x 1
    assert revision_score(5, RULES_2023) == D(25)  # 100 - 25 x 3
    assert revision_score(9, RULES_2023) == D(0)  # 100 - 25 x 7 = -75 -> floor 0


def test_output_score() -> None:
    # share 50: timeliness 80, achievement 120 -> capped 100: (80 x 50 + 100 x 50) / 100 = 90
    assert output_score(D(80), D(120), RULES_2023) == D("90.00")
    # share 30: (75 x 30 + 90 x 70) / 100 = (2250 + 6300) / 100 = 85.5
    assert output_score(D(75), D(90), replace(RULES_2023, output_timeliness_share=D(30))) == D("85.50")
    # only one part known: that part
    assert output_score(None, D(130), RULES_2023) == D("100.00")
    assert output_score(D("66.67"), None, RULES_2023) == D("66.67")
    assert output_score(None, None, RULES_2023) is None


def test_output_achievement_capped_per_ro_and_pagu_weighted() -> None:
    # RO A: pagu 300, 120 % -> capped 100; RO B: pagu 100, 60 %; RO C: no target (None) -> skipped
    # (100 x 300 + 60 x 100) / 400 = 36000 / 400 = 90
    assert output_achievement([(300, D(120)), (100, D(60)), (500, None)]) == D("90.00")
    # without pagu: the plain mean (100 + 60) / 2 = 80
    assert output_achievement([(0, D(120)), (0, D(60))]) == D("80.00")
    assert output_achievement([(100, None)]) is None


VALUES = {
    "revisi": D(100),
    "deviasi": D(81),
    "penyerapan": D(89),
    "kontraktual": D(90),
    "tagihan": D(100),
    "up_tup": D(95),
    "capaian_output": D(90),
}


def test_composite_2023_dispensation_weighted() -> None:
    # 2023 weights 10/10/20/10/10/10/5/25, dispensasi 100:
    # 100x10 + 81x10 + 89x20 + 90x10 + 100x10 + 95x10 + 100x5 + 90x25
    # = 1000 + 810 + 1780 + 900 + 1000 + 950 + 500 + 2250 = 9190; / 100 = 91.9
    assert composite({**VALUES, "dispensasi": D(100)}, RULES_2023) == D("91.90")


def test_composite_rebases_the_weights_of_missing_indicators() -> None:
    # 2023 without the three imported ones nor dispensasi (contracts, invoices, UP/TUP, dispensation
    # unknown): weights left revisi 10, deviasi 10, penyerapan 20, capaian 25 = 65
    # (1000 + 810 + 1780 + 2250) / 65 = 5840 / 65 = 89.846.. -> 89.85
    values = {key: VALUES[key] for key in ("revisi", "deviasi", "penyerapan", "capaian_output")}
    assert composite(values, RULES_2023) == D("89.85")
    assert composite({}, RULES_2023) is None
    assert composite({"deviasi": None}, RULES_2023) is None


def test_composite_2024_deducts_the_dispensation() -> None:
    # 2024 weights 10/15/20/10/10/10/25 (= 100):
    # 1000 + 81x15 + 1780 + 900 + 1000 + 950 + 2250 = 1000 + 1215 + 1780 + 900 + 1000 + 950 + 2250
    # = 9095 -> 90.95; dispensasi 1.5 points deducted -> 89.45
    assert composite(VALUES, RULES_2024) == D("90.95")
    assert composite({**VALUES, "dispensasi": D("1.5")}, RULES_2024) == D("89.45")
    # clamped: a deduction larger than the value leaves 0
    assert composite({**VALUES, "dispensasi": D(120)}, RULES_2024) == D(0)
    # the dispensation alone is no value to deduct from
    assert composite({"dispensasi": D(1)}, RULES_2024) is None


def test_categories_at_the_band_edges() -> None:
    assert category(D(100)) == "sangat_baik"
    assert category(D(95)) == "sangat_baik"
    assert category(D("94.99")) == "baik"
    assert category(D(89)) == "baik"
    assert category(D("88.99")) == "cukup"
    assert category(D(70)) == "cukup"
    assert category(D("69.99")) == "kurang"
    assert category(D(0)) == "kurang"
    assert category(None) is None


def test_quarters_and_semesters_as_of_a_month() -> None:
    assert quarters_ended(2) == [] and quarters_ended(3) == [1] and quarters_ended(11) == [1, 2, 3]
    assert quarters_ended(12) == [1, 2, 3, 4]
    assert semesters_started(1) == [1] and semesters_started(6) == [1] and semesters_started(7) == [1, 2]


def test_a_satker_month_on_paper() -> None:
    """A satker as of March 2024, every computed indicator from raw figures.

    Deviation: January (51: RPD 100 real 100 -> 0 %; 52: RPD 40 real 50 -> 25 %), pagu 51 600,
    52 400 -> weighted (0 x 600 + 25 x 400) / 1000 = 10 % -> 100 - 5 = 95.
    February: (51: 100/100 -> 0; 52: 40/40 -> 0) -> 0 % -> 100. March: 51 100/100 0 %, 52 RPD 40
    real 0 -> 100 % -> (0 + 100 x 400) / 1000 = 40 % -> 100 - 35 = 65.
    deviasi = (95 + 100 + 65) / 3 = 86.666.. -> 86.67.
    Absorption Q1 (51 target 20, 52 target 15): 51 300/600 = 50 % -> capped 100; 52 90/400 =
    22.5 % -> 22.5/15 = 150 -> capped 100 => 100.
    Revisions: 3 counted in semester 1, limit 2, 25 each -> 75.
    Output: timeliness 2/3 = 66.67, achievement 80 -> (66.67 x 50 + 80 x 50) / 100 = 73.335 -> 73.34.
    Composite (2024, imported kontraktual 100, tagihan 100, up_tup 100, no dispensation):
    75x10 + 86.67x15 + 100x20 + 100x10 + 100x10 + 100x10 + 73.34x25
    = 750 + 1300.05 + 2000 + 1000 + 1000 + 1000 + 1833.5 = 8883.55 -> 88.8355 -> 88.84: cukup.
    """
    pagu = {"51": 600, "52": 400}
    months = [
        {"51": (100, 100), "52": (50, 40)},
        {"51": (100, 100), "52": (40, 40)},
        {"51": (100, 100), "52": (0, 40)},
    ]
    scores = [deviation_score(month_deviation(m, pagu, RULES_2024), RULES_2024) for m in months]
    assert scores == [D("95.00"), D(100), D("65.00")]
    deviasi = mean(scores)
    assert deviasi == D("86.67")
    penyerapan = absorption_score({"51": 300, "52": 90}, pagu, 1, RULES_2024)
    assert penyerapan == D(100)
    revisi = mean([revision_score(3, RULES_2024)])
    assert revisi == D(75)
    capaian = output_score(D("66.67"), D(80), RULES_2024)
    assert capaian == D("73.34")
    values = {"revisi": revisi, "deviasi": deviasi, "penyerapan": penyerapan, "kontraktual": D(100),
              "tagihan": D(100), "up_tup": D(100), "capaian_output": capaian, "dispensasi": None}  # fmt: skip
    value = composite(values, RULES_2024)
    assert value == D("88.84")
    assert category(value) == "cukup"
