"""Demo budget data for fiscal years 2022 and 2023: pagu, RPD, realization and monthly reports
of the 34 provincial satkers that received deconcentration then (DK: the four Papua provinces
created in 2022 had no Industry Service in those DIPAs) and the 4 central units (KP); and for the
running fiscal year
(after 2023, provincial satkers TP) the months that have ended, so the monthly work can be tried.

The figures are not random: the directorate's public numbers (2022 absorption 97.97 % DK and
98.68 % for the whole directorate general, the top five provinces, the five provinces under
90 % in 2023...) are demonstrated on them, so every number is built to hit them exactly and is
checked through ``budgets.reports.queries`` before the transaction commits. Everything else (line
split, months, submission times) comes from a seeded ``random.Random``, so two loads are
identical. The running year has no published figures: it is seeded from its year and shaped by
today's date (see ``current_year_plan``).

Planning is pure (plain dataclasses, no database); ``demo_data_load`` writes the plan in bulk.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budgets import realization_summary
from budgets.calendar import following_month, nth_working_day, report_due_date
from budgets.models import (
    Account,
    Authority,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    BudgetRevisionLine,
    FiscalYear,
    Holiday,
    MonthlyReport,
    Realization,
    ReportTransition,
    RpdPlan,
    RpdRevision,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from budgets.non_physical import dk_account_problem
from budgets.regions import satker_absence
from budgets.reports.queries import (
    RealizationFilter,
    average_of,
    realization_by_province,
    realization_by_satker,
    realization_total,
)
from budgets.services import default_authority
from core.formats import month_name
from demo.users import demo_users_create

if TYPE_CHECKING:
    from accounts.models import User

DEMO_YEARS = (2022, 2023)
DEMO_REASON = "load_demo_data"
SEED = "ikma-demo-data"
JAKARTA = ZoneInfo("Asia/Jakarta")
Status = MonthlyReport.Status

# --- The published figures the demo reproduces --------------------------------------------

DK_PERSEN_2022 = Decimal("97.97")
DG_PERSEN_2022 = Decimal("98.68")  # DK + the central units (KP)
# Ranked first to fifth by persen; the rest of the ranking is free.
TOP_FIVE_2022 = (("17", "99.91"), ("65", "99.84"), ("53", "99.76"), ("72", "99.69"), ("76", "99.62"))
ABOVE_TOTAL_2022 = 20  # provinces strictly above the DK total, the top five included
DG_AVERAGE_2022 = Decimal("97.05")  # the average the Director General quoted
UNDER_DG_AVERAGE_2022 = 5
THRESHOLD_2022 = Decimal("91.20")  # FiscalYear 2022 below_average_threshold
# The one satker under the threshold (the province with the smallest DIPA) lands in this range.
LOWEST_RANGE_2022 = (Decimal("75.00"), THRESHOLD_2022)
# DK 2022 and 2023 went to the 34 provinces that existed when those DIPAs were issued (DOMAIN.md);
# load_master_data gives the authorities, this is what the demo checks them against.
DK_PROVINCES = 34

DK_PAGU_2023 = 49_050_000_000
UNDER_90_2023 = {"14": "81.18", "11": "86.58", "35": "88.43", "19": "88.59", "33": "89.57"}
NINETY = Decimal("90.00")

# --- The shape of the DIPAs ----------------------------------------------------------------

# The 2022 DK total is free; a round figure looks like a real DIPA.
DK_PAGU = {2022: 47_850_000_000, 2023: DK_PAGU_2023}
PROVINCE_PAGU_RANGE = (0.35, 2.60)  # relative sizes before scaling to the total (Rp0,4-2,3 miliar)
MIN_LINE_PAGU = 45_000_000

# Deconcentration money is for non-physical activities, so provincial lines are goods (52) only.
PROVINCIAL_ACCOUNTS = {
    "051": ("521211", "521213", "524119", "526311"),  # OVOP
    "052": ("521211", "524111", "526211", "526311"),  # extreme poverty
    "053": ("521213", "521219", "524111", "524114"),  # IKM data collection
    "054": ("521211", "521213", "524114", "524119"),  # new entrepreneurs (WUB)
    "055": ("521219", "522151", "524119", "526311"),  # product development
}
WUB_COMPONENT = "054"

CENTRAL_PAGU = {"019101": 18_400_000_000, "019102": 11_250_000_000, "019103": 10_800_000_000, "019104": 11_600_000_000}
CENTRAL_GROWTH_2023 = 104  # percent of the 2022 pagu
CENTRAL_LINES: dict[str, tuple[tuple[str, str, float], ...]] = {
    # (component, account, relative size). The secretariat pays the staff (51) and runs the
    # offices; the directorates run programmes and buy machines for IKM centres (53, 526111).
    "019101": (
        ("061", "511111", 6.0), ("061", "511121", 0.6), ("061", "511122", 0.8), ("061", "512211", 0.5),
        ("061", "521111", 1.2), ("061", "521115", 0.7), ("061", "522191", 0.9), ("061", "524111", 1.4),
        ("061", "524113", 0.6), ("061", "532111", 1.1), ("060", "521211", 0.8), ("060", "524114", 1.0),
    ),
    "019102": (
        ("051", "521213", 0.8), ("051", "524119", 1.3), ("056", "521211", 0.7), ("056", "522151", 1.1),
        ("057", "521219", 1.0), ("057", "524111", 0.9), ("058", "526111", 2.2), ("058", "532111", 1.8),
        ("059", "522151", 0.9), ("059", "536111", 1.2),
    ),
    "019103": (
        ("054", "521211", 0.9), ("054", "524114", 1.1), ("055", "522151", 1.2), ("055", "526311", 1.6),
        ("056", "521219", 0.8), ("056", "524119", 1.0), ("057", "522191", 0.9), ("058", "526111", 1.9),
        ("058", "532111", 1.5), ("060", "524111", 0.7), ("060", "521213", 0.6),
    ),
    "019104": (
        ("052", "526211", 1.4), ("052", "524111", 0.8), ("056", "522151", 1.0), ("057", "524119", 1.2),
        ("058", "526111", 2.4), ("058", "532111", 2.0), ("059", "521219", 0.9), ("059", "536111", 1.4),
        ("060", "521211", 0.7), ("060", "524114", 0.9),
    ),
}  # fmt: skip

# Monthly weights per spending type: salaries are flat (THR in April, 13th salary in June),
# goods follow the usual S-curve (slow start, heavy last quarter), capital comes last.
PROFILES = {
    "51": (1.0, 1.0, 1.0, 1.8, 1.0, 1.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2),
    "52": (1.0, 2.5, 4.5, 6.0, 7.0, 8.5, 8.0, 9.0, 10.0, 11.0, 13.0, 19.5),
    "53": (0.0, 0.0, 0.5, 1.0, 2.0, 4.0, 6.0, 8.0, 11.0, 15.0, 20.0, 32.5),
}

LATE_REPORTS_PER_YEAR = {2022: 7, 2023: 5}
# 2023 for the central units: something for every screen (draft, returned, awaiting review, late).
CENTRAL_2023_STATUS = {("019102", 12): Status.DRAFT, ("019103", 12): Status.RETURNED, ("019104", 12): Status.SUBMITTED}
CENTRAL_2023_LATE = ("019102", 11)
RETURN_COMMENT = (
    "Realisasi Desember belum cocok dengan rekap SP2D dari KPPN (selisih pada belanja modal). "
    "Mohon periksa kembali, lampirkan rekap SP2D, lalu ajukan ulang."
)

# --- The running fiscal year (after 2023: provincial satkers are TP) ---------------------------

# Provincial total in steps of Rp50 juta: Rp46-54 miliar, the size of the 2022-2023 DIPAs.
CURRENT_PROVINCIAL_PAGU = (920, 1080)
CURRENT_PROVINCIAL_PAGU_STEP = 50_000_000
CURRENT_CENTRAL_GROWTH = (98, 110)  # percent of the 2022 pagu
CURRENT_LATE_REPORTS = 4  # before last month, among all provincial reports
CURRENT_LATE_SHARE = 0.15  # of last month's reports, once its due date has passed
CURRENT_MIN_HANDLING_DAYS = 3  # working days for last month's submissions and reviews
BENGKULU = "170019"  # officer-17's satker, the account the demo signs in with
CURRENT_RETURN_COMMENTS = (
    "Jumlah realisasi bulan ini tidak sama dengan rekap SP2D dari KPPN. Mohon cocokkan kembali per akun, "
    "lalu ajukan ulang.",
    "Sebagian realisasi dicatat pada komponen yang keliru (tertukar antarkomponen). Mohon perbaiki "
    "pembebanannya sesuai SP2D, lalu ajukan ulang.",
    "Realisasi bulan ini jauh di atas RPD tanpa penjelasan. Mohon periksa kembali angkanya dan sertakan "
    "penjelasan sebelum mengajukan ulang.",
)


class DemoDataError(Exception):
    """The demo data cannot be loaded (missing master data) or would not show the published figures."""


# --- Pure helpers --------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split ``total`` into whole numbers proportional to ``weights`` (largest remainder), none
    above its cap; the parts add up to ``total`` exactly."""
    count = len(weights)
    result = [0] * count
    if total == 0:
        return result
    limits = list(caps) if caps is not None else [total] * count
    active = [i for i in range(count) if weights[i] > 0 and limits[i] > 0]
    remaining = Fraction(total)
    while True:
        if remaining == 0:
            return result
        weight_sum = sum(Fraction(weights[i]) for i in active)
        if not active or remaining > sum(limits[i] for i in active):
            raise ValueError(f"cannot allocate {total} over {count} parts")
        shares = {i: remaining * Fraction(weights[i]) / weight_sum for i in active}
        full = [i for i in active if shares[i] >= limits[i]]
        if not full:
            break
        for i in full:
            result[i] = limits[i]
            remaining -= limits[i]
        active = [i for i in active if i not in full]
    floors = {i: floor(share) for i, share in shares.items()}
    left = int(remaining) - sum(floors.values())
    # A share below its cap has floor + 1 <= cap, so the extra units never break a cap.
    for i in sorted(active, key=lambda i: (-(shares[i] - floors[i]), i))[:left]:
        floors[i] += 1
    for i, value in floors.items():
        result[i] = value
    return result


