"""E-mail to the people who must act: reviewers on submission, the satker's officers on
return and approval, and reminders for reports that are due.

Always in the site's language (Indonesian): the recipients' own language is not stored, and the
language of whoever triggered the e-mail (a reviewer reading the English interface) says
nothing about the officer who reads it."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.roles import Notice
from budgets.models import FiscalYear, MonthlyReport, Satker
from core import mail_outbox

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


def _addresses(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def reviewer_addresses() -> list[str]:
    roles = permissions.roles_notified(Notice.AWAITING_REVIEW)
    return _addresses(get_user_model().objects.filter(is_active=True, role__in=roles))


def officer_addresses(satker: Satker) -> list[str]:
    roles = permissions.roles_notified(Notice.PROVINCE_REPORTS)
    return _addresses(get_user_model().objects.filter(is_active=True, role__in=roles, province_id=satker.province_id))


def head_addresses(satker: Satker) -> list[str]:
    """The province's heads: they verify what the officers submit."""
    from accounts.roles import Role

    return _addresses(get_user_model().objects.filter(is_active=True, role=Role.HEAD, province_id=satker.province_id))


def _send(subject: str, body: str, recipients: list[str]) -> int:
    if not recipients:
        logger.info("no recipients for %r", subject)
        return 0
    # Through the outbox: the step has committed; a mail server that is down leaves the e-mail
    # queued with its error (admin, log) for the next retry instead of losing it.
    return mail_outbox.send(subject, body, recipients)


def _report_url(report: MonthlyReport) -> str:
    # An e-mail is read outside the site: a path alone is no link (settings.SITE_URL, DJANGO_SITE_URL).
    return settings.SITE_URL + reverse("budgets:report-detail", args=[report.pk])


def _describe(report: MonthlyReport) -> str:
    return f"{report.satker.code} {report.satker.name}, {report.get_month_display()} {report.fiscal_year.year}"


@in_site_language
def report_submitted(report: MonthlyReport) -> int:
    return _send(
        _("[Monitoring IKMA] Laporan diajukan: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah diajukan dan menunggu verifikasi Kepala Dinas.\n\nBuka: %(url)s")
        % {"report": _describe(report), "url": _report_url(report)},
        head_addresses(report.satker),
    )


@in_site_language
def report_verified(report: MonthlyReport) -> int:
    return _send(
        _("[Monitoring IKMA] Laporan diverifikasi: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah diverifikasi Kepala Dinas dan menunggu tinjauan.\n\nBuka: %(url)s")
        % {"report": _describe(report), "url": _report_url(report)},
        reviewer_addresses(),
    )


@in_site_language
def report_withdrawn(report: MonthlyReport) -> int:
    """The heads were told of the submission: they are told it is no longer in their queue."""
    return _send(
        _("[Monitoring IKMA] Pengajuan ditarik kembali: %(report)s") % {"report": _describe(report)},
        _("Pengajuan laporan bulanan %(report)s ditarik kembali oleh satker dan tidak perlu ditinjau.\n\nBuka: %(url)s")
        % {"report": _describe(report), "url": _report_url(report)},
        head_addresses(report.satker),
    )


@in_site_language
def report_approved(report: MonthlyReport) -> int:
    return _send(
        _("[Monitoring IKMA] Laporan disetujui: %(report)s") % {"report": _describe(report)},
        _("Laporan bulanan %(report)s telah disetujui.\n\nBuka: %(url)s")
        % {"report": _describe(report), "url": _report_url(report)},
        officer_addresses(report.satker),
    )


@in_site_language
def report_returned(report: MonthlyReport, comment: str) -> int:
    return _send(
        _("[Monitoring IKMA] Laporan dikembalikan: %(report)s") % {"report": _describe(report)},
        _(
            "Laporan bulanan %(report)s dikembalikan untuk diperbaiki.\n\n"
            "Komentar reviewer:\n%(comment)s\n\nBuka: %(url)s"
        )
        % {"report": _describe(report), "comment": comment, "url": _report_url(report)},
        officer_addresses(report.satker),
    )


HANDED_IN = [MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.VERIFIED, MonthlyReport.Status.APPROVED]


def due_reports_missing(today: date) -> list[tuple[Satker, FiscalYear, int, date]]:
    """(satker, year, month, due date) of every report due by ``today`` and not handed in, for
    satkers with a DIPA in an open year; months whose report was never started count too."""
    from budgets.calendar import report_due_date

    missing = []
    for fiscal_year in FiscalYear.objects.filter(is_closed=False, year__lte=today.year):
        last_month = 12 if fiscal_year.year < today.year else today.month - 1
        due_months = [m for m in range(1, last_month + 1) if report_due_date(fiscal_year.year, m) <= today]
        if not due_months:
            continue
        satkers = Satker.objects.filter(budget_lines__fiscal_year=fiscal_year).distinct()
        handed_in = set(
            MonthlyReport.objects.filter(fiscal_year=fiscal_year, month__in=due_months)
            .filter(status__in=HANDED_IN)
            .values_list("satker_id", "month")
        )
        for satker in satkers:
            for month in due_months:
                if (satker.pk, month) not in handed_in:
                    missing.append((satker, fiscal_year, month, report_due_date(fiscal_year.year, month)))
    return missing


@in_site_language
def send_due_reminders(today: date) -> tuple[int, int]:
    """E-mail each satker's officers the list of their overdue reports; (satkers, e-mails)."""
    by_satker: dict[Satker, list[tuple[FiscalYear, int, date]]] = {}
    for satker, fiscal_year, month, due in due_reports_missing(today):
        by_satker.setdefault(satker, []).append((fiscal_year, month, due))
    sent = 0
    for satker, months in by_satker.items():
        listing = "\n".join(
            f"- {fy.year}-{month:02d} ({_('batas')} {date_format(due, 'j F Y')})" for fy, month, due in months
        )
        sent += _send(
            _("[Monitoring IKMA] Pengingat laporan bulanan %(satker)s") % {"satker": satker.code},
            _("Laporan bulanan berikut sudah melewati batas waktu dan belum diajukan:\n%(listing)s")
            % {"listing": listing},
            officer_addresses(satker),
        )
    return len(by_satker), sent
