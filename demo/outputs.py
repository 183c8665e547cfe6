"""Demo output achievement (capaian RO): what the demo's money and programme records produced,
per RO of each satker's DIPA.

Written after the budgets demo (the DIPA lines, their RO and realization, the monthly reports)
and the programme demo (the records each approved report carries), because it needs both. Per
satker and year every RO with pagu gets a volume target, and every monthly report (a DRAFT one
once it has realization) a row per such RO, an explicit zero where nothing happened:

- an RO measured by programme records (``Output.measured_by``, e.g. ``wub``) that the satker's
  records count in the year takes the month's count (``programs.ReportOutput``) as its volume, so
  the WUB RO (6503.RBS.001) of the 2022 DK satkers adds up to the published 4.579; its target is
  the satker's programme target of that indicator. An RO nothing counts (data collection, office
  services; OVOP coaching, counted per year) or whose records the satker has none of gets a
  volume near its target, spread over the months as its lines' money is spent;
- physical progress follows the cumulative spending of the RO's lines with a little noise, except
  in a few provinces (3-4, drawn from the seed) where the work lags: more than 20 points behind
  the money in the second half of the year, which the RO report flags;
- 2023 has one correction of an approved month, recorded with a later month's report.

Seeded like the rest of the demo (two loads are identical); a year that has RO targets or rows
is skipped. Bulk writes with history rows, inside the caller's transaction.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    Authority,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputVolumeTarget,
    Realization,
    SatkerAuthority,
)
from budgets.output_rules import CENT, gap_flag, percent, weighted_progress
from demo.budgets import BENGKULU, DEMO_REASON, JAKARTA, DemoDataError, allocate, demo_years
from programs.models import OutputTarget, ReportOutput

SEED = "ikma-ro-demo"
Status = MonthlyReport.Status

WUB_RO = "6503.RBS.001"
PUBLISHED_WUB_DK_2022 = 4_579
# Rupiah of the RO's pagu per unit of volume, for the ROs whose volume no record counts.
UNIT_COST = {
    "6503.QDC.001": 30_000_000,  # a sentra coached
    "6503.QDC.002": 2_500_000,  # a person trained and equipped
    "6503.QDC.003": 9_000_000,  # an IKM's product developed
    "6503.QDC.004": 12_000_000,  # a certification
    "6503.QDC.005": 20_000_000,  # an IKM at an exhibition
    "6503.QDC.006": 25_000_000,  # a partnership
    "6503.RBS.001": 3_500_000,  # a new entrepreneur
    "6503.QMA.001": 900_000,  # an IKM's record updated
    "6503.RAB.001": 110_000_000,  # an IKM's machines restructured
    "6503.RAB.002": 90_000_000,  # an IKM on Industry 4.0
}
DEFAULT_UNIT_COST = 10_000_000
SERVICE_MONTHS = 12  # a cumulative RO (office services) counts the months of service delivered
NOISE = (-6.0, 8.0)  # physical minus financial progress, points, where the work keeps pace
LAGGING = (3, 4)  # provinces whose work lags their money
LAG_SHARE = (0.55, 0.7)  # their physical progress as a share of the financial one
LAG_POINTS = 22  # at least this far behind from July
ADJUSTED_RO = "6503.QMA.001"
ADJUSTMENT = (5, 7, 3)  # May's volume corrected by +3 with the July report


@dataclass
class SatkerYear:
    """What the plan reads of one satker's year."""

    satker_id: int
    code: str
    bps_code: str
    is_central: bool
    pagu: dict[int, int] = field(default_factory=dict)  # RO -> pagu
    effective: dict[int, int] = field(default_factory=dict)  # RO -> pagu - blokir
    spent: dict[int, dict[int, int]] = field(default_factory=dict)  # RO -> month -> realization
    reports: dict[int, Any] = field(default_factory=dict)  # month -> report (pk, status, submitted_at, updated_at)


@dataclass(frozen=True)
class RoResult:
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""  # why the year was skipped


