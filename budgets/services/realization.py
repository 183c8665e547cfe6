"""Monthly realization entry, with the rules of the issue and an optimistic version check."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets import realization_summary
from budgets.calendar import report_due_date
from budgets.models import BudgetLine, FiscalYear, MonthlyReport, Realization, Satker
from budgets.services.common import ensure_can_edit_satker, report_new_version
from budgets.services.editability import ensure_month_editable, line_lock, returned_targets
from core.formats import format_rupiah

if TYPE_CHECKING:
    from accounts.models import User


class StaleVersion(ValidationError):
    """The form was built on an older version of the report than the one now stored."""


def report_get_or_create(*, satker: Satker, fiscal_year: FiscalYear, month: int) -> tuple[MonthlyReport, bool]:
    """The month's report, created as a draft with its due date when it does not exist yet.

    Callers inside a transaction lock the satker row first, so two first saves of the same
    month cannot both try to create it."""
    return MonthlyReport.objects.get_or_create(
        satker=satker,
        fiscal_year=fiscal_year,
        month=month,
        defaults={"due_date": report_due_date(fiscal_year.year, month)},
    )


R = TypeVar("R")


def lock_versioned(report: R, expected_version: int | None, stale: str) -> R:
    """A report's row (monthly or quarterly: a ``version`` and history), locked for this
    transaction; refused with ``stale`` (its ``%(who)s``: who saved last) when someone saved
    since the form was built on ``expected_version``."""
    # OF self: the joined satker and fiscal-year rows are read, not locked (PostgreSQL's FOR UPDATE
    # locks every table of the statement): a lock on the year's row queued every writer of the
    # year, across all satkers, behind each other and deadlocked them (make load, issue 25).
    locked = (
        type(report).objects.select_for_update(of=("self",)).select_related("satker", "fiscal_year").get(pk=report.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        last = locked.history.first()
        who = getattr(last.history_user, "username", None) if last else None
        raise StaleVersion(stale % {"who": f" ({who})" if who else ""}, code="stale")
    return locked


def lock_report(report: MonthlyReport, expected_version: int | None) -> MonthlyReport:
    """The report row, locked for this transaction; refuses when someone saved in between."""
    return lock_versioned(report, expected_version, _(
        "Data bulan ini sudah diubah orang lain%(who)s sejak halaman ini dibuka. Perubahan Anda tidak "
        "disimpan; muat ulang halaman untuk melihat data terbaru, lalu isi kembali."
    ))  # fmt: skip


def realized_elsewhere(report: MonthlyReport) -> dict[int, int]:
    """Per budget line of the report's satker-year: realization in all the other months."""
    return dict(
        Realization.objects.filter(report__satker=report.satker, report__fiscal_year=report.fiscal_year)
        .exclude(report=report)
        .values("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )


@transaction.atomic
def realization_set(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    amounts: dict[int, int],
    expected_version: int | None,
    by: User,
    today: date | None = None,
    reason: str | None = None,
) -> MonthlyReport:
    """Store a month's realization per budget line (id -> whole rupiah, not cumulative).

    ``reason`` is kept as the change reason of the history records (an import names its upload).

    ``expected_version`` is the report version the form was built on (0: no report existed);
    a different stored version means someone saved in between, and nothing is written. Every
    line is checked before anything is written; all problems come back together in one
    ValidationError keyed ``line-<id>`` (or ``__all__``).
    """
    today = today or timezone.localdate()
    ensure_can_edit_satker(by, satker)
    Satker.objects.select_for_update().get(pk=satker.pk)
    report, created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=month)
    if created and expected_version == 0:
        expected_version = report.version
    report = lock_report(report, expected_version)
    ensure_month_editable(fiscal_year=report.fiscal_year, month=report.month, report=report, today=today)

    lines = {line.pk: line for line in BudgetLine.objects.filter(satker=report.satker, fiscal_year=report.fiscal_year)
             .select_related("component", "account")}  # fmt: skip
    elsewhere = realized_elsewhere(report)
    existing = {r.line_id: r for r in report.realizations.all()}
    targets = returned_targets(report)
    errors: dict[str, list[str]] = {}
    for line_id, amount in amounts.items():
        line = lines.get(line_id)
        if line is None:
            errors.setdefault("__all__", []).append(_("Baris pagu %(id)s bukan milik DIPA ini.") % {"id": line_id})
            continue
        stored = existing[line_id].amount if line_id in existing else 0
        locked = line_lock(targets, line_id=line_id) if amount != stored else None
        if locked:
            errors[f"line-{line_id}"] = [locked]
            continue
        if amount < 0:
            errors[f"line-{line_id}"] = [_("Realisasi tidak boleh negatif.")]
            continue
        cumulative = elsewhere.get(line_id, 0) + amount
        if cumulative > line.pagu_efektif:
            errors[f"line-{line_id}"] = [
                _(
                    "Realisasi kumulatif %(line)s menjadi %(cumulative)s, melebihi pagu efektif %(pagu)s "
                    "(bulan lain %(before)s, bulan ini %(amount)s)."
                )
                % {
                    "line": line,
                    "cumulative": format_rupiah(cumulative),
                    "pagu": format_rupiah(line.pagu_efektif),
                    "before": format_rupiah(elsewhere.get(line_id, 0)),
                    "amount": format_rupiah(amount),
                }
            ]
    if errors:
        raise ValidationError(errors)

    to_create, to_update = [], []
    for line_id, amount in amounts.items():
        row = existing.get(line_id)
        if row is None:
            if amount:
                to_create.append(Realization(report=report, line_id=line_id, amount=amount))
        elif row.amount != amount:
            row.amount = amount
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Realization, default_user=by, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(to_update, Realization, ["amount"], default_user=by, default_change_reason=reason)
    if to_create or to_update:
        realization_summary.refresh([report.pk])
        report.refresh_from_db(fields=["realized_total"])
        report_new_version(report, by)
    return report