def allocate_thousands(total: int, weights: Sequence[float]) -> list[int]:
    """Like ``allocate`` in whole thousands (as DIPAs are written), the odd rupiah in the last part."""
    parts = [part * 1000 for part in allocate(total // 1000, weights)]
    parts[max(i for i, w in enumerate(weights) if w > 0)] += total % 1000
    return parts


def round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def realization_range(effective: int, persen: Decimal) -> tuple[int, int]:
    """The realizations R (lowest, highest) for which ``percent(R, effective) == persen``."""
    low = ceil(effective * (Fraction(persen) - Fraction(1, 200)) / 100)
    high = ceil(effective * (Fraction(persen) + Fraction(1, 200)) / 100) - 1
    return low, min(high, effective)


def realization_for(effective: int, persen: Decimal) -> int:
    return round_half_up(effective * Fraction(persen) / 100)


def monthly_weights(rng: random.Random, spending_type: str, first_month: int = 1, jitter: float = 0.25) -> list[float]:
    return [
        0.0 if month < first_month else weight * rng.uniform(1 - jitter, 1 + jitter)
        for month, weight in enumerate(PROFILES[spending_type], start=1)
    ]


def working_day_after(day: date, days: int, holidays: set[date]) -> date:
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def at(rng: random.Random, day: date, first_hour: int = 8, last_hour: int = 16) -> datetime:
    return datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.randint(0, 59)), tzinfo=JAKARTA)


# --- The plan ------------------------------------------------------------------------------


@dataclass
class LinePlan:
    satker: str
    component: str
    account: str
    pagu: int
    blokir: int = 0
    realization: int = 0  # the year's total
    monthly: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def effective(self) -> int:
        return self.pagu - self.blokir

    @property
    def spending_type(self) -> str:
        return self.account[:2]


@dataclass
class ReportPlan:
    satker: str
    month: int
    status: str
    due_date: date
    entered_at: datetime  # when the entries were saved
    submitted_at: datetime | None = None
    decided_at: datetime | None = None  # approved or returned
    comment: str = ""
    by_head: bool = True  # verified by the province's head (not a central unit's report)

    @property
    def submitted_on_time(self) -> bool | None:
        # Judged when the province sends it: the head's verification (budgets/signoff.py).
        sent_at = self.verified_at if self.by_head else self.submitted_at
        return None if sent_at is None else sent_at.astimezone(JAKARTA).date() <= self.due_date

    @property
    def version(self) -> int:
        # One save of the entries, then one bump per transition (as the services count).
        steps = {Status.DRAFT: 2, Status.SUBMITTED: 3, Status.VERIFIED: 3, Status.APPROVED: 3, Status.RETURNED: 4}
        return steps[self.status] + (self.verified_at is not None)

    @property
    def verified_at(self) -> datetime | None:
        """A provincial report that reached the directorate was verified by its head an hour
        after it was submitted, the same day (so it was sent the day it was submitted)."""
        if not self.by_head or self.submitted_at is None or self.status in {Status.DRAFT, Status.SUBMITTED}:
            return None
        end_of_day = datetime.combine(self.submitted_at.astimezone(JAKARTA).date(), time(23, 59), tzinfo=JAKARTA)
        return min(self.submitted_at + timedelta(hours=1), end_of_day)

    @property
    def updated_at(self) -> datetime:
        return self.decided_at or self.submitted_at or self.entered_at


@dataclass
class YearPlan:
    year: int
    lines: list[LinePlan]
    rpd: dict[tuple[str, str], list[int]]  # (satker, spending type) -> 12 months
    reports: list[ReportPlan]
    dipa_date: date
    rpd_saved_at: datetime


def provincial_lines(rng: random.Random, satker: str, total: int) -> list[LinePlan]:
    """5 to 8 goods lines over four or five of the components 051-055."""
    components = sorted(rng.sample(sorted(PROVINCIAL_ACCOUNTS), k=rng.choice((4, 5, 5))))
    chosen = [(component, rng.choice(PROVINCIAL_ACCOUNTS[component])) for component in components]
    wanted = rng.randint(max(5, len(chosen)), 8)
    spare = [(c, a) for c in components for a in PROVINCIAL_ACCOUNTS[c] if (c, a) not in chosen]
    chosen += rng.sample(spare, k=wanted - len(chosen))
    chosen.sort()
    weights = [rng.uniform(0.6, 1.6) for _ in chosen]
    amounts = allocate_thousands(total - MIN_LINE_PAGU * len(chosen), weights)
    return with_wub_line(
        [
            LinePlan(satker, component, account, MIN_LINE_PAGU + amount)
            for (component, account), amount in zip(chosen, amounts, strict=True)
        ]
    )


def with_wub_line(lines: list[LinePlan]) -> list[LinePlan]:
    """Every province grows new entrepreneurs with its DIPA (DOMAIN.md: WUB "melalui dekonsentrasi
    di 34 Provinsi"), so the WUB RO has pagu wherever WUB records are: a DIPA drawn without a WUB
    line gets one by moving the last line of its largest component to 054 (same pagu and spending
    type). No random number is drawn, so the rest of the seeded plan stays as it was."""
    if any(line.component == WUB_COMPONENT for line in lines):
        return lines
    sizes = Counter(line.component for line in lines)
    donor = max(lines, key=lambda line: (sizes[line.component], line.component, line.account))
    if sizes[donor.component] < 2:
        raise DemoDataError(f"DIPA demo {donor.satker} tidak dapat diberi baris WUB.")
    donor.component = WUB_COMPONENT
    donor.account = next(a for a in PROVINCIAL_ACCOUNTS[WUB_COMPONENT] if a[:2] == donor.spending_type)
    return sorted(lines, key=lambda line: (line.component, line.account))


