"""Telling the people who must act, by e-mail (core.mail_outbox) and in their in-app inbox
(core.inbox), with a link to the page:

- a report submitted: the province's Kepala Dinas and whoever acts for him that day (Plh/Plt),
  who verifies it; the directorate is told only once the head has verified it;
- a report verified (sent by the province): the directorate's reviewers;
- a report returned or approved: the satker's operators (officers) and the head;
- a submission withdrawn: whoever was told of it;
- a comment thread opened on a report's line, RO row or record: the satker's operators; an
  answer: the thread's opener and whoever wrote in it, but not the answer's author; resolving a
  thread tells nobody;
- a report late: escalating reminders (budgets/ledger.py): operators, then the head, then the
  directorate's list; each stage once.

Who is told is decided in the recipient functions below (one place), from the role table
(accounts/roles.py) and the delegations (accounts/delegation.py).

Always in the site's language (Indonesian): the recipients' own language is not stored, and the
language of whoever triggered the e-mail (a reviewer reading the English interface) says
nothing about the officer who reads it."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.delegation import signers_of_province
from accounts.roles import Can, Notice
from budgets import ledger
from budgets.models import (
    EscalationStage,
    FiscalYear,
    LateReminder,
    LineComment,
    MonthlyReport,
    QuarterlyReport,
    Satker,
)
from core import inbox, mail_outbox

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(send: Callable[P, R]) -> Callable[P, R]:
    """``send`` with its subject, body, month names and dates in settings.LANGUAGE_CODE. A new
    ``override`` per call: one instance used as a decorator would keep each call's previous
    language on itself, shared by the server's threads."""

    @functools.wraps(send)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return send(*args, **kwargs)

    return wrapped


# -- Who is told (the one place) --------------------------------------------------------------


def reviewers() -> list[Any]:
    """The directorate's reviewers: told when a report reaches them (verified by the province)."""
    roles = permissions.roles_notified(Notice.AWAITING_REVIEW)
    return list(get_user_model().objects.filter(is_active=True, role__in=roles).order_by("pk"))


def operators(satker: Satker) -> list[Any]:
    """The satker's operators: the province's roles told of its reports that write them (officers)."""
    roles = set(permissions.roles_notified(Notice.PROVINCE_REPORTS)) & set(permissions.roles_able(Can.WRITE))
    return list(
        get_user_model().objects.filter(is_active=True, role__in=roles, province_id=satker.province_id).order_by("pk")
    )


def heads(satker: Satker, day: date | None = None) -> list[Any]:
    """The province's Kepala Dinas and whoever acts for him on ``day`` (Plh/Plt)."""
    return signers_of_province(satker.province_id, day or timezone.localdate())


def province_staff(satker: Satker) -> list[Any]:
    """Operators and heads: told of the outcome of the review."""
    return _unique([*operators(satker), *heads(satker)])


def _unique(users: Iterable[Any]) -> list[Any]:
    return list({user.pk: user for user in users}.values())


# -- Sending ------------------------------------------------------------------------------------


def _tell(users: Iterable[Any], subject: str, body: str, path: str) -> int:
    """E-mail (the absolute link) and an inbox notification (the site path) to ``users``; the
    number of e-mails that went out."""
    users = _unique(users)
    if not users:
        logger.info("no recipients for %r", subject)
        return 0
    link = settings.SITE_URL + path if path else ""
    inbox.notify(users, subject, body, path)
    addresses = sorted({u.email for u in users if u.email})
    if not addresses:
        return 0
    # Through the outbox: the step has committed; a mail server that is down leaves the e-mail
    # queued with its error (admin, log) for the next retry instead of losing it.
    full_body = f"{body}\n\n{_('Buka')}: {link}" if link else body
    return mail_outbox.send(subject, full_body, addresses)


def _report_path(report: MonthlyReport) -> str:
    return reverse("budgets:report-detail", args=[report.pk])


def _describe(report: MonthlyReport) -> str:
    return f"{report.satker.code} {report.satker.name}, {report.get_month_display()} {report.fiscal_year.year}"


@in_site_language
def report_submitted(report: MonthlyReport) -> int:
    """To the head (and the acting head): the report awaits the head's verification."""
    return _tell(
        heads(report.satker),
        _("[Monitoring IKMA] Laporan diajukan: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah diajukan oleh petugas dan menunggu verifikasi Kepala Dinas.")
        % {"report": _describe(report)},
        _report_path(report),
    )