@transaction.atomic
def ro_demo_load(*, years: list[int] | None = None, today: date) -> list[RoResult]:
    """Targets, monthly RO rows and corrections for the demo years whose DIPAs exist and that
    have none yet. Raises DemoDataError when a finished year misses its figures (nothing is
    written then)."""
    outputs = {o.pk: o for o in Output.objects.select_related("output_class__activity")}
    users = {
        u.username: u for u in get_user_model().objects.filter(Q(username="admin") | Q(username__startswith="officer-"))
    }
    if "admin" not in users:
        raise DemoDataError("Akun demo admin tidak ditemukan.")
    results = []
    for year in sorted(set(demo_years(today) if years is None else years)):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            continue
        if _has_ro_data(fiscal_year):
            results.append(RoResult(year, note="target atau capaian RO tahun ini sudah ada"))
            continue
        satkers = _satker_years(fiscal_year)
        if not satkers:
            continue
        missing = _wub_without_ro(fiscal_year, satkers, outputs) if year == 2022 else []
        if missing:
            # Demo DIPAs loaded before every province had a WUB line cannot show the published WUB
            # RO; the rest of an existing database stays as it is.
            results.append(RoResult(year, note=f"DIPA {', '.join(missing)} tanpa RO {WUB_RO} padahal ada WUB "
                                               "(data demo lama: buat ulang basis data demo)"))  # fmt: skip
            continue
        lagging = _lagging(year, satkers)
        counts = _write(_plan(year, fiscal_year, satkers, outputs, lagging), users)
        if year < today.year:
            problems = figure_problems(year, lagging=lagging)
            if problems:
                raise DemoDataError(f"Capaian RO demo TA {year} meleset: " + "; ".join(problems))
        results.append(RoResult(year, counts))
    return results


def _wub_without_ro(fiscal_year: FiscalYear, satkers: dict[int, SatkerYear], outputs: dict[int, Output]) -> list[str]:
    """The DK satkers with WUB records whose DIPA has no WUB RO."""
    wub = next((pk for pk, o in outputs.items() if o.full_code == WUB_RO), None)
    dk = SatkerAuthority.objects.filter(fiscal_year=fiscal_year, authority=Authority.DK).values("satker_id")
    with_wub = ReportOutput.objects.filter(
        fiscal_year=fiscal_year, indicator="wub", amount__gt=0, report__satker_id__in=dk
    ).values_list("report__satker__code", "report__satker_id")
    return sorted(
        {code for code, satker_id in with_wub if satker_id not in satkers or wub not in satkers[satker_id].pagu}
    )


def _has_ro_data(fiscal_year: FiscalYear) -> bool:
    return (
        OutputVolumeTarget.objects.filter(fiscal_year=fiscal_year).exists()
        or OutputAchievement.objects.filter(report__fiscal_year=fiscal_year).exists()
    )


def _satker_years(fiscal_year: FiscalYear) -> dict[int, SatkerYear]:
    """Every satker with RO lines in the year, with its RO pagu, monthly spending and reports."""
    satkers: dict[int, SatkerYear] = {}
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year, output__isnull=False).values_list(
        "pk", "satker_id", "satker__code", "satker__province__bps_code", "satker__is_central", "output_id", "pagu",
        "blokir",
    )  # fmt: skip
    ro_of_line = {}
    for pk, satker_id, code, bps_code, is_central, output_id, pagu, blokir in lines:
        info = satkers.setdefault(satker_id, SatkerYear(satker_id, code, bps_code, is_central))
        info.pagu[output_id] = info.pagu.get(output_id, 0) + pagu
        info.effective[output_id] = info.effective.get(output_id, 0) + pagu - blokir
        ro_of_line[pk] = output_id
    spending = (
        Realization.objects.filter(line__in=list(ro_of_line), report__fiscal_year=fiscal_year)
        .values_list("line_id", "line__satker_id", "report__month")
        .annotate(total=Sum("amount"))
    )
    for line_id, satker_id, month, amount in spending:
        by_month = satkers[satker_id].spent.setdefault(ro_of_line[line_id], {})
        by_month[month] = by_month.get(month, 0) + amount
    with_money = set(Realization.objects.filter(report__fiscal_year=fiscal_year).values_list("report_id", flat=True))
    for report in MonthlyReport.objects.filter(fiscal_year=fiscal_year, satker_id__in=satkers).order_by("month"):
        # A draft is an officer's work in progress: it carries RO rows once its money is entered.
        if report.status != Status.DRAFT or report.pk in with_money:
            satkers[report.satker_id].reports[report.month] = report
    return {pk: info for pk, info in sorted(satkers.items(), key=lambda item: item[1].code) if info.reports}


def _lagging(year: int, satkers: dict[int, SatkerYear]) -> set[str]:
    """The provincial satkers whose work lags their money in ``year`` (3-4, from the seed)."""
    rng = random.Random(f"{SEED}-{year}-lagging")  # noqa: S311 - demo figures, not secrets
    provincial = sorted(info.code for info in satkers.values() if not info.is_central)
    return set(rng.sample(provincial, k=min(rng.randint(*LAGGING), len(provincial))))


@dataclass
class Plan:
    targets: list[OutputVolumeTarget] = field(default_factory=list)
    rows: list[OutputAchievement] = field(default_factory=list)
    adjustments: list[OutputAdjustment] = field(default_factory=list)
    satker_of: dict[int, SatkerYear] = field(default_factory=dict)  # report pk -> its satker


