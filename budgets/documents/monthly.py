"""The monthly report as an official document (PDF and XLSX): the figures of the report page
(budgets.views.review.report_detail), read through the same selectors: the realization per
component and account (``realization_grid``) and the month's capaian RO (``ro_entry.month_rows``),
the latter with its money beside it as PP 39/2006 Form A asks (per RO: pagu, realization,
financial and physical progress, output indicator and unit). Amounts in thousands of rupiah.

Totals are added in rupiah and only then printed in thousands: the "Jumlah" row equals the
page's totals (a printed line may differ from the exact sum by the rounding of each line)."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from budgets.documents.common import head_signature, kop_lines
from budgets.models import MonthlyReport
from budgets.ro_entry import month_rows
from budgets.selectors import realization_grid
from core.documents import Column, Document, Table
from core.formats import format_date, month_name
from core.reporting.spec import percent

TITLE = "Laporan Bulanan Realisasi Anggaran dan Capaian Keluaran"
SIGNED_STATUSES = {MonthlyReport.Status.VERIFIED, MonthlyReport.Status.APPROVED}
STATUS_TEXT = {
    MonthlyReport.Status.DRAFT: "Draf",
    MonthlyReport.Status.SUBMITTED: "Diajukan",
    MonthlyReport.Status.VERIFIED: "Diverifikasi Kepala Dinas",
    MonthlyReport.Status.APPROVED: "Disetujui Direktorat",
    MonthlyReport.Status.RETURNED: "Dikembalikan",
}
NO_RO = ("-", "Baris pagu tanpa RO")


def report_filename(report: MonthlyReport) -> str:
    return f"laporan-bulanan-{report.satker.code}-{report.fiscal_year.year}-{report.month:02d}"


def is_signed(report: MonthlyReport) -> bool:
    """Verified by the head (or the acting head) and not sent back since."""
    return report.status in SIGNED_STATUSES and report.verified_by_id is not None and report.verified_at is not None


def realization_table(lines: list) -> Table:
    rows = []
    for line in lines:
        cumulative = line.before + line.this_month
        rows.append([
            f"{line.component.code}.{line.account.code}", f"{line.component.name} / {line.account.name}",
            line.pagu, line.pagu_efektif, line.this_month, cumulative, percent(cumulative, line.pagu_efektif),
            line.pagu_efektif - cumulative,
        ])  # fmt: skip
    pagu = sum(line.pagu for line in lines)
    pagu_efektif = sum(line.pagu_efektif for line in lines)
    this_month = sum(line.this_month for line in lines)
    cumulative = sum(line.before + line.this_month for line in lines)
    return Table(
        title="A. Realisasi anggaran per komponen dan akun",
        columns=[
            Column("Kode", "code"),
            Column("Komponen / akun"),
            Column("Pagu", "money"),
            Column("Pagu efektif", "money"),
            Column("Realisasi bulan ini", "money"),
            Column("Realisasi s.d. bulan ini", "money"),
            Column("% pagu efektif", "percent"),
            Column("Sisa pagu efektif", "money"),
        ],
        rows=rows,
        totals=[
            "Jumlah",
            "",
            pagu,
            pagu_efektif,
            this_month,
            cumulative,
            percent(cumulative, pagu_efektif),
            pagu_efektif - cumulative,
        ],
        empty="Belum ada baris pagu.",
    )


def outputs_table(report: MonthlyReport, lines: list) -> Table:
    """Form A: one row per RO of the DIPA, its money (the lines under it) and its output."""
    money: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])  # RO id -> [pagu efektif, realized]
    for line in lines:
        money[line.output_id][0] += line.pagu_efektif
        money[line.output_id][1] += line.before + line.this_month
    rows = []
    for ro in month_rows(report):
        pagu_efektif, realized = money.pop(ro.output.pk, [0, 0])
        rows.append([
            ro.output.full_code, ro.output.name, ro.output.unit, ro.target, pagu_efektif, realized,
            percent(realized, pagu_efektif), ro.row.volume if ro.row else None, ro.to_date, ro.achievement,
            ro.row.physical_progress if ro.row else None, ro.row.note if ro.row else "",
        ])  # fmt: skip
    # Lines of the DIPA outside any RO (none in a complete DIPA): shown, so the totals match table A.
    for pagu_efektif, realized in money.values():
        rows.append([*NO_RO, "", None, pagu_efektif, realized, percent(realized, pagu_efektif), None, None, None,
                     None, ""])  # fmt: skip
    pagu_total = sum(line.pagu_efektif for line in lines)
    realized_total = sum(line.before + line.this_month for line in lines)
    return Table(
        title="B. Capaian keluaran per rincian output (Form A PP 39/2006)",
        columns=[
            Column("Kode RO", "code"),
            Column("Rincian output (DIPA)"),
            Column("Satuan"),
            Column("Target volume", "volume"),
            Column("Pagu efektif", "money"),
            Column("Realisasi s.d. bulan ini", "money"),
            Column("Progres keuangan (%)", "percent"),
            Column("Volume bulan ini", "volume"),
            Column("Volume s.d. bulan ini", "volume"),
            Column("Capaian volume (%)", "percent"),
            Column("Progres fisik (%)", "percent"),
            Column("Keterangan"),
        ],
        rows=rows,
        totals=[
            "Jumlah",
            "",
            "",
            None,
            pagu_total,
            realized_total,
            percent(realized_total, pagu_total),
            None,
            None,
            None,
            None,
            "",
        ],
        empty="DIPA ini belum memiliki RO.",
        note="Volume bulan ini: bulan ini saja; volume s.d. bulan ini: bulan-bulan yang disetujui, bulan ini "
        "dan koreksinya.",
    )


def monthly_document(report: MonthlyReport) -> Document:
    """The report's document. ``report`` with its satker (and province), fiscal year, verifier
    and delegation loaded (budgets.views.documents)."""
    satker = report.satker
    lines = realization_grid(satker=satker, fiscal_year=report.fiscal_year, month=report.month)
    facts = [
        ("Satker", f"{satker.code} {satker.name}"),
        ("Provinsi", satker.province.name),
        ("Tahun anggaran", str(report.fiscal_year.year)),
        ("Bulan", f"{month_name(report.month)} {report.fiscal_year.year}"),
        ("Status", STATUS_TEXT.get(report.status, report.status)),
        ("Batas waktu", format_date(report.due_date)),
    ]
    if report.submitted_at:
        facts.append(("Diajukan", format_date(timezone.localtime(report.submitted_at).date())))
    signed = is_signed(report)
    return Document(
        kop=kop_lines(satker),
        title=TITLE,
        facts=facts,
        notes=["Nilai uang dalam ribuan rupiah (Rp ribu)."],
        tables=[realization_table(lines), outputs_table(report, lines)],
        signature=head_signature(
            satker=satker,
            signer=report.verified_by if signed else None,
            at=report.verified_at if signed else None,
            delegation=report.verified_under if signed else None,
        ),
        filename=report_filename(report),
    )
