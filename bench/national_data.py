"""National-scale data for `make bench`, loaded fast and idempotently into the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_bench .venv/bin/python -m bench.national_data

What it makes (sizes are options, see --help):

- master data through ``manage.py load_master_data``, plus the fiscal years before the first
  listed one so that ten years (the current one and the nine before) exist, with authorities;
- per fiscal year and satker: ~24 budget lines (component x account, realistic rupiah), the RPD
  per spending type and month summing to the pagu, one monthly report per started month
  (approved once its due date has passed, draft otherwise) and realization per report and line,
  cumulative under the line's effective pagu, 90-98 % of it by December;
- 4.400.000 registry enterprises over the 514 regencies in proportion to each province's weight
  (Java first), the 900.000 "background" rows of bench/import_export.py included; their
  ``data_year`` lies before the current year, so the current year's registry is exactly the
  background plus the import benchmark's 100.000 rows: the 1.000.000-row export;
- 500.000 facilitations, 200.000 new entrepreneurs (WUB) and some poverty activities, each in
  its satker's monthly report of that month; 3.000 sentra with their yearly OVOP coaching;
  output targets for every satker, year and indicator;
- per year: every budget line under its component's RO, an RO volume target per satker and RO,
  an RO row (volume, physical progress) in every approved report and a few adjustments.

Speed: rows go in with COPY (psycopg ``cursor.copy``), no ORM per row and no history rows (bench
data, not user edits); foreign keys are checked by construction and their triggers are off
during the load (``session_replication_role = replica``, superuser only), which spares a queue
of millions of deferred checks. Idempotent: each part detects what exists and adds only what is
missing (a budget year is written whole in one transaction or not at all), so a second run
takes seconds. Ends with VACUUM ANALYZE of what changed (fresh statistics and visibility maps,
as a long-running production database has them).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

import django

ENTERPRISES = 4_400_000
FACILITATIONS = 500_000
NEW_ENTREPRENEURS = 200_000
POVERTY_ACTIVITIES = 20_000
OVOP_CENTRES = 3_000
YEARS = 10
COMPONENTS_PER_SATKER, ACCOUNTS_PER_COMPONENT = 6, 4  # 24 budget lines per satker and year
SEED = "ikma-national-bench"
# Rows to add from which dropping the registry's secondary indexes and building them again after
# the COPY is faster than keeping them current row by row.
REBUILD_INDEXES_FROM = 200_000
NIB_PREFIX = "97"  # registry rows made here (bench/import_export.py uses 98 and 99)
WUB_NIB_PREFIX = "96"
# Relative number of IKM per province (BPS code), roughly as BPS counts them: Java first.
PROVINCE_WEIGHT = {"33": 9.0, "35": 8.0, "32": 6.0, "34": 1.5, "36": 1.5, "31": 1.0, "73": 2.0, "51": 1.8,
                   "52": 1.8, "53": 1.6, "12": 1.6, "13": 1.6, "16": 1.3, "18": 1.3, "11": 1.2, "63": 1.0}  # fmt: skip
OTHER_PROVINCE_WEIGHT = 0.5
MONTH_WEIGHTS = (0.3, 0.6, 0.9, 1.0, 1.0, 1.1, 1.2, 1.2, 1.3, 1.3, 1.3, 1.0)
# Facilitation kinds and how often each is given.
FACILITATION_WEIGHTS = {"PRODUK": 20, "PAMERAN": 20, "HALAL": 15, "HKI": 10, "SNI": 5, "ISO": 2, "HACCP": 3,
                        "RESTRUKTURISASI": 10, "KEMITRAAN": 10, "I40": 5}  # fmt: skip


@contextmanager
def step(label: str, timings: dict[str, float]) -> Iterator[None]:
    """Time one part of the load, print it and keep it in ``timings``."""
    started = time.perf_counter()
    print(f"{label} ...", flush=True)
    yield
    timings[label] = round(time.perf_counter() - started, 1)
    print(f"{label}: {timings[label]:.1f} s", flush=True)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` into ``table`` on Django's connection (inside the caller's transaction).
    ``rows`` is consumed while COPY holds the connection: making them must not query."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ids_by_key(table: str, key: Sequence[str], fiscal_year_id: int | None = None) -> dict[tuple, int]:
    """The ids of ``table``'s rows (of one fiscal year) by their natural ``key``: COPY returns none."""
    where = "WHERE fiscal_year_id = %s" if fiscal_year_id is not None else ""
    rows = fetch(f"SELECT id, {', '.join(key)} FROM {table} {where}", [fiscal_year_id] if where else [])  # noqa: S608
    return {tuple(values): pk for pk, *values in rows}