def _plan(
    year: int, fiscal_year: FiscalYear, satkers: dict[int, SatkerYear], outputs: dict[int, Output], lagging: set[str]
) -> Plan:
    rng = random.Random(f"{SEED}-{year}")  # noqa: S311 - demo figures, not secrets
    counted = defaultdict(dict)  # (satker, indicator) -> month -> the records' count
    for satker_id, month, indicator, amount in ReportOutput.objects.filter(
        fiscal_year=fiscal_year, report__satker_id__in=satkers
    ).values_list("report__satker_id", "report__month", "indicator", "amount"):
        if amount:
            counted[(satker_id, indicator)][month] = amount
    programme_targets = {
        (satker_id, indicator): target
        for satker_id, indicator, target in OutputTarget.objects.filter(fiscal_year=fiscal_year).values_list(
            "satker_id", "indicator", "target"
        )
    }
    plan = Plan()
    for info in satkers.values():
        lag_share = rng.uniform(*LAG_SHARE) if info.code in lagging else None
        for output_id in sorted(info.pagu, key=lambda pk: outputs[pk].full_code):
            output = outputs[output_id]
            counts = counted.get((info.satker_id, output.measured_by), {}) if output.measured_by else {}
            target, volumes = _volumes(
                rng, info, output, counts, programme_targets.get((info.satker_id, output.measured_by))
            )
            plan.targets.append(OutputVolumeTarget(satker_id=info.satker_id, fiscal_year=fiscal_year, output=output,
                                                   volume=Decimal(target)))  # fmt: skip
            progress = _physical_progress(rng, info, output_id, lag_share)
            for month, report in info.reports.items():
                volume = volumes.get(month, 0)
                plan.rows.append(OutputAchievement(
                    report=report, fiscal_year_id=report.fiscal_year_id, output=output, volume=Decimal(volume),
                    physical_progress=progress[month],
                    note=_note(volume, bool(counts)),
                ))  # fmt: skip
                plan.satker_of[report.pk] = info
    if year == 2023:
        plan.adjustments.append(_adjustment(satkers, outputs))
    return plan


def _volumes(
    rng: random.Random, info: SatkerYear, output: Output, counts: dict[int, int], programme_target: int | None
) -> tuple[int, dict[int, int]]:
    """The RO's year target and its volume per report month."""
    months = sorted(info.reports)
    if counts:
        total = sum(counts.values())
        target = programme_target or max(round(total * rng.uniform(0.9, 1.1)), 1)
        return target, {month: counts.get(month, 0) for month in months}
    if output.cumulative:
        return SERVICE_MONTHS, {month: month for month in months}
    cost = UNIT_COST.get(output.full_code, DEFAULT_UNIT_COST)
    target = programme_target or max(round(info.pagu[output.pk] / cost * rng.uniform(0.85, 1.15)), 1)
    spent = info.spent.get(output.pk, {})
    weights = [spent.get(month, 0) for month in months]
    money = sum(weights) / info.effective[output.pk] if info.effective[output.pk] else 0
    to_date = round(target * rng.uniform(0.9, 1.04) * min(money, 1))
    if not to_date or not any(weights):
        return target, dict.fromkeys(months, 0)
    return target, dict(zip(months, allocate(to_date, weights), strict=True))


def _physical_progress(
    rng: random.Random, info: SatkerYear, output_id: int, lag_share: float | None
) -> dict[int, Decimal]:
    """Physical progress (%) per report month: the cumulative spending of the RO's lines (on its
    effective pagu) with noise, never going back; where the work lags, a share of it that stays
    LAG_POINTS behind from July on."""
    spent = info.spent.get(output_id, {})
    effective = info.effective[output_id]
    progress, reached, cumulative = {}, Decimal(0), 0
    for month in range(1, 13):
        cumulative += spent.get(month, 0)
        if month not in info.reports:
            continue
        financial = float(percent(cumulative, effective) or 0)
        if lag_share is None:
            wanted = financial + rng.uniform(*NOISE) if financial else 0.0
        else:
            wanted = financial * lag_share
            if month >= 7:
                wanted = min(wanted, financial - LAG_POINTS)
        value = Decimal(str(min(max(wanted, 0.0), 100.0))).quantize(CENT, rounding=ROUND_HALF_UP)
        reached = max(reached, value)
        progress[month] = reached
    return progress


def _note(volume: int, counted: bool) -> str:
    if not volume:
        return "Belum ada capaian bulan ini."
    return "Sesuai catatan program bulan ini." if counted else ""


