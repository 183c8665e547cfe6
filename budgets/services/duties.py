"""Separation of duties: whoever submitted a monthly report, verified it, or wrote any of its
entries, does not decide on it (verify, approve, return or reopen) - admins included, whose role
may both write and review, and an officer acting as head (Plh/Plt) for the report's month.

"Wrote an entry" is read from the history: a Realization, capaian RO (OutputAchievement) or RO
adjustment history record of the report by the user, or a submission of it (a ReportTransition
to SUBMITTED). The month's programme records (WUB, extreme-poverty activities, facilitations)
are part of the same report (their ``report`` foreign key; the reviewer approves them with the
realization), so their history counts too;
budgets cannot import programs, so those apps name their check in settings
(``MONTHLY_REPORT_EDITORS``: dotted paths of ``(report, user) -> bool``), as the report page's
sections are named. A check is one query, so the review page's query count stays constant.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from budgets.models import MonthlyReport, OutputAchievement, OutputAdjustment, Realization, ReportTransition

if TYPE_CHECKING:
    from accounts.models import User

EditorCheck = Callable[[MonthlyReport, "User"], bool]


class DutyConflict(PermissionDenied):
    """The user may review in general, but not this report: they took part in preparing it."""


@cache
def _editor_checks(paths: tuple[str, ...]) -> list[EditorCheck]:
    return [import_string(path) for path in paths]


def _edited(report: MonthlyReport, user: User) -> bool:
    histories = [model.history.filter(report_id=report.pk, history_user=user).values("pk")
                 for model in (Realization, OutputAchievement, OutputAdjustment)]  # fmt: skip
    if histories[0].union(*histories[1:]).exists():
        return True
    checks = _editor_checks(tuple(getattr(settings, "MONTHLY_REPORT_EDITORS", ())))
    return any(check(report, user) for check in checks)


def conflict_of_duty(user: User, report: MonthlyReport) -> str | None:
    """Why ``user`` may not verify, approve, return or reopen ``report`` (None: no conflict).
    The head who verified it does not approve it either: the directorate's review is a second
    pair of eyes."""
    if not user.is_authenticated:
        return None
    Status = MonthlyReport.Status
    steps = set(
        ReportTransition.objects.filter(
            report=report, to_status__in=[Status.SUBMITTED, Status.VERIFIED], by=user
        ).values_list("to_status", flat=True)
    )
    if Status.SUBMITTED in steps:
        return _(
            "Anda mengajukan laporan ini, sehingga tidak dapat memverifikasi, menyetujui, mengembalikan, atau "
            "membukanya kembali; minta pihak lain."
        )
    if Status.VERIFIED in steps and report.status != Status.SUBMITTED:
        return _(
            "Anda memverifikasi laporan ini, sehingga tidak dapat menyetujui atau membukanya kembali; minta "
            "reviewer direktorat."
        )
    if _edited(report, user):
        return _(
            "Anda mengisi atau mengubah data laporan ini, sehingga tidak dapat memverifikasi, menyetujui, "
            "mengembalikan, atau membukanya kembali; minta pihak lain."
        )
    return None


def ensure_no_conflict_of_duty(user: User, report: MonthlyReport) -> None:
    reason = conflict_of_duty(user, report)
    if reason:
        raise DutyConflict(reason)
