"""Demo programme data: what the demo budgets of ``demo.budgets`` produced.

For fiscal year 2022 the directorate's published outputs (DOMAIN.md, ``seed-article.txt``) are
reproduced exactly on the approved basis of ``/reports/outputs/``:

- WUB: 4.579 grown through deconcentration (the 38 provincial DK satkers), 2.572 of them with
  an NIB; 13.220 for the whole directorate general (the central units, KP, grew the other 8.641).
- The other figures are the directorate general's: the totals over all satkers (no authority
  filter) are the published ones, mostly achieved by the central units and partly by the
  provinces: 1.574 OVOP centres coached (all by the provincial satkers, the channel of OVOP
  coaching), product development 1.133, exhibitions 306 IKM with Rp46,9 miliar of transactions,
  Industry 4.0 20, restructuring 99 IKM worth Rp10,86 miliar, SNI 41, ISO 13, HACCP 29, HKI 472
  and partnerships 67 (halal certification, not published, is free).

2023 and the running year (after 2023) have figures of the same size that nobody published.
Around them: extreme-poverty activities in priority regencies, a directory of sentra IKM (5+ units)
in every province with the years OVOP coached them, the OVOP award cycles (2013, 2015, 2018, 2022,
2024) whose candidates are registry enterprises, the satkers' output targets, and a registry of a
few thousand IKM that the facilitations are linked to by NIB.

Every monthly record (WUB, facilitation, poverty activity) sits in an APPROVED monthly report of
its satker that the budgets demo created; none is created here. Everything comes from seeded
``random.Random`` instances, so two loads are identical; a year whose programme data exists is
skipped, the registry and the centres are created only where their natural keys are missing.
Writes are bulk (with history rows for the models that keep one), in one transaction, and the
2022 figures are read back through the report before it commits.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Model, Q
from django.utils import timezone

from budgets.models import (
    Authority,
    FiscalYear,
    MonthlyReport,
    Province,
    Regency,
    RegencyPeriod,
    Satker,
    SatkerAuthority,
)
from budgets.region_lookup import RegionMap
from budgets.regions import satker_absence
from demo.budgets import DEMO_REASON, DEMO_YEARS, JAKARTA, DemoDataError, allocate, demo_years
from programs.models import (
    CERTIFIED_KINDS,
    KIND_OF,
    MONEY_KEYS,
    VALUED_KINDS,
    CommodityGroup,
    Enterprise,
    Facilitation,
    FacilitationKind,
    NewEntrepreneur,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    OvopGroup,
    OvopScoreBand,
    PovertyActivity,
    Sentra,
)
from programs.records import output_summary
from programs.records.report import KEYS, output_kpis
from programs.registry.rules import normalize_name, size_class_for
from programs.registry.summary import RegistryChange

SEED = "ikma-program-demo"
Kind = FacilitationKind
Status = MonthlyReport.Status

# --- The figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigures:
    """A year's programme outputs, for the whole year."""

    wub_provincial: int
    wub_provincial_legal: int
    wub_central: int
    wub_central_legal: int
    facilitations: dict[str, int]  # kind -> IKM facilitated, all satkers
    values: dict[str, int]  # valued kind -> rupiah, all satkers
    poverty_provinces: int  # provinces with extreme-poverty activities


FIGURES_2022 = YearFigures(
    wub_provincial=4_579,
    wub_provincial_legal=2_572,
    wub_central=13_220 - 4_579,
    wub_central_legal=5_108,
    facilitations={
        Kind.PRODUCT: 1_133, Kind.EXHIBITION: 306, Kind.INDUSTRY_40: 20, Kind.RESTRUCTURING: 99, Kind.SNI: 41,
        Kind.ISO: 13, Kind.HACCP: 29, Kind.HALAL: 286, Kind.HKI: 472, Kind.PARTNERSHIP: 67,
    },
    values={Kind.EXHIBITION: 46_900_000_000, Kind.RESTRUCTURING: 10_860_000_000},
    poverty_provinces=12,
)  # fmt: skip
FIGURES_2023 = YearFigures(
    wub_provincial=4_212,
    wub_provincial_legal=2_694,
    wub_central=7_356,
    wub_central_legal=4_480,
    facilitations={
        Kind.PRODUCT: 1_021, Kind.EXHIBITION: 288, Kind.INDUSTRY_40: 26, Kind.RESTRUCTURING: 84, Kind.SNI: 52,
        Kind.ISO: 11, Kind.HACCP: 34, Kind.HALAL: 402, Kind.HKI: 515, Kind.PARTNERSHIP: 73,
    },
    values={Kind.EXHIBITION: 41_250_000_000, Kind.RESTRUCTURING: 9_420_000_000},
    poverty_provinces=30,
)  # fmt: skip
OVOP_CENTRES_2022 = 1_574
NEW_CENTRES = {2023: 131}  # centres coached for the first time; later years: NEW_CENTRES_LATER
NEW_CENTRES_LATER = 85
NOT_COACHED_SHARE = 0.06  # of the earlier centres, each later year
STAR_SHARES_2022 = (0.30, 0.33, 0.22, 0.11, 0.04)  # 1..5 stars
STAR_UP_CHANCE = 0.15  # a centre gains a star from one year to the next


@dataclass(frozen=True)
class CyclePlan:
    """An OVOP award cycle's size (DOMAIN.md "Programmes"): new proposals from ``provinces``
    provinces, how many passed the administrative check, how many of those were starred and how
    many got five stars. ``re_evaluates``: the cycle whose starred IKM it re-evaluates."""

    year: int
    proposals: int
    provinces: int
    passed: int
    starred: int
    five_stars: int = 0
    re_evaluates: int | None = None
    top_stars: int = 5  # the highest stars recommended in the cycle


# 2024: 159 proposals from 22 provinces, 89 passed the check, the 77 IKM starred in 2022
# re-evaluated, recommendations of 1-3 stars (all of them made awards in the demo). Five stars
# are rare: 2 in 2015, 4 in 2018. The earlier cycles' sizes are illustrative.
OVOP_CYCLES = (
    CyclePlan(2013, proposals=52, provinces=14, passed=36, starred=30, five_stars=1),
    CyclePlan(2015, proposals=68, provinces=17, passed=47, starred=41, five_stars=2),
    CyclePlan(2018, proposals=96, provinces=20, passed=61, starred=54, five_stars=4),
    CyclePlan(2022, proposals=121, provinces=24, passed=84, starred=77, five_stars=3),
    CyclePlan(2024, proposals=159, provinces=22, passed=89, starred=89, re_evaluates=2022, top_stars=3),
)
# The 2024 cycle's score bands (minimum score per star): illustrative, the real ones are not
# published; the directorate keeps them per cycle in the admin.
OVOP_BANDS_2024 = {1: 60, 2: 70, 3: 80, 4: 88, 5: 94}
# KBLI of the registry -> the OVOP group of its makers (registry enterprises of other KBLI are
# no OVOP candidates).
OVOP_GROUP_OF_KBLI = {
    **{kbli: OvopGroup.FOOD for kbli in ("10710", "10750", "10763", "10792", "10794", "11040")},
    "13121": OvopGroup.WOVEN, "13122": OvopGroup.WOVEN, "13134": OvopGroup.BATIK, "16292": OvopGroup.PLAITED,
    "31002": OvopGroup.PLAITED, "23931": OvopGroup.POTTERY, "23939": OvopGroup.POTTERY,
}  # fmt: skip
OVOP_PRODUCTS = {
    OvopGroup.FOOD: ("Keripik Pisang", "Kopi Bubuk", "Dodol", "Gula Aren", "Abon Ikan", "Madu Hutan"),
    OvopGroup.WOVEN: ("Tenun Ikat", "Songket", "Ulos"),
    OvopGroup.BATIK: ("Batik Tulis", "Batik Cap"),
    OvopGroup.PLAITED: ("Anyaman Bambu", "Anyaman Rotan", "Anyaman Pandan"),
    OvopGroup.POTTERY: ("Gerabah Hias", "Tembikar"),
}

