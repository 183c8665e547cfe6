"""The RPD planner's page: the proposal for the months still to come, the deviation and absorption
it would score against the current plan, and its one-step apply through ``rpd_set``.

Read by whoever reads the satker (the RPD page's gate); applied only by who may edit the RPD,
while ``rpd_editability`` allows a save (a window open and not used, or the first plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import data_access_required
from budgets.calendar import rpd_window_bounds
from budgets.ikpa import planner, rules
from budgets.ikpa.year_rules import year_rules
from budgets.models import FiscalYear, Holiday, RpdWindow, Satker
from budgets.models.quarterly import ROMAN
from budgets.services import rpd_editability, rpd_frozen_months, rpd_set
from budgets.services.rpd import RpdEditability
from budgets.views.common import satker_year_or_404
from core.formats import MONTH_CHOICES, format_decimal, format_volume


@dataclass(frozen=True)
class WindowInfo:
    """The RPD window open today (or None) and the next one to open, as the page tells them."""

    current: RpdWindow | None
    next: RpdWindow | None
    days_left: int | None  # calendar days from today to the current window's cut-off (0: today)
    # No window set for the year: the treasury's rule's cut-off (quarter, opens, closes) to come.
    rule_next: tuple[str, date, date] | None = None


def rpd_window_info(satker: Satker, fiscal_year: FiscalYear, editability: RpdEditability, today: date) -> WindowInfo:
    """The windows that concern the satker (the general ones and its own) from today on, in one
    query; the window a save would use wins as the current one."""
    windows = list(
        RpdWindow.objects.filter(fiscal_year=fiscal_year, closes_on__gte=today)
        .filter(Q(satker__isnull=True) | Q(satker=satker))
        .select_related("fiscal_year")
        .order_by("opens_on", "closes_on")
    )
    current = editability.window or next((w for w in windows if w.opens_on <= today), None)
    upcoming = next((w for w in windows if w.opens_on > today), None)
    days_left = (current.closes_on - today).days if current else None
    rule_next = None
    if current is None and upcoming is None and fiscal_year.year >= today.year:
        # No window set (yet) for the year: say when the treasury's rule closes the next one.
        holidays = list(Holiday.objects.filter(date__year=fiscal_year.year).values_list("date", flat=True))
        bounds = [(ROMAN[q], *rpd_window_bounds(fiscal_year.year, q, holidays)) for q in (1, 2, 3, 4)]
        rule_next = next((b for b in bounds if b[2] >= today), None)
    return WindowInfo(current, upcoming, days_left, rule_next)


def _score(value: Decimal | None) -> str:
    return format_decimal(value, 2)


def _change(value: Decimal | None) -> str:
    """A change in points, signed: +5,46 / -1,20 / 0,00."""
    if value is None:
        return "-"
    return f"+{format_decimal(value, 2)}" if value > 0 else format_decimal(value, 2)


def _comparison(proposal: planner.Proposal, year: rules.YearRules) -> list[dict]:
    current, proposed = proposal.current, proposal.proposed
    rows = [
        (_("Deviasi halaman III DIPA"), year.weights.get(rules.DEVIASI), current.deviation, proposed.deviation),
        (_("Penyerapan anggaran"), year.weights.get(rules.PENYERAPAN), current.absorption, proposed.absorption),
    ]
    result = [
        {"label": label, "weight": format_volume(weight), "current": _score(now), "proposed": _score(then),
         "change": _change(then - now if now is not None and then is not None else None)}
        for label, weight, now, then in rows
    ]  # fmt: skip
    result.append({
        "label": _("Sumbangan kedua indikator pada nilai IKPA (poin)"), "weight": "", "total": True,
        "current": _score(current.contribution), "proposed": _score(proposed.contribution),
        "change": _change(proposal.change),
    })  # fmt: skip
    return result


def _type_blocks(proposal: planner.Proposal) -> list[dict]:
    blocks = []
    for t in proposal.types:
        completed = proposal.planner.completed
        blocks.append({
            "proposal": t,
            "current": list(t.inputs.plan),
            "current_total": sum(t.inputs.plan),
            "realized": [t.inputs.realized.get(m, 0) if m in completed else None for m in planner.MONTHS],
            "proposed": [(amount, amount != before) for amount, before in zip(t.months, t.inputs.plan, strict=True)],
            "proposed_total": sum(t.months),
            "lifts": [{"quarter": ROMAN[lift.quarter], "target": format_volume(lift.target), "needed": lift.needed,
                       "lift": lift.lift} for lift in t.lifts],
        })  # fmt: skip
    return blocks


def _months(proposal: planner.Proposal) -> list[dict]:
    kinds = {
        planner.COMPLETED: _("realisasi"),
        planner.PENDING: _("berjalan"),
        planner.OPEN: _("usulan"),
    }
    return [
        {"month": month, "label": label, "kind": proposal.planner.kind(month),
         "kind_label": kinds[proposal.planner.kind(month)],
         "current": _score(proposal.current.month_score[month - 1]),
         "proposed": _score(proposal.proposed.month_score[month - 1])}
        for month, label in MONTH_CHOICES
    ]  # fmt: skip


@data_access_required()
def rpd_planner(request: HttpRequest, code: str, year: int) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    today = timezone.localdate()
    editability = rpd_editability(satker=satker, fiscal_year=fiscal_year, today=today)
    the_rules = year_rules(fiscal_year)
    inputs = planner.planner_inputs(
        satker=satker,
        fiscal_year=fiscal_year,
        today=today,
        frozen=rpd_frozen_months(fiscal_year.year, today),
        year_rules=the_rules,
    )
    proposal = planner.propose(inputs)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        _apply(request, satker, fiscal_year, proposal, today)
        return redirect("budgets:rpd-planner", code=satker.code, year=fiscal_year.year)
    can_apply = can_edit and editability.allowed and proposal.changed and proposal.feasible
    return render(request, "budgets/rpd_planner.html", {
        "satker": satker, "fiscal_year": fiscal_year, "can_edit": can_edit, "editability": editability,
        "window": rpd_window_info(satker, fiscal_year, editability, today), "today": today,
        "proposal": proposal, "can_apply": can_apply, "comparison": _comparison(proposal, the_rules),
        "types": _type_blocks(proposal), "months": _months(proposal),
        "quarters": [{"quarter": ROMAN[q], "current": _score(proposal.current.quarter_score[q - 1]),
                      "proposed": _score(proposal.proposed.quarter_score[q - 1])} for q in (1, 2, 3, 4)],
        "has_open_months": bool(proposal.planner.open_months),
        # Without the year's IKPA data (admin: target penyerapan IKPA, bobot IKPA) the proposal
        # follows the pace alone and the scores cannot all be projected: the page says so.
        "missing_targets": not the_rules.absorption_targets, "missing_weights": not the_rules.weights,
    })  # fmt: skip


def _apply(
    request: HttpRequest, satker: Satker, fiscal_year: FiscalYear, proposal: planner.Proposal, today: date
) -> None:
    """Save the proposal as the whole plan through ``rpd_set`` (every RPD rule applies); a refusal
    comes back as the service's message and nothing is written."""
    if request.POST.get("proposal") != proposal.fingerprint():
        messages.error(request, _("Usulan RPD berubah sejak halaman dibuka; periksa usulan terbaru, lalu terapkan."))
        return
    if not proposal.changed:
        messages.info(request, _("Usulan sama dengan RPD saat ini; tidak ada yang diubah."))
        return
    try:
        rpd_set(satker=satker, fiscal_year=fiscal_year, plan=proposal.plan_cells(), by=request.user, today=today,
                reason=_("Perencana RPD"))  # fmt: skip
    except ValidationError as error:
        messages.error(request, _("Usulan RPD tidak diterapkan: %(reason)s") % {"reason": " ".join(error.messages)})
        return
    messages.success(request, _("Usulan RPD %(year)s diterapkan.") % {"year": fiscal_year.year})
