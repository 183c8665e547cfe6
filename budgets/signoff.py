"""Who decides a monthly report's next step, and when the province has sent it: the one rule
behind the services, the queues and the dashboard's counts.

A provincial satker's report is verified and signed by the head of the provincial service
before it reaches the directorate. The directorate's own central units have no Kepala Dinas:
their heads are the directorate's, so their submitted report goes straight to its review and
is sent when it is submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from budgets.models import MonthlyReport, TimelinessStep

if TYPE_CHECKING:
    from budgets.models import Satker

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
    if not verified_by_head(report.satker):
        return TimelinessStep.SUBMISSION
    return report.fiscal_year.timeliness_step


def awaiting_head_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Status.SUBMITTED, f"{prefix}satker__is_central": False})


def awaiting_directorate_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Status.VERIFIED}) | Q(
        **{f"{prefix}status": Status.SUBMITTED, f"{prefix}satker__is_central": True}
    )