# What /reports/outputs/?year=2022 shows (approved basis): all satkers, and authority=DK.
PUBLISHED_2022 = {
    "wub": 13_220, "ovop_centres": 1_574, "product_development": 1_133, "exhibition_ikm": 306,
    "exhibition_value": 46_900_000_000, "i40": 20, "restructuring_ikm": 99, "restructuring_value": 10_860_000_000,
    "sni": 41, "iso": 13, "haccp": 29, "hki": 472, "partnership": 67,
}  # fmt: skip
PUBLISHED_2022_DK = {"wub": 4_579, "wub_legal": 2_572}

# The provinces' part of each facilitation (the rest is the central units'); the machines of
# restructuring and Industry 4.0, and ISO, are central programmes.
PROVINCIAL_SHARE = {
    Kind.PRODUCT: 0.45, Kind.EXHIBITION: 0.25, Kind.INDUSTRY_40: 0.0, Kind.RESTRUCTURING: 0.0, Kind.SNI: 0.2,
    Kind.ISO: 0.0, Kind.HACCP: 0.2, Kind.HALAL: 0.6, Kind.HKI: 0.35, Kind.PARTNERSHIP: 0.3,
}  # fmt: skip
# The central units' parts by sector: secretariat; food, furniture and building materials;
# chemicals, clothing and crafts; metal, machinery, electronics and transport equipment.
CENTRAL_WEIGHTS: dict[str, tuple[float, float, float, float]] = {
    "WUB": (0.1, 1.0, 1.1, 0.8),
    Kind.PRODUCT: (0.1, 1.0, 1.0, 0.8), Kind.EXHIBITION: (0.6, 1.0, 1.0, 0.6), Kind.INDUSTRY_40: (0.0, 0.5, 0.5, 1.0),
    Kind.RESTRUCTURING: (0.0, 1.0, 0.8, 1.2), Kind.SNI: (0.0, 0.8, 0.6, 1.2), Kind.ISO: (0.0, 0.6, 0.6, 1.0),
    Kind.HACCP: (0.0, 1.0, 0.0, 0.0), Kind.HALAL: (0.0, 1.0, 0.6, 0.0), Kind.HKI: (0.3, 1.0, 1.0, 0.7),
    Kind.PARTNERSHIP: (0.2, 1.0, 1.0, 1.0),
}  # fmt: skip
CENTRAL_CODES = ("019101", "019102", "019103", "019104")
# Food certifications go to food and drink makers (KBLI 10, 11) when the registry has them.
KBLI_PREFERENCE = {Kind.HACCP: ("10", "11"), Kind.HALAL: ("10", "11", "20")}
# Activities pick up from the second quarter, as the DIPA's goods spending does.
MONTH_WEIGHTS = (0.3, 0.6, 0.9, 1.0, 1.0, 1.1, 1.2, 1.2, 1.3, 1.3, 1.3, 1.0)
REGISTRY_SIZE = 4_000
CENTRE_MEMBER_SHARE = 0.15  # registry enterprises that belong to a sentra
TARGET_RANGE = (0.88, 1.10)  # target / achievement of a year

# --- Words the records are made of ---------------------------------------------------------------

FIRST_NAMES = (
    "Siti", "Nur", "Ahmad", "Budi", "Dewi", "Agus", "Sri", "Rina", "Made", "Ketut", "Putu", "Wayan", "Yohanes",
    "Maria", "Fransiska", "Ridwan", "Hasanah", "Rahmat", "Yuliana", "Hendra", "Fitri", "Andi", "Muhammad",
    "Aisyah", "Teguh", "Lilis", "Eko", "Nining", "Bambang", "Yanti", "Daniel", "Martha", "Abdul", "Ratna",
    "Samsul", "Indah", "Joko", "Wahyuni", "Irfan", "Melati",
)  # fmt: skip
LAST_NAMES = (
    "Rahayu", "Saputra", "Lestari", "Santoso", "Hidayat", "Wulandari", "Siregar", "Nasution", "Harahap", "Lubis",
    "Pratama", "Kurniawan", "Setiawan", "Susanti", "Manurung", "Tanjung", "Mandagi", "Rumbiak", "Sinaga",
    "Purnomo", "Handayani", "Syahputra", "Ramadhani", "Wijaya", "Hutapea", "Kalalo", "Nggadas", "Daulay",
    "Gultom", "Maharani",
)  # fmt: skip
VILLAGE_PARTS = (
    ("Suka", "Mekar", "Sido", "Karang", "Tanjung", "Sri", "Bumi", "Margo", "Wono", "Sumber", "Tegal", "Banjar",
     "Pasir", "Cipta", "Teluk", "Lubuk", "Padang", "Kampung"),
    ("maju", "jadi", "sari", "mulyo", "rejo", "harjo", "makmur", "agung", "asri", "jaya", "mukti", "wangi", "indah",
     "baru", "raya"),
)  # fmt: skip
STREETS = ("Jl. Merdeka", "Jl. Sudirman", "Jl. Pahlawan", "Jl. Diponegoro", "Jl. Pasar Baru", "Jl. Raya",
           "Jl. Masjid", "Jl. Pemuda", "Jl. Kartini", "Jl. Veteran")  # fmt: skip

