"""The monthly disbursement plan (RPD): a 12-month grid per spending type.

The first plan of a year may be entered at any time while the year is open, every month of it:
it is the DIPA's page III, often entered after the year has begun. After that it may be changed
once per quarter, inside an RPD window (a general one, or one an admin opened for the satker),
and a change plans only the months still to come: a month's plan is frozen once the month has
begun (``rpd_frozen_months``), so the deviation and the S-curve of past months keep comparing
with the plan as it stood. Each spending type's 12 months must add up to its effective pagu.
Every save is kept as an RpdRevision with the plan before and after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budgets.calendar import last_started_month, quarter_of
from budgets.models import FiscalYear, RpdPlan, RpdRevision, RpdWindow, Satker, SpendingType
from budgets.selectors import satker_year_pagu_by_type
from budgets.services.common import closed_year_reason, ensure_can_edit_satker, ensure_year_open
from core.formats import MONTH_NAMES, format_rupiah

if TYPE_CHECKING:
    from accounts.models import User


def rpd_frozen_months(year: int, today: date) -> range:
    """The months of ``year`` whose plan a change of the RPD must keep: those that have begun by
    ``today`` (all 12 of a past year, none of a future one). The treasury's rule: a revised RPD
    plans only the months still to come. The first plan of a year is exempt (see RpdEditability)."""
    return range(1, last_started_month(year, today) + 1)


def _month_span(months: range) -> str:
    first, last = MONTH_NAMES[months[0]], MONTH_NAMES[months[-1]]
    return str(first) if len(months) == 1 else f"{first}-{last}"


def rpd_frozen_note(year: int, frozen: range) -> str:
    """Which months a change keeps and which it may plan, in the words the form and the refusals share."""
    if len(frozen) >= 12:
        return _("Rencana bulan %(frozen)s %(year)s sudah berjalan; RPD tahun ini tidak dapat diubah lagi.") % {
            "frozen": _month_span(frozen), "year": year}  # fmt: skip
    return _(
        "Rencana bulan %(frozen)s %(year)s sudah berjalan dan tidak dapat diubah; perubahan RPD hanya untuk bulan "
        "sesudahnya (%(open)s)."
    ) % {"frozen": _month_span(frozen), "year": year, "open": _month_span(range(len(frozen) + 1, 13))}


def rpd_frozen_refusal(year: int, frozen: range, changed: list[int]) -> str:
    months = ", ".join(str(MONTH_NAMES[month]) for month in sorted(changed))
    return _("%(note)s Bulan yang diubah: %(changed)s.") % {"note": rpd_frozen_note(year, frozen), "changed": months}


@dataclass(frozen=True)
class RpdEditability:
    """Whether a satker-year's RPD may be saved today, why (not), the window a change uses and
    the months it must keep as stored: none for the first plan (the DIPA's page III, entered
    late, may set every month), the months begun so far for a change."""

    allowed: bool
    reason: str
    window: RpdWindow | None = None
    frozen_months: range = range(1, 1)


def rpd_editability_many(pairs: list[tuple[Satker, FiscalYear]], today: date) -> dict[tuple[int, int], RpdEditability]:
    """Whether each satker-year's RPD may be saved today, and why (not), in two queries whatever the
    number of satker-years, keyed (satker id, fiscal year id): the RPD import asks for a whole file's
    satker-years at once, the form and ``rpd_set`` (under its lock) for one."""
    satker_ids = {satker.pk for satker, _fy in pairs}
    year_ids = {fiscal_year.pk for _s, fiscal_year in pairs}
    planned: set[tuple[int, int]] = set()
    used_windows: dict[int, set[int]] = defaultdict(set)
    for satker_id, fiscal_year_id, window_id in (
        RpdRevision.objects.filter(satker_id__in=satker_ids)
        .filter(Q(fiscal_year_id__in=year_ids) | Q(window__fiscal_year_id__in=year_ids))
        .values_list("satker_id", "fiscal_year_id", "window_id")
    ):
        planned.add((satker_id, fiscal_year_id))
        if window_id is not None:
            used_windows[satker_id].add(window_id)
    open_today = list(
        RpdWindow.objects.filter(fiscal_year_id__in=year_ids, opens_on__lte=today, closes_on__gte=today)
        .filter(Q(satker__isnull=True) | Q(satker_id__in=satker_ids))
        .order_by(F("satker").desc(nulls_last=True), "closes_on")
    )
    result: dict[tuple[int, int], RpdEditability] = {}
    for satker, fiscal_year in pairs:
        key = (satker.pk, fiscal_year.pk)
        closed = closed_year_reason(fiscal_year)
        if closed:
            result[key] = RpdEditability(False, closed)
            continue
        if key not in planned:
            result[key] = RpdEditability(True, _("RPD awal dapat diisi kapan saja selama tahun anggaran terbuka."))
            continue
        frozen = rpd_frozen_months(fiscal_year.year, today)
        if len(frozen) >= 12:
            result[key] = RpdEditability(False, rpd_frozen_note(fiscal_year.year, frozen), frozen_months=frozen)
            continue
        windows = [w for w in open_today if w.fiscal_year_id == fiscal_year.pk and w.satker_id in (None, satker.pk)]
        window = next((w for w in windows if w.pk not in used_windows[satker.pk]), None)
        if window is not None:
            result[key] = RpdEditability(
                True,
                _("Jendela perubahan RPD terbuka sampai %(until)s; RPD dapat diubah satu kali.")
                % {"until": window.closes_on.strftime("%d-%m-%Y")},
                window,
                frozen,
            )
        elif any(w.pk in used_windows[satker.pk] for w in windows):
            result[key] = RpdEditability(
                False,
                _("RPD sudah diubah satu kali pada jendela triwulan ini; minta admin membuka jendela baru."),
                frozen_months=frozen,
            )
        else:
            result[key] = RpdEditability(
                False,
                _("Di luar jendela perubahan RPD triwulan %(q)s; minta admin membuka jendela.")
                % {"q": quarter_of(today.month) if today.year == fiscal_year.year else "-"},
                frozen_months=frozen,
            )
    return result


def rpd_editability(*, satker: Satker, fiscal_year: FiscalYear, today: date) -> RpdEditability:
    return rpd_editability_many([(satker, fiscal_year)], today)[(satker.pk, fiscal_year.pk)]


@transaction.atomic
def rpd_set(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    plan: dict[tuple[int, int], int],
    by: User,
    today: date | None = None,
    reason: str | None = None,
) -> RpdRevision:
    """Store the whole plan: {(spending type id, month): amount}. Missing cells are zero.
    A change (not the first plan) must leave the frozen months as stored, or nothing is written.
    ``reason`` becomes the history records' change reason (an import names its upload). The
    revision returned keeps the plan before and after."""
    today = today or timezone.localdate()
    ensure_can_edit_satker(by, satker)
    # Serialise saves of the same satker's plan so the once-per-window rule holds under races.
    Satker.objects.select_for_update().get(pk=satker.pk)
    ensure_year_open(fiscal_year)
    editability = rpd_editability(satker=satker, fiscal_year=fiscal_year, today=today)
    if not editability.allowed:
        raise ValidationError(editability.reason)

    existing = {
        (r.spending_type_id, r.month): r for r in RpdPlan.objects.filter(satker=satker, fiscal_year=fiscal_year)
    }
    frozen = editability.frozen_months
    changed_frozen = {
        month
        for (spending_type_id, month) in set(existing) | set(plan)
        if month in frozen
        and plan.get((spending_type_id, month), 0) != _amount(existing.get((spending_type_id, month)))
    }
    if changed_frozen:
        raise ValidationError(rpd_frozen_refusal(fiscal_year.year, frozen, sorted(changed_frozen)), code="rpd_frozen")

    pagu = satker_year_pagu_by_type(satker, fiscal_year)
    if not pagu:
        raise ValidationError(_("Belum ada pagu untuk satker dan tahun ini, sehingga RPD belum dapat diisi."))
    spending_types = {st.pk: st for st in SpendingType.objects.all()}
    names = {pk: f"{st.code} {st.name}" for pk, st in spending_types.items()}
    errors: dict[str, list[str]] = {}
    for (spending_type_id, month), amount in plan.items():
        if spending_type_id not in names or not 1 <= month <= 12:
            errors.setdefault("__all__", []).append(_("Sel RPD tidak dikenal."))
        elif amount < 0:
            errors.setdefault(f"type-{spending_type_id}", []).append(_("Rencana tidak boleh negatif."))
    for spending_type_id in sorted(set(pagu) | {st for st, _m in plan}):
        if f"type-{spending_type_id}" in errors or spending_type_id not in names:
            continue
        total = sum(amount for (st, _m), amount in plan.items() if st == spending_type_id)
        expected = pagu.get(spending_type_id, 0)
        if total != expected:
            errors[f"type-{spending_type_id}"] = [
                _("Jumlah RPD %(type)s %(total)s harus sama dengan pagu efektifnya %(pagu)s (selisih %(diff)s).")
                % {
                    "type": names[spending_type_id],
                    "total": format_rupiah(total),
                    "pagu": format_rupiah(expected),
                    "diff": format_rupiah(total - expected),
                }
            ]
    if errors:
        raise ValidationError(errors)

    def version(cells: dict[tuple[int, int], int]) -> dict[str, int]:
        return {
            RpdRevision.cell_key(spending_types[spending_type_id].code, month): amount
            for (spending_type_id, month), amount in sorted(cells.items())
            if amount
        }

    before = version({key: row.amount for key, row in existing.items()})
    after = version(plan)
    to_create, to_update = [], []
    for key in set(existing) | set(plan):
        amount = plan.get(key, 0)
        row = existing.get(key)
        if row is None:
            if amount:
                to_create.append(
                    RpdPlan(
                        satker=satker, fiscal_year=fiscal_year, spending_type_id=key[0], month=key[1], amount=amount
                    )
                )
        elif row.amount != amount:
            row.amount = amount
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, RpdPlan, default_user=by, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(to_update, RpdPlan, ["amount"], default_user=by, default_change_reason=reason)
    return RpdRevision.objects.create(
        satker=satker, fiscal_year=fiscal_year, window=editability.window, saved_by=by, before=before, after=after
    )


def _amount(row: RpdPlan | None) -> int:
    return row.amount if row is not None else 0