def execute(sql: str, params: Sequence[Any] | None = None) -> None:
    """One statement; without ``params`` its text goes as it is (a literal % included)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def foreign_key_triggers_off() -> None:
    """Skip the per-row foreign key triggers for the rest of the transaction (superuser only; the
    rows reference existing ids by construction)."""
    if fetch("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]:
        execute("SET LOCAL session_replication_role = replica")


# --- Master data and years ------------------------------------------------------------------------


def prepare_master_data(years: int) -> list[int]:
    """Migrations, master data, and the fiscal years (with satker authorities) of the last
    ``years`` years; load_master_data only makes the years from its first listed one."""
    from django.core.management import call_command
    from django.utils import timezone

    from budgets.models import FiscalYear, Satker, SatkerAuthority
    from budgets.services.master_data import default_authority

    call_command("migrate", verbosity=0)
    call_command("load_master_data", stdout=io.StringIO())
    current = timezone.localdate().year
    wanted = list(range(current - years + 1, current + 1))
    first = FiscalYear.objects.order_by("year").first()
    template = {
        f.name: getattr(first, f.name) for f in FiscalYear._meta.concrete_fields if f.name not in ("id", "year")
    }
    existing = set(FiscalYear.objects.values_list("year", flat=True))
    FiscalYear.objects.bulk_create([FiscalYear(year=year, **template) for year in wanted if year not in existing])
    have = set(SatkerAuthority.objects.values_list("satker_id", "fiscal_year__year"))
    SatkerAuthority.objects.bulk_create([
        SatkerAuthority(satker=satker, fiscal_year=fiscal_year,
                        authority=default_authority(is_central=satker.is_central, year=fiscal_year.year))
        for fiscal_year in FiscalYear.objects.filter(year__in=wanted)
        for satker in Satker.objects.all()
        if (satker.pk, fiscal_year.year) not in have
    ])  # fmt: skip
    return wanted


@dataclass(frozen=True)
class SatkerInfo:
    id: int
    code: str
    province_id: int
    bps_code: str
    is_central: bool


def satkers_of(year: int) -> list[SatkerInfo]:
    from budgets.models import Satker

    return [
        SatkerInfo(s.pk, s.code, s.province_id, s.province.bps_code, s.is_central)
        for s in Satker.objects.filter(authorities__fiscal_year__year=year).select_related("province").order_by("code")
    ]


def province_weight(bps_code: str) -> float:
    return PROVINCE_WEIGHT.get(bps_code, OTHER_PROVINCE_WEIGHT)


# --- Budget: pagu, RPD, monthly reports, realization ---------------------------------------------


@dataclass
class Line:
    satker: SatkerInfo
    component_id: int
    account_id: int
    spending_type_id: int
    pagu: int
    blokir: int
    id: int | None = None


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` in whole thousands over ``weights``; the parts add up to ``total`` exactly."""
    scale = sum(weights)
    parts = [int(total * w / scale) // 1000 * 1000 for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def budget_lines(rng: random.Random, satkers: Sequence[SatkerInfo]) -> list[Line]:
    """~24 lines per satker: provincial services Rp0,9-1,8 miliar a year, central units Rp9-18 miliar;
    one line in ten partly blocked."""
    from budgets.models import Account, BudgetComponent

    components = list(BudgetComponent.objects.order_by("code").values_list("pk", flat=True))
    accounts = list(Account.objects.order_by("code").values_list("pk", "spending_type_id"))
    lines = []
    for satker in satkers:
        total = rng.randint(90, 180) * (100_000_000 if satker.is_central else 10_000_000)
        pairs = [(c, a) for c in rng.sample(components, COMPONENTS_PER_SATKER)
                 for a in rng.sample(accounts, ACCOUNTS_PER_COMPONENT)]  # fmt: skip
        for (component, (account, spending_type)), pagu in zip(
            pairs, split(total, [rng.uniform(0.3, 1.7) for _ in pairs]), strict=True
        ):
            blokir = pagu * rng.randint(5, 20) // 100 // 1000 * 1000 if rng.random() < 0.1 else 0
            lines.append(Line(satker, component, account, spending_type, pagu, blokir))
    return lines


def month_shares(rng: random.Random) -> list[float]:
    weights = [w * rng.uniform(0.75, 1.25) for w in MONTH_WEIGHTS]
    scale = sum(weights)
    return [w / scale for w in weights]


def report_months(year: int, today: date) -> list[int]:
    """The months of ``year`` that have started by ``today``."""
    return list(range(1, 13 if year < today.year else today.month + 1))


def load_budget_year(fiscal_year: Any, today: date, holidays: list[date]) -> int:
    """Pagu, RPD, monthly reports and realization of one year; rows written."""
    from django.utils import timezone

    from budgets.calendar import report_due_date
    from budgets.models import BudgetLine, MonthlyReport, Realization, RpdPlan

    year = fiscal_year.year
    rng = random.Random(f"{SEED}-budget-{year}")  # noqa: S311 (bench data, not secrets)
    satkers = satkers_of(year)
    lines = budget_lines(rng, satkers)
    now = timezone.now()
    written = copy_rows(
        BudgetLine._meta.db_table,
        ("satker_id", "fiscal_year_id", "component_id", "account_id", "pagu", "blokir"),
        (
            (line.satker.id, fiscal_year.pk, line.component_id, line.account_id, line.pagu, line.blokir)
            for line in lines
        ),
    )
    ids = ids_by_key(BudgetLine._meta.db_table, ("satker_id", "component_id", "account_id"), fiscal_year.pk)
    for line in lines:
        line.id = ids[(line.satker.id, line.component_id, line.account_id)]

    # RPD: each spending type's pagu over the months.
    by_type: dict[tuple[int, int], int] = defaultdict(int)
    for line in lines:
        by_type[(line.satker.id, line.spending_type_id)] += line.pagu
    written += copy_rows(
        RpdPlan._meta.db_table,
        ("satker_id", "fiscal_year_id", "month", "spending_type_id", "amount"),
        ((satker, fiscal_year.pk, month, spending_type, amount)
         for (satker, spending_type), total in by_type.items()
         for month, amount in enumerate(split(total, month_shares(rng)), start=1)),
    )  # fmt: skip

    # Monthly reports: approved once due (one in ten late), the running month a draft.
    months = report_months(year, today)
    due = {month: report_due_date(year, month, holidays) for month in months}
    reports = []
    for satker in satkers:
        for month in months:
            if due[month] < today:
                late = rng.random() < 0.1
                day = due[month] + timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 4))
                submitted = timezone.make_aware(datetime.combine(day, dt_time(rng.randint(8, 16))))
                reports.append((satker.id, fiscal_year.pk, month, "APPROVED", due[month], submitted, not late,
                                submitted + timedelta(days=rng.randint(1, 5)), 3, now, 0))  # fmt: skip
            else:
                reports.append((satker.id, fiscal_year.pk, month, "DRAFT", due[month], None, None, None, 1, now, 0))
    written += copy_rows(
        MonthlyReport._meta.db_table,
        ("satker_id", "fiscal_year_id", "month", "status", "due_date", "submitted_at", "submitted_on_time",
         "approved_at", "version", "updated_at", "realized_total"),  # the total: rebuild_realization_summary
        reports,
    )  # fmt: skip
    report_ids = ids_by_key(MonthlyReport._meta.db_table, ("satker_id", "month"), fiscal_year.pk)

    # Realization: 90-98 % of each satker's effective pagu by December, spread over the months.
    absorbed = {satker.id: rng.uniform(0.90, 0.98) for satker in satkers}

    def realizations() -> Iterator[tuple[int, int, int]]:
        for line in lines:
            share = min(absorbed[line.satker.id] * rng.uniform(0.97, 1.02), 0.995)
            amounts = split(int((line.pagu - line.blokir) * share), month_shares(rng))
            for month in months:
                yield report_ids[(line.satker.id, month)], line.id, amounts[month - 1]

    written += copy_rows(Realization._meta.db_table, ("report_id", "line_id", "amount"), realizations())
    return written


