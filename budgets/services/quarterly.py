"""The quarterly (and year-end) report's life, and its obstacles.

DRAFT -> SUBMITTED (the officer) -> VERIFIED (the Kepala Dinas, or the acting head Plh/Plt of a
recorded delegation: ``accounts.delegation.signs_for_province``) -> APPROVED (a reviewer or admin
of the directorate). The head returns a submitted report to the officer; the directorate returns
a verified one to the officer too, and it then needs the head's verification again.

- It is submitted only when the monthly reports of its months (the quarter's three; the year-end
  report: all twelve) are APPROVED, and, when the quarter's absorption is below its target or an
  RO's physical progress lags its financial progress by more than 20 points
  (budgets/quarterly_rules.py), only with at least one obstacle reported.
- Separation of duties: whoever submitted it or wrote any of it (narrative, obstacles) does not
  verify, approve or return it; whoever verified it does not approve or return it.
- Timeliness is judged when the province sends the report: at the head's first verification,
  or at the first submission when the fiscal year says so (``FiscalYear.timeliness_step``).
- Every step is audited and bumps the version: a form built on an older version is refused.
- Obstacles belong to the satker: an obstacle first reported in one report is carried into every
  later report of the satker until it is closed (with its outcome and whether it worked).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import notifications, quarterly_rules
from budgets.models import FiscalYear, Obstacle, QuarterlyReport, QuarterlyTransition, Satker, TimelinessStep
from budgets.reports.quarterly import QuarterFigures, figures_snapshot, report_figures
from budgets.services.common import ensure_can_edit_satker, ensure_year_open
from budgets.services.realization import lock_versioned
from budgets.signoff import ensure_directorate_reviewer, head_delegation, return_comment, step_that_sends
from core.audit_log import audit_on_commit

if TYPE_CHECKING:
    from accounts.models import User

Status = QuarterlyReport.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
# The change reason of the history records of what the satker wrote (as against status steps):
# separation of duties reads it.
EDIT = "edit"
STEP = "step"


class QuarterlyDutyConflict(PermissionDenied):
    """The user may verify or review in general, but not this report."""


def quarterly_label(report: QuarterlyReport) -> str:
    return f"{report.satker.code} {report.period_label} {report.fiscal_year.year}"


# --- Reading a report's place in time -------------------------------------------------------


def quarter_has_started(fiscal_year: FiscalYear, period: int, *, year_end: bool, today: date) -> bool:
    """A report is prepared from the quarter's first day (the year-end report from the fourth
    quarter's)."""
    return today >= date(fiscal_year.year, 3 * period - 2, 1)


def _lock(report: QuarterlyReport, expected_version: int | None) -> QuarterlyReport:
    return lock_versioned(report, expected_version, _(
        "Laporan triwulan ini sudah diubah orang lain%(who)s sejak halaman ini dibuka. Perubahan Anda tidak "
        "disimpan; muat ulang halaman untuk melihat data terbaru."
    ))  # fmt: skip


def _require_status(report: QuarterlyReport, *allowed: str) -> None:
    if report.status not in allowed:
        raise ValidationError(
            _("Laporan %(report)s berstatus %(status)s; langkah ini tidak dapat dilakukan.")
            % {"report": quarterly_label(report), "status": report.get_status_display()}
        )


def _saved(report: QuarterlyReport, by: User, reason: str) -> None:
    report.version += 1
    report._history_user = by
    report._change_reason = reason
    report.save()


def _transition(report: QuarterlyReport, *, to: str, by: User, comment: str = "") -> None:
    QuarterlyTransition.objects.create(report=report, from_status=report.status, to_status=to, by=by, comment=comment)
    audit_on_commit("quarterly_transition", report=report.pk, satker=report.satker.code,
                    year=report.fiscal_year.year, period=report.url_period, from_status=report.status, to_status=to,
                    user=by.get_username())  # fmt: skip
    report.status = to


def _mark_sent(report: QuarterlyReport, step: str, now, today: date) -> None:
    """The province sent the report with this step, when it is the year's step and the first."""
    if step_that_sends(fiscal_year=report.fiscal_year, satker=report.satker) == step and report.sent_at is None:
        report.sent_at = now
        report.sent_on_time = today <= report.due_date


# --- Separation of duties -----------------------------------------------------------------


