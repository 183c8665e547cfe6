"""The late-report ledger: for a fiscal year, every report of a satker that is late or missing,
how many calendar days late, and how far its escalation has gone (PP 7/2008 art. 75: a
province that fails to report may be sanctioned; the duty to report remains).

A report is *late or missing* when its due date has passed and it was not sent, or was sent
after the due date (``submitted_on_time is False``). "Sent" is the step the fiscal year judges
timeliness at (``FiscalYear.timeliness_step``): the officer's submission, or the head's
verification (the province sends it).

Escalation of a report not sent, counted in working days after its due date (weekends and the
Holiday table, as the due date itself: budgets/calendar.py):

- from the day after the due date: a reminder to the satker's operators (officers);
- from ``HEAD_STAGE_WORKING_DAYS`` working days after it: to the Kepala Dinas (and the acting head);
- from ``DIRECTORATE_STAGE_WORKING_DAYS``: on the directorate's list ("daftar direktorat"), the
  ground for a sanction proposal.

The thresholds are the same every year (named here, not FiscalYear fields): the regulation's
rhythm of working days, not a parameter the directorate tunes.

Reports come from *report sources* (``REPORT_SOURCES``): each says, for a fiscal year and some
satkers, which reports were due when and when they were sent. The monthly report is the first;
the quarterly and year-end reports plug in by adding a source to that list (nothing registers
itself by being imported). Pure reads: budgets/notifications.py sends the reminders and
records them (``LateReminder``); the ledger page and the sanction proposals read these rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import quarterly_rules, signoff
from budgets.calendar import report_due_date, working_days_after
from budgets.models import EscalationStage, FiscalYear, Holiday, MonthlyReport, QuarterlyReport, Satker
from budgets.models.quarterly import ROMAN
from core.formats import MONTH_NAMES

HEAD_STAGE_WORKING_DAYS = 5  # the Kepala Dinas is told from the 5th working day after the due date
DIRECTORATE_STAGE_WORKING_DAYS = 10  # on the directorate's list from the 10th working day after it
STAGES = (EscalationStage.OPERATOR, EscalationStage.HEAD, EscalationStage.DIRECTORATE)


@dataclass(frozen=True)
class DueReport:
    """One report a satker owed: what a report source gives the ledger."""

    satker: Satker
    kind: str  # the source's key: "monthly" (recorded in LateReminder.kind)
    kind_label: str  # "Laporan bulanan"
    period: str  # a key in the year: "2026-03" (recorded in LateReminder.period)
    period_label: str  # "Maret 2026"
    due_date: date
    sent_on: date | None  # None: not sent (yet)
    on_time: bool | None  # as judged when sent; None when not sent
    path: str = ""  # the site page of the report (or where it is entered)
    # The operator has done his part (submitted) but the province has not sent it yet (it awaits
    # the head's verification): the operator is not reminded, the head and the directorate are.
    awaiting_head: bool = False


class ReportSource(Protocol):
    """A kind of report a satker owes. ``due_reports`` gives every report of ``satkers`` in
    ``fiscal_year`` whose due date is before ``today``, in few queries (not one per satker)."""

    key: str

    def due_reports(
        self, fiscal_year: FiscalYear, satkers: Sequence[Satker], today: date, holidays: frozenset[date]
    ) -> Iterable[DueReport]: ...


class MonthlyReports:
    """The monthly report (budgets.MonthlyReport): due on the 5th working day of the next month."""

    key = "monthly"

    def due_reports(
        self, fiscal_year: FiscalYear, satkers: Sequence[Satker], today: date, holidays: frozenset[date]
    ) -> Iterable[DueReport]:
        by_month = {m: report_due_date(fiscal_year.year, m, holidays) for m in range(1, 13)}
        months = [m for m, due in by_month.items() if due < today]
        if not months or not satkers:
            return
        reports = {
            (r.satker_id, r.month): r
            for r in MonthlyReport.objects.filter(
                fiscal_year=fiscal_year, month__in=months, satker__in=satkers
            ).select_related("satker", "fiscal_year")
        }
        label = _("Laporan bulanan")
        for satker in satkers:
            for month in months:
                report = reports.get((satker.pk, month))
                due = report.due_date if report else by_month[month]
                sent = signoff.sent_at(report) if report else None
                sent_on = timezone.localdate(sent) if sent else None
                on_time = None
                if sent_on is not None:
                    on_time = report.submitted_on_time if report.submitted_on_time is not None else sent_on <= due
                path = (
                    reverse("budgets:report-detail", args=[report.pk]) if report
                    else reverse("budgets:realization-entry", args=[satker.code, fiscal_year.year, month])
                )  # fmt: skip
                awaiting_head = sent_on is None and report is not None and report.status in HANDED_IN
                yield DueReport(
                    satker=satker, kind=self.key, kind_label=label, period=f"{fiscal_year.year}-{month:02d}",
                    period_label=f"{MONTH_NAMES[month]} {fiscal_year.year}", due_date=due, sent_on=sent_on,
                    on_time=on_time, path=path, awaiting_head=awaiting_head,
                )  # fmt: skip


HANDED_IN = {MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.VERIFIED, MonthlyReport.Status.APPROVED}


class QuarterlyReports:
    """The quarterly reports (TW I-IV) and the year-end report of the provincial satkers
    (budgets.QuarterlyReport; central units make none): due 5 working days after the quarter,
    or after 31 December (budgets/quarterly_rules.py)."""

    key = "quarterly"

    def due_reports(
        self, fiscal_year: FiscalYear, satkers: Sequence[Satker], today: date, holidays: frozenset[date]
    ) -> Iterable[DueReport]:
        provincial = [satker for satker in satkers if signoff.verified_by_head(satker)]
        periods = [
            (period, year_end, quarterly_rules.quarter_due_date(fiscal_year.year, period, holidays))
            for period, year_end in [(1, False), (2, False), (3, False), (4, False), (4, True)]
        ]
        periods = [(period, year_end, due) for period, year_end, due in periods if due < today]
        if not periods or not provincial:
            return
        Kind = QuarterlyReport.Kind
        reports = {
            (r.satker_id, r.period, r.kind == Kind.YEAR_END): r
            for r in QuarterlyReport.objects.filter(fiscal_year=fiscal_year, satker__in=provincial)
        }
        for satker in provincial:
            for period, year_end, due in periods:
                report = reports.get((satker.pk, period, year_end))
                sent_on = timezone.localdate(report.sent_at) if report and report.sent_at else None
                q = quarterly_rules.YEAR_END if year_end else str(period)
                label = _("Laporan akhir tahun") if year_end else _("Laporan triwulan")
                period_label = (
                    str(fiscal_year.year) if year_end else _("TW %(roman)s %(year)s")
                    % {"roman": ROMAN[period], "year": fiscal_year.year}
                )  # fmt: skip
                yield DueReport(
                    satker=satker, kind=self.key, kind_label=label, period=f"{fiscal_year.year}-{q}",
                    period_label=period_label, due_date=report.due_date if report else due, sent_on=sent_on,
                    on_time=report.sent_on_time if sent_on else None,
                    path=reverse("budgets:quarterly-detail", args=[satker.code, fiscal_year.year, q]),
                    awaiting_head=sent_on is None and report is not None and report.status in HANDED_IN,
                )  # fmt: skip


# The report sources, in the order the ledger lists them.
REPORT_SOURCES: list[ReportSource] = [MonthlyReports(), QuarterlyReports()]


def stage_after(working_days: int) -> EscalationStage:
    """The stage a report not sent has reached ``working_days`` after its due date (the day
    after the due date is already the operator's stage, even on a weekend)."""
    if working_days >= DIRECTORATE_STAGE_WORKING_DAYS:
        return EscalationStage.DIRECTORATE
    if working_days >= HEAD_STAGE_WORKING_DAYS:
        return EscalationStage.HEAD
    return EscalationStage.OPERATOR


@dataclass(frozen=True)
class LedgerRow:
    report: DueReport
    missing: bool  # not sent at all (else sent late)
    days_late: int  # calendar days after the due date: until today, or until it was sent
    working_days_late: int
    stage: EscalationStage  # reached by today (missing) or by the day it was sent

    @property
    def stages_due(self) -> tuple[EscalationStage, ...]:
        """The stages whose reminders are owed, in order (a report sent late owes none)."""
        if not self.missing:
            return ()
        owed = STAGES[: STAGES.index(self.stage) + 1]
        if self.report.awaiting_head:
            return tuple(stage for stage in owed if stage != EscalationStage.OPERATOR)
        return owed

    def as_record(self) -> dict[str, object]:
        """The row as kept in a sanction proposal (JSON)."""
        r = self.report
        return {
            "kind": r.kind, "kind_label": str(r.kind_label), "period": r.period, "period_label": r.period_label,
            "due_date": r.due_date.isoformat(), "sent_on": r.sent_on.isoformat() if r.sent_on else None,
            "days_late": self.days_late, "stage": str(self.stage),
        }  # fmt: skip


@dataclass
class SatkerLedger:
    satker: Satker
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(row.missing for row in self.rows)

    @property
    def sent_late(self) -> int:
        return sum(not row.missing for row in self.rows)

    @property
    def at_directorate(self) -> int:
        return sum(row.missing and row.stage == EscalationStage.DIRECTORATE for row in self.rows)


def late_row(report: DueReport, today: date, holidays: frozenset[date]) -> LedgerRow | None:
    """The ledger's row of one due report; None when it was sent on time or is not yet due."""
    if report.due_date >= today:
        return None
    if report.sent_on is not None and (report.on_time or report.sent_on <= report.due_date):
        return None
    until = report.sent_on or today
    working = working_days_after(report.due_date, until, holidays)
    return LedgerRow(
        report=report, missing=report.sent_on is None, days_late=(until - report.due_date).days,
        working_days_late=working, stage=stage_after(working),
    )  # fmt: skip


def holidays_for(fiscal_year: FiscalYear, today: date) -> frozenset[date]:
    """Every holiday a due date or a count of working days of the year may meet (one query)."""
    last = max(today, date(fiscal_year.year + 1, 12, 31))
    return frozenset(
        Holiday.objects.filter(date__gte=date(fiscal_year.year, 1, 1), date__lte=last).values_list("date", flat=True)
    )


def satker_ledgers(
    fiscal_year: FiscalYear,
    satkers: QuerySet[Satker],
    today: date,
    sources: Sequence[ReportSource] | None = None,
) -> list[SatkerLedger]:
    """The ledger of ``satkers`` (already scoped by the caller) for ``fiscal_year``: one entry per
    satker, with its late or missing reports (possibly none), by satker code. A few queries
    whatever the number of satkers: the satkers, the holidays, one per source."""
    listed = list(satkers.select_related("province").order_by("code"))
    holidays = holidays_for(fiscal_year, today)
    ledgers = {satker.pk: SatkerLedger(satker) for satker in listed}
    for source in REPORT_SOURCES if sources is None else sources:
        for report in source.due_reports(fiscal_year, listed, today, holidays):
            row = late_row(report, today, holidays)
            if row is not None:
                ledgers[report.satker.pk].rows.append(row)
    for ledger in ledgers.values():
        ledger.rows.sort(key=lambda row: (row.report.due_date, row.report.kind))
    return list(ledgers.values())


def reporting_satkers(fiscal_year: FiscalYear) -> QuerySet[Satker]:
    """The satkers that owe reports in ``fiscal_year``: those with a DIPA (budget lines) in it."""
    return Satker.objects.filter(budget_lines__fiscal_year=fiscal_year).distinct()