def load_budget(years: Sequence[int], today: date) -> int:
    """Every year without budget lines, each in its own transaction."""
    from django.db import transaction

    from budgets.models import BudgetLine, FiscalYear, Holiday

    holidays = list(Holiday.objects.values_list("date", flat=True))
    loaded = set(BudgetLine.objects.filter(fiscal_year__year__in=years).values_list("fiscal_year__year", flat=True))
    written = 0
    for fiscal_year in FiscalYear.objects.filter(year__in=years).exclude(year__in=loaded).order_by("year"):
        with transaction.atomic():
            foreign_key_triggers_off()
            written += load_budget_year(fiscal_year, today, holidays)
    return written


# --- The registry ---------------------------------------------------------------------------------


def regency_targets(total: int) -> dict[int, tuple[int, int]]:
    """regency id -> (rows it should have, its province id): each province's share of ``total``
    by its weight, over its regencies (cities weigh half a regency, with some spread)."""
    from budgets.models import Regency

    rng = random.Random(f"{SEED}-regencies")  # noqa: S311
    regencies = list(
        Regency.objects.order_by("kemendagri_code").values_list("pk", "province_id", "province__bps_code", "kind")
    )
    weights = {pk: province_weight(bps) for pk, _p, bps, _k in regencies}
    per_province: dict[int, float] = defaultdict(float)
    inner = {pk: (0.5 if kind == "kota" else 1.0) * rng.uniform(0.6, 1.4) for pk, _p, _b, kind in regencies}
    for pk, province, _b, _k in regencies:
        per_province[province] += inner[pk]
    scale = sum(weights[pk] * inner[pk] / per_province[province] for pk, province, _b, _k in regencies)
    return {
        pk: (round(total * weights[pk] * inner[pk] / per_province[province] / scale), province)
        for pk, province, _b, _k in regencies
    }


