"""The quarterly and year-end report as an official document (PP 39/2006 Form C, PDF and XLSX):
the figures of the report's page (``report_figures``: as the head signed them once verified, else
read now from the approved monthly reports), Form A per RO, the obstacles, the narrative and the
head's signature. And the directorate's consolidation of a quarter: one row per provincial satker
of /reports/quarterly/ (its ``ReportResult``) with the national totals.

Labels of the models (obstacle category, status) are read in Indonesian: the views print under
``translation.override("id")``. Amounts in thousands of rupiah; totals are added in rupiah and
only then printed in thousands."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from budgets import quarterly_rules
from budgets.documents.common import CENTRAL_KOP, head_signature, kop_lines
from budgets.documents.monthly import STATUS_TEXT
from budgets.models import Authority, Obstacle, QuarterlyReport, SatkerAuthority
from budgets.models.quarterly import ROMAN
from budgets.reports.quarterly import QuarterFigures
from core.documents import Column, Document, Table
from core.formats import format_date, month_name
from core.reporting.spec import ReportResult, percent

SIGNED_STATUSES = {QuarterlyReport.Status.VERIFIED, QuarterlyReport.Status.APPROVED}
AUTHORITY_TEXT = {Authority.DK: "DEKONSENTRASI", Authority.TP: "TUGAS PEMBANTUAN", Authority.KP: "KANTOR PUSAT"}
NATIONAL_STATUS_TEXT = {**STATUS_TEXT, "MISSING": "Belum ada"}
MONEY_NOTE = "Nilai uang dalam ribuan rupiah (Rp ribu)."


def quarterly_filename(report: QuarterlyReport) -> str:
    return f"laporan-triwulan-{report.satker.code}-{report.fiscal_year.year}-{report.url_period}"


def is_signed(report: QuarterlyReport) -> bool:
    """Verified by the head (or the acting head) and not sent back since."""
    return report.status in SIGNED_STATUSES and report.verified_by_id is not None and report.verified_at is not None


def report_title(report: QuarterlyReport, authority: str | None) -> str:
    """LAPORAN TRIWULAN I PELAKSANAAN DEKONSENTRASI TAHUN 2024; LAPORAN AKHIR TAHUN PELAKSANAAN
    DEKONSENTRASI TAHUN 2024."""
    year = report.fiscal_year.year
    which = "AKHIR TAHUN" if report.is_year_end else f"TRIWULAN {ROMAN[report.period]}"
    fund = f" PELAKSANAAN {AUTHORITY_TEXT[authority]}" if authority in AUTHORITY_TEXT else ""
    return f"LAPORAN {which}{fund} TAHUN {year}"


def period_text(figures: QuarterFigures) -> str:
    first, last = figures.months[0], figures.months[-1]
    return f"{month_name(first)} - {month_name(last)} {figures.year}"


def summary_row(figures: QuarterFigures) -> list[Any]:
    return [figures.pagu, figures.blokir, figures.pagu_efektif, figures.realisasi, figures.absorption,
            figures.absorption_target, figures.financial_progress, figures.physical_progress]  # fmt: skip


def summary_table(figures: QuarterFigures) -> Table:
    end = "akhir tahun" if figures.year_end else "akhir triwulan"
    return Table(
        title="A. Ringkasan realisasi anggaran dan progres",
        columns=[
            Column("Pagu", "money"),
            Column("Blokir", "money"),
            Column("Pagu efektif", "money"),
            Column(f"Realisasi s.d. {end}", "money"),
            Column("Penyerapan (%)", "percent"),
            Column("Target penyerapan (%)", "percent"),
            Column("Progres keuangan (%)", "percent"),
            Column("Progres fisik (%)", "percent"),
        ],
        rows=[summary_row(figures)],
        note="Realisasi dari laporan bulanan yang disetujui; pagu efektif = pagu - blokir.",
    )


def flag_text(row: dict[str, Any]) -> str:
    flags = []
    if row.get("lags"):
        flags.append("Fisik tertinggal > 20 poin")
    elif row.get("gap_flag"):
        flags.append("Selisih > 20 poin")
    return "; ".join(flags)


def outputs_table(figures: QuarterFigures) -> Table:
    """Form A: per RO its target, volume, physical and financial progress and their gap."""
    rows = [[
        row["ro"], row["ro_name"], row["unit"], row["target"], row["volume"], row["achievement"],
        row["physical_progress"], row["financial_progress"], row["gap"], row.get("pagu_efektif") or 0,
        row.get("realisasi") or 0, flag_text(row),
    ] for row in figures.ro_rows]  # fmt: skip
    pagu = sum(row.get("pagu_efektif") or 0 for row in figures.ro_rows)
    realized = sum(row.get("realisasi") or 0 for row in figures.ro_rows)
    return Table(
        title="B. Capaian keluaran per rincian output (Form A PP 39/2006)",
        columns=[
            Column("Kode RO", "code"),
            Column("Rincian output (DIPA)"),
            Column("Satuan"),
            Column("Target volume", "volume"),
            Column("Volume s.d. periode", "volume"),
            Column("Capaian volume (%)", "percent"),
            Column("Progres fisik (%)", "percent"),
            Column("Progres keuangan (%)", "percent"),
            Column("Selisih (poin)", "percent"),
            Column("Pagu efektif", "money"),
            Column("Realisasi", "money"),
            Column("Catatan"),
        ],
        rows=rows,
        totals=["Jumlah", "", "", None, None, None, None, percent(realized, pagu), None, pagu, realized, ""],
        empty="DIPA ini belum memiliki RO.",
        note="Selisih: progres keuangan dikurangi progres fisik, dalam poin persentase.",
    )


def obstacle_status(obstacle: Obstacle) -> str:
    text = obstacle.get_status_display()
    if obstacle.outcome:
        verdict = "" if obstacle.resolved is None else (" (berhasil)" if obstacle.resolved else " (tidak berhasil)")
        text = f"{text}: {obstacle.outcome}{verdict}"
    return text


def obstacles_table(obstacles: list[Obstacle]) -> Table:
    rows = [[
        obstacle.get_category_display(), obstacle.description, obstacle.amount_at_risk,
        obstacle.follow_up, obstacle.owner, format_date(obstacle.target_date) if obstacle.target_date else "-",
        obstacle_status(obstacle),
    ] for obstacle in obstacles]  # fmt: skip
    return Table(
        title="C. Kendala dan tindak lanjut",
        columns=[
            Column("Kategori"),
            Column("Uraian kendala"),
            Column("Anggaran terdampak", "money"),
            Column("Usulan tindak lanjut"),
            Column("Penanggung jawab"),
            Column("Target selesai"),
            Column("Status / hasil"),
        ],
        rows=rows,
        totals=["Jumlah", "", sum(obstacle.amount_at_risk for obstacle in obstacles), "", "", "", ""]
        if obstacles
        else None,
        empty="Tidak ada kendala yang dilaporkan.",
    )


def quarterly_document(report: QuarterlyReport, *, today: date, figures: QuarterFigures,
                       obstacles: list[Obstacle]) -> Document:  # fmt: skip
    """The report's document. ``report`` as ``quarterly_report_of`` reads it (satker, province,
    year, verifier, delegation); ``figures`` are ``report_figures(report, today=...)``."""
    satker = report.satker
    authority = (
        SatkerAuthority.objects.filter(satker=satker, fiscal_year=report.fiscal_year)
        .values_list("authority", flat=True)
        .first()
    )
    signed = is_signed(report)
    facts = [
        ("Satker", f"{satker.code} {satker.name}"),
        ("Provinsi", satker.province.name),
        ("Tahun anggaran", str(report.fiscal_year.year)),
        ("Periode", f"{report.period_label} ({period_text(figures)})"),
        ("Status", STATUS_TEXT.get(report.status, report.status)),
        ("Batas waktu", format_date(report.due_date)),
    ]
    if report.sent_at:
        timeliness = {True: " (tepat waktu)", False: " (terlambat)"}.get(report.sent_on_time, "")
        facts.append(("Dikirim", f"{format_date(timezone.localtime(report.sent_at).date())}{timeliness}"))
    source = (
        "Angka sebagaimana diverifikasi dan ditandatangani Kepala Dinas."
        if report.signed_figures and signed
        else f"Angka dibaca dari laporan bulanan yang disetujui per {format_date(today)}."
    )
    return Document(
        kop=kop_lines(satker),
        title=report_title(report, authority),
        facts=facts,
        notes=[MONEY_NOTE, source],
        tables=[summary_table(figures), outputs_table(figures), obstacles_table(obstacles)],
        texts=[("D. Uraian singkat", report.narrative.strip())],
        signature=head_signature(
            satker=satker,
            signer=report.verified_by if signed else None,
            at=report.verified_at if signed else None,
            delegation=report.verified_under if signed else None,
        ),
        filename=quarterly_filename(report),
    )


def national_document(result: ReportResult, *, year: int, scope: str | None, today: date) -> Document:
    """The directorate's consolidation of a quarter: /reports/quarterly/'s rows (``result``, the
    user's scope) and the totals: effective pagu and realization added, absorption = total
    realization / total effective pagu. ``scope`` names a province when the rows are one
    province's. Printed from the system: no signature block, no watermark."""
    quarter = result.params.get("quarter")
    period, year_end = quarterly_rules.period_of(quarter)
    which = "AKHIR TAHUN" if year_end else f"TRIWULAN {ROMAN[period]}"
    rows = [[
        row["satker"], row["satker_name"], row["province_name"],
        NATIONAL_STATUS_TEXT.get(row["status"], row["status"]), format_date(row["due_date"]),
        {True: "Ya", False: "Tidak"}.get(row["sent_on_time"], "-"), row["pagu_efektif"], row["realisasi"],
        row["absorption"], row["absorption_target"], row["physical_progress"], row["obstacles_open"],
    ] for row in result.rows]  # fmt: skip
    totals = result.totals
    total_row = ["Jumlah nasional" if scope is None else "Jumlah", "", "", "", "", "", totals.get("pagu_efektif", 0),
                 totals.get("realisasi", 0), totals.get("absorption"), None, None,
                 totals.get("obstacles_open", 0)]  # fmt: skip
    table = Table(
        title="Status dan capaian laporan per satker",
        columns=[
            Column("Kode", "code"),
            Column("Satker"),
            Column("Provinsi"),
            Column("Status"),
            Column("Batas waktu"),
            Column("Tepat waktu"),
            Column("Pagu efektif", "money"),
            Column("Realisasi", "money"),
            Column("Penyerapan (%)", "percent"),
            Column("Target (%)", "percent"),
            Column("Progres fisik (%)", "percent"),
            Column("Kendala terbuka", "int"),
        ],
        rows=rows,
        totals=total_row,
        empty="Tidak ada satker provinsi dengan DIPA pada tahun ini.",
        note="Penyerapan jumlah = jumlah realisasi / jumlah pagu efektif. Satker yang sudah diverifikasi: angka "
        "sebagaimana ditandatangani Kepala Dinas.",
    )
    facts = [
        ("Tahun anggaran", str(year)),
        ("Periode", "Akhir tahun" if year_end else f"TW {ROMAN[period]}"),
        ("Cakupan", scope or "Nasional (seluruh satker provinsi)"),
        ("Satker wajib lapor", str(totals.get("satkers", len(rows)))),
        ("Laporan disetujui", str(totals.get("approved", 0))),
        ("Belum ada laporan", str(totals.get("missing", 0))),
        ("Terlambat dikirim", str(totals.get("late", 0))),
        ("Dicetak", format_date(today)),
    ]
    return Document(
        kop=list(CENTRAL_KOP),
        title=f"REKAPITULASI LAPORAN {which} PELAKSANAAN DEKONSENTRASI DAN TUGAS PEMBANTUAN TAHUN {year}",
        facts=facts,
        notes=[MONEY_NOTE],
        tables=[table],
        signature=None,
        filename=f"rekap-laporan-triwulan-{year}-{quarter}",
    )