@in_site_language
def report_verified(report: MonthlyReport) -> int:
    """To the directorate's reviewers: the province has sent the report, it awaits review."""
    return _tell(
        reviewers(),
        _("[Monitoring IKMA] Laporan diverifikasi: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah diverifikasi Kepala Dinas dan menunggu tinjauan.")
        % {"report": _describe(report)},
        _report_path(report),
    )


@in_site_language
def report_withdrawn(report: MonthlyReport) -> int:
    """Whoever was told of the submission (the head; the reviewers too if it had been verified)
    is told it no longer awaits them."""
    told = heads(report.satker) + (reviewers() if report.verified_at else [])
    return _tell(
        told,
        _("[Monitoring IKMA] Pengajuan ditarik kembali: %(report)s") % {"report": _describe(report)},
        _("Pengajuan laporan bulanan %(report)s ditarik kembali oleh satker dan tidak perlu ditinjau.")
        % {"report": _describe(report)},
        _report_path(report),
    )


@in_site_language
def report_approved(report: MonthlyReport) -> int:
    return _tell(
        province_staff(report.satker),
        _("[Monitoring IKMA] Laporan disetujui: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah disetujui.") % {"report": _describe(report)},
        _report_path(report),
    )


@in_site_language
def report_returned(report: MonthlyReport, comment: str) -> int:
    return _tell(
        province_staff(report.satker),
        _("[Monitoring IKMA] Laporan dikembalikan: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s dikembalikan untuk diperbaiki.\n\nKomentar reviewer:\n%(comment)s")
        % {"report": _describe(report), "comment": comment},
        _report_path(report),
    )


# -- Comments on one line, RO row or record of a monthly report ----------------------------------


def thread_writers(thread: LineComment) -> list[Any]:
    """The thread's opener and everyone who answered in it (oldest first)."""
    replies = LineComment.objects.filter(thread_id=thread.pk).select_related("author").order_by("created_at", "pk")
    return _unique([thread.author, *(reply.author for reply in replies)])


def _comment_report(comment: LineComment) -> MonthlyReport:
    return MonthlyReport.objects.select_related("satker", "fiscal_year").get(pk=comment.report_id)


def _comment_words(comment: LineComment, report: MonthlyReport) -> dict[str, str]:
    author = comment.author
    return {"who": author.get_full_name() or author.get_username(), "report": _describe(report), "body": comment.body}


@in_site_language
def comment_opened(thread: LineComment) -> int:
    """A reviewer opened a thread: the satker's operators, who answer it."""
    report = _comment_report(thread)
    return _tell(
        [user for user in operators(report.satker) if user.pk != thread.author_id],
        _("[Monitoring IKMA] Komentar baru pada laporan: %(report)s") % {"report": _describe(report)},
        _("%(who)s membuka komentar pada laporan bulanan %(report)s:\n\n%(body)s") % _comment_words(thread, report),
        _report_path(report) + "#komentar",
    )


@in_site_language
def comment_answered(reply: LineComment) -> int:
    """An answer in a thread: its opener and whoever wrote in it, not the answer's author."""
    report = _comment_report(reply)
    thread = LineComment.objects.select_related("author").get(pk=reply.thread_id)
    return _tell(
        [user for user in thread_writers(thread) if user.pk != reply.author_id],
        _("[Monitoring IKMA] Jawaban komentar pada laporan: %(report)s") % {"report": _describe(report)},
        _("%(who)s menjawab komentar pada laporan bulanan %(report)s:\n\n%(body)s") % _comment_words(reply, report),
        _report_path(report) + "#komentar",
    )


# -- The quarterly and year-end report: the same steps, the same people --------------------------


def _describe_quarterly(report: QuarterlyReport) -> str:
    return f"{report.satker.code} {report.satker.name}, {report.period_label} {report.fiscal_year.year}"


def _quarterly_path(report: QuarterlyReport) -> str:
    return reverse("budgets:quarterly-detail", args=[report.satker.code, report.fiscal_year.year, report.url_period])


@in_site_language
def quarterly_step(report: QuarterlyReport, step: str, comment: str = "") -> int:
    """Tell whoever must act after ``step`` (SUBMITTED: the head; VERIFIED: the directorate;
    APPROVED or RETURNED: the officers and the head) of a quarterly or year-end report."""
    Status = QuarterlyReport.Status
    what = {"report": _describe_quarterly(report), "comment": comment}
    messages = {
        Status.SUBMITTED: (heads(report.satker), _("[Monitoring IKMA] Laporan triwulan diajukan: %(report)s"),
                           _("Laporan %(report)s telah diajukan oleh petugas dan menunggu verifikasi Kepala Dinas.")),
        Status.VERIFIED: (reviewers(), _("[Monitoring IKMA] Laporan triwulan diverifikasi: %(report)s"),
                          _("Laporan %(report)s telah diverifikasi Kepala Dinas dan menunggu tinjauan.")),
        Status.APPROVED: (province_staff(report.satker), _("[Monitoring IKMA] Laporan triwulan disetujui: %(report)s"),
                          _("Laporan %(report)s telah disetujui.")),
        Status.RETURNED: (province_staff(report.satker),
                          _("[Monitoring IKMA] Laporan triwulan dikembalikan: %(report)s"),
                          _("Laporan %(report)s dikembalikan untuk diperbaiki.\n\nKomentar:\n%(comment)s")),
    }  # fmt: skip
    users, subject, body = messages[step]
    return _tell(users, subject % what, body % what, _quarterly_path(report))


