"""Evidence on a page, without its view knowing:

- ``{% evidence_index report obstacles as evidence %}``: the live evidence of every target given
  (objects or lists of them) in one query, plus the duplicate flags for a user who reads every
  province (one more query).
- ``{% evidence_block evidence target can_edit %}``: templates/budgets/_evidence.html for one
  target: its evidence and, when ``can_edit``, the upload form (``form=False``: the list alone).
- ``{% report_evidence report as rev %}``: the monthly report's evidence section
  (templates/budgets/_report_evidence.html): targets grouped (lines, RO rows, programme records).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts import permissions
from budgets.evidence_selectors import EvidenceIndex, evidence_for, evidence_of_monthly_report, orphans
from budgets.evidence_targets import of_monthly_report, report_records
from budgets.models import Evidence, MonthlyReport
from budgets.services.evidence import may_change_evidence
from core.files import ACCEPT

register = template.Library()


def _flatten(values: tuple[Any, ...]) -> list[Model]:
    found: list[Model] = []
    for value in values:
        if value is None or value == "":
            continue
        if isinstance(value, Model):
            found.append(value)
        else:
            found.extend(item for item in value if isinstance(item, Model))
    return found


@register.simple_tag(takes_context=True)
def evidence_index(context: template.Context, *targets: Any) -> EvidenceIndex:
    user = context.get("user")
    return evidence_for(_flatten(targets), duplicates=bool(user) and permissions.reads_all_provinces(user))


@register.filter
def evidence_ref(target: Model) -> str:
    """How a form names a target: ``<app.model>:<id>``."""
    return f"{target._meta.label_lower}:{target.pk}"


@register.inclusion_tag("budgets/_evidence.html", takes_context=True)
def evidence_block(context: template.Context, index: EvidenceIndex, target: Model, can_edit: bool = False,
                   form: bool = True) -> dict[str, Any]:  # fmt: skip
    request = context.get("request")
    items = index.of(target) if index else []
    return {
        "items": [(item, index.duplicates.get(item.pk, [])) for item in items],
        "target": target,
        "ref": evidence_ref(target),
        "can_edit": bool(can_edit),
        "with_form": form and bool(can_edit),
        "next": request.get_full_path() if request else "",
        "kinds": Evidence.Kind.choices,
        "accept": ACCEPT,
    }


def _line_label(row) -> str:
    line = row.line
    return f"{line.component.code}.{line.account.code} {line.account.name}"


def _gone_label(item: Evidence) -> str:
    return f"{ContentType.objects.get_for_id(item.target_type_id).name} #{item.target_id}"


@register.simple_tag(takes_context=True)
def report_evidence(context: template.Context, report: MonthlyReport) -> dict[str, Any]:
    """The month's targets (realization rows, RO rows, programme records) with their evidence,
    and the evidence of records deleted since: a fixed number of queries (2 + the records' 3
    + 1 evidence + 1 duplicate flags + 1 write check)."""
    user = context.get("user")
    realizations = list(report.realizations.select_related("line__component", "line__account")
                        .order_by("line__component__code", "line__account__code", "pk"))  # fmt: skip
    ro_rows = list(report.ro_achievements.select_related("output__output_class__activity").order_by("output_id"))
    groups = [
        (_("Realisasi per baris"), [(row, _line_label(row)) for row in realizations]),
        (_("Capaian RO"), [(row, f"{row.output.full_code} {row.output.name}") for row in ro_rows]),
        *[(title, [(record, str(record)) for record in records]) for title, records in report_records(report)],
    ]
    groups = [(title, rows) for title, rows in groups if rows]
    index = evidence_of_monthly_report(report, duplicates=bool(user) and permissions.reads_all_provinces(user))

    def row(target: Model, label: str) -> dict[str, Any]:
        items = index.of(target)
        return {"target": target, "label": label, "ref": evidence_ref(target),
                "items": [(item, index.duplicates.get(item.pk, [])) for item in items]}  # fmt: skip

    shown = [{"title": title, "rows": [row(target, label) for target, label in rows]} for title, rows in groups]
    gone = orphans(index, [target for _title, rows in groups for target, _label in rows])
    if gone:
        # Evidence of a record deleted since it was attached: still listed, so it can be removed.
        shown.append({"title": _("Data yang sudah dihapus"), "orphans": True, "rows": [
            {"label": _gone_label(item), "ref": f"gone:{item.pk}", "items": [(item, index.duplicates.get(item.pk, []))]}
            for item in gone
        ]})  # fmt: skip
    request = context.get("request")
    return {
        "groups": shown,
        "targets": [group for group in shown if not group.get("orphans")],
        "index": index,
        "count": len(index),
        "can_edit": bool(user) and may_change_evidence(place=of_monthly_report(report), by=user),
        "next": request.get_full_path() if request else "",
        "kinds": Evidence.Kind.choices,
        "accept": ACCEPT,
    }