def central_lines(rng: random.Random, satker: str, total: int) -> list[LinePlan]:
    specs = CENTRAL_LINES[satker]
    amounts = allocate_thousands(total, [size * rng.uniform(0.85, 1.15) for _c, _a, size in specs])
    return [LinePlan(satker, c, a, amount) for (c, a, _size), amount in zip(specs, amounts, strict=True)]


def dk_pagu_by_satker(rng: random.Random, year: int, satkers: Sequence[str]) -> dict[str, int]:
    """Each provincial satker's pagu, in whole millions, adding up to the year's DK total."""
    return provincial_pagu_by_satker(rng, DK_PAGU[year], satkers)


def provincial_pagu_by_satker(rng: random.Random, total: int, satkers: Sequence[str]) -> dict[str, int]:
    """Each provincial satker's pagu, in whole millions, adding up to ``total``."""
    low, high = PROVINCE_PAGU_RANGE
    millions = allocate(total // 1_000_000, [rng.uniform(low, high) for _ in satkers])
    return {satker: amount * 1_000_000 for satker, amount in zip(satkers, millions, strict=True)}


def add_blokir(rng: random.Random, lines: list[LinePlan], count: int) -> None:
    """Block part of a few lines (a sample of lines, 10-35 % of each, whole thousands)."""
    for line in rng.sample(lines, k=count):
        line.blokir = round(line.pagu * rng.uniform(0.10, 0.35) / 1000) * 1000


def dk_persen_2022(rng: random.Random, effective: dict[str, int]) -> dict[str, Decimal]:
    """Persen per province (keyed by BPS code) that satisfy every 2022 figure: the top five; 20
    provinces above the DK total (97,97 %, reached once realization is placed: see
    ``place_realization``); the plain mean of the provinces 97,05 % with exactly five under it; one
    of those five, the province with the smallest DIPA, under the 91,20 % threshold.

    Larger DIPAs realize more (the weighted total sits above the plain mean, as published): the
    free provinces take the bands in order of their effective pagu."""
    fixed = {bps: Decimal(value) for bps, value in TOP_FIVE_2022}
    by_size = sorted(set(effective) - set(fixed), key=lambda bps: (-effective[bps], bps))
    lowest = by_size.pop()
    above = ABOVE_TOTAL_2022 - len(TOP_FIVE_2022)
    under = UNDER_DG_AVERAGE_2022 - 1
    # Bands keep a margin from every boundary so that the nudging below never crosses one.
    # They start low, so that the lowest province starts high; the nudging then raises the
    # largest DIPAs until the weighted total is reached.
    bands = [
        (by_size[:above], Decimal("98.02"), Decimal("99.50")),
        (by_size[above : len(by_size) - under], Decimal("97.08"), Decimal("97.93")),
        (by_size[len(by_size) - under :], Decimal("91.30"), Decimal("96.95")),
    ]
    starts = {0: (Decimal("98.02"), Decimal("98.40")), 1: (Decimal("97.08"), Decimal("97.30")),
              2: (Decimal("91.30"), Decimal("93.00"))}  # fmt: skip
    persen = dict(fixed)
    band_of: dict[str, tuple[Decimal, Decimal]] = {}
    for band, (members, low, high) in enumerate(bands):
        start, end = starts[band]
        step = (end - start) / len(members)
        order = list(members)
        rng.shuffle(order)
        for k, bps in enumerate(order):
            value = (start + step * k + step * Decimal(str(rng.uniform(0.2, 0.8)))).quantize(Decimal("0.01"))
            while value in persen.values():
                value += Decimal("0.01")
            persen[bps], band_of[bps] = value, (low, high)
    # Only the provinces above the total move: the largest DIPAs, whose 0,01 % moves the weighted
    # total most for the plain mean it costs the lowest province.
    free = by_size[:above]
    # The plain mean lands on 97,05 when the provinces' persen add up to 34 x 97,05; the lowest
    # province takes what the others leave.
    wanted_sum = DG_AVERAGE_2022 * len(effective)

    def place_lowest() -> None:
        persen[lowest] = wanted_sum - sum(value for bps, value in persen.items() if bps != lowest)
        if not LOWEST_RANGE_2022[0] <= persen[lowest] < THRESHOLD_2022:
            raise DemoDataError(f"Persentase provinsi terendah 2022 di luar rentang: {persen[lowest]}.")

    # Nudge the free provinces by 0.01 in turn until the DK target is within reach of the
    # realizations that keep every province's persen (each allows a range of ~0.01 %); the lowest
    # province gives the plain mean back each time.
    target = realization_for(sum(effective.values()), DK_PERSEN_2022)
    place_lowest()
    turn = 0
    for _attempt in range(20_000):
        ranges = {bps: realization_range(effective[bps], value) for bps, value in persen.items()}
        lowest_sum, highest_sum = sum(r[0] for r in ranges.values()), sum(r[1] for r in ranges.values())
        if lowest_sum <= target <= highest_sum:
            return persen
        step = Decimal("0.01") if target > highest_sum else Decimal("-0.01")
        for _ in range(len(free)):
            bps = free[turn % len(free)]
            turn += 1
            value = persen[bps] + step
            low, high = band_of[bps]
            if low <= value <= high and value not in persen.values():
                persen[bps] = value
                place_lowest()
                break
        else:
            break
    raise DemoDataError("Persentase provinsi 2022 tidak dapat mencapai total DK 97,97 %.")


def place_realization(effective: dict[str, int], persen: dict[str, Decimal], target: int | None) -> dict[str, int]:
    """Realization per key with exactly the given persen; with a ``target``, the total is
    brought onto it by moving realizations inside their ranges (a few rupiah each)."""
    ranges = {key: realization_range(effective[key], value) for key, value in persen.items()}
    result = {
        key: min(max(realization_for(effective[key], persen[key]), low), high) for key, (low, high) in ranges.items()
    }
    if target is not None:
        gap = target - sum(result.values())
        for key in sorted(result, key=lambda k: persen[k]):
            low, high = ranges[key]
            move = min(gap, high - result[key]) if gap > 0 else max(gap, low - result[key])
            result[key] += move
            gap -= move
        if gap:
            raise DemoDataError(f"Total realisasi tidak dapat dicapai (selisih Rp{gap}).")
    return result


def central_realization(rng: random.Random, effective: dict[str, int], total: int) -> dict[str, int]:
    """``total`` spread over the central units at nearly the same rate; the largest unit takes the rest."""
    rate = Fraction(total, sum(effective.values()))
    largest = max(effective, key=lambda code: effective[code])
    result = {
        code: floor(amount * min(rate + Fraction(rng.uniform(-0.002, 0.002)), Fraction(1)))
        for code, amount in effective.items()
        if code != largest
    }
    result[largest] = total - sum(result.values())
    if not all(0.95 * effective[code] <= value <= effective[code] for code, value in result.items()):
        raise DemoDataError("Realisasi unit pusat di luar pagu efektifnya.")
    return result


def spread_over_lines(rng: random.Random, lines: list[LinePlan], realization: int) -> None:
    """Set each line's yearly realization: some lines fully spent, the unspent rest spread."""
    unspent = sum(line.effective for line in lines) - realization
    weights = [0.0 if rng.random() < 0.3 else line.effective * rng.uniform(0.3, 1.7) for line in lines]
    if not any(weights):
        weights[0] = 1.0
    if sum(line.effective for line, w in zip(lines, weights, strict=True) if w) < unspent:
        weights = [float(line.effective) for line in lines]
    for line, part in zip(lines, allocate(unspent, weights, [line.effective for line in lines]), strict=True):
        line.realization = line.effective - part


def spread_over_months(rng: random.Random, line: LinePlan) -> None:
    first_month = 1 if line.spending_type == "51" else rng.choice((1, 1, 2, 2, 3, 4))
    line.monthly = allocate(line.realization, monthly_weights(rng, line.spending_type, first_month))


def rpd_plan(rng: random.Random, lines: Iterable[LinePlan]) -> dict[tuple[str, str], list[int]]:
    """Each satker's plan per spending type: the S-curve, adding up to its effective pagu."""
    effective: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        effective[(line.satker, line.spending_type)] += line.effective
    return {
        key: allocate_thousands(amount, monthly_weights(rng, key[1], jitter=0.15))
        for key, amount in sorted(effective.items())
    }


def report_plans(rng: random.Random, year: int, satkers: Sequence[str], holidays: set[date]) -> list[ReportPlan]:
    """Every satker's twelve reports: approved, submitted by the due date except a handful;
    2023 central units with a draft, a returned and a waiting report."""
    provincial = [code for code in satkers if code not in CENTRAL_PAGU]
    late = set(
        rng.sample([(code, month) for code in provincial for month in range(1, 13)], k=LATE_REPORTS_PER_YEAR[year])
    )
    statuses: dict[tuple[str, int], str] = {}
    if year == 2023:
        late.add(CENTRAL_2023_LATE)
        statuses = dict(CENTRAL_2023_STATUS)
    plans = []
    for code in satkers:
        for month in range(1, 13):
            status = statuses.get((code, month), Status.APPROVED)
            plans.append(report_plan(rng, year, code, month, status, (code, month) in late, holidays))
    return plans


def report_plan(
    rng: random.Random, year: int, code: str, month: int, status: str, late: bool, holidays: set[date]
) -> ReportPlan:
    """One report handed in during the first working days of the following month (or a few
    working days after the due date when ``late``) and reviewed one to three working days later."""
    due = report_due_date(year, month, holidays)
    next_year, next_month = following_month(year, month)
    first_working_day = nth_working_day(next_year, next_month, 1, holidays)
    if late:
        submit_day = working_day_after(due, rng.randint(1, 5), holidays)
    else:
        submit_day = working_day_after(first_working_day, rng.randint(0, 4), holidays)
        submit_day = min(submit_day, due)
    submitted_at = at(rng, submit_day, 9, 16)
    entered_at = submitted_at - timedelta(hours=rng.randint(1, 20))
    plan = ReportPlan(code, month, status, due, entered_at)
    if status != Status.DRAFT:
        plan.submitted_at = submitted_at
    if status in {Status.APPROVED, Status.RETURNED}:
        plan.decided_at = at(rng, working_day_after(submit_day, rng.randint(1, 3), holidays), 8, 17)
    if status == Status.RETURNED:
        plan.comment = RETURN_COMMENT
    return plan


def year_plan(year: int, provincial: dict[str, str], holidays: set[date]) -> YearPlan:
    """The whole year for the provincial satkers (code -> BPS code) and the central units."""
    rng = random.Random(f"{SEED}-{year}")  # noqa: S311 - demo figures, not secrets
    satker_codes = sorted(provincial)
    pagu = dk_pagu_by_satker(rng, year, satker_codes)
    lines = {code: provincial_lines(rng, code, pagu[code]) for code in satker_codes}
    for code in sorted(CENTRAL_PAGU):
        total = CENTRAL_PAGU[code] if year == 2022 else CENTRAL_PAGU[code] * CENTRAL_GROWTH_2023 // 100 // 10**6 * 10**6
        lines[code] = central_lines(rng, code, total)
    add_blokir(rng, [line for code in satker_codes for line in lines[code]], 4)
    add_blokir(rng, [line for code in CENTRAL_PAGU for line in lines[code]], 2)
    effective = {code: sum(line.effective for line in satker_lines) for code, satker_lines in lines.items()}

    by_province = {provincial[code]: effective[code] for code in satker_codes}
    central_effective = {code: effective[code] for code in sorted(CENTRAL_PAGU)}
    if year == 2022:
        persen = dk_persen_2022(rng, by_province)
        dk = place_realization(by_province, persen, realization_for(sum(by_province.values()), DK_PERSEN_2022))
        everything = sum(by_province.values()) + sum(central_effective.values())
        central_total = realization_for(everything, DG_PERSEN_2022) - sum(dk.values())
        central = central_realization(rng, central_effective, central_total)
    else:
        persen = {
            bps: Decimal(UNDER_90_2023[bps]) if bps in UNDER_90_2023 else Decimal(f"{rng.uniform(91.5, 99.85):.2f}")
            for bps in sorted(by_province)
        }
        dk = place_realization(by_province, persen, None)
        central = {code: floor(amount * rng.uniform(0.955, 0.985)) for code, amount in central_effective.items()}
    realization = {code: dk[bps] for code, bps in provincial.items()} | central

    for code, satker_lines in sorted(lines.items()):
        spread_over_lines(rng, satker_lines, realization[code])
        for line in satker_lines:
            spread_over_months(rng, line)
    all_lines = [line for code in sorted(lines) for line in lines[code]]
    dipa_date = nth_working_day(year, 1, 1, holidays)
    return YearPlan(
        year=year,
        lines=all_lines,
        rpd=rpd_plan(rng, all_lines),
        reports=report_plans(rng, year, sorted(lines), holidays),
        dipa_date=dipa_date,
        rpd_saved_at=at(rng, working_day_after(dipa_date, 6, holidays), 9, 15),
    )


def plan_problems(plan: YearPlan) -> list[str]:
    """The invariants of the plan itself (the database rules and the RPD rule)."""
    problems = []
    effective: dict[tuple[str, str], int] = defaultdict(int)
    for line in plan.lines:
        effective[(line.satker, line.spending_type)] += line.effective
        dk_line = plan.year in DEMO_YEARS and line.satker not in CENTRAL_PAGU
        if dk_line and (problem := dk_account_problem(Authority.DK, line.account)):
            problems.append(f"{line.satker} {line.component}.{line.account}: {problem}")
        if not 0 <= line.blokir <= line.pagu:
            problems.append(f"{line.satker} {line.component}.{line.account}: blokir di luar pagu")
        if sum(line.monthly) != line.realization or not 0 <= line.realization <= line.effective:
            problems.append(f"{line.satker} {line.component}.{line.account}: realisasi melebihi pagu efektif")
        if min(line.monthly) < 0:
            problems.append(f"{line.satker} {line.component}.{line.account}: realisasi negatif")
    for key, months in plan.rpd.items():
        if sum(months) != effective[key] or min(months) < 0:
            problems.append(f"RPD {key[0]} jenis belanja {key[1]} tidak sama dengan pagu efektifnya")
    if set(plan.rpd) != set(effective):
        problems.append("RPD tidak mencakup semua jenis belanja")
    return problems


# --- The running fiscal year ------------------------------------------------------------------
#
# The published years are complete; the running year is what the monthly work happens in, so
# it is loaded only up to the months that have ended: the earlier months reviewed, the last one
# in every state a reviewer's queue and an officer's overview can be in, the current month empty.


def current_demo_year(today: date) -> int | None:
    """The running fiscal year when it comes after the published ones (2022 and 2023 are
    loaded whole, so a clock in those years adds nothing)."""
    return today.year if today.year > max(DEMO_YEARS) else None


def demo_years(today: date) -> tuple[int, ...]:
    current = current_demo_year(today)
    return DEMO_YEARS if current is None else (*DEMO_YEARS, current)


def years_label(years: Sequence[int]) -> str:
    """``2022, 2023 dan 2026``, for messages."""
    names = [str(year) for year in years]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} dan {names[-1]}"