# -- Late reports: escalating reminders --------------------------------------------------------


def _stage_recipients(stage: EscalationStage, satker: Satker, today: date) -> list[Any]:
    if stage == EscalationStage.OPERATOR:
        return operators(satker)
    if stage == EscalationStage.HEAD:
        return heads(satker, today)
    return reviewers()


def _stage_message(stage: EscalationStage, satker: Satker, listing: str) -> tuple[str, str]:
    if stage == EscalationStage.OPERATOR:
        return (
            _("[Monitoring IKMA] Pengingat laporan bulanan %(satker)s") % {"satker": satker.code},
            _("Laporan berikut sudah melewati batas waktu dan belum diajukan:\n%(listing)s") % {"listing": listing},
        )
    if stage == EscalationStage.HEAD:
        return (
            _("[Monitoring IKMA] Pengingat untuk Kepala Dinas: laporan %(satker)s terlambat") % {"satker": satker.code},
            _(
                "Laporan berikut belum dikirim %(days)s hari kerja atau lebih setelah batas waktu:\n%(listing)s\n\n"
                "Kewajiban melapor tetap berlaku; keterlambatan dapat berujung sanksi (PP 7/2008 pasal 75)."
            )
            % {"days": ledger.HEAD_STAGE_WORKING_DAYS, "listing": listing},
        )
    return (
        _("[Monitoring IKMA] Daftar direktorat: laporan %(satker)s %(name)s terlambat")
        % {"satker": satker.code, "name": satker.name},
        _("Laporan berikut belum dikirim %(days)s hari kerja atau lebih setelah batas waktu:\n%(listing)s")
        % {"days": ledger.DIRECTORATE_STAGE_WORKING_DAYS, "listing": listing},
    )


@in_site_language
def send_due_reminders(today: date) -> tuple[int, int]:
    """Escalate every late report of the open years (budgets/ledger.py): each stage it has
    reached and whose reminder was not sent yet, in order, one e-mail per satker and stage
    listing its reports; each is recorded (``LateReminder``) and never sent again.
    (satkers with a report not sent, e-mails sent)."""
    satkers_late: set[int] = set()
    sent = 0
    for fiscal_year in FiscalYear.objects.filter(is_closed=False, year__lte=today.year).order_by("year"):
        done = set(
            LateReminder.objects.filter(fiscal_year=fiscal_year).values_list("satker_id", "kind", "period", "stage")
        )
        for entry in ledger.satker_ledgers(fiscal_year, ledger.reporting_satkers(fiscal_year), today):
            owed: dict[EscalationStage, list[ledger.LedgerRow]] = {}
            for row in entry.rows:
                if row.missing:
                    satkers_late.add(entry.satker.pk)
                for stage in row.stages_due:
                    if (entry.satker.pk, row.report.kind, row.report.period, stage) not in done:
                        owed.setdefault(stage, []).append(row)
            for stage in ledger.STAGES:
                if stage in owed:
                    sent += _remind(fiscal_year, entry.satker, stage, owed[stage], today)
    return len(satkers_late), sent


def _remind(fiscal_year: FiscalYear, satker: Satker, stage: EscalationStage, rows: list[Any], today: date) -> int:
    LateReminder.objects.bulk_create(
        [
            LateReminder(
                satker=satker, fiscal_year=fiscal_year, kind=row.report.kind, period=row.report.period, stage=stage
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    listing = "\n".join(
        f"- {row.report.kind_label} {row.report.period} ({_('batas')} {date_format(row.report.due_date, 'j F Y')}): "
        f"{_('terlambat %(days)s hari') % {'days': row.days_late}}"
        for row in rows
    )
    subject, body = _stage_message(stage, satker, listing)
    path = reverse("budgets:ledger") + f"?year={fiscal_year.year}"
    return _tell(_stage_recipients(stage, satker, today), subject, body, path)
