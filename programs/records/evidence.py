"""The programme records evidence may be attached to (settings.EVIDENCE_TARGETS), and the
records a monthly report carries for its evidence section (settings.EVIDENCE_REPORT_RECORDS).

WUB, poverty activities and facilitations belong to their month's report and are locked with
it; an OVOP coaching belongs to its sentra's satker and year, with no month and no report (its
evidence is locked only when the year is closed)."""

from __future__ import annotations

from django.db.models import Model, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.evidence_rule_targets import RuleTarget
from budgets.evidence_targets import Resolver, TargetPlace
from budgets.models import FiscalYear, MonthlyReport, Satker
from programs.models import Facilitation, FacilitationKind, NewEntrepreneur, OvopCoaching, PovertyActivity
from programs.models.records import CERTIFIED_KINDS


def _monthly_record(record: NewEntrepreneur | PovertyActivity | Facilitation) -> TargetPlace:
    return TargetPlace(record.satker, record.fiscal_year, record.month, record.report, None)


def ovop_coaching_place(satker: Satker, fiscal_year: FiscalYear | None) -> TargetPlace:
    """Where every coaching of ``satker``'s sentra in ``fiscal_year`` belongs: the OVOP page asks
    once whether the user may change their evidence, not once per coaching."""
    return TargetPlace(satker, fiscal_year, None, None, None)


def _ovop_coaching(coaching: OvopCoaching) -> TargetPlace:
    return ovop_coaching_place(coaching.sentra.satker, FiscalYear.objects.filter(year=coaching.year).first())


EVIDENCE_TARGETS: dict[str, Resolver] = {
    "programs.newentrepreneur": _monthly_record,
    "programs.povertyactivity": _monthly_record,
    "programs.facilitation": _monthly_record,
    "programs.ovopcoaching": _ovop_coaching,
}


def report_records(report: MonthlyReport) -> list[tuple[str, list[Model]]]:
    """The month's WUB, poverty activities and facilitations: three queries."""
    where = {"report": report}
    return [
        (_("WUB"), list(NewEntrepreneur.objects.filter(**where).select_related("regency").order_by("name", "pk"))),
        (
            _("Kemiskinan ekstrem"),
            list(PovertyActivity.objects.filter(**where).select_related("regency").order_by("kind", "pk")),
        ),
        (_("Fasilitasi"), list(Facilitation.objects.filter(**where).order_by("kind", "enterprise_name", "pk"))),
    ]


# The records evidence rules may name (budgets/evidence_rules.py), with the conditions a rule may
# put on them besides "always". OVOP coaching has no month: no completeness per month, no rule.
EVIDENCE_RULE_TARGETS: dict[str, RuleTarget] = {
    "programs.facilitation": RuleTarget(
        gettext_lazy("Fasilitasi"),
        {
            "certified": (
                gettext_lazy("fasilitasi bersertifikat (SNI, ISO, HACCP, halal, HKI)"),
                Q(kind__in=sorted(CERTIFIED_KINDS)),
            ),
            "exhibition": (gettext_lazy("pameran"), Q(kind=FacilitationKind.EXHIBITION)),
            "restructuring": (gettext_lazy("restrukturisasi mesin/peralatan"), Q(kind=FacilitationKind.RESTRUCTURING)),
        },
    ),
    "programs.povertyactivity": RuleTarget(
        gettext_lazy("Kegiatan kemiskinan ekstrem"),
        {
            "goods_handed": (
                gettext_lazy("barang diserahkan kepada penerima (bantuan peralatan)"),
                Q(kind=PovertyActivity.Kind.EQUIPMENT),
            )
        },
    ),
    "programs.newentrepreneur": RuleTarget(gettext_lazy("WUB")),
}