# Commodity group -> (weight, products, KBLI codes of its makers).
COMMODITIES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    CommodityGroup.FOOD: (0.45, ("Keripik Pisang", "Kopi Bubuk", "Kerupuk Ikan", "Dodol", "Gula Aren", "Abon Ikan",
                                 "Sambal", "Kue Kering", "Madu Hutan", "Tempe", "Rendang", "Emping Melinjo"),
                          ("10792", "10794", "10763", "10710", "10750", "11040")),
    CommodityGroup.WOVEN: (0.12, ("Tenun Ikat", "Songket", "Ulos", "Tenun Gedogan"), ("13121", "13122")),
    CommodityGroup.BATIK: (0.10, ("Batik Tulis", "Batik Cap", "Batik Ecoprint"), ("13134",)),
    CommodityGroup.PLAITED: (0.13, ("Anyaman Bambu", "Anyaman Rotan", "Anyaman Pandan", "Anyaman Purun"),
                             ("16292", "31002")),
    CommodityGroup.POTTERY: (0.07, ("Gerabah", "Keramik Hias", "Tembikar"), ("23931", "23939")),
    CommodityGroup.OTHER: (0.13, ("Kerajinan Kayu", "Pandai Besi", "Kerajinan Perak", "Kerajinan Kulit",
                                  "Sabun Herbal"), ("16299", "25931", "32111", "15121", "20232")),
}  # fmt: skip
# Registry enterprises outside the centres: KBLI -> products their names use.
REGISTRY_KBLI: dict[str, tuple[str, ...]] = {
    "10710": ("Roti", "Bakery", "Kue Basah"), "10792": ("Kue", "Jajanan"), "10794": ("Kerupuk", "Keripik"),
    "10763": ("Kopi",), "10750": ("Makanan Olahan", "Frozen Food"), "11040": ("Minuman Herbal", "Sari Buah"),
    "13121": ("Tenun",), "13134": ("Batik",), "14111": ("Konveksi", "Busana Muslim"), "15201": ("Sepatu", "Sandal"),
    "16292": ("Anyaman",), "20232": ("Sabun", "Kosmetik Alami"), "22230": ("Plastik",), "23931": ("Gerabah",),
    "25931": ("Pisau", "Alat Pertanian"), "25992": ("Teralis", "Las"), "28210": ("Mesin Pertanian",),
    "31001": ("Mebel", "Furnitur"), "31002": ("Mebel Rotan",), "32111": ("Perhiasan",),
}  # fmt: skip
LEGAL_FORMS = ("", "", "", "UD ", "CV ", "PT ")
WUB_BUSINESSES = (
    "Makanan ringan", "Kue dan roti", "Minuman herbal", "Konveksi", "Kerajinan anyaman", "Kerajinan kayu", "Batik",
    "Tenun", "Sabun dan kosmetik alami", "Bengkel las", "Sablon", "Olahan ikan", "Kopi bubuk",
    "Aksesori manik-manik",
)  # fmt: skip
FACILITATION_NOTES = {
    Kind.PRODUCT: ("Pengembangan desain kemasan", "Perbaikan mutu produk", "Pengembangan varian rasa",
                   "Desain motif baru"),
    Kind.EXHIBITION: ("INACRAFT", "Trade Expo Indonesia", "Pameran Produk IKM Daerah", "Pameran Kriya Nusa",
                      "Pameran Pangan Nusa"),
    Kind.RESTRUCTURING: ("Penggantian sebagian harga mesin produksi", "Penggantian sebagian harga peralatan"),
    Kind.INDUSTRY_40: ("Penerapan pencatatan produksi digital", "Penerapan mesin CNC terhubung",
                       "Pemasaran dan pencatatan stok digital"),
    Kind.PARTNERSHIP: ("Kemitraan pemasok bahan baku dengan industri besar", "Kemitraan pemasaran ritel modern"),
}  # fmt: skip
POVERTY_WEIGHTS = {  # how often each kind of activity comes
    PovertyActivity.Kind.TRAINING: 0.45, PovertyActivity.Kind.EQUIPMENT: 0.3, PovertyActivity.Kind.MENTORING: 0.2,
    PovertyActivity.Kind.OTHER: 0.05,
}  # fmt: skip
POVERTY_DESCRIPTIONS = {
    PovertyActivity.Kind.TRAINING: "Pelatihan produksi dan kewirausahaan bagi warga miskin ekstrem",
    PovertyActivity.Kind.EQUIPMENT: "Bantuan peralatan produksi bagi peserta pelatihan",
    PovertyActivity.Kind.MENTORING: "Pendampingan usaha peserta pelatihan",
    PovertyActivity.Kind.OTHER: "Temu usaha dan pemasaran produk peserta",
}
JAVA = {"31", "32", "33", "34", "35", "36"}
BUSY = {"12", "13", "16", "18", "51", "52", "63", "64", "73"}  # provinces with many IKM outside Java


# --- What a plan reads from the database -----------------------------------------------------------


@dataclass(frozen=True)
class SatkerInfo:
    id: int
    code: str
    province_id: int
    bps_code: str
    is_central: bool


@dataclass(frozen=True)
class ReportInfo:
    id: int
    month: int
    submitted_at: datetime | None


@dataclass(frozen=True)
class EnterpriseInfo:
    id: int
    nib: str | None
    name: str
    province_id: int
    kbli: str


@dataclass
class YearInputs:
    year: int
    fiscal_year_id: int
    provincial: list[SatkerInfo]  # by code: the provincial satkers (DK until 2023, TP after)
    central: list[SatkerInfo]  # by code: the central units (KP)
    approved: dict[int, dict[int, ReportInfo]]  # satker id -> month -> its APPROVED report
    regencies: dict[int, list[int]]  # province id -> regency ids
    kabupaten: dict[int, list[int]]  # province id -> regency ids of the kabupaten (poverty is rural)
    enterprises: list[EnterpriseInfo]  # by NIB
    centres: dict[tuple[str, str, str], int]  # (satker code, name, regency code) -> centre id
    users: dict[int, Any]  # satker id -> the user who enters its records
    admin: Any
    today: date


@dataclass
class YearPlan:
    """Unsaved records of a year, and the whole-year counts per satker the targets come from."""

    entrepreneurs: list[NewEntrepreneur] = field(default_factory=list)
    facilitations: list[Facilitation] = field(default_factory=list)
    poverty: list[PovertyActivity] = field(default_factory=list)
    coachings: list[OvopCoaching] = field(default_factory=list)
    targets: list[OutputTarget] = field(default_factory=list)
    annual: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))


# --- Pure helpers ----------------------------------------------------------------------------------


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def village(rng: random.Random) -> str:
    return rng.choice(VILLAGE_PARTS[0]) + rng.choice(VILLAGE_PARTS[1])


def nib(rng: random.Random) -> str:
    """13 digits as OSS issues them; some start with 0 (kept as text)."""
    return f"{rng.choice(('9120', '0220', '1219', '8120', '0129'))}{rng.randrange(10**9):09d}"


def day_in(rng: random.Random, year: int, month: int, before: date) -> date:
    day = date(year, month, rng.randint(1, 28))
    return min(day, before - timedelta(days=1))


def entered_at(report: ReportInfo) -> datetime:
    """Records are entered before their report is submitted."""
    if report.submitted_at is None:
        return timezone.now()
    return report.submitted_at - timedelta(hours=3)