def _adjustment(satkers: dict[int, SatkerYear], outputs: dict[int, Output]) -> OutputAdjustment:
    """2023's correction: three IKM records of May verified after May's report was approved,
    added with the July report (Bengkulu when its DIPA has the data-collection RO)."""
    corrected, recorded_in, volume = ADJUSTMENT
    output = next(o for o in outputs.values() if o.full_code == ADJUSTED_RO)
    candidates = [
        info for info in satkers.values()
        if output.pk in info.pagu and all(
            m in info.reports and info.reports[m].status == Status.APPROVED for m in (corrected, recorded_in))
    ]  # fmt: skip
    if not candidates:
        raise DemoDataError(f"Tidak ada satker 2023 dengan RO {ADJUSTED_RO} untuk contoh koreksi capaian.")
    info = next((c for c in candidates if c.code == BENGKULU), candidates[0])
    return OutputAdjustment(
        report=info.reports[recorded_in], output=output, corrected_month=corrected, volume=Decimal(volume),
        reason="Tiga IKM hasil pendataan bulan Mei baru selesai diverifikasi setelah laporan Mei disetujui.",
    )  # fmt: skip


def _write(plan: Plan, users: dict[str, Any]) -> dict[str, int]:
    admin = users["admin"]

    def officer(info: SatkerYear) -> Any:
        return admin if info.is_central else users.get(f"officer-{info.bps_code}", admin)

    def entered(report: MonthlyReport) -> datetime:
        return report.submitted_at or report.updated_at

    for target in plan.targets:
        target._history_user = admin
        target._history_date = datetime.combine(date(target.fiscal_year.year, 1, 10), time(9, 0), tzinfo=JAKARTA)
    for row in [*plan.rows, *plan.adjustments]:
        row._history_user = officer(plan.satker_of[row.report.pk])
        row._history_date = entered(row.report)
    for objects, model in (
        (plan.targets, OutputVolumeTarget),
        (plan.rows, OutputAchievement),
        (plan.adjustments, OutputAdjustment),
    ):
        if objects:
            bulk_create_with_history(objects, model, batch_size=1000, default_change_reason=DEMO_REASON)
    return {"target RO": len(plan.targets), "capaian RO": len(plan.rows), "koreksi capaian RO": len(plan.adjustments)}


# --- The figures, read back from the database ----------------------------------------------------


def wub_ro_volume(year: int, authority: str | None = None) -> Decimal:
    """The WUB RO's volume of the year on approved reports (of one authority's satkers)."""
    rows = OutputAchievement.objects.filter(
        output__code="001", output__output_class__code="RBS", output__output_class__activity__code="6503",
        report__fiscal_year__year=year, report__status=Status.APPROVED,
    )  # fmt: skip
    if authority:
        dk = SatkerAuthority.objects.filter(fiscal_year__year=year, authority=authority).values("satker_id")
        rows = rows.filter(report__satker_id__in=dk)
    return rows.aggregate(total=Sum("volume"))["total"] or Decimal(0)


def flagged_satkers(year: int, month: int) -> set[str]:
    """The satkers whose physical progress (their ROs' weighted by pagu) and financial progress
    (realization to date on effective pagu) diverge in ``month`` (budgets.output_rules.gap_flag)."""
    pagu: dict[tuple[str, int], int] = defaultdict(int)
    effective: dict[str, int] = defaultdict(int)
    for code, output_id, line_pagu, blokir in BudgetLine.objects.filter(
        fiscal_year__year=year, output__isnull=False
    ).values_list("satker__code", "output_id", "pagu", "blokir"):
        pagu[(code, output_id)] += line_pagu
        effective[code] += line_pagu - blokir
    spent = dict(
        Realization.objects.filter(report__fiscal_year__year=year, report__month__lte=month, line__output__isnull=False)
        .values_list("line__satker__code")
        .annotate(total=Sum("amount"))
    )
    physical: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for code, output_id, progress in OutputAchievement.objects.filter(
        report__fiscal_year__year=year, report__month=month
    ).values_list("report__satker__code", "output_id", "physical_progress"):
        physical[code].append((pagu[(code, output_id)], progress))
    return {
        code for code, rows in physical.items()
        if gap_flag(weighted_progress(rows), percent(spent.get(code, 0), effective[code]))
    }  # fmt: skip


def figure_problems(year: int, *, lagging: set[str]) -> list[str]:
    """Differences between a finished year's RO figures and what the demo promises: the WUB RO of
    the 2022 DK satkers is the published 4.579; in December exactly the lagging provinces are
    flagged for physical progress behind their money; 2023 has its correction."""
    problems = []
    if year == 2022:
        volume = wub_ro_volume(year, Authority.DK)
        if volume != PUBLISHED_WUB_DK_2022:
            problems.append(f"volume RO {WUB_RO} DK 2022: {volume}, seharusnya {PUBLISHED_WUB_DK_2022}")
    flagged = flagged_satkers(year, 12)
    if flagged != lagging:
        problems.append(
            f"satker dengan progres fisik tertinggal Desember: {sorted(flagged)}, seharusnya {sorted(lagging)}"
        )
    if year == 2023 and not OutputAdjustment.objects.filter(report__fiscal_year__year=year).exists():
        problems.append("koreksi capaian RO 2023 tidak ada")
    return problems