def working_days_before(today: date, holidays: set[date]) -> list[date]:
    """The days on which last month's reports can have been handed in and reviewed by now: from
    the first of this month (a month is handed in only once it has ended) to yesterday, working
    days. Early in a month, with fewer than CURRENT_MIN_HANDLING_DAYS of them, every day since the
    first counts (the services take a submission or a decision on any day); on the first of the
    month there is none."""
    first = today.replace(day=1)
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    working = [day for day in days if day.weekday() < 5 and day not in holidays]
    return working if len(working) >= CURRENT_MIN_HANDLING_DAYS else days


def previous_month_statuses(rng: random.Random, satkers: Sequence[str], provincial: Sequence[str]) -> dict[str, str]:
    """Last month's status per satker; satkers without a report are left out. Bengkulu's report
    is returned, so officer-17 sees the fix-and-resubmit flow on signing in."""
    others = [code for code in satkers if code != BENGKULU]
    rng.shuffle(others)
    provincial_set = set(provincial)
    missing = set([code for code in others if code in provincial_set][: rng.choice((2, 3))])
    rest = [code for code in others if code not in missing]
    statuses = {BENGKULU: Status.RETURNED} if BENGKULU in satkers else {}
    start = 0
    counts = ((Status.DRAFT, rng.choice((3, 4))), (Status.RETURNED, 2), (Status.APPROVED, rng.randint(7, 10)))
    for status, count in counts:
        statuses |= dict.fromkeys(rest[start : start + count], status)
        start += count
    # Everybody else has handed in: a third waits for its head's verification, the rest (the
    # central units, which have no head, among them) for the directorate's review.
    waiting = rest[start:]
    heads_queue = set(waiting[: len(waiting) // 3])
    statuses |= {
        code: Status.VERIFIED if code in provincial_set and code not in heads_queue else Status.SUBMITTED
        for code in waiting
    }
    return statuses


def previous_month_reports(
    rng: random.Random, today: date, satkers: Sequence[str], provincial: Sequence[str], holidays: set[date]
) -> list[ReportPlan]:
    """Last month's reports, all handled before today: handed in from the first of this month by
    the due date (a few after it, once it has passed), reviewed one to three working days later.
    On the first two days of a month there is not yet time for all of that: drafts only on the
    first, nothing decided on the second."""
    year, month = today.year, today.month - 1
    due = report_due_date(year, month, holidays)
    window = working_days_before(today, holidays)
    statuses = previous_month_statuses(rng, satkers, provincial)
    plans = []
    for code in satkers:
        status = statuses.get(code)
        if status is None:
            continue
        if not window:  # the first of the month: last month is still being entered, nothing handed in
            plans.append(ReportPlan(code, month, Status.DRAFT, due, at(rng, today - timedelta(days=1), 8, 16)))
            continue
        if len(window) < 2 and status in {Status.APPROVED, Status.RETURNED}:
            status = Status.SUBMITTED  # handed in yesterday, not reviewed yet
        decided = status in {Status.APPROVED, Status.RETURNED}
        # A reviewed report needs a later working day for the review, still before today.
        days = window[:-1] if decided else window
        on_time, late = [d for d in days if d <= due], [d for d in days if d > due]
        submit_day = rng.choice(late if late and rng.random() < CURRENT_LATE_SHARE else on_time)
        submitted_at = at(rng, submit_day, 9, 16)
        plan = ReportPlan(code, month, status, due, submitted_at - timedelta(hours=rng.randint(1, 20)))
        if status != Status.DRAFT:
            plan.submitted_at = submitted_at
        if decided:
            plan.decided_at = at(rng, rng.choice([d for d in window if d > submit_day][:3]), 8, 17)
        if status == Status.RETURNED:
            plan.comment = rng.choice(CURRENT_RETURN_COMMENTS)
        plans.append(plan)
    return plans


def current_report_plans(
    rng: random.Random, today: date, satkers: Sequence[str], provincial: Sequence[str], holidays: set[date]
) -> list[ReportPlan]:
    """Reports of the months that have ended: all approved (a few handed in late) but the last
    one, which is in every state; none for the current month, which the officers enter."""
    year, previous = today.year, today.month - 1
    earlier = [(code, month) for code in provincial for month in range(1, previous)]
    late = set(rng.sample(earlier, k=min(CURRENT_LATE_REPORTS, len(earlier))))
    plans = [
        report_plan(rng, year, code, month, Status.APPROVED, (code, month) in late, holidays)
        for code in satkers
        for month in range(1, previous)
    ]
    if previous >= 1:
        plans += previous_month_reports(rng, today, satkers, provincial, holidays)
    return plans


def bengkulu_comment(month: int, lines: Sequence[LinePlan]) -> str:
    """A return comment that names the line to fix, so the demo's resubmission has a point."""
    spent = [line for line in lines if line.monthly[month - 1]]
    if not spent:
        return (
            f"Realisasi {month_name(month)} masih kosong, padahal SP2D bulan ini sudah terbit menurut rekap KPPN. "
            "Mohon isi realisasinya sesuai SP2D, lalu ajukan ulang."
        )
    line = max(spent, key=lambda line: (line.monthly[month - 1], line.component, line.account))
    return (
        f"Realisasi {month_name(month)} pada baris {line.component}.{line.account} lebih besar daripada rekap "
        f"SP2D dari KPPN Bengkulu. Mohon cocokkan dengan SP2D {month_name(month)}, perbaiki angka pada baris "
        "tersebut, lalu ajukan ulang."
    )


def last_working_day_before(day: date, holidays: set[date]) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


def current_year_plan(today: date, provincial: dict[str, str], central: Sequence[str], holidays: set[date]) -> YearPlan:
    """The running year up to ``today`` for the provincial satkers (code -> BPS code) and the
    central units: a whole DIPA and RPD, realization and reports for the months that have ended.
    Each line's realization follows its share of a year that would end at 90-99 % of its
    effective pagu, so the months so far stay well below it."""
    year = today.year
    rng = random.Random(f"{SEED}-{year}")  # noqa: S311 - demo figures, not secrets
    provincial_codes = sorted(provincial)
    lines: dict[str, list[LinePlan]] = {}
    if provincial_codes:
        total = rng.randint(*CURRENT_PROVINCIAL_PAGU) * CURRENT_PROVINCIAL_PAGU_STEP
        pagu = provincial_pagu_by_satker(rng, total, provincial_codes)
        lines |= {code: provincial_lines(rng, code, pagu[code]) for code in provincial_codes}
    for code in sorted(central):
        growth = rng.randint(*CURRENT_CENTRAL_GROWTH)
        lines[code] = central_lines(rng, code, CENTRAL_PAGU[code] * growth // 100 // 10**6 * 10**6)
    provincial_all = [line for code in provincial_codes for line in lines[code]]
    central_all = [line for code in sorted(central) for line in lines[code]]
    add_blokir(rng, provincial_all, min(4, len(provincial_all)))
    add_blokir(rng, central_all, min(2, len(central_all)))

    codes = sorted(lines)
    reports = current_report_plans(rng, today, codes, provincial_codes, holidays)
    reported = {(r.satker, r.month) for r in reports}
    for code in codes:
        for line in lines[code]:
            first_month = 1 if line.spending_type == "51" else rng.choice((1, 1, 2, 2, 3, 4))
            whole_year = allocate(
                floor(line.effective * rng.uniform(0.90, 0.99)), monthly_weights(rng, line.spending_type, first_month)
            )
            # Only the months with a report carry entries (a missing report has none yet).
            line.monthly = [
                amount if (code, month) in reported else 0 for month, amount in enumerate(whole_year, start=1)
            ]
            line.realization = sum(line.monthly)
    if BENGKULU in lines:
        for report in reports:
            if report.satker == BENGKULU and report.status == Status.RETURNED:
                report.comment = bengkulu_comment(report.month, lines[BENGKULU])

    all_lines = [line for code in codes for line in lines[code]]
    # The DIPA is dated on the first working day (New Year's Day is a holiday even where the
    # Holiday table is empty) and the RPD entered a week later, unless that is still to come
    # (early January): then the DIPA is the one handed over in December.
    closed = holidays | {date(year, 1, 1)}
    dipa_date = nth_working_day(year, 1, 1, closed)
    if dipa_date >= today:
        dipa_date = last_working_day_before(today, closed)
    rpd_day = working_day_after(dipa_date, 6, closed)
    if rpd_day >= today:
        rpd_day = max(dipa_date, last_working_day_before(today, closed))
    return YearPlan(
        year=year,
        lines=all_lines,
        rpd=rpd_plan(rng, all_lines),
        reports=reports,
        dipa_date=dipa_date,
        rpd_saved_at=at(rng, rpd_day, 10, 15),
    )


def current_year_problems(plan: YearPlan, today: date) -> list[str]:
    """The plan's invariants plus the running year's: nothing for the current month or later,
    nothing dated today or later, every entry inside a report, every step after the previous."""
    problems = plan_problems(plan)
    start_of_today = datetime.combine(today, time(0, 0), tzinfo=JAKARTA)
    dipa_at = datetime.combine(plan.dipa_date, time(9, 0), tzinfo=JAKARTA)
    if not dipa_at < plan.rpd_saved_at < start_of_today:
        problems.append("DIPA dan RPD awal harus tercatat sebelum hari ini")
    for r in plan.reports:
        label = f"laporan {r.satker} bulan {r.month}"
        if not 1 <= r.month < today.month or plan.year != today.year:
            problems.append(f"{label}: bulannya belum berakhir")
        ended = date(*following_month(plan.year, r.month), 1)
        if r.submitted_at is not None and r.submitted_at.astimezone(JAKARTA).date() < ended:
            problems.append(f"{label}: diajukan sebelum bulannya berakhir")
        steps = [dipa_at, r.entered_at, r.submitted_at, r.verified_at, r.decided_at]
        steps = [step for step in steps if step is not None]
        if steps != sorted(steps) or steps[-1] >= start_of_today:
            problems.append(f"{label}: urutan waktu salah atau sesudah hari ini")
        if (r.submitted_at is None) != (r.status == Status.DRAFT) or (r.decided_at is None) != (
            r.status in {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED}
        ):
            problems.append(f"{label}: waktu tidak sesuai status {r.status}")
        if (r.status == Status.RETURNED) != bool(r.comment):
            problems.append(f"{label}: komentar pengembalian")
    reported = {(r.satker, r.month) for r in plan.reports}
    for line in plan.lines:
        if any(amount and (line.satker, month) not in reported for month, amount in enumerate(line.monthly, 1)):
            problems.append(f"{line.satker} {line.component}.{line.account}: realisasi tanpa laporan")
    return problems


def current_year_note(plan: YearPlan, today: date, satker_count: int) -> str:
    """What the running year offers to try, for the command's summary."""
    if today.month == 1:
        return "Belum ada bulan yang berakhir; realisasi Januari diisi petugas"
    month = today.month - 1
    statuses = Counter(r.status for r in plan.reports if r.month == month)
    note = (
        f"Laporan {month_name(month)}: {statuses[Status.SUBMITTED]} menunggu verifikasi Kepala Dinas, "
        f"{statuses[Status.VERIFIED]} menunggu tinjauan direktorat, "
        f"{statuses[Status.APPROVED]} disetujui, {statuses[Status.RETURNED]} dikembalikan, "
        f"{statuses[Status.DRAFT]} draf, {satker_count - statuses.total()} belum ada; "
        f"realisasi {month_name(today.month)} diisi petugas"
    )
    if any(r.satker == BENGKULU and r.month == month and r.status == Status.RETURNED for r in plan.reports):
        note += f". officer-17 (Bengkulu): laporan {month_name(month)} dikembalikan, perbaiki lalu ajukan ulang"
    return note


# --- The published figures, read back through budgets.reports.queries ----------------------------


def figure_problems(year: int) -> list[str]:
    """Differences between the loaded figures of ``year`` and the published ones."""
    problems = []

    def expect(label: str, actual: object, wanted: object) -> None:
        if actual != wanted:
            problems.append(f"{label}: {actual}, seharusnya {wanted}")

    dk = RealizationFilter(year=year, authority=Authority.DK)
    provinces = realization_by_province(dk)
    persen = {row["province"]: row["persen"] for row in provinces}
    expect("jumlah provinsi DK", len(provinces), DK_PROVINCES)
    if year == 2022:
        total = realization_total(dk)["persen"]
        expect("realisasi DK 2022", total, DK_PERSEN_2022)
        expect("realisasi Ditjen 2022", realization_total(RealizationFilter(year=year))["persen"], DG_PERSEN_2022)
        ranked = sorted(provinces, key=lambda row: row["persen"], reverse=True)
        expect("lima provinsi teratas 2022", [row["province"] for row in ranked[:5]], [b for b, _p in TOP_FIVE_2022])
        expect("provinsi dengan persen berbeda", len(set(persen.values())), DK_PROVINCES)
        expect("provinsi di atas total DK", sum(p > DK_PERSEN_2022 for p in persen.values()), ABOVE_TOTAL_2022)
        plain_mean = average_of(persen.values())
        expect("rata-rata sederhana provinsi", plain_mean, DG_AVERAGE_2022)
        expect("provinsi di bawah rata-rata sederhana", sum(p < plain_mean for p in persen.values()),
               UNDER_DG_AVERAGE_2022)  # fmt: skip
        satkers = realization_by_satker(RealizationFilter(year=year))
        expect("satker di bawah ambang 91,20 %", sum(row["persen"] < THRESHOLD_2022 for row in satkers), 1)
    elif year == 2023:
        expect("pagu DK 2023", realization_total(dk)["pagu"], DK_PAGU_2023)
        expect(
            "provinsi di bawah 90 %",
            {bps: p for bps, p in persen.items() if p < NINETY},
            {bps: Decimal(p) for bps, p in UNDER_90_2023.items()},
        )
    return problems


# --- Writing ---------------------------------------------------------------------------------


MISSING_MASTER_DATA = "Data induk TA %s belum lengkap (%s): jalankan load_master_data lebih dulu."


@dataclass(frozen=True)
class YearResult:
    year: int
    skipped: bool
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""  # why a year was skipped, or what the running year offers to try


def _backdate(queryset: QuerySet, field_name: str, value_of: dict[int, datetime]) -> list[Model]:
    """Set an auto_now(_add) field to its historical value: bulk_create always writes "now",
    bulk_update writes what it is given."""
    objects = list(queryset)
    for obj in objects:
        setattr(obj, field_name, value_of[obj.pk])
    queryset.model.objects.bulk_update(objects, [field_name], batch_size=500)
    return objects


def _history(objects: list[Model], user_of: dict[int, User], date_of: dict[int, datetime]) -> None:
    """History rows written after backdating, so they carry the historical values too."""
    if not objects:  # January of the running year has no reports yet
        return
    for obj in objects:
        obj._history_user = user_of[obj.pk]
        obj._history_date = date_of[obj.pk]
    type(objects[0]).history.bulk_history_create(objects, default_change_reason=DEMO_REASON)


# Treasury revision codes of the demo's revisions (illustrative: the "pagu tetap" codes IKPA
# counts, DOMAIN.md "IKPA"; budgets/data/SOURCES.md).
DEMO_REVISION_CODES = ("201", "211", "212", "213", "217", "220")


def treasury_revision_plan(year: int, satker_codes: Sequence[str], months: Sequence[int]) -> dict[str, list[int]]:
    """Per satker, the months of its administrative revisions (no amount changes) in the months
    already reported: none to four, so that some satkers pass a semester's limit of two."""
    rng = random.Random(f"{SEED}-{year}-revisions")  # noqa: S311 - demo figures, not secrets
    plan = {}
    for code in satker_codes:
        count = rng.choice((0, 0, 1, 1, 2, 2, 3, 4)) if months else 0
        plan[code] = sorted(rng.choice(months) for _ in range(count))
    return plan


def _write_treasury_revisions(
    plan: YearPlan, fiscal_year: FiscalYear, satkers: dict[str, Satker], satker_codes: Sequence[str], admin: User
) -> None:
    """Revisions 1, 2... with the treasury's codes, each on the 15th of its month at 10:00."""
    months = sorted({r.month for r in plan.reports})
    objects, dated = [], {}
    for code, revision_months in treasury_revision_plan(plan.year, satker_codes, months).items():
        for number, month in enumerate(revision_months, start=1):
            objects.append(
                BudgetRevision(
                    satker=satkers[code], fiscal_year=fiscal_year, number=number, date=date(plan.year, month, 15),
                    kind=BudgetRevision.Kind.ADMIN, treasury_code=DEMO_REVISION_CODES[(number - 1) % 6],
                    reason=f"Revisi administrasi {number} (ralat rincian, tanpa perubahan pagu)", created_by=admin,
                )
            )  # fmt: skip
    if not objects:
        return
    BudgetRevision.objects.bulk_create(objects)
    created = BudgetRevision.objects.filter(fiscal_year=fiscal_year, satker__code__in=satker_codes, number__gt=0)
    for pk, day in created.values_list("pk", "date"):
        dated[pk] = datetime.combine(day, time(10, 0), tzinfo=JAKARTA)
    backdated = _backdate(created, "created_at", dated)
    _history(backdated, dict.fromkeys(dated, admin), dated)


def _write_year(
    plan: YearPlan, fiscal_year: FiscalYear, satkers: dict[str, Satker], users: dict[str, User]
) -> dict[str, int]:
    admin, reviewer = users["admin"], users["reviewer"]
    satker_codes = sorted({line.satker for line in plan.lines})

    def submitter(code: str) -> User:
        # Central units have no officer; the directorate's admin enters their figures.
        satker = satkers[code]
        return admin if satker.is_central else users[f"officer-{satker.province.bps_code}"]

    def head(code: str) -> User:
        return users[f"head-{satkers[code].province.bps_code}"]

    for r in plan.reports:
        r.by_head = not satkers[r.satker].is_central

    components = dict(BudgetComponent.objects.values_list("code", "pk"))
    output_of_component = dict(BudgetComponent.objects.values_list("code", "output_id"))
    accounts = dict(Account.objects.values_list("code", "pk"))
    spending_type_ids = dict(SpendingType.objects.values_list("code", "pk"))
    dipa_at = datetime.combine(plan.dipa_date, time(9, 0), tzinfo=JAKARTA)

    # Pagu: the lines and the initial DIPA (revision 0) that records them.
    line_objects = []
    for line in plan.lines:
        obj = BudgetLine(
            satker=satkers[line.satker], fiscal_year=fiscal_year, component_id=components[line.component],
            output_id=output_of_component[line.component], account_id=accounts[line.account], pagu=line.pagu,
            blokir=line.blokir,
        )  # fmt: skip
        obj._history_user, obj._history_date = admin, dipa_at
        line_objects.append(obj)
    bulk_create_with_history(line_objects, BudgetLine, default_change_reason=DEMO_REASON)
    line_ids = {
        (satker_code, component, account): pk
        for pk, satker_code, component, account in BudgetLine.objects.filter(
            fiscal_year=fiscal_year, satker__code__in=satker_codes
        ).values_list("pk", "satker__code", "component__code", "account__code")
    }
    BudgetRevision.objects.bulk_create(
        BudgetRevision(
            satker=satkers[code], fiscal_year=fiscal_year, number=0, date=plan.dipa_date,
            kind=BudgetRevision.Kind.INITIAL, reason=f"DIPA awal TA {plan.year}", created_by=admin,
        )
        for code in satker_codes
    )  # fmt: skip
    revisions = BudgetRevision.objects.filter(fiscal_year=fiscal_year, satker__code__in=satker_codes)
    revision_of = dict(revisions.values_list("satker__code", "pk"))
    revision_objects = _backdate(revisions, "created_at", dict.fromkeys(revision_of.values(), dipa_at))
    _history(revision_objects, dict.fromkeys(revision_of.values(), admin), dict.fromkeys(revision_of.values(), dipa_at))
    _write_treasury_revisions(plan, fiscal_year, satkers, satker_codes, admin)
    BudgetRevisionLine.objects.bulk_create(
        BudgetRevisionLine(
            revision_id=revision_of[line.satker], line_id=line_ids[(line.satker, line.component, line.account)],
            pagu_before=0, pagu_after=line.pagu, blokir_before=0, blokir_after=line.blokir,
        )
        for line in plan.lines
    )  # fmt: skip

    # RPD: the first plan of the year, saved by the satker without a window (its version: after).
    rpd_objects = []
    rpd_after: dict[str, dict[str, int]] = defaultdict(dict)
    for (code, spending_type), months in plan.rpd.items():
        for month, amount in enumerate(months, start=1):
            obj = RpdPlan(
                satker=satkers[code], fiscal_year=fiscal_year, month=month,
                spending_type_id=spending_type_ids[spending_type], amount=amount,
            )  # fmt: skip
            obj._history_user, obj._history_date = submitter(code), plan.rpd_saved_at
            rpd_objects.append(obj)
            if amount:
                rpd_after[code][RpdRevision.cell_key(spending_type, month)] = amount
    bulk_create_with_history(rpd_objects, RpdPlan, default_change_reason=DEMO_REASON)
    RpdRevision.objects.bulk_create(
        RpdRevision(satker=satkers[code], fiscal_year=fiscal_year, window=None, saved_by=submitter(code),
                    before={}, after=rpd_after[code])
        for code in satker_codes
    )  # fmt: skip
    rpd_revisions = RpdRevision.objects.filter(fiscal_year=fiscal_year, satker__code__in=satker_codes)
    _backdate(rpd_revisions, "saved_at", dict.fromkeys(rpd_revisions.values_list("pk", flat=True), plan.rpd_saved_at))

    # Monthly reports, with their state at the end of the story.
    MonthlyReport.objects.bulk_create(
        MonthlyReport(
            satker=satkers[r.satker], fiscal_year=fiscal_year, month=r.month, status=r.status, due_date=r.due_date,
            submitted_at=r.submitted_at, submitted_on_time=r.submitted_on_time, verified_at=r.verified_at,
            verified_by=head(r.satker) if r.verified_at else None,
            approved_at=r.decided_at if r.status == Status.APPROVED else None, version=r.version,
        )
        for r in plan.reports
    )  # fmt: skip
    reports = MonthlyReport.objects.filter(fiscal_year=fiscal_year, satker__code__in=satker_codes)
    report_of = {(code, month): pk for pk, code, month in reports.values_list("pk", "satker__code", "month")}
    plan_of = {report_of[(r.satker, r.month)]: r for r in plan.reports}
    report_objects = _backdate(reports, "updated_at", {pk: r.updated_at for pk, r in plan_of.items()})
    last_actor = {
        pk: reviewer if r.status in {Status.APPROVED, Status.RETURNED} else submitter(r.satker)
        for pk, r in plan_of.items()
    }
    _history(report_objects, last_actor, {pk: r.updated_at for pk, r in plan_of.items()})

    # Realization (monthly, not cumulative); a zero month has no row, as realization_set does.
    realization_objects = []
    snapshots: dict[int, dict[str, int]] = defaultdict(dict)
    for line in plan.lines:
        line_id = line_ids[(line.satker, line.component, line.account)]
        for month, amount in enumerate(line.monthly, start=1):
            if not amount:
                continue
            report_id = report_of[(line.satker, month)]
            obj = Realization(report_id=report_id, line_id=line_id, amount=amount)
            obj._history_user, obj._history_date = submitter(line.satker), plan_of[report_id].entered_at
            realization_objects.append(obj)
            snapshots[report_id][str(line_id)] = amount
    bulk_create_with_history(realization_objects, Realization, default_change_reason=DEMO_REASON)
    realization_summary.refresh(snapshots)  # the reports' totals, sums per component and per spending type

    # Transitions: submitted (with the entries' snapshot), then approved or returned.
    steps: list[tuple[ReportTransition, datetime]] = []
    for report_id, r in plan_of.items():
        if r.submitted_at is None:
            continue
        steps.append(
            (
                ReportTransition(
                    report_id=report_id, from_status=Status.DRAFT, to_status=Status.SUBMITTED,
                    by=submitter(r.satker), snapshot=dict(sorted(snapshots[report_id].items())),
                ),
                r.submitted_at,
            )
        )  # fmt: skip
        if r.verified_at is not None:
            steps.append(
                (
                    ReportTransition(report_id=report_id, from_status=Status.SUBMITTED, to_status=Status.VERIFIED,
                                     by=head(r.satker)),
                    r.verified_at,
                )
            )  # fmt: skip
        if r.decided_at is not None:
            steps.append(
                (
                    ReportTransition(
                        report_id=report_id, from_status=Status.VERIFIED if r.verified_at else Status.SUBMITTED,
                        to_status=r.status, by=reviewer, comment=r.comment,
                    ),
                    r.decided_at,
                )
            )  # fmt: skip
    created = ReportTransition.objects.bulk_create([step for step, _when in steps])
    if created and created[0].pk is None:  # a backend that does not return ids from bulk inserts
        raise DemoDataError("Basis data tidak mengembalikan id dari bulk_create.")
    _backdate(
        ReportTransition.objects.filter(report__fiscal_year=fiscal_year, report__satker__code__in=satker_codes),
        "at",
        {step.pk: when for step, when in steps},
    )
    return {
        "satker": len(satker_codes),
        "baris pagu": len(line_objects),
        "sel RPD": len(rpd_objects),
        "laporan bulanan": len(plan.reports),
        "realisasi": len(realization_objects),
        "riwayat status": len(steps),
    }


def _master_data(year: int) -> tuple[FiscalYear, dict[str, Satker], dict[str, str]]:
    """The fiscal year and its satkers (code -> Satker), and provincial code -> BPS code;
    refuses when load_master_data has not set them up as the demo needs."""
    missing = MISSING_MASTER_DATA
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise DemoDataError(missing % (year, "tahun anggaran tidak ada"))
    authorities = SatkerAuthority.objects.filter(fiscal_year=fiscal_year).select_related("satker__province")
    satkers = {a.satker.code: a.satker for a in authorities}
    dk = {a.satker.code: a.satker.province.bps_code for a in authorities if a.authority == Authority.DK}
    central = {code for code, s in satkers.items() if s.is_central}
    if len(dk) != DK_PROVINCES or len(set(dk.values())) != DK_PROVINCES or any(satkers[c].is_central for c in dk):
        raise DemoDataError(missing % (year, f"{DK_PROVINCES} satker provinsi berkewenangan DK"))
    if absent := [reason for code in dk if (reason := satker_absence(satkers[code], year))]:
        raise DemoDataError(missing % (year, " ".join(absent)))
    if central != set(CENTRAL_PAGU) or any(a.authority != Authority.KP for a in authorities if a.satker.is_central):
        raise DemoDataError(missing % (year, "4 unit pusat berkewenangan KP"))
    _check_accounts(year)
    wanted = set(dk) | central
    return fiscal_year, {code: s for code, s in satkers.items() if code in wanted}, dk


def _check_accounts(year: int) -> None:
    needed_accounts = {a for accounts in PROVINCIAL_ACCOUNTS.values() for a in accounts}
    needed_accounts |= {a for lines in CENTRAL_LINES.values() for _c, a, _s in lines}
    needed_components = set(PROVINCIAL_ACCOUNTS) | {c for lines in CENTRAL_LINES.values() for c, _a, _s in lines}
    if Account.objects.filter(code__in=needed_accounts).count() != len(needed_accounts) or (
        BudgetComponent.objects.filter(code__in=needed_components).count() != len(needed_components)
    ):
        raise DemoDataError(MISSING_MASTER_DATA % (year, "komponen dan akun"))


class YearNotSetUp(Exception):
    """The running year is not in the master data yet; it is skipped, the other years load."""


def _current_master_data(year: int) -> tuple[FiscalYear, dict[str, Satker], dict[str, str]]:
    """The running year and every satker with an authority in it (code -> Satker), and
    provincial code -> BPS code. Raises YearNotSetUp when the year or its authorities do not
    exist, DemoDataError when they exist but the demo cannot fill them."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise YearNotSetUp(f"tahun anggaran {year} belum ada di data induk (jalankan load_master_data)")
    authorities = SatkerAuthority.objects.filter(fiscal_year=fiscal_year).select_related("satker__province")
    satkers = {a.satker.code: a.satker for a in authorities}
    if not satkers:
        raise YearNotSetUp(f"belum ada satker berkewenangan pada TA {year} (jalankan load_master_data)")
    unknown = sorted(code for code, satker in satkers.items() if satker.is_central and code not in CENTRAL_LINES)
    if unknown:
        raise DemoDataError(
            f"Unit pusat {', '.join(unknown)} pada TA {year} tidak dikenal data demo; "
            "muat tahun lain saja dengan --year."
        )
    _check_accounts(year)
    provincial = {code: s.province.bps_code for code, s in satkers.items() if not s.is_central}
    return fiscal_year, satkers, provincial


def _in_use(fiscal_year: FiscalYear, satkers: Iterable[Satker]) -> bool:
    satkers = list(satkers)
    return (
        BudgetLine.objects.filter(fiscal_year=fiscal_year, satker__in=satkers).exists()
        or RpdPlan.objects.filter(fiscal_year=fiscal_year, satker__in=satkers).exists()
        or MonthlyReport.objects.filter(fiscal_year=fiscal_year, satker__in=satkers).exists()
    )


@transaction.atomic
def demo_data_load(*, years: Sequence[int] | None = None, today: date | None = None) -> list[YearResult]:
    """Load the demo data of ``years`` (default: 2022, 2023 and the running year after 2023,
    up to ``today``); a year whose demo satkers already have pagu, RPD or reports is skipped
    (the demo is never mixed with real or earlier data), and so is a running year that the
    master data does not have yet. All or nothing."""
    today = today or timezone.localdate()
    current = current_demo_year(today)
    available = demo_years(today)
    wanted = sorted(set(available if years is None else years))
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise DemoDataError(f"Data demo hanya tersedia untuk TA {years_label(available)}, bukan {unknown}.")
    # Every year is checked before anything is written, so a refusal leaves the database as it was.
    checked = {year: _master_data(year) for year in wanted if year != current}
    not_set_up = ""
    if current in wanted:
        try:
            checked[current] = _current_master_data(current)
        except YearNotSetUp as reason:
            not_set_up = str(reason)
    demo_users_create()
    user_model = get_user_model()
    users = {u.username: u for u in user_model.objects.filter(role__in=["ADMIN", "REVIEWER", "OFFICER", "HEAD"])}
    if "admin" not in users or "reviewer" not in users:
        raise DemoDataError("Akun demo admin dan reviewer tidak ditemukan.")
    holidays = set(Holiday.objects.values_list("date", flat=True))

    results = []
    for year in wanted:
        if year not in checked:
            results.append(YearResult(year, skipped=True, note=not_set_up))
            continue
        fiscal_year, satkers, provincial = checked[year]
        if _in_use(fiscal_year, satkers.values()):
            results.append(YearResult(year, skipped=True))
            continue
        if year == current:
            central = [code for code, satker in satkers.items() if satker.is_central]
            plan = current_year_plan(today, provincial, central, holidays)
            problems = current_year_problems(plan, today)
        else:
            plan = year_plan(year, provincial, holidays)
            problems = plan_problems(plan)
        if problems:
            raise DemoDataError(f"Rencana data demo TA {year} tidak konsisten: " + "; ".join(problems[:5]))
        counts = _write_year(plan, fiscal_year, satkers, users)
        if year == current:
            results.append(YearResult(year, False, counts, current_year_note(plan, today, len(satkers))))
            continue
        problems = figure_problems(year)
        if problems:
            raise DemoDataError(f"Angka data demo TA {year} meleset: " + "; ".join(problems))
        results.append(YearResult(year, skipped=False, counts=counts))
    return results


def published_figures(year: int) -> dict[str, Decimal | None]:
    """The headline percentages of a loaded year, for the command's summary, keyed by label:
    the provincial channel (DK until 2023, TP after) and the whole directorate general."""
    provincial = default_authority(is_central=False, year=year)
    return {
        provincial.value: realization_total(RealizationFilter(year=year, authority=provincial))["persen"],
        "seluruh Ditjen": realization_total(RealizationFilter(year=year))["persen"],
    }