def values_split(rng: random.Random, total: int, count: int) -> list[int]:
    """``total`` rupiah over ``count`` records in whole thousands, uneven as real transactions are."""
    if count == 0:
        return []
    weights = [rng.lognormvariate(0, 0.7) for _ in range(count)]
    parts = [part * 1000 for part in allocate(total // 1000, weights)]
    parts[-1] += total % 1000
    return parts


def placed_months(rng: random.Random, approved: dict[int, ReportInfo], count: int) -> list[ReportInfo]:
    """The reports of ``count`` records of a whole year, on the approved months only: a year
    with twelve approved months gets them all; otherwise the share of the missing months'
    weight is left out (those records are not reported yet)."""
    if not approved or count == 0:
        return []
    weights = [MONTH_WEIGHTS[month - 1] if month in approved else 0.0 for month in range(1, 13)]
    if len(approved) < 12:
        count = floor(count * Fraction(sum(weights)) / Fraction(sum(MONTH_WEIGHTS)))
    reports = []
    for month, n in enumerate(allocate(count, weights), start=1):
        if n:
            reports += [approved[month]] * n
    rng.shuffle(reports)
    return reports


def province_weights(rng: random.Random, satkers: Sequence[SatkerInfo], regencies: dict[int, list[int]]) -> list:
    """Bigger provinces (more regencies) do more, with some spread."""
    return [len(regencies.get(s.province_id, [])) ** 0.5 * rng.uniform(0.7, 1.3) for s in satkers]


def central_weights(satkers: Sequence[SatkerInfo], key: str) -> list[float]:
    weights = CENTRAL_WEIGHTS[key]
    return [weights[CENTRAL_CODES.index(s.code)] if s.code in CENTRAL_CODES else 1.0 for s in satkers]


def safe_allocate(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    if total == 0 or not weights:
        return [0] * len(weights)
    if not any(weights):
        weights = [1.0] * len(weights)
    return allocate(total, weights, caps)


# --- Sentra, OVOP award cycles and the registry (not per year) ----------------------------------


@dataclass(frozen=True)
class CentrePlan:
    index: int
    satker_code: str
    province: str  # BPS code
    regency_code: str
    name: str
    village: str
    commodity_group: str
    unit_count: int
    start_year: int
    stars: int  # reported at its first coaching


@dataclass(frozen=True)
class ProvinceInfo:
    bps_code: str
    satker_code: str  # the provincial satker, coach of its centres
    regencies: tuple[str, ...]  # Kemendagri codes


def _centre_group(
    rng: random.Random, provinces: Sequence[ProvinceInfo], count: int, start_year: int, first: int, seen: set
) -> list[CentrePlan]:
    weights = [len(p.regencies) * rng.uniform(0.7, 1.3) for p in provinces]
    groups = list(COMMODITIES)
    group_weights = [COMMODITIES[g][0] for g in groups]
    plans = []
    for province, n in zip(provinces, allocate(count, weights), strict=True):
        for _ in range(n):
            group = rng.choices(groups, group_weights)[0]
            regency = rng.choice(province.regencies)
            place = village(rng)
            name = f"Sentra {rng.choice(COMMODITIES[group][1])} {place}"
            while (province.satker_code, name, regency) in seen:
                name += " II"
            seen.add((province.satker_code, name, regency))
            stars = rng.choices((1, 2, 3, 4, 5), STAR_SHARES_2022)[0]
            units = min(5 + int(rng.expovariate(1 / 12)), 150)
            plans.append(
                CentrePlan(first + len(plans), province.satker_code, province.bps_code, regency, name, place, group,
                           units, start_year, stars)
            )  # fmt: skip
    return plans


def centre_plans(provinces: Sequence[ProvinceInfo], up_to_year: int) -> list[CentrePlan]:
    """Every centre coached up to ``up_to_year``: those of 2022, the new ones of 2023, and the
    new ones of a later year. Each group has its own seed, so a year's centres do not depend
    on which later years exist."""
    seen: set = set()
    plans = _centre_group(random.Random(f"{SEED}-centres-2022"), provinces, OVOP_CENTRES_2022, 2022, 0, seen)  # noqa: S311
    for year in range(2023, up_to_year + 1):
        if year == 2023 or year == up_to_year:
            count = NEW_CENTRES.get(year, NEW_CENTRES_LATER)
            rng = random.Random(f"{SEED}-centres-{year}")  # noqa: S311 - demo figures, not secrets
            plans += _centre_group(rng, provinces, count, year, len(plans), seen)
    return plans


def stars_in(plan: CentrePlan, year: int) -> int | None:
    """The star level reported for the sentra in ``year``; None when it was not coached that year."""
    if year < plan.start_year:
        return None
    stars = plan.stars
    for later in range(plan.start_year + 1, year + 1):
        rng = random.Random(f"{SEED}-stars-{plan.index}-{later}")  # noqa: S311
        if later == year and rng.random() < NOT_COACHED_SHARE:
            return None
        if rng.random() < STAR_UP_CHANCE:
            stars = min(stars + 1, 5)
    return stars


@dataclass(frozen=True)
class EnterprisePlan:
    nib: str
    name: str
    owner: str
    province: str
    regency_code: str
    address: str
    kbli: str
    workers_male: int
    workers_female: int
    investment: int
    production_value: int
    data_year: int
    satker_code: str
    centre: tuple[str, str, str] | None  # natural key of the centre


def size_mix(rng: random.Random) -> tuple[int, int, int]:
    """Workers (male, female) and investment: mostly small, some medium, a few large (the
    bench's national registry uses the same mix)."""
    roll = rng.random()
    if roll < 0.84:
        workers, investment = rng.randint(1, 19), rng.randint(5, 950) * 1_000_000
    elif roll < 0.90:
        workers, investment = rng.randint(5, 19), rng.randint(1_000, 4_000) * 1_000_000
    elif roll < 0.985:
        workers, investment = rng.randint(20, 99), rng.randint(300, 15_000) * 1_000_000
    else:
        workers, investment = rng.randint(100, 350), rng.randint(15_500, 60_000) * 1_000_000
    female = round(workers * rng.uniform(0.2, 0.8))
    return workers - female, female, investment


def enterprise_plans(provinces: Sequence[ProvinceInfo], centres: Sequence[CentrePlan]) -> list[EnterprisePlan]:
    """The registry: REGISTRY_SIZE enterprises over the provinces (Java first), some of them
    members of the 2022 centres of their province, with unique NIBs."""
    rng = random.Random(f"{SEED}-registry")  # noqa: S311 - demo figures, not secrets
    weights = [4.0 if p.bps_code in JAVA else 2.0 if p.bps_code in BUSY else 1.0 for p in provinces]
    by_province: dict[str, list[CentrePlan]] = defaultdict(list)
    for centre in centres:
        if centre.start_year == 2022:
            by_province[centre.province].append(centre)
    nibs: set[str] = set()
    plans = []
    for province, count in zip(provinces, allocate(REGISTRY_SIZE, weights), strict=True):
        for _ in range(count):
            centre = None
            if by_province[province.bps_code] and rng.random() < CENTRE_MEMBER_SHARE:
                centre = rng.choice(by_province[province.bps_code])
                kbli = rng.choice(COMMODITIES[centre.commodity_group][2])
                product = centre.name.removeprefix("Sentra ").rsplit(" ", 1)[0]
                regency = centre.regency_code
            else:
                kbli = rng.choice(list(REGISTRY_KBLI))
                product = rng.choice(REGISTRY_KBLI[kbli])
                regency = rng.choice(province.regencies)
            owner = person(rng)
            name = (
                f"{rng.choice(LEGAL_FORMS)}{product} {rng.choice((owner.split()[0], village(rng), 'Jaya', 'Makmur'))}"
            )
            number = nib(rng)
            while number in nibs:
                number = nib(rng)
            nibs.add(number)
            male, female, investment = size_mix(rng)
            production = int(investment * rng.uniform(0.6, 3.0)) // 1000 * 1000 + rng.randint(5, 90) * 10**6
            plans.append(
                EnterprisePlan(
                    nib=number, name=name, owner=owner, province=province.bps_code, regency_code=regency,
                    address=f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}, {village(rng)}", kbli=kbli,
                    workers_male=male, workers_female=female, investment=investment,
                    production_value=production,
                    data_year=rng.choice((2021, 2022, 2022, 2023, 2023)), satker_code=province.satker_code,
                    centre=(centre.satker_code, centre.name, centre.regency_code) if centre else None,
                )
            )  # fmt: skip
    return plans


# --- A year's records ------------------------------------------------------------------------------


def _monthly(inputs: YearInputs, satker: SatkerInfo, report: ReportInfo) -> dict[str, Any]:
    return {"satker_id": satker.id, "fiscal_year_id": inputs.fiscal_year_id, "month": report.month,
            "report_id": report.id}  # fmt: skip


def _with_history(obj: Model, user: Any, when: datetime) -> Model:
    obj._history_user = user
    obj._history_date = when
    return obj


def plan_entrepreneurs(rng: random.Random, inputs: YearInputs, figures: YearFigures, plan: YearPlan) -> None:
    """WUB of the provincial satkers and of the central units, a share of each with an NIB."""
    all_regencies = [r for ids in inputs.regencies.values() for r in ids]
    groups = (
        (inputs.provincial, province_weights(rng, inputs.provincial, inputs.regencies), figures.wub_provincial,
         figures.wub_provincial_legal),
        (inputs.central, central_weights(inputs.central, "WUB"), figures.wub_central, figures.wub_central_legal),
    )  # fmt: skip
    for satkers, weights, total, legal_total in groups:
        counts = safe_allocate(total, weights)
        legal = safe_allocate(legal_total, [c * rng.uniform(0.45, 0.8) for c in counts], counts)
        for satker, count, legal_count in zip(satkers, counts, legal, strict=True):
            plan.annual[(satker.id, "wub")] += count
            plan.annual[(satker.id, "wub_legal")] += legal_count
            reports = placed_months(rng, inputs.approved.get(satker.id, {}), count)
            legal_placed = legal_count if len(reports) == count else floor(legal_count * len(reports) / count)
            regencies = all_regencies if satker.is_central else inputs.regencies[satker.province_id]
            for index, report in enumerate(reports):
                legalized = index < legal_placed
                obj = NewEntrepreneur(
                    **_monthly(inputs, satker, report), name=person(rng), regency_id=rng.choice(regencies),
                    business_type=rng.choice(WUB_BUSINESSES), nib=nib(rng) if legalized else None,
                    legalized_on=day_in(rng, inputs.year, report.month, inputs.today) if legalized else None,
                )  # fmt: skip
                plan.entrepreneurs.append(_with_history(obj, inputs.users[satker.id], entered_at(report)))


def _certificate(kind: str, year: int, sequence: int, bps_code: str, month: int) -> str:
    return {
        Kind.SNI: f"{sequence:04d}/SPPT-SNI/{year}",
        Kind.ISO: f"ISO 9001:2015/{year}/{sequence:05d}",
        Kind.HACCP: f"HACCP/{year}/{sequence:05d}",
        Kind.HALAL: f"ID{bps_code}110{sequence:07d}{month:02d}{year % 100:02d}",
        Kind.HKI: f"IDM000{year % 100:02d}{sequence:04d}",
    }[kind]


class EnterprisePicker:
    """Enterprises for a kind's facilitations: of the satker's province (any for a central
    unit), preferring the kind's KBLI, each enterprise once per kind and year while possible."""

    def __init__(self, enterprises: Sequence[EnterpriseInfo]) -> None:
        self.everyone = list(enterprises)
        self.by_province: dict[int, list[EnterpriseInfo]] = defaultdict(list)
        for enterprise in enterprises:
            self.by_province[enterprise.province_id].append(enterprise)
        self.pools: dict[tuple[int | None, str], list[EnterpriseInfo]] = {}

    def pool(self, province_id: int | None, kind: str) -> list[EnterpriseInfo]:
        key = (province_id, kind)
        if key not in self.pools:
            pool = self.everyone if province_id is None else self.by_province.get(province_id, [])
            preferred = KBLI_PREFERENCE.get(kind)
            if preferred:
                pool = [e for e in pool if e.kbli[:2] in preferred] or pool
            self.pools[key] = pool
        return self.pools[key]

    def pick(self, rng: random.Random, satker: SatkerInfo, kind: str, used: set[int]) -> EnterpriseInfo | None:
        pool = self.pool(None if satker.is_central else satker.province_id, kind)
        if not pool:
            return None
        for _attempt in range(25):
            enterprise = rng.choice(pool)
            if enterprise.id not in used:
                break
        used.add(enterprise.id)
        return enterprise


def plan_facilitations(rng: random.Random, inputs: YearInputs, figures: YearFigures, plan: YearPlan) -> None:
    picker = EnterprisePicker(inputs.enterprises)
    count_key = {kind: key for key, kind in KIND_OF.items() if key not in MONEY_KEYS}
    value_key = {kind: key for key, kind in KIND_OF.items() if key in MONEY_KEYS}
    # The kinds the year's figures have (in the product's order): a kind added to the product
    # later has no demo records until it has figures here, and never stops the demo.
    for kind in (kind for kind in Kind.values if kind in figures.facilitations):
        total = figures.facilitations[kind]
        provincial = round(total * PROVINCIAL_SHARE[kind])
        per_satker = [
            *zip(inputs.provincial, safe_allocate(provincial, province_weights(rng, inputs.provincial,
                                                                                 inputs.regencies)), strict=True),
            *zip(inputs.central, safe_allocate(total - provincial, central_weights(inputs.central, kind)), strict=True),
        ]  # fmt: skip
        placed: list[tuple[SatkerInfo, ReportInfo]] = []
        for satker, count in per_satker:
            plan.annual[(satker.id, count_key[kind])] += count
            placed += [(satker, report) for report in placed_months(rng, inputs.approved.get(satker.id, {}), count)]
        values = [0] * len(placed)
        if kind in VALUED_KINDS:
            value_total = figures.values[kind]
            if len(placed) < total:
                value_total = value_total * len(placed) // total // 1_000_000 * 1_000_000
            values = values_split(rng, value_total, len(placed))
            annual = values_split(random.Random(f"{SEED}-{inputs.year}-{kind}"), figures.values[kind], total)  # noqa: S311
            position = 0
            for satker, count in per_satker:
                plan.annual[(satker.id, value_key[kind])] += sum(annual[position : position + count])
                position += count
        used: set[int] = set()
        for sequence, ((satker, report), value) in enumerate(zip(placed, values, strict=True), start=1):
            enterprise = picker.pick(rng, satker, kind, used)
            certified = kind in CERTIFIED_KINDS
            obj = Facilitation(
                **_monthly(inputs, satker, report), kind=kind, enterprise_id=enterprise.id if enterprise else None,
                nib=enterprise.nib if enterprise else None,
                enterprise_name=enterprise.name if enterprise else f"IKM {person(rng)}", value=value,
                certificate_number=_certificate(kind, inputs.year, sequence, satker.bps_code, report.month)
                if certified else "",
                certificate_date=day_in(rng, inputs.year, report.month, inputs.today) if certified else None,
                note=rng.choice(FACILITATION_NOTES[kind]) if kind in FACILITATION_NOTES else "",
            )  # fmt: skip
            plan.facilitations.append(_with_history(obj, inputs.users[satker.id], entered_at(report)))


def plan_poverty(rng: random.Random, inputs: YearInputs, figures: YearFigures, plan: YearPlan) -> None:
    """Extreme-poverty activities of some provincial satkers, in one to three priority kabupaten."""
    satkers = [s for s in inputs.provincial if inputs.approved.get(s.id)]
    chosen = sorted(rng.sample(satkers, k=min(figures.poverty_provinces, len(satkers))), key=lambda s: s.code)
    kinds, weights = list(POVERTY_WEIGHTS), list(POVERTY_WEIGHTS.values())
    for satker in chosen:
        regencies = inputs.kabupaten.get(satker.province_id) or inputs.regencies[satker.province_id]
        priority = rng.sample(regencies, k=min(rng.randint(1, 3), len(regencies)))
        approved = inputs.approved[satker.id]
        months = [m for m in sorted(approved) if m >= 4] or sorted(approved)
        for _ in range(rng.randint(2, 4)):
            report = approved[rng.choice(months)]
            beneficiaries = rng.randint(15, 120)
            kind = rng.choices(kinds, weights)[0]
            plan.annual[(satker.id, "poverty_beneficiaries")] += beneficiaries
            obj = PovertyActivity(
                **_monthly(inputs, satker, report), regency_id=rng.choice(priority), kind=kind,
                description=POVERTY_DESCRIPTIONS[kind], beneficiaries=beneficiaries,
                value=beneficiaries * rng.randint(1_500, 4_000) * 1000,
            )  # fmt: skip
            plan.poverty.append(_with_history(obj, inputs.users[satker.id], entered_at(report)))


def plan_coaching(inputs: YearInputs, centres: Sequence[CentrePlan], plan: YearPlan) -> None:
    """The year's sentra coached (what ``ovop_centres`` counts), with the star level reported."""
    satker_of = {s.code: s for s in inputs.provincial}
    when = min(datetime.combine(date(inputs.year, 11, 20), time(10, 0), tzinfo=JAKARTA),
               datetime.combine(inputs.today - timedelta(days=1), time(10, 0), tzinfo=JAKARTA))  # fmt: skip
    for centre in centres:
        stars = stars_in(centre, inputs.year)
        satker = satker_of.get(centre.satker_code)
        if stars is None or satker is None:
            continue
        plan.annual[(satker.id, "ovop_centres")] += 1
        obj = OvopCoaching(sentra_id=inputs.centres[(centre.satker_code, centre.name, centre.regency_code)],
                           year=inputs.year, stars=stars)  # fmt: skip
        plan.coachings.append(_with_history(obj, inputs.users[satker.id], when))


def plan_targets(rng: random.Random, inputs: YearInputs, plan: YearPlan) -> None:
    """Each satker's targets of the year: near what it achieves over the whole year."""
    when = datetime.combine(date(inputs.year, 1, 10), time(9, 0), tzinfo=JAKARTA)
    for satker in [*inputs.provincial, *inputs.central]:
        for key in KEYS:
            achieved = plan.annual.get((satker.id, key), 0)
            if not achieved:
                continue
            target = round(achieved * rng.uniform(*TARGET_RANGE))
            if key in MONEY_KEYS:
                target = max(target // 1_000_000, 1) * 1_000_000
            obj = OutputTarget(satker_id=satker.id, fiscal_year_id=inputs.fiscal_year_id, indicator=key,
                               target=max(target, 1))  # fmt: skip
            plan.targets.append(_with_history(obj, inputs.admin, when))


def figures_for(year: int) -> YearFigures:
    if year == 2022:
        return FIGURES_2022
    if year == 2023:
        return FIGURES_2023
    rng = random.Random(f"{SEED}-figures-{year}")  # noqa: S311 - demo figures, not secrets

    def scaled(value: int) -> int:
        return round(value * rng.uniform(0.9, 1.1))

    base = FIGURES_2023
    wub_provincial = scaled(base.wub_provincial)
    wub_central = scaled(base.wub_central)
    return YearFigures(
        wub_provincial=wub_provincial,
        wub_provincial_legal=min(scaled(base.wub_provincial_legal), wub_provincial),
        wub_central=wub_central,
        wub_central_legal=min(scaled(base.wub_central_legal), wub_central),
        facilitations={kind: scaled(count) for kind, count in base.facilitations.items()},
        values={kind: scaled(value // 1_000_000) * 1_000_000 for kind, value in base.values.items()},
        poverty_provinces=24,
    )


def year_plan(inputs: YearInputs, centres: Sequence[CentrePlan]) -> YearPlan:
    rng = random.Random(f"{SEED}-{inputs.year}")  # noqa: S311 - demo figures, not secrets
    figures = figures_for(inputs.year)
    plan = YearPlan()
    plan_entrepreneurs(rng, inputs, figures, plan)
    plan_facilitations(rng, inputs, figures, plan)
    plan_poverty(rng, inputs, figures, plan)
    plan_coaching(inputs, centres, plan)
    plan_targets(rng, inputs, plan)
    return plan


# --- Reading and writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeResult:
    year: int | None  # None: the registry and the centres
    skipped: bool
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""
    # The outputs checked against the published ones (2022): totals of all satkers ("") and of
    # the deconcentration satkers ("DK"), as /reports/outputs/ gives them.
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)


def _provinces(*, coached_since: int | None = None) -> list[ProvinceInfo]:
    """The provinces with their provincial satker and regencies. ``coached_since``: only the
    provinces whose satker held the directorate's money that year, each with the regencies it has
    had ever since (the centres they coach: Jayawijaya's went to Papua Pegunungan in July 2022)."""
    satkers = {
        satker.province.bps_code: satker
        for satker in Satker.objects.filter(is_central=False).select_related("province").order_by("-code")
    }  # the lowest code wins when a province has several
    regencies: dict[str, list[str]] = defaultdict(list)
    for code, bps in Regency.objects.order_by("kemendagri_code").values_list("kemendagri_code", "province__bps_code"):
        regencies[bps].append(code)
    if coached_since is not None:
        moved = set(RegencyPeriod.objects.values_list("regency__kemendagri_code", flat=True))
        regencies = {bps: [code for code in codes if code not in moved] for bps, codes in regencies.items()}
        satkers = {bps: s for bps, s in satkers.items() if satker_absence(s, coached_since) is None}
    return [
        ProvinceInfo(bps, satkers[bps].code, tuple(regencies[bps]))
        for bps in Province.objects.order_by("bps_code").values_list("bps_code", flat=True)
        if bps in satkers and regencies.get(bps)
    ]


def _users() -> tuple[dict[str, Any], Any]:
    accounts = get_user_model().objects.filter(Q(username="admin") | Q(username__startswith="officer-"))
    users = {user.username: user for user in accounts}
    admin = users.get("admin")
    if admin is None:
        raise DemoDataError("Akun demo admin tidak ditemukan.")
    return users, admin


def _create_with_history(objects: list[Model], model: type[Model]) -> None:
    """``bulk_create`` and the history rows of what it created (the ``_history_user`` and
    ``_history_date`` of each object, DEMO_REASON). What simple_history's
    ``bulk_create_with_history`` writes, but the history rows go in as plain parameter tuples
    (one executemany) instead of one historical model instance each: the demo writes some
    60.000 records, and building their historical instances took longer than everything else."""
    if not objects:
        return
    created = model.objects.bulk_create(objects)
    if created[0].pk is None:  # a backend that does not return ids from bulk inserts
        raise DemoDataError("Basis data tidak mengembalikan id dari bulk_create.")
    history = model.history.model  # type: ignore[attr-defined]
    ops = connection.ops
    fields = list(history.tracked_fields)
    adapters = [
        ops.adapt_datetimefield_value if isinstance(field, models.DateTimeField)
        else ops.adapt_datefield_value if isinstance(field, models.DateField)
        else None
        for field in fields
    ]  # fmt: skip
    columns = [history._meta.get_field(field.name).column for field in fields]
    columns += [
        history._meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, quoted
        ops.quote_name(history._meta.db_table),
        ", ".join(ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    rows = []
    for obj in created:
        values = [getattr(obj, field.attname) for field in fields]
        for index, adapt in enumerate(adapters):
            if adapt is not None and values[index] is not None:
                values[index] = adapt(values[index])
        user, when = obj._history_user, obj._history_date  # type: ignore[attr-defined]
        values += [ops.adapt_datetimefield_value(when), DEMO_REASON, "+", user.pk if user else None]
        rows.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _ensure_centres(provinces: list[ProvinceInfo], plans: list[CentrePlan], users: dict, admin: Any) -> int:
    """Creates the planned centres that do not exist yet (natural key: satker, name, regency)."""
    existing = set(Sentra.objects.values_list("satker__code", "name", "regency__kemendagri_code"))
    missing = [p for p in plans if (p.satker_code, p.name, p.regency_code) not in existing]
    if not missing:
        return 0
    satkers = dict(Satker.objects.filter(code__in={p.satker_code for p in missing}).values_list("code", "pk"))
    regencies = dict(Regency.objects.values_list("kemendagri_code", "pk"))
    objects = []
    for p in missing:
        obj = Sentra(satker_id=satkers[p.satker_code], name=p.name, regency_id=regencies[p.regency_code],
                         village=p.village, commodity_group=p.commodity_group, unit_count=p.unit_count)  # fmt: skip
        user = users.get(f"officer-{p.province}", admin)
        objects.append(
            _with_history(obj, user, datetime.combine(date(p.start_year, 2, 1), time(10, 0), tzinfo=JAKARTA))
        )
    _create_with_history(objects, Sentra)
    return len(objects)


@dataclass(frozen=True)
class CandidateSeed:
    enterprise_id: int
    province: str
    regency_id: int
    sentra_id: int | None
    group: str


def _stars_of(rng: random.Random, plan: CyclePlan, count: int) -> list[int]:
    """``count`` stars, ``plan.five_stars`` of them five, the others mostly one to three."""
    top = min(plan.top_stars, 4)
    weights = (0.34, 0.33, 0.23, 0.10)[:top]
    stars = [5] * plan.five_stars + rng.choices(range(1, top + 1), weights, k=count - plan.five_stars)
    rng.shuffle(stars)
    return stars


def _score(rng: random.Random, stars: int) -> Decimal:
    """A score in the 2024 bands of ``stars`` (scores of other cycles are on the same scale)."""
    low = OVOP_BANDS_2024[stars]
    high = OVOP_BANDS_2024.get(stars + 1, 100)
    return Decimal(rng.uniform(low, high - 0.01)).quantize(Decimal("0.01"))


def ovop_award_plans(
    provinces: Sequence[ProvinceInfo], pool: Sequence[CandidateSeed]
) -> dict[int, list[dict[str, Any]]]:
    """Every cycle's candidates (field values; ``re_evaluates`` as the index of the earlier
    cycle's candidate), from the registry's enterprises that make an OVOP group's products: each
    cycle proposes IKM of a few provinces, an IKM at most once per cycle; 2024 also re-evaluates
    every IKM starred in 2022, with its product."""
    by_province: dict[str, list[CandidateSeed]] = defaultdict(list)
    for seed in pool:
        by_province[seed.province].append(seed)
    eligible = [p.bps_code for p in provinces if len(by_province[p.bps_code]) >= 3]
    plans: dict[int, list[dict[str, Any]]] = {}
    for cycle in OVOP_CYCLES:
        rng = random.Random(f"{SEED}-ovop-{cycle.year}")  # noqa: S311 - demo figures, not secrets
        rows: list[dict[str, Any]] = []
        taken: set[int] = set()
        if cycle.re_evaluates:
            earlier = plans[cycle.re_evaluates]
            for index, row in enumerate(earlier):
                if row["awarded_stars"] is None:
                    continue
                stars = min(max(row["awarded_stars"] + rng.choice((-1, 0, 0, 0, 1)), 1), cycle.top_stars)
                taken.add(row["seed"].enterprise_id)
                rows.append({**row, "admin_check_passed": True, "score": _score(rng, stars),
                             "recommended_stars": stars, "awarded_stars": stars, "re_evaluates": index})  # fmt: skip
        chosen = sorted(rng.sample(eligible, cycle.provinces))
        picks = []
        for province, count in zip(chosen, allocate(cycle.proposals, [1.0] * len(chosen)), strict=True):
            free = [seed for seed in by_province[province] if seed.enterprise_id not in taken]
            picks += rng.sample(free, min(count, len(free)))
        if len(picks) != cycle.proposals:
            raise DemoDataError(f"Registri demo terlalu kecil untuk {cycle.proposals} usulan OVOP {cycle.year}.")
        rng.shuffle(picks)
        stars = iter(_stars_of(rng, cycle, cycle.starred))
        for number, seed in enumerate(picks):
            passed = number < cycle.passed
            awarded = next(stars) if number < cycle.starred else None
            rows.append({
                "seed": seed, "product": rng.choice(OVOP_PRODUCTS[seed.group]), "admin_check_passed": passed,
                "score": _score(rng, awarded or 1) if passed else None, "recommended_stars": awarded,
                "awarded_stars": awarded, "re_evaluates": None,
            })  # fmt: skip
        plans[cycle.year] = rows
    return plans


def _ensure_awards(provinces: list[ProvinceInfo], users: dict, admin: Any) -> int:
    """The OVOP award cycles and their candidates, unless a cycle exists (they were loaded
    before, or the directorate entered its own). Candidates are registry enterprises."""
    if OvopCycle.objects.exists():
        return 0
    satkers = dict(Satker.objects.filter(code__in=[p.satker_code for p in provinces]).values_list("code", "pk"))
    satker_of = {p.bps_code: satkers[p.satker_code] for p in provinces}
    pool = [
        CandidateSeed(pk, province, regency, sentra, OVOP_GROUP_OF_KBLI[kbli])
        for pk, province, regency, sentra, kbli in Enterprise.objects.filter(
            nib__isnull=False, kbli__in=list(OVOP_GROUP_OF_KBLI), province__bps_code__in=list(satker_of)
        )
        .order_by("nib")
        .values_list("pk", "province__bps_code", "regency_id", "centre_id", "kbli")
    ]
    plans = ovop_award_plans(provinces, pool)
    written = 0
    for cycle_plan in OVOP_CYCLES:
        when = datetime.combine(date(cycle_plan.year, 10, 15), time(10, 0), tzinfo=JAKARTA)
        cycle = _with_history(OvopCycle(year=cycle_plan.year, name=f"Penghargaan OVOP {cycle_plan.year}"), admin, when)
        _create_with_history([cycle], OvopCycle)
        if cycle_plan.year == 2024:
            bands = [
                OvopScoreBand(cycle_id=cycle.pk, stars=stars, min_score=low) for stars, low in OVOP_BANDS_2024.items()
            ]
            _create_with_history([_with_history(band, admin, when) for band in bands], OvopScoreBand)
        earlier = plans.get(cycle_plan.re_evaluates) if cycle_plan.re_evaluates else None
        objects = []
        for row in plans[cycle_plan.year]:
            seed = row["seed"]
            obj = OvopCandidate(
                cycle_id=cycle.pk, enterprise_id=seed.enterprise_id, product=row["product"], group=seed.group,
                regency_id=seed.regency_id, satker_id=satker_of[seed.province], sentra_id=seed.sentra_id,
                admin_check_passed=row["admin_check_passed"], score=row["score"],
                recommended_stars=row["recommended_stars"], awarded_stars=row["awarded_stars"],
                re_evaluates_id=earlier[row["re_evaluates"]]["pk"] if row["re_evaluates"] is not None else None,
            )  # fmt: skip
            objects.append(_with_history(obj, users.get(f"officer-{seed.province}", admin), when))
        _create_with_history(objects, OvopCandidate)
        for row, obj in zip(plans[cycle_plan.year], objects, strict=True):
            row["pk"] = obj.pk
        written += len(objects)
    return written


def _ensure_registry(provinces: list[ProvinceInfo], centres: list[CentrePlan], users: dict, admin: Any) -> int:
    """Creates the registry unless it is there (any of its NIBs exists: it was loaded before)."""
    plans = enterprise_plans(provinces, centres)
    if Enterprise.objects.filter(nib__in=[p.nib for p in plans[:50]]).exists():
        return 0
    taken = set(Enterprise.objects.filter(nib__in=[p.nib for p in plans]).values_list("nib", flat=True))
    # A record counts for its regency's province in its data year (a 2022 record in Jayawijaya is
    # Papua's), collected by that province's satker.
    regions = RegionMap()
    provincial_satkers = Satker.objects.filter(is_central=False).order_by("-code")
    provincial = {province_id: pk for pk, province_id in provincial_satkers.values_list("pk", "province_id")}
    bps_of = dict(Province.objects.values_list("pk", "bps_code"))
    regencies = dict(Regency.objects.values_list("kemendagri_code", "pk"))
    centre_ids = _centre_ids()
    objects = []
    for p in plans:
        if p.nib in taken:
            continue
        regency_id = regencies[p.regency_code]
        province_id = regions.province_of_record(regency_id, p.data_year)
        workers = p.workers_male + p.workers_female
        obj = Enterprise(
            nib=p.nib, name=p.name, name_normalized=normalize_name(p.name), owner=p.owner, regency_id=regency_id,
            province_id=province_id, address=p.address, kbli=p.kbli, workers_male=p.workers_male,
            workers_female=p.workers_female, investment=p.investment, production_value=p.production_value,
            data_year=p.data_year, satker_id=provincial[province_id],
            centre_id=centre_ids.get(p.centre) if p.centre else None,
            size_class=size_class_for(workers, p.investment),
        )  # fmt: skip
        when = datetime.combine(date(p.data_year, 6, 15), time(10, 0), tzinfo=JAKARTA)
        objects.append(_with_history(obj, users.get(f"officer-{bps_of[province_id]}", admin), when))
    _create_with_history(objects, Enterprise)
    RegistryChange().adding(objects).apply()  # bulk_create passes no service: the summary by hand
    return len(objects)


def _year_inputs(fiscal_year: FiscalYear, users: dict, admin: Any, today: date) -> YearInputs | None:
    authorities = list(
        SatkerAuthority.objects.filter(fiscal_year=fiscal_year)
        .select_related("satker__province")
        .order_by("satker__code")
    )
    if not authorities:
        return None
    satkers = [
        SatkerInfo(a.satker.pk, a.satker.code, a.satker.province_id, a.satker.province.bps_code, a.satker.is_central)
        for a in authorities
    ]
    central = {a.satker.pk for a in authorities if a.satker.is_central or a.authority == Authority.KP}
    approved: dict[int, dict[int, ReportInfo]] = defaultdict(dict)
    for pk, satker_id, month, submitted_at in MonthlyReport.objects.filter(
        fiscal_year=fiscal_year, status=Status.APPROVED
    ).values_list("pk", "satker_id", "month", "submitted_at"):
        approved[satker_id][month] = ReportInfo(pk, month, submitted_at)
    regencies: dict[int, list[int]] = defaultdict(list)
    kabupaten: dict[int, list[int]] = defaultdict(list)
    for pk, province_id, kind in Regency.objects.order_by("kemendagri_code").values_list("pk", "province_id", "kind"):
        regencies[province_id].append(pk)
        if kind == Regency.Kind.KABUPATEN:
            kabupaten[province_id].append(pk)
    enterprises = [
        EnterpriseInfo(*row)
        for row in Enterprise.objects.filter(nib__isnull=False)
        .order_by("nib")
        .values_list("pk", "nib", "name", "province_id", "kbli")
    ]
    centres = _centre_ids()
    return YearInputs(
        year=fiscal_year.year,
        fiscal_year_id=fiscal_year.pk,
        provincial=[s for s in satkers if s.id not in central],
        central=[s for s in satkers if s.id in central],
        approved=dict(approved),
        regencies=dict(regencies),
        kabupaten=dict(kabupaten),
        enterprises=enterprises,
        centres=centres,
        users={s.id: admin if s.id in central else users.get(f"officer-{s.bps_code}", admin) for s in satkers},
        admin=admin,
        today=today,
    )


def _centre_ids() -> dict[tuple[str, str, str], int]:
    """Every centre's id by its natural key (satker code, name, regency code)."""
    return {
        (satker, name, regency): pk
        for pk, satker, name, regency in Sentra.objects.values_list(
            "pk", "satker__code", "name", "regency__kemendagri_code"
        )
    }


def _has_programme_data(fiscal_year: FiscalYear) -> bool:
    return (
        NewEntrepreneur.objects.filter(fiscal_year=fiscal_year).exists()
        or Facilitation.objects.filter(fiscal_year=fiscal_year).exists()
        or PovertyActivity.objects.filter(fiscal_year=fiscal_year).exists()
        or OutputTarget.objects.filter(fiscal_year=fiscal_year).exists()
        or OvopCoaching.objects.filter(year=fiscal_year.year).exists()
    )


def _write(plan: YearPlan) -> dict[str, int]:
    for objects, model in (
        (plan.entrepreneurs, NewEntrepreneur),
        (plan.facilitations, Facilitation),
        (plan.poverty, PovertyActivity),
        (plan.coachings, OvopCoaching),
        (plan.targets, OutputTarget),
    ):
        if objects:
            _create_with_history(objects, model)
    # bulk_create passes no service: the reports' output figures by hand.
    output_summary.refresh(record.report_id for record in [*plan.entrepreneurs, *plan.facilitations, *plan.poverty])
    return {
        "WUB": len(plan.entrepreneurs),
        "fasilitasi": len(plan.facilitations),
        "kegiatan kemiskinan ekstrem": len(plan.poverty),
        "sentra OVOP dibina": len(plan.coachings),
        "target output": len(plan.targets),
    }


def published_outputs(year: int) -> dict[str, dict[str, Any]]:
    """The year's output totals (approved basis) of all satkers and of the DK satkers."""
    return {"": output_kpis(year=year), Authority.DK.value: output_kpis(year=year, authority=Authority.DK)}


def figure_problems(outputs: dict[str, dict[str, Any]]) -> list[str]:
    """Differences between the loaded 2022 outputs and the published ones."""
    problems = []
    for authority, published in (("", PUBLISHED_2022), (Authority.DK.value, PUBLISHED_2022_DK)):
        for key, wanted in published.items():
            if outputs[authority][key] != wanted:
                problems.append(
                    f"{key} ({authority or 'seluruh Ditjen'}): {outputs[authority][key]}, seharusnya {wanted}"
                )
    return problems


@transaction.atomic
def programme_demo_load(*, years: Sequence[int] | None = None, today: date | None = None) -> list[ProgrammeResult]:
    """The programme demo of ``years`` (default: 2022, 2023 and the running year after 2023),
    after the budgets demo (its APPROVED monthly reports carry the records). The registry and
    the sentra first (what is missing of them) and the OVOP award cycles, then each year unless its programme data
    exists. All or nothing; the 2022 figures are checked before the transaction commits."""
    today = today or timezone.localdate()
    wanted = sorted(set(demo_years(today) if years is None else years))
    users, admin = _users()
    provinces = _provinces(coached_since=min(DEMO_YEARS))
    if not provinces:
        raise DemoDataError("Data induk belum dimuat: jalankan load_master_data lebih dulu.")
    last = max([*wanted, *DEMO_YEARS])
    centres = centre_plans(provinces, last)
    # The centres of the published years now (the registry links to them); a later year's new
    # centres only when that year is loaded.
    created_centres = _ensure_centres(provinces, [c for c in centres if c.start_year in DEMO_YEARS], users, admin)
    registry_centres = [c for c in centres if c.start_year == 2022]
    created_enterprises = _ensure_registry(_provinces(), registry_centres, users, admin)
    created_candidates = _ensure_awards(provinces, users, admin)
    registry = ProgrammeResult(None, False, {"IKM terdaftar": created_enterprises, "sentra OVOP": created_centres,
                                             "calon bintang OVOP": created_candidates})  # fmt: skip
    results = [registry]
    for year in wanted:
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        inputs = _year_inputs(fiscal_year, users, admin, today) if fiscal_year else None
        if inputs is None:
            results.append(ProgrammeResult(year, True, note="tahun anggaran atau satkernya belum ada"))
            continue
        if _has_programme_data(fiscal_year):
            results.append(ProgrammeResult(year, True, note="data program tahun ini sudah ada"))
            continue
        if not inputs.approved:
            results.append(ProgrammeResult(year, False, note="belum ada laporan bulanan yang disetujui"))
            continue
        year_centres = [c for c in centres if c.start_year in (*DEMO_YEARS, year) and c.start_year <= year]
        new_centres = _ensure_centres(provinces, [c for c in year_centres if c.start_year == year], users, admin)
        registry.counts["sentra OVOP"] += new_centres
        if new_centres:
            inputs.centres = _centre_ids()
        counts = _write(year_plan(inputs, year_centres))
        outputs = published_outputs(year) if year == 2022 else {}
        problems = figure_problems(outputs) if outputs else []
        if problems:
            raise DemoDataError(f"Capaian output demo TA {year} meleset: " + "; ".join(problems))
        results.append(ProgrammeResult(year, False, counts, outputs=outputs))
    return results
