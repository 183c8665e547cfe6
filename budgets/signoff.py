"""Who decides a report's next step, and when the province has sent it: the one home of the
sign-off rules behind the monthly and the quarterly report's services, the queues, the ledger
and the dashboard's counts.

A provincial satker's report is verified and signed by the head of the provincial service
before it reaches the directorate. The directorate's own central units have no Kepala Dinas:
their heads are the directorate's, so their submitted report goes straight to its review and
is sent when it is submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.delegation import signs_for_province
from budgets.models import MonthlyReport, TimelinessStep

if TYPE_CHECKING:
    from datetime import date, datetime

    from accounts.models import Delegation, User
    from budgets.models import FiscalYear, Satker

Status = MonthlyReport.Status


def verified_by_head(satker: Satker) -> bool:
    return not satker.is_central


def awaits_head(report: MonthlyReport) -> bool:
    return report.status == Status.SUBMITTED and verified_by_head(report.satker)


def awaits_directorate(report: MonthlyReport) -> bool:
    return report.status == Status.VERIFIED or (
        report.status == Status.SUBMITTED and not verified_by_head(report.satker)
    )


def sending_step(report: MonthlyReport) -> str:
    """The step whose first pass is the report's sending, for timeliness."""
    return step_that_sends(fiscal_year=report.fiscal_year, satker=report.satker)


def step_that_sends(*, fiscal_year: FiscalYear, satker: Satker) -> str:
    """The year's timeliness step (``FiscalYear.timeliness_step``), or the submission for a
    satker without a head."""
    if not verified_by_head(satker):
        return TimelinessStep.SUBMISSION
    return fiscal_year.timeliness_step


def sent_at(report: MonthlyReport) -> datetime | None:
    """When the province sent the monthly report (None: not yet). A report approved without a
    verification (before the head's step existed) was sent by its submission."""
    if sending_step(report) == TimelinessStep.SUBMISSION:
        return report.submitted_at
    if report.verified_at is None and report.status == Status.APPROVED:
        return report.submitted_at
    return report.verified_at


def head_delegation(by: User, province_id: int, day: date | None = None) -> Delegation | None:
    """Refuses (PermissionDenied) unless ``by`` signs for the province's head on ``day``; the
    delegation when they act for the head (Plh/Plt), None for the head."""
    signs, delegation = signs_for_province(by, province_id, day)
    if not signs:
        raise PermissionDenied(
            _("Hanya Kepala Dinas provinsi ini (atau Plh/Plt yang ditunjuk) yang dapat memverifikasi laporan.")
        )
    return delegation


def reviews_for_province(user: User, province_id: int) -> bool:
    """Whoever looks over a province's reports: its head (or today's acting head) and the
    directorate's reviewers. They comment on a line and decide the data-quality flags."""
    if not user.is_authenticated:
        return False
    return signs_for_province(user, province_id)[0] or permissions.may_review(user)


def ensure_directorate_reviewer(by: User) -> None:
    if not permissions.may_review(by):
        raise PermissionDenied(_("Hanya reviewer atau admin direktorat yang dapat meninjau laporan."))


def return_comment(comment: str | None) -> str:
    """A return says why: the comment, stripped; refused when empty."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": [_("Tuliskan alasan pengembalian agar satker tahu apa yang harus diperbaiki.")]}
        )
    return comment


def awaiting_head_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Status.SUBMITTED, f"{prefix}satker__is_central": False})


def awaiting_directorate_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Status.VERIFIED}) | Q(
        **{f"{prefix}status": Status.SUBMITTED, f"{prefix}satker__is_central": True}
    )