def quarterly_conflict(user: User, report: QuarterlyReport) -> str | None:
    """Why ``user`` may not verify, approve or return ``report`` (None: no conflict)."""
    if not user.is_authenticated:
        return None
    if report.transitions.filter(to_status=Status.SUBMITTED, by=user).exists():
        return _("Anda mengajukan laporan ini, sehingga tidak dapat memverifikasi, menyetujui, atau mengembalikannya.")
    edited = report.history.filter(history_user=user, history_change_reason=EDIT).exists() or (
        Obstacle.history.filter(id__in=report.obstacles.values("pk"), history_user=user).exists()
    )
    if edited:
        return _(
            "Anda menyusun atau mengubah isi laporan ini, sehingga tidak dapat memverifikasi, menyetujui, atau "
            "mengembalikannya."
        )
    if report.status == Status.VERIFIED and report.verified_by_id == user.pk:
        return _("Anda memverifikasi laporan ini, sehingga tidak dapat menyetujui atau mengembalikannya.")
    return None


def _ensure_no_conflict(user: User, report: QuarterlyReport) -> None:
    reason = quarterly_conflict(user, report)
    if reason:
        raise QuarterlyDutyConflict(reason)


def _ensure_editable(by: User, report: QuarterlyReport) -> None:
    ensure_can_edit_satker(by, report.satker)
    ensure_year_open(report.fiscal_year)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Laporan %(report)s berstatus %(status)s dan tidak dapat diubah.")
            % {"report": quarterly_label(report), "status": report.get_status_display()}
        )


# --- Preparing --------------------------------------------------------------------------------


def carry_open_obstacles(report: QuarterlyReport) -> int:
    """Adds to the report every obstacle of its satker still open that an earlier report
    first named; returns how many were added."""
    earlier = [
        obstacle.pk
        for obstacle in Obstacle.objects.filter(satker_id=report.satker_id)
        .exclude(status=Obstacle.State.CLOSED)
        .exclude(reported_in=report)
        .select_related("opened_in__fiscal_year")
        if obstacle.opened_in.sequence < report.sequence
    ]
    if earlier:
        report.obstacles.add(*earlier)
    return len(earlier)


@transaction.atomic
def quarterly_prepare(
    *, satker: Satker, fiscal_year: FiscalYear, period: int, year_end: bool = False, by: User, today: date | None = None
) -> QuarterlyReport:
    """The officer opens the quarter's report (a draft with its due date), or gets the existing
    one; open obstacles of earlier reports come into it."""
    today = today or timezone.localdate()
    if period not in quarterly_rules.QUARTERS or (year_end and period != 4):
        raise ValidationError(_("Triwulan harus 1 sampai 4."))
    ensure_can_edit_satker(by, satker)
    ensure_year_open(fiscal_year)
    if satker.is_central:
        raise ValidationError(_("Unit pusat direktorat tidak menyusun laporan triwulan DK-TP."))
    if not quarter_has_started(fiscal_year, period, year_end=year_end, today=today):
        raise ValidationError(_("Triwulan ini belum dimulai."))
    Satker.objects.select_for_update().get(pk=satker.pk)
    kind = QuarterlyReport.Kind.YEAR_END if year_end else QuarterlyReport.Kind.QUARTER
    report = QuarterlyReport.objects.filter(satker=satker, fiscal_year=fiscal_year, kind=kind, period=period).first()
    if report is None:
        report = QuarterlyReport(
            satker=satker, fiscal_year=fiscal_year, kind=kind, period=period,
            due_date=quarterly_rules.quarter_due_date(fiscal_year.year, period),
        )  # fmt: skip
        report._history_user = by
        report._change_reason = EDIT
        report.save()
    if report.status in EDITABLE:
        carry_open_obstacles(report)
    return report


@transaction.atomic
def quarterly_narrative_set(
    *, report: QuarterlyReport, by: User, narrative: str, expected_version: int | None
) -> QuarterlyReport:
    _ensure_editable(by, report)
    report = _lock(report, expected_version)
    _ensure_editable(by, report)
    report.narrative = narrative.strip()
    _saved(report, by, EDIT)
    return report


# --- Obstacles --------------------------------------------------------------------------------

OBSTACLE_FIELDS = ("category", "description", "amount_at_risk", "follow_up", "owner", "target_date", "status")