def registry_plan(target: int) -> dict[int, tuple[int, int]]:
    """regency id -> (rows to add, province id): the regencies' shortfalls, scaled so that the
    registry reaches ``target`` rows (the import benchmark's own rows left out)."""
    from bench.import_export import IMPORT_NAME

    present = dict(fetch(
        "SELECT regency_id, count(*) FROM programs_enterprise WHERE name_normalized NOT LIKE %s GROUP BY 1",
        [IMPORT_NAME.lower() + " %"],
    ))  # fmt: skip
    missing = target - sum(present.values())
    if missing <= 0:
        return {}
    targets = regency_targets(target)
    shortfall = {pk: max(0, wanted - present.get(pk, 0)) for pk, (wanted, _p) in targets.items()}
    scale = missing / max(1, sum(shortfall.values()))
    plan = {pk: (round(short * scale), targets[pk][1]) for pk, short in shortfall.items() if short}
    largest = max(plan, key=lambda pk: plan[pk][0])  # takes the rounding difference
    plan[largest] = (plan[largest][0] + missing - sum(n for n, _p in plan.values()), plan[largest][1])
    return plan


def enterprise_rows(
    plan: dict[int, tuple[int, int]], first_nib: int, years: Sequence[int], satker_of: dict[int, int]
) -> Iterator[tuple]:
    """Registry rows for ``plan``: names from the demo vocabulary (a product, a village-like brand
    and the owner's first name, sometimes with a legal form the normalised name drops), mostly
    small enterprises, 85 % with an NIB. Rows are made while COPY runs, so no query in here
    (the connection is busy): ``satker_of`` maps province id -> its provincial satker."""
    from django.utils import timezone

    from demo.programs import FIRST_NAMES, LAST_NAMES, REGISTRY_KBLI, STREETS, VILLAGE_PARTS, size_mix
    from programs.registry.rules import normalize_name, size_class_for

    rng = random.Random(f"{SEED}-registry-{first_nib}")  # noqa: S311
    products = [(kbli, product) for kbli, names in REGISTRY_KBLI.items() for product in names]
    brands = [a + b for a in VILLAGE_PARTS[0] for b in VILLAGE_PARTS[1]]
    legal_forms = ("", "", "", "", "UD ", "CV ", "PT ", "CV. ")
    data_years = [year for year in years if year < timezone.localdate().year]
    year_weights = [1 + i for i in range(len(data_years))]  # more recent surveys, more rows
    now, nib = timezone.now(), first_nib
    checked = 0
    for regency, (count, province) in plan.items():
        satker = satker_of.get(province)
        for year in rng.choices(data_years, year_weights, k=count):
            kbli, product = rng.choice(products)
            first, last, brand = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(brands)
            core = f"{product} {brand} {first}"
            name = rng.choice(legal_forms) + core
            normalized = core.lower()
            if checked < 1000:  # the shortcut above must agree with the product's rule
                assert normalize_name(name) == normalized, (name, normalized)
                checked += 1
            male, female, investment = size_mix(rng)
            has_nib = rng.random() < 0.85
            yield (
                f"{NIB_PREFIX}{nib:011d}" if has_nib else None, name, normalized, f"{first} {last}", regency, province,
                f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}", kbli, male, female, investment,
                investment * rng.randint(2, 40) // 10, year, satker, size_class_for(male + female, investment), 1, now,
            )  # fmt: skip
            nib += has_nib


