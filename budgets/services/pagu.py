"""Pagu per budget line, changed only through DIPA revisions that keep before/after amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from accounts import permissions
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    BudgetRevisionLine,
    FiscalYear,
    Output,
    Realization,
    Satker,
    SatkerAuthority,
)
from budgets.non_physical import dk_account_problem
from budgets.services.common import ensure_year_open
from core.formats import format_rupiah

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PaguLine:
    """The wanted amounts of one line after the revision."""

    component: BudgetComponent
    account: Account
    pagu: int
    blokir: int = 0
    output: Output | None = None  # the RO; None: the component's RO (BudgetComponent.output)

    @property
    def key(self) -> str:
        return f"{self.component.code}.{self.account.code}"


@transaction.atomic
def pagu_revise(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    kind: str,
    date: date,
    reason: str,
    lines: list[PaguLine],
    by: User,
    treasury_code: str = "",
) -> BudgetRevision:
    """Record a DIPA revision: lines not listed keep their amounts; listed lines are created or
    changed, and each change is kept with its amounts before and after."""
    if not permissions.may_record_pagu(by):
        raise PermissionDenied(_("Hanya admin direktorat yang mencatat pagu dan revisinya."))
    ensure_year_open(fiscal_year)
    Satker.objects.select_for_update().get(pk=satker.pk)
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan revisi wajib diisi.")]})

    existing = {
        (line.component_id, line.account_id): line
        for line in BudgetLine.objects.filter(satker=satker, fiscal_year=fiscal_year)
    }
    realized = dict(
        Realization.objects.filter(line__satker=satker, line__fiscal_year=fiscal_year)
        .values("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )
    authority = (
        SatkerAuthority.objects.filter(satker=satker, fiscal_year=fiscal_year)
        .values_list("authority", flat=True)
        .first()
    )
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, int]] = set()
    changes: list[tuple[PaguLine, BudgetLine | None]] = []
    for wanted in lines:
        key = (wanted.component.pk, wanted.account.pk)
        problems = []
        if key in seen:
            problems.append(_("Baris %(line)s tercantum dua kali.") % {"line": wanted.key})
        seen.add(key)
        not_for_dk = dk_account_problem(authority, wanted.account.code)
        if not_for_dk:
            problems.append(not_for_dk)
        if wanted.pagu < 0 or wanted.blokir < 0:
            problems.append(_("Pagu dan blokir tidak boleh negatif."))
        elif wanted.blokir > wanted.pagu:
            problems.append(
                _("Blokir %(blokir)s melebihi pagu %(pagu)s.")
                % {"blokir": format_rupiah(wanted.blokir), "pagu": format_rupiah(wanted.pagu)}
            )
        line = existing.get(key)
        spent = realized.get(line.pk, 0) if line else 0
        if not problems and wanted.pagu - wanted.blokir < spent:
            problems.append(
                _("Pagu efektif %(line)s menjadi %(pagu)s, di bawah realisasi yang sudah tercatat %(spent)s.")
                % {
                    "line": wanted.key,
                    "pagu": format_rupiah(wanted.pagu - wanted.blokir),
                    "spent": format_rupiah(spent),
                }
            )
        if problems:
            errors[f"line-{wanted.key}"] = problems
        elif (
            line is None
            or (line.pagu, line.blokir) != (wanted.pagu, wanted.blokir)
            or (wanted.output is not None and wanted.output.pk != line.output_id)
        ):
            changes.append((wanted, line))
    if errors:
        raise ValidationError(errors)
    if not changes:
        raise ValidationError(_("Tidak ada perubahan pagu, blokir atau RO; revisi tidak dicatat."))

    number = BudgetRevision.objects.filter(satker=satker, fiscal_year=fiscal_year).aggregate(n=Max("number"))["n"]
    revision = BudgetRevision(
        satker=satker, fiscal_year=fiscal_year, number=0 if number is None else number + 1,
        date=date, kind=kind, reason=reason.strip(), created_by=by, treasury_code=treasury_code.strip(),
    )  # fmt: skip
    revision._history_user = by
    revision.save()
    for wanted, line in changes:
        before = (line.pagu, line.blokir) if line else (0, 0)
        if line is None:
            line = BudgetLine(
                satker=satker, fiscal_year=fiscal_year, component=wanted.component, account=wanted.account
            )
        line.output_id = wanted.output.pk if wanted.output else (line.output_id or wanted.component.output_id)
        line.pagu, line.blokir = wanted.pagu, wanted.blokir
        line._history_user = by
        line._change_reason = f"revisi {revision.number}"
        line.save()
        BudgetRevisionLine.objects.create(
            revision=revision, line=line,
            pagu_before=before[0], pagu_after=wanted.pagu, blokir_before=before[1], blokir_after=wanted.blokir,
        )  # fmt: skip
    return revision