def _clean_obstacle(obstacle: Obstacle) -> None:
    errors = {}
    if obstacle.amount_at_risk is None or obstacle.amount_at_risk < 0:
        errors["amount_at_risk"] = [_("Anggaran terdampak tidak boleh negatif.")]
    for name in ("description", "follow_up", "owner"):
        if not (getattr(obstacle, name) or "").strip():
            errors[name] = [_("Bidang ini tidak boleh kosong.")]
    if obstacle.category not in Obstacle.Category.values:
        errors["category"] = [_("Pilih kategori kendala.")]
    if obstacle.status == Obstacle.State.CLOSED:
        errors["status"] = [_("Kendala ditutup dengan mengisi hasil tindak lanjutnya.")]
    if errors:
        raise ValidationError(errors)


def _obstacle_of(report: QuarterlyReport, obstacle: Obstacle) -> Obstacle:
    """The obstacle, locked, when the report names it; else it is not this report's to change."""
    locked = Obstacle.objects.select_for_update().filter(pk=obstacle.pk, reported_in=report).first()
    if locked is None:
        raise ValidationError(_("Kendala ini tidak termuat dalam laporan ini."))
    if not locked.is_open:
        raise ValidationError(_("Kendala ini sudah ditutup."))
    return locked


@transaction.atomic
def obstacle_add(*, report: QuarterlyReport, by: User, expected_version: int | None = None, **fields) -> Obstacle:
    """A new obstacle, first reported in ``report`` (fields: OBSTACLE_FIELDS)."""
    _ensure_editable(by, report)
    report = _lock(report, expected_version)
    _ensure_editable(by, report)
    obstacle = Obstacle(satker=report.satker, opened_in=report, **{k: fields.get(k) for k in OBSTACLE_FIELDS
                                                                   if fields.get(k) is not None})  # fmt: skip
    _clean_obstacle(obstacle)
    obstacle._history_user = by
    obstacle.save()
    report.obstacles.add(obstacle)
    _saved(report, by, EDIT)
    return obstacle


@transaction.atomic
def obstacle_update(
    *, report: QuarterlyReport, obstacle: Obstacle, by: User, expected_version: int | None = None, **fields
) -> Obstacle:
    """Changes an open obstacle named by an editable report (its follow-up, status...)."""
    _ensure_editable(by, report)
    report = _lock(report, expected_version)
    _ensure_editable(by, report)
    obstacle = _obstacle_of(report, obstacle)
    for name in OBSTACLE_FIELDS:
        if name in fields:
            setattr(obstacle, name, fields[name])
    _clean_obstacle(obstacle)
    obstacle._history_user = by
    obstacle.save()
    _saved(report, by, EDIT)
    return obstacle


@transaction.atomic
def obstacle_close(
    *, report: QuarterlyReport, obstacle: Obstacle, by: User, outcome: str, resolved: bool | None,
    expected_version: int | None = None,
) -> Obstacle:  # fmt: skip
    """Closes an obstacle with what its follow-up achieved and whether it solved the problem."""
    errors = {}
    if not (outcome or "").strip():
        errors["outcome"] = [_("Tuliskan hasil tindak lanjut sebelum menutup kendala.")]
    if resolved is None:
        errors["resolved"] = [_("Pilih apakah tindak lanjut berhasil menyelesaikan kendala.")]
    if errors:
        raise ValidationError(errors)
    _ensure_editable(by, report)
    report = _lock(report, expected_version)
    _ensure_editable(by, report)
    obstacle = _obstacle_of(report, obstacle)
    obstacle.status = Obstacle.State.CLOSED
    obstacle.outcome = outcome.strip()
    obstacle.resolved = resolved
    obstacle.closed_at = timezone.now()
    obstacle._history_user = by
    obstacle.save()
    _saved(report, by, EDIT)
    return obstacle


# --- The steps --------------------------------------------------------------------------------