@contextmanager
def secondary_indexes_rebuilt(table: str, rebuild: bool) -> Iterator[None]:
    """With ``rebuild``: drop ``table``'s indexes that back no constraint, run the body, create
    them again: one sort per index instead of millions of insertions into each (the trigram GIN
    index above all). Inside the caller's transaction, so a failure restores them."""
    if not rebuild:
        yield
        return
    definitions = fetch(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    for name, _definition in definitions:
        execute(f"DROP INDEX {name}")
    yield
    execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition in definitions:
        execute(definition)


def top_up_registry(target: int, years: Sequence[int], background: int) -> int:
    """The background rows of bench/import_export.py, then the rest of the registry up to
    ``target``, in one transaction; when much is missing, with the indexes rebuilt after."""
    from django.db import transaction

    from bench.import_export import IMPORT_NAME, ensure_background
    from budgets.models import Satker

    def registry_size() -> int:
        return fetch("SELECT count(*) FROM programs_enterprise WHERE name_normalized NOT LIKE %s",
                     [IMPORT_NAME.lower() + " %"])[0][0]  # fmt: skip

    present = registry_size()
    if present >= target:
        return 0
    columns = ("nib", "name", "name_normalized", "owner", "regency_id", "province_id", "address", "kbli",
               "workers_male", "workers_female", "investment", "production_value", "data_year", "satker_id",
               "size_class", "version", "updated_at")  # fmt: skip
    satker_of = dict(Satker.objects.filter(is_central=False).order_by("-code").values_list("province_id", "pk"))
    with transaction.atomic():
        foreign_key_triggers_off()
        with secondary_indexes_rebuilt("programs_enterprise", rebuild=target - present >= REBUILD_INDEXES_FROM):
            ensure_background(background)
            plan = registry_plan(target)
            last = fetch("SELECT max(nib) FROM programs_enterprise WHERE nib LIKE %s", [NIB_PREFIX + "%"])[0][0]
            first_nib = int(last[len(NIB_PREFIX) :]) + 1 if last else 0
            if plan:
                copy_rows("programs_enterprise", columns, enterprise_rows(plan, first_nib, years, satker_of))
        return registry_size() - present


# --- Programmes: sentra and their OVOP coaching, monthly records, targets ------------------------


def ensure_ovop(count: int, years: Sequence[int]) -> int:
    """``count`` sentra of the provincial satkers (5-60 units each), coached every year from their
    first one (94 % of the years), the reported stars creeping up; only missing sentra and
    coaching records are added."""
    from django.db import transaction

    from budgets.models import Regency, Satker
    from demo.programs import COMMODITIES, VILLAGE_PARTS
    from programs.models import OvopCoaching, Sentra

    rng = random.Random(f"{SEED}-ovop")  # noqa: S311
    satkers = list(Satker.objects.filter(is_central=False).select_related("province").order_by("code"))
    regencies = defaultdict(list)
    for pk, province in Regency.objects.order_by("kemendagri_code").values_list("pk", "province_id"):
        regencies[province].append(pk)
    groups = list(COMMODITIES)
    plans, names = [], set()
    weights = [province_weight(s.province.bps_code) for s in satkers]
    while len(plans) < count:
        satker = rng.choices(satkers, weights)[0]
        group = rng.choices(groups, [COMMODITIES[g][0] for g in groups])[0]
        village = rng.choice(VILLAGE_PARTS[0]) + rng.choice(VILLAGE_PARTS[1])
        key = (
            satker.pk,
            f"Sentra {rng.choice(COMMODITIES[group][1])} {village}",
            rng.choice(regencies[satker.province_id]),
        )
        if key not in names:
            names.add(key)
            plans.append((*key, village, str(group), rng.randint(5, 60), rng.choice(years), rng.randint(1, 3)))
    existing = set(Sentra.objects.values_list("satker_id", "name", "regency_id"))
    written = 0
    with transaction.atomic():
        foreign_key_triggers_off()
        written += copy_rows(Sentra._meta.db_table,
                             ("satker_id", "name", "regency_id", "village", "commodity_group", "unit_count",
                              "commodity", "decree_number"),
                             ((*plan[:6], "", "") for plan in plans if plan[:3] not in existing))  # fmt: skip
        ids = ids_by_key(Sentra._meta.db_table, ("satker_id", "name", "regency_id"))
        rated = set(OvopCoaching.objects.values_list("sentra_id", "year"))
        coachings = []
        for plan in plans:
            stars = plan[7]
            for year in (y for y in years if y >= plan[6]):
                stars = min(5, stars + (rng.random() < 0.15))
                if rng.random() < 0.94 and (ids[plan[:3]], year) not in rated:
                    coachings.append((ids[plan[:3]], year, stars))
        written += copy_rows(OvopCoaching._meta.db_table, ("sentra_id", "year", "stars"), coachings)
    return written


@dataclass(frozen=True)
class ReportSlot:
    id: int
    satker_id: int
    fiscal_year_id: int
    year: int
    month: int
    province_id: int
    is_central: bool


def report_slots(years: Sequence[int]) -> list[ReportSlot]:
    return [
        ReportSlot(*row)
        for row in fetch(
            "SELECT r.id, r.satker_id, r.fiscal_year_id, y.year, r.month, s.province_id, s.is_central "
            "FROM budgets_monthlyreport r JOIN budgets_fiscalyear y ON y.id = r.fiscal_year_id "
            "JOIN budgets_satker s ON s.id = r.satker_id WHERE y.year = ANY(%s) ORDER BY r.id",
            [list(years)],
        )
    ]


def spread(rng: random.Random, slots: Sequence[ReportSlot], count: int, years: Sequence[int]) -> list[ReportSlot]:
    """``count`` reports drawn with the weight of their month, their satker's province and their
    year (later years do more); central units count as a big province."""
    from budgets.models import Province

    bps = dict(Province.objects.values_list("pk", "bps_code"))
    weights = [
        MONTH_WEIGHTS[s.month - 1] * (3.0 if s.is_central else province_weight(bps[s.province_id]))
        * (1 + 0.1 * (s.year - min(years)))
        for s in slots
    ]  # fmt: skip
    return rng.choices(slots, weights, k=count)


def day_of(rng: random.Random, slot: ReportSlot) -> date:
    return date(slot.year, slot.month, rng.randint(1, 28))


def enterprise_pool() -> dict[int, list[tuple[int, str | None, str]]]:
    """province id -> a random sample of (id, nib, name) of its registry enterprises, for the
    facilitations to point at (never the import benchmark's rows, which it deletes)."""
    from bench.import_export import IMPORT_NAME

    pool = defaultdict(list)
    for pk, nib, name, province in fetch(
        "SELECT id, nib, name, province_id FROM programs_enterprise TABLESAMPLE SYSTEM (1) "
        "WHERE name_normalized NOT LIKE %s",
        [IMPORT_NAME.lower() + " %"],
    ):
        pool[province].append((pk, nib, name))
    return pool


# The row makers below run while COPY holds the connection: everything they need is read before.


def facilitation_rows(rng: random.Random, slots: Sequence[ReportSlot], start: int, pool: dict) -> Iterator[tuple]:
    everyone = [e for enterprises in pool.values() for e in enterprises]
    kinds, weights = list(FACILITATION_WEIGHTS), list(FACILITATION_WEIGHTS.values())
    certified, valued = {"SNI", "ISO", "HACCP", "HALAL", "HKI"}, {"PAMERAN": (5, 200), "RESTRUKTURISASI": (50, 500)}
    for n, slot in enumerate(slots, start=start):
        kind = rng.choices(kinds, weights)[0]
        enterprise_id, nib, name = rng.choice(everyone if slot.is_central else pool[slot.province_id] or everyone)
        low_high = valued.get(kind)
        yield (
            slot.satker_id, slot.fiscal_year_id, slot.month, slot.id, kind, enterprise_id, nib, name,
            rng.randint(*low_high) * 1_000_000 if low_high else 0,
            f"{kind}/{slot.year}/{n:07d}" if kind in certified else "",
            day_of(rng, slot) if kind in certified else None, "",
        )  # fmt: skip


def wub_rows(rng: random.Random, slots: Sequence[ReportSlot], start: int, regencies: dict) -> Iterator[tuple]:
    from demo.programs import FIRST_NAMES, LAST_NAMES, WUB_BUSINESSES

    everywhere = [r for ids in regencies.values() for r in ids]
    for n, slot in enumerate(slots, start=start):
        legal = rng.random() < 0.6
        yield (
            slot.satker_id, slot.fiscal_year_id, slot.month, slot.id,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(everywhere if slot.is_central else regencies[slot.province_id]),
            rng.choice(WUB_BUSINESSES), f"{WUB_NIB_PREFIX}{n:011d}" if legal else None, None,
            day_of(rng, slot) if legal else None,
        )  # fmt: skip


def poverty_rows(rng: random.Random, slots: Sequence[ReportSlot], start: int, regencies: dict) -> Iterator[tuple]:
    kinds = ("PELATIHAN", "PERALATAN", "PENDAMPINGAN", "LAINNYA")
    everywhere = [r for ids in regencies.values() for r in ids]
    for slot in slots:
        kind = rng.choice(kinds)
        yield (
            slot.satker_id, slot.fiscal_year_id, slot.month, slot.id,
            rng.choice(everywhere if slot.is_central else regencies[slot.province_id]), kind, "",
            rng.randint(10, 120), rng.randint(20, 400) * 1_000_000,
        )  # fmt: skip


MONTHLY_COLUMNS = ("satker_id", "fiscal_year_id", "month", "report_id")


def top_up_monthly_records(years: Sequence[int], wanted: dict[str, int]) -> dict[str, int]:
    """Facilitations, WUB and poverty activities up to ``wanted`` (table -> rows), each in a
    monthly report of its satker; the missing rows only."""
    from django.db import transaction

    from budgets.models import Regency

    regencies = defaultdict(list)
    for pk, province in Regency.objects.values_list("pk", "province_id"):
        regencies[province].append(pk)
    makers = {
        "programs_facilitation": (("kind", "enterprise_id", "nib", "enterprise_name", "value", "certificate_number",
                                   "certificate_date", "note"), facilitation_rows, enterprise_pool),
        "programs_newentrepreneur": (("name", "regency_id", "business_type", "nib", "enterprise_id", "legalized_on"),
                                     wub_rows, lambda: regencies),
        "programs_povertyactivity": (("regency_id", "kind", "description", "beneficiaries", "value"),
                                     poverty_rows, lambda: regencies),
    }  # fmt: skip
    slots = report_slots(years)
    written = {}
    for table, target in wanted.items():
        present = fetch(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
        if present >= target:
            continue
        rng = random.Random(f"{SEED}-{table}-{present}")  # noqa: S311
        columns, make, context = makers[table]
        rows = make(rng, spread(rng, slots, target - present, years), present, context())
        with transaction.atomic():
            foreign_key_triggers_off()
            written[table] = copy_rows(table, MONTHLY_COLUMNS + columns, rows)
    return written


def achieved(years: Sequence[int]) -> dict[tuple[int, int, str], int]:
    """(satker id, fiscal year id, indicator) -> what that satker's records of the year add up to,
    whatever the report's status (targets are planned before)."""
    from programs.models import KIND_OF, MONEY_KEYS

    figures: dict[tuple[int, int, str], int] = defaultdict(int)
    year_filter = "fiscal_year_id IN (SELECT id FROM budgets_fiscalyear WHERE year = ANY(%s))"
    for satker, fiscal_year, total, legal in fetch(
        f"SELECT satker_id, fiscal_year_id, count(*), count(nib) FROM programs_newentrepreneur WHERE {year_filter} "  # noqa: S608
        "GROUP BY 1, 2",
        [list(years)],
    ):
        figures[(satker, fiscal_year, "wub")], figures[(satker, fiscal_year, "wub_legal")] = total, legal
    for satker, fiscal_year, total in fetch(
        f"SELECT satker_id, fiscal_year_id, sum(beneficiaries) FROM programs_povertyactivity WHERE {year_filter} "  # noqa: S608
        "GROUP BY 1, 2",
        [list(years)],
    ):
        figures[(satker, fiscal_year, "poverty_beneficiaries")] = total
    for satker, fiscal_year, total in fetch(
        "SELECT c.satker_id, y.id, count(*) FROM programs_ovopcoaching r "
        "JOIN programs_sentra c ON c.id = r.sentra_id JOIN budgets_fiscalyear y ON y.year = r.year "
        "WHERE r.year = ANY(%s) GROUP BY 1, 2",
        [list(years)],
    ):
        figures[(satker, fiscal_year, "ovop_centres")] = total
    per_kind = {}
    for satker, fiscal_year, kind, count, value in fetch(
        f"SELECT satker_id, fiscal_year_id, kind, count(*), sum(value) FROM programs_facilitation WHERE {year_filter} "  # noqa: S608
        "GROUP BY 1, 2, 3",
        [list(years)],
    ):
        per_kind[(satker, fiscal_year, kind)] = (count, value)
    for key, kind in KIND_OF.items():
        for (satker, fiscal_year, of_kind), (count, value) in per_kind.items():
            if of_kind == kind:
                figures[(satker, fiscal_year, key)] = value if key in MONEY_KEYS else count
    return figures


def ensure_output_targets(years: Sequence[int]) -> int:
    """A target for every satker, year and indicator that has none: 88-110 % of what its
    records achieve (at least 1), as targets and achievements relate in the directorate's data."""
    from programs.models import OutputIndicator, OutputTarget

    rng = random.Random(f"{SEED}-targets")  # noqa: S311
    existing = set(OutputTarget.objects.values_list("satker_id", "fiscal_year_id", "indicator"))
    figures = achieved(years)
    rows = []
    for year in years:
        fiscal_year_id = fetch("SELECT id FROM budgets_fiscalyear WHERE year = %s", [year])[0][0]
        for satker in satkers_of(year):
            for indicator in OutputIndicator.values:
                target = max(1, round(int(figures[(satker.id, fiscal_year_id, indicator)]) / rng.uniform(0.88, 1.10)))
                if (satker.id, fiscal_year_id, indicator) not in existing:
                    rows.append((satker.id, fiscal_year_id, indicator, target))
    return copy_rows(OutputTarget._meta.db_table, ("satker_id", "fiscal_year_id", "indicator", "target"), rows)


# --- Output (RO) achievement: lines under their RO, targets, the months' RO rows, adjustments -----


def ro_rows_of_year(rng: random.Random, fiscal_year_id: int, cumulative: dict[int, bool]) -> dict[str, list[tuple]]:
    """The RO rows of one year (its lines already under their RO): a target per satker and RO
    with lines, an RO row in every approved report (a non-cumulative RO adds a share of 85-105 %
    of its target each month; a cumulative one reports its documents so far), physical progress
    growing through the year, and one adjustment in fifty approved reports after January."""
    pairs = fetch("SELECT DISTINCT satker_id, output_id FROM budgets_budgetline "
                  "WHERE fiscal_year_id = %s AND output_id IS NOT NULL ORDER BY 1, 2", [fiscal_year_id])  # fmt: skip
    reports = fetch("SELECT id, satker_id, month FROM budgets_monthlyreport "
                    "WHERE fiscal_year_id = %s AND status = 'APPROVED' ORDER BY 2, 3", [fiscal_year_id])  # fmt: skip
    outputs_of: dict[int, list[int]] = defaultdict(list)
    targets: dict[tuple[int, int], int] = {}
    shares: dict[tuple[int, int], list[float]] = {}
    for satker_id, output_id in pairs:
        outputs_of[satker_id].append(output_id)
        targets[(satker_id, output_id)] = rng.randint(2, 40) * (1 if cumulative[output_id] else 25)
        reach = rng.uniform(0.85, 1.05)
        shares[(satker_id, output_id)] = [share * reach for share in month_shares(rng)]
    rows: dict[str, list[tuple]] = {"targets": [], "achievements": [], "adjustments": []}
    rows["targets"] = [(satker_id, fiscal_year_id, output_id, target)
                       for (satker_id, output_id), target in targets.items()]  # fmt: skip
    for report_id, satker_id, month in reports:
        for output_id in outputs_of[satker_id]:
            target, part = targets[(satker_id, output_id)], shares[(satker_id, output_id)]
            so_far = sum(part[:month])
            volume = round(target * so_far) if cumulative[output_id] else round(target * part[month - 1])
            progress = min(100.0, round(so_far * 100 * rng.uniform(0.8, 1.15), 2))
            rows["achievements"].append((report_id, fiscal_year_id, output_id, volume, progress, ""))
            if month > 1 and rng.random() < 0.02:
                rows["adjustments"].append((report_id, output_id, rng.randint(1, month - 1), rng.choice((-2, -1, 1, 3)),
                                            "koreksi data bench"))  # fmt: skip
    return rows


def ensure_ro_figures(years: Sequence[int]) -> int:
    """The RO side of every budget year that has none yet, each year in one transaction: the
    lines (COPYed without it) under their component's RO by one UPDATE, then the year's targets,
    RO rows and adjustments by COPY."""
    from django.db import transaction

    from budgets.models import FiscalYear, Output, OutputAchievement, OutputAdjustment, OutputVolumeTarget

    cumulative = dict(Output.objects.values_list("pk", "cumulative"))
    done = set(OutputVolumeTarget.objects.filter(fiscal_year__year__in=years).values_list("fiscal_year__year",
                                                                                          flat=True))  # fmt: skip
    written = 0
    for fiscal_year in FiscalYear.objects.filter(year__in=years).exclude(year__in=done).order_by("year"):
        rng = random.Random(f"{SEED}-ro-{fiscal_year.year}")  # noqa: S311 (bench data, not secrets)
        with transaction.atomic():
            foreign_key_triggers_off()
            execute("UPDATE budgets_budgetline AS line SET output_id = component.output_id "
                    "FROM budgets_budgetcomponent AS component WHERE component.id = line.component_id "
                    "AND line.fiscal_year_id = %s AND line.output_id IS NULL", [fiscal_year.pk])  # fmt: skip
            rows = ro_rows_of_year(rng, fiscal_year.pk, cumulative)
            for model, columns, key in (
                (OutputVolumeTarget, ("satker_id", "fiscal_year_id", "output_id", "volume"), "targets"),
                (
                    OutputAchievement,
                    ("report_id", "fiscal_year_id", "output_id", "volume", "physical_progress", "note"),
                    "achievements",
                ),
                (OutputAdjustment, ("report_id", "output_id", "corrected_month", "volume", "reason"), "adjustments"),
            ):
                written += copy_rows(model._meta.db_table, columns, rows[key])
    return written


# --- After the load -------------------------------------------------------------------------------

# Management commands that rebuild summary tables from the base tables (rebuild_registry_summary...),
# run after a load: COPY and raw SQL bypass the services that keep summaries current.
SUMMARY_COMMAND = re.compile(r"^(rebuild|refresh)_\w*summar")


def refresh_summaries() -> list[str]:
    """Run every summary rebuild command the product has; their names."""
    from django.core.management import call_command, get_commands

    names = sorted(name for name in get_commands() if SUMMARY_COMMAND.match(name))
    for name in names:
        call_command(name, stdout=io.StringIO())
    return names


def load(options: argparse.Namespace) -> dict[str, float]:
    """The whole load; the seconds of each part."""
    from django.utils import timezone

    from bench.db import ensure_database, vacuum_analyze
    from bench.import_export import EXPORT_ROWS, IMPORT_ROWS, prepare_database

    timings: dict[str, float] = {}
    started = time.perf_counter()
    today = timezone.localdate()
    ensure_database()
    with step("master data and fiscal years", timings):
        prepare_database()  # migrations, master data, the import benchmark's admin
        years = prepare_master_data(options.years)
    changed = 0
    with step("budget: pagu, RPD, reports, realization", timings):
        changed += load_budget(years, today)
    with step(f"registry up to {options.enterprises:,} enterprises", timings):
        # The import benchmark's background rows, in proportion when a smaller registry is asked for.
        background = (EXPORT_ROWS - IMPORT_ROWS) * options.enterprises // ENTERPRISES
        changed += top_up_registry(options.enterprises, years, background)
    with step("Sentra and their OVOP coaching", timings):
        changed += ensure_ovop(options.centres, years)
    with step("facilitations, WUB, poverty activities", timings):
        changed += sum(top_up_monthly_records(years, {
            "programs_facilitation": options.facilitations,
            "programs_newentrepreneur": options.wub,
            "programs_povertyactivity": options.poverty,
        }).values())  # fmt: skip
    with step("output targets", timings):
        changed += ensure_output_targets(years)
    with step("RO targets, monthly RO rows and adjustments", timings):
        changed += ensure_ro_figures(years)
    if changed or options.vacuum:
        with step("summary tables", timings):
            print(f"  rebuilt by: {', '.join(refresh_summaries()) or 'no summary command in the product'}")
        with step("VACUUM ANALYZE", timings):  # after the summaries: they rewrite rows too
            vacuum_analyze()
    timings["total"] = round(time.perf_counter() - started, 1)
    print(f"national data ready: {changed:,} rows written in {timings['total']:.1f} s", flush=True)
    return timings


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=ENTERPRISES, help="registry rows (import rows excluded)")
    parser.add_argument("--facilitations", type=int, default=FACILITATIONS)
    parser.add_argument("--wub", type=int, default=NEW_ENTREPRENEURS)
    parser.add_argument("--poverty", type=int, default=POVERTY_ACTIVITIES)
    parser.add_argument("--centres", type=int, default=OVOP_CENTRES)
    parser.add_argument("--years", type=int, default=YEARS, help="fiscal years: the current one and those before")
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE even when nothing was added")
    return parser.parse_args(argv)


def main() -> int:
    options = arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmsite.settings")
    django.setup()
    load(options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
