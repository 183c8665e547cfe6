"""The quarterly and year-end reports of the demo: for 2022 and 2023 every provincial satker's four
quarters and its year-end report (approved, a few sent late), for the running year its completed
quarters (the last one in the workflow's states). Obstacles of several categories are reported
wherever the rules require one (absorption under the quarter's target, an RO's physical progress
more than 20 points behind its money) and in a few other reports; some are carried into the
next quarters and closed later with their outcome.

Every figure is read by budgets.reports.quarterly.quarter_figures from the demo's monthly reports
(never typed here): absorption, target, RO progress and the reasons an obstacle is required.
Deterministic (seeded), written with bulk_create.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from budgets import quarterly_rules
from budgets.calendar import last_completed_month
from budgets.models import FiscalYear, Holiday, Obstacle, QuarterlyReport, QuarterlyTransition, Satker
from budgets.reports.quarterly import QuarterFigures, figures_snapshot, quarter_figures
from core.formats import format_percent
from demo.budgets import DEMO_REASON, JAKARTA, SEED, DemoDataError, demo_years

Status = QuarterlyReport.Status
Category = Obstacle.Category
LATE_SHARE = 0.08  # reports sent after their due date
EXTRA_OBSTACLE_SHARE = 0.15  # reports naming an obstacle no rule asks for
RESOLVED_SHARE = 0.75  # closed obstacles whose follow-up worked
# The running year's last completed quarter: where each satker's report stands.
CURRENT_STATES = (Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.RETURNED, Status.APPROVED, Status.APPROVED)
MONEY_CATEGORIES = (Category.BLOKIR, Category.PROCUREMENT, Category.REVISION, Category.REGULATION)
WORK_CATEGORIES = (Category.PARTICIPANTS, Category.DISASTER, Category.STAFF, Category.PROCUREMENT)
TEXTS = {
    Category.BLOKIR: ("Sebagian pagu masih diblokir menunggu kelengkapan dokumen.", "Usulan buka blokir ke DJA",
                      "KPA dan Bagian Perencanaan Ditjen IKMA"),
    Category.PROCUREMENT: ("Tender pengadaan mesin/peralatan gagal karena peserta tidak memenuhi syarat.",
                           "Tender ulang atau e-purchasing katalog", "PPK dan UKPBJ provinsi"),
    Category.REVISION: ("Revisi anggaran (pergeseran antar-akun) belum disahkan.",
                        "Percepat usulan revisi ke Kanwil DJPb", "Bendahara dan PPK"),
    Category.STAFF: ("Pejabat pengadaan dimutasi; penggantinya belum bersertifikat.",
                     "Penunjukan pejabat pengadaan pengganti", "Kepala Dinas"),
    Category.REGULATION: ("Petunjuk teknis kegiatan terlambat terbit.", "Konsultasi ke direktorat teknis",
                          "Kepala Bidang IKM"),
    Category.DISASTER: ("Banjir menunda pelatihan dan bimbingan teknis di kabupaten sasaran.",
                        "Jadwal ulang kegiatan di lokasi lain", "Kepala Bidang IKM"),
    Category.PARTICIPANTS: ("Calon peserta IKM belum memenuhi syarat legalitas usaha.",
                            "Pendampingan NIB melalui OSS sebelum pelatihan", "Seksi Pembinaan IKM"),
    Category.OTHER: ("Koordinasi dengan kabupaten/kota memerlukan waktu lebih lama.", "Rapat koordinasi rutin",
                     "Sekretaris Dinas"),
}  # fmt: skip
OUTCOMES = {
    True: "Tindak lanjut berjalan; kegiatan terlaksana dan anggaran terserap pada triwulan berikutnya.",
    False: "Tindak lanjut belum berhasil; sisa anggaran tidak dapat diserap tahun ini.",
}


@dataclass
class QuarterlyResult:
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=JAKARTA)


def _periods(year: int, today: date) -> list[tuple[int, bool]]:
    """(period, year-end) of the reports due for ``year`` by ``today``."""
    done = last_completed_month(year, today) // 3
    periods = [(period, False) for period in range(1, done + 1)]
    return [*periods, (4, True)] if done == 4 else periods


@transaction.atomic
def quarterly_demo_load(*, years: list[int] | None = None, today: date) -> list[QuarterlyResult]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "reviewer"])}
    if "admin" not in users:
        raise DemoDataError("Akun demo admin tidak ditemukan.")
    province_users = {u.username: u for u in get_user_model().objects.filter(role__in=["OFFICER", "HEAD"])}
    results = []
    for year in sorted(set(demo_years(today) if years is None else years)):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            continue
        if QuarterlyReport.objects.filter(fiscal_year=fiscal_year).exists():
            results.append(QuarterlyResult(year, note="laporan triwulan tahun ini sudah ada"))
            continue
        periods = _periods(year, today)
        if not periods:
            results.append(QuarterlyResult(year, note="belum ada triwulan yang selesai"))
            continue
        results.append(_load_year(fiscal_year, periods, today, {**users, **province_users}))
    return results


def _load_year(fiscal_year: FiscalYear, periods: list[tuple[int, bool]], today: date, users: dict) -> QuarterlyResult:
    year = fiscal_year.year
    rng = random.Random(f"{SEED}-{year}-quarterly")  # noqa: S311 - demo figures, not secrets
    satkers = Satker.objects.filter(is_central=False, authorities__fiscal_year=fiscal_year)
    info = dict(satkers.values_list("pk", "province__bps_code"))
    holidays = list(Holiday.objects.filter(date__year__in=[year, year + 1]).values_list("date", flat=True))
    admin, reviewer = users["admin"], users.get("reviewer", users["admin"])
    figures = {(period, year_end): quarter_figures(fiscal_year, period, satkers, year_end=year_end, today=today)
               for period, year_end in periods}  # fmt: skip
    last = periods[-1]
    running = year == today.year
    reports: dict[tuple[int, tuple[int, bool]], QuarterlyReport] = {}
    transitions: list[tuple[QuarterlyTransition, datetime]] = []
    obstacles: list[tuple[Obstacle, list[tuple[int, bool]], datetime]] = []
    for satker_id in sorted(info):
        bps = info[satker_id]
        officer = users.get(f"officer-{bps}", admin)
        head = users.get(f"head-{bps}", admin)
        open_here: list[tuple[Obstacle, list[tuple[int, bool]], int]] = []  # obstacle, reported in, quarters left
        for key in periods:
            entry: QuarterFigures | None = figures[key].get(satker_id)
            if entry is None or not entry.pagu:
                continue
            period, year_end = key
            due = quarterly_rules.quarter_due_date(year, period, holidays)
            status = Status.APPROVED
            if running and key == last:
                status = rng.choice(CURRENT_STATES)
            if entry.months_not_approved:
                status = Status.DRAFT
            report = QuarterlyReport(
                satker_id=satker_id, fiscal_year=fiscal_year, kind=QuarterlyReport.Kind.YEAR_END if year_end
                else QuarterlyReport.Kind.QUARTER, period=period, status=status, due_date=due,
                narrative=_narrative(entry),
            )  # fmt: skip
            late = rng.random() < LATE_SHARE
            submitted = due - timedelta(days=rng.randint(1, 3)) + (timedelta(days=rng.randint(4, 12)) if late else
                                                                   timedelta())  # fmt: skip
            verified = submitted + timedelta(days=rng.randint(0, 1))
            approved = verified + timedelta(days=rng.randint(2, 6))
            steps = []
            if status != Status.DRAFT:
                report.submitted_at, report.submitted_by = _at(submitted), officer
                steps.append((Status.DRAFT, Status.SUBMITTED, officer, submitted, ""))
            if status in {Status.VERIFIED, Status.APPROVED}:
                report.verified_at, report.verified_by = _at(verified, 14), head
                report.signed_figures = figures_snapshot(entry)
                report.sent_at, report.sent_on_time = report.verified_at, verified <= due
                steps.append((Status.SUBMITTED, Status.VERIFIED, head, verified, ""))
            if status == Status.RETURNED:
                steps.append((Status.SUBMITTED, Status.RETURNED, head, verified,
                              "Lengkapi uraian kendala dan tindak lanjutnya."))  # fmt: skip
            if status == Status.APPROVED:
                report.approved_at = _at(approved, 9)
                steps.append((Status.VERIFIED, Status.APPROVED, reviewer, approved, ""))
            report.version = 1 + len(steps)
            report._history_user = officer
            report._history_date = _at(submitted if steps else due, 8)
            reports[(satker_id, key)] = report
            for from_status, to_status, by, day, comment in steps:
                step = QuarterlyTransition(report=report, from_status=from_status, to_status=to_status, by=by,
                                           comment=comment)  # fmt: skip
                transitions.append((step, _at(day, 11)))
            # Obstacles carried from earlier quarters: reported here; closed here when their time is up.
            still_open = []
            for obstacle, reported, left in open_here:
                reported.append(key)
                if left == 0 and status == Status.APPROVED:
                    obstacle.resolved = rng.random() < RESOLVED_SHARE
                    obstacle.status, obstacle.outcome = Obstacle.State.CLOSED, OUTCOMES[obstacle.resolved]
                    obstacle.closed_at = _at(submitted, 9)
                else:
                    obstacle.status = Obstacle.State.IN_PROGRESS
                    still_open.append((obstacle, reported, max(left - 1, 0)))
            open_here = still_open
            reasons_money = entry.absorption is None or entry.absorption < entry.absorption_target
            reasons_work = any(row["lags"] for row in entry.ro_rows)
            wanted = []
            if (reasons_money or reasons_work) and not open_here:
                wanted.append(rng.choice(MONEY_CATEGORIES if reasons_money else WORK_CATEGORIES))
            if rng.random() < EXTRA_OBSTACLE_SHARE:
                wanted.append(rng.choice(list(Category)))
            for category in wanted:
                description, follow_up, owner = TEXTS[category]
                risk = max(entry.pagu_efektif - entry.realisasi, 0) * rng.randint(5, 20) // 100 // 1000 * 1000
                obstacle = Obstacle(
                    satker_id=satker_id, category=category, description=description, follow_up=follow_up,
                    owner=owner, amount_at_risk=risk, opened_in=report,
                    target_date=due + timedelta(days=rng.choice((30, 60, 90))),
                )  # fmt: skip
                obstacle._history_user = officer
                obstacle._history_date = _at(submitted, 8)
                reported = [key]
                obstacles.append((obstacle, reported, _at(submitted, 8)))
                open_here.append((obstacle, reported, rng.choice((0, 1, 1, 2))))
    report_rows = list(reports.values())
    bulk_create_with_history(report_rows, QuarterlyReport, batch_size=1000, default_change_reason=DEMO_REASON)
    created = {(row.satker_id, (row.period, row.is_year_end)): row for row in
               QuarterlyReport.objects.filter(fiscal_year=fiscal_year)}  # fmt: skip
    for step, _at_time in transitions:
        step.report = created[(step.report.satker_id, (step.report.period, step.report.is_year_end))]
    steps = QuarterlyTransition.objects.bulk_create([step for step, _at_time in transitions], batch_size=1000)
    for step, (_step, at) in zip(steps, transitions, strict=True):
        step.at = at
    QuarterlyTransition.objects.bulk_update(steps, ["at"], batch_size=1000)
    for obstacle, _reported, _when in obstacles:
        obstacle.opened_in = created[(obstacle.opened_in.satker_id, (obstacle.opened_in.period,
                                                                     obstacle.opened_in.is_year_end))]  # fmt: skip
    rows = bulk_create_with_history([o for o, _r, _w in obstacles], Obstacle, batch_size=1000,
                                    default_change_reason=DEMO_REASON)  # fmt: skip
    for row, (_o, _r, when) in zip(rows, obstacles, strict=True):
        row.created_at = when
    Obstacle.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    through = Obstacle.reported_in.through
    through.objects.bulk_create(
        [through(obstacle_id=row.pk, quarterlyreport_id=created[(row.satker_id, key)].pk)
         for row, (_o, reported, _w) in zip(rows, obstacles, strict=True) for key in reported],
        batch_size=1000,
    )  # fmt: skip
    late = sum(1 for row in report_rows if row.sent_on_time is False)
    closed = sum(1 for row in rows if row.status == Obstacle.State.CLOSED)
    return QuarterlyResult(year, {"laporan triwulan/akhir tahun": len(report_rows), "terlambat": late,
                                  "kendala": len(rows), "kendala selesai": closed})  # fmt: skip


def _narrative(entry: QuarterFigures) -> str:
    return (
        f"Penyerapan {format_percent(entry.absorption)} terhadap target {format_percent(entry.absorption_target)}; "
        f"progres fisik seluruh RO {format_percent(entry.physical_progress)}, progres keuangan "
        f"{format_percent(entry.financial_progress)}."
    )


def demo_summary(results: list[QuarterlyResult]) -> list[str]:
    """Lines for load_demo_data's output."""
    lines = []
    for result in results:
        if result.note:
            lines.append(f"Laporan triwulan TA {result.year}: dilewati, {result.note}.")
        else:
            done = ", ".join(f"{count} {label}" for label, count in result.counts.items())
            lines.append(f"Laporan triwulan TA {result.year}: {done}.")
    return lines