def submit_problems(report: QuarterlyReport, *, today: date, figures: QuarterFigures | None = None) -> list[str]:
    """What keeps the report from being submitted (empty: nothing): months not approved, or an
    obstacle required and none reported. ``figures``: the report's, when the caller has them."""
    figures = figures or report_figures(report, today=today, live=True)
    missing = figures.months_not_approved
    if missing:
        return [
            _(
                "Laporan bulanan %(months)s %(year)s belum disetujui; laporan %(report)s baru dapat diajukan setelah "
                "laporan bulanan tersebut disetujui."
            )
            % {
                "months": quarterly_rules.months_text(missing),
                "year": report.fiscal_year.year,
                "report": report.period_label,
            }
        ]
    reasons = figures.obstacle_reasons()
    if reasons and not report.obstacles.exists():
        return [
            _("Laporan ini wajib memuat sedikitnya satu kendala beserta usulan tindak lanjutnya, karena %(reasons)s.")
            % {"reasons": "; ".join(reasons)}
        ]
    return []


@transaction.atomic
def quarterly_submit(
    *, report: QuarterlyReport, by: User, expected_version: int | None = None, today: date | None = None
) -> QuarterlyReport:
    """The officer hands the report to the head for verification."""
    today = today or timezone.localdate()
    _ensure_editable(by, report)
    report = _lock(report, expected_version)
    _ensure_editable(by, report)
    carry_open_obstacles(report)
    problems = submit_problems(report, today=today)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    _transition(report, to=Status.SUBMITTED, by=by)
    report.submitted_at, report.submitted_by = now, by
    _mark_sent(report, TimelinessStep.SUBMISSION, now, today)
    _saved(report, by, STEP)
    transaction.on_commit(lambda: notifications.quarterly_step(report, Status.SUBMITTED))
    return report


def ensure_may_verify(by: User, report: QuarterlyReport, day: date | None = None):
    """The head of the report's province (or the acting head) on ``day``; returns the delegation
    when acting."""
    return head_delegation(by, report.satker.province_id, day)


@transaction.atomic
def quarterly_verify(
    *, report: QuarterlyReport, by: User, note: str = "", expected_version: int | None = None,
    today: date | None = None,
) -> QuarterlyReport:  # fmt: skip
    """The head verifies and signs the submitted report: it goes to the directorate."""
    today = today or timezone.localdate()
    delegation = ensure_may_verify(by, report, today)
    report = _lock(report, expected_version)
    _require_status(report, Status.SUBMITTED)
    _ensure_no_conflict(by, report)
    now = timezone.now()
    _transition(report, to=Status.VERIFIED, by=by, comment=note.strip())
    report.verified_at, report.verified_by, report.verified_under = now, by, delegation
    report.signed_figures = figures_snapshot(report_figures(report, today=today, live=True))
    _mark_sent(report, TimelinessStep.VERIFICATION, now, today)
    _saved(report, by, STEP)
    transaction.on_commit(lambda: notifications.quarterly_step(report, Status.VERIFIED))
    return report


def ensure_may_review(by: User) -> None:
    ensure_directorate_reviewer(by)


@transaction.atomic
def quarterly_approve(
    *, report: QuarterlyReport, by: User, note: str = "", expected_version: int | None = None
) -> QuarterlyReport:
    ensure_may_review(by)
    report = _lock(report, expected_version)
    _require_status(report, Status.VERIFIED)
    _ensure_no_conflict(by, report)
    _transition(report, to=Status.APPROVED, by=by, comment=note.strip())
    report.approved_at = timezone.now()
    _saved(report, by, STEP)
    transaction.on_commit(lambda: notifications.quarterly_step(report, Status.APPROVED))
    return report


@transaction.atomic
def quarterly_return(
    *, report: QuarterlyReport, by: User, comment: str, expected_version: int | None = None,
    today: date | None = None,
) -> QuarterlyReport:  # fmt: skip
    """Back to the officer: by the head from SUBMITTED, by the directorate from VERIFIED (it
    then needs the head's verification again)."""
    comment = return_comment(comment)
    report = _lock(report, expected_version)
    if report.status == Status.SUBMITTED:
        ensure_may_verify(by, report, today)
    elif report.status == Status.VERIFIED:
        ensure_may_review(by)
    else:
        _require_status(report, Status.SUBMITTED, Status.VERIFIED)
    _ensure_no_conflict(by, report)
    _transition(report, to=Status.RETURNED, by=by, comment=comment)
    report.verified_at = report.verified_by = report.verified_under = report.signed_figures = None
    _saved(report, by, STEP)
    transaction.on_commit(lambda: notifications.quarterly_step(report, Status.RETURNED, comment))
    return report
