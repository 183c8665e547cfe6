"""Separation of duties: whoever submitted a monthly report, or wrote any of its entries, does not
decide on it (approve, return or reopen) - admins included, whose role may do both.

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
    """Why ``user`` may not approve, return or reopen ``report`` (None: no conflict)."""
    if not user.is_authenticated:
        return None
    submitted = ReportTransition.objects.filter(
        report=report, to_status=MonthlyReport.Status.SUBMITTED, by=user
    ).exists()
    if submitted:
        return _(
            "Anda mengajukan laporan ini, sehingga tidak dapat menyetujui, mengembalikan, atau membukanya "
            "kembali; minta reviewer lain."
        )
    if _edited(report, user):
        return _(
            "Anda mengisi atau mengubah data laporan ini, sehingga tidak dapat menyetujui, mengembalikan, atau "
            "membukanya kembali; minta reviewer lain."
        )
    return None


def ensure_no_conflict_of_duty(user: User, report: MonthlyReport) -> None:
    reason = conflict_of_duty(user, report)
    if reason:
        raise DutyConflict(reason)
