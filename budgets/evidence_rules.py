"""Evidence completeness: which records the active evidence rules (budgets.EvidenceRule) apply
to, and how many of them carry the evidence their rules ask for, per satker and month.

The kinds of record and their conditions: budgets/evidence_rule_targets.py.

A record is *subject* when the condition of at least one active rule matches it; it *meets* its
rules when, for every active rule matching it, it has live evidence of one of the rule's kinds
(with a non-blank number when the rule says ``needs_number``). ``completeness`` is
records_with_evidence / records * 100 (two decimals; None when no record is subject).

Cost: one query for the rules, one per target label that has an active rule (grouped by satker,
year and month in the database: no query and no row per record), and one for the duplicate files
(``flags_open``): constant whatever the number of satkers, months and records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from budgets.evidence_rule_targets import RuleTarget, rule_targets
from budgets.models import Evidence, EvidenceRule, MonthlyReport, QualityFlag
from core.reporting.spec import percent


@dataclass
class Completeness:
    records: int = 0
    records_with_evidence: int = 0
    # The satker-month's open data-quality flags (budgets.QualityFlag) and its live evidence whose
    # file is also attached in another province.
    flags_open: int = 0

    @property
    def completeness(self) -> Decimal | None:
        return percent(self.records_with_evidence, self.records)


Key = tuple[int, int, int]  # (satker id, year, month)


def active_rules() -> dict[str, list[EvidenceRule]]:
    """Active rules by target label, those naming a known target and condition (one query)."""
    targets = rule_targets()
    rules: dict[str, list[EvidenceRule]] = {}
    for rule in EvidenceRule.objects.filter(active=True).order_by("pk"):
        target = targets.get(rule.target)
        if target is not None and rule.condition in target.all_conditions() and rule.kinds:
            rules.setdefault(rule.target, []).append(rule)
    return rules


def meets(rule: EvidenceRule, content_type: ContentType) -> Exists:
    """The record (OuterRef pk) has live evidence satisfying ``rule``."""
    evidence = Evidence.objects.live().filter(target_type_id=content_type.pk, target_id=OuterRef("pk"),
                                              kind__in=list(rule.kinds))  # fmt: skip
    if rule.needs_number:
        evidence = evidence.exclude(number="")
    return Exists(evidence)


def _records(label: str, target: RuleTarget, rules: list[EvidenceRule], *, years: list[int],
             months: list[int] | None, satkers: Any) -> QuerySet:  # fmt: skip
    where = {f"{target.fiscal_year}__year__in": years}
    if months is not None:
        where[f"{target.month}__in"] = months
    if satkers is not None:
        where[f"{target.satker}__in"] = satkers
    return _subject_counts(label, target, rules, where)


def _subject_counts(label: str, target: RuleTarget, rules: list[EvidenceRule], where: dict[str, Any]) -> QuerySet:
    """The records of ``label`` matching ``where`` that a rule applies to, counted per satker,
    year and month: ``records`` and ``met`` (those with the evidence every matching rule asks)."""
    model = apps.get_model(label)
    content_type = ContentType.objects.get_for_model(model)
    rows = model._default_manager.filter(**where)
    conditions = target.all_conditions()
    subject, failing = Q(), Q()
    for rule in rules:
        condition = conditions[rule.condition][1]
        subject |= condition
        failing |= condition & ~meets(rule, content_type)
    return (
        rows.filter(subject)
        .order_by()
        .values(satker_key=F(target.satker), year_key=F(f"{target.fiscal_year}__year"), month_key=F(target.month))
        .annotate(
            records=Count("pk"),
            met=Sum(CaseWhen(When(failing, then=Value(0)), default=Value(1), output_field=IntegerField())),
        )
    )


def duplicate_flags(*, years: list[int], months: list[int] | None, satkers: Any) -> QuerySet:
    """Live evidence per satker-month whose file (SHA-256) is attached, live, in another province
    (``budgets.evidence_selectors.duplicates_elsewhere``, counted in one query)."""
    twins = (
        Evidence.objects.live()
        .filter(sha256=OuterRef("sha256"))
        .exclude(satker__province_id=OuterRef("satker__province_id"))
    )
    rows = Evidence.objects.live().filter(fiscal_year__year__in=years, month__isnull=False)
    if months is not None:
        rows = rows.filter(month__in=months)
    if satkers is not None:
        rows = rows.filter(satker__in=satkers)
    return (
        rows.filter(Exists(twins))
        .order_by()
        .values(satker_key=F("satker_id"), year_key=F("fiscal_year__year"), month_key=F("month"))
        .annotate(flags=Count("pk"))
    )


def open_quality_flags(*, years: list[int], months: list[int] | None, satkers: Any) -> QuerySet:
    """The open data-quality flags (not decided, still found) per satker-month, in one query."""
    rows = QualityFlag.objects.filter(
        status=QualityFlag.Status.OPEN, gone_at__isnull=True, report__fiscal_year__year__in=years
    )
    if months is not None:
        rows = rows.filter(report__month__in=months)
    if satkers is not None:
        rows = rows.filter(report__satker__in=satkers)
    return (
        rows.order_by()
        .values(
            satker_key=F("report__satker_id"), year_key=F("report__fiscal_year__year"), month_key=F("report__month")
        )
        .annotate(flags=Count("pk"))
    )


def evidence_completeness(
    *, years: Iterable[int], months: Iterable[int] | None = None, satkers: Any = None
) -> dict[Key, Completeness]:
    """(satker id, year, month) -> Completeness for the satker-months with a record subject to a
    rule or a flag. ``satkers``: a queryset or ids to limit to (None: every satker)."""
    years = sorted(set(years))
    months = None if months is None else sorted(set(months))
    found: dict[Key, Completeness] = {}
    targets = rule_targets()
    for label, rules in active_rules().items():
        rows = _records(label, targets[label], rules, years=years, months=months, satkers=satkers)
        for row in rows:
            entry = found.setdefault((row["satker_key"], row["year_key"], row["month_key"]), Completeness())
            entry.records += row["records"]
            entry.records_with_evidence += row["met"] or 0
    for rows in (duplicate_flags(years=years, months=months, satkers=satkers),
                 open_quality_flags(years=years, months=months, satkers=satkers)):  # fmt: skip
        for row in rows:
            entry = found.setdefault((row["satker_key"], row["year_key"], row["month_key"]), Completeness())
            entry.flags_open += row["flags"]
    return found


def with_evidence_completeness(reports: Iterable[MonthlyReport]) -> list[MonthlyReport]:
    """For the reviewers' queue: each monthly report of a page gets ``evidence_completeness``
    (Decimal percent, None: no record subject to a rule) and ``evidence_flags`` (duplicate files),
    in the fixed number of queries of ``evidence_completeness`` whatever the page's size. Reports
    need ``fiscal_year`` selected (``select_related("fiscal_year")``) to spare a query each."""
    reports = list(reports)
    if not reports:
        return reports
    found = evidence_completeness(
        years={report.fiscal_year.year for report in reports},
        months={report.month for report in reports},
        satkers=sorted({report.satker_id for report in reports}),
    )
    for report in reports:
        entry = found.get((report.satker_id, report.fiscal_year.year, report.month), Completeness())
        report.evidence_completeness = entry.completeness
        report.evidence_flags = entry.flags_open
    return reports


def evidence_count_expressions() -> tuple[Any, Any]:
    """(records, met) of a ``MonthlyReport`` queryset's satker-month as expressions: the same
    counts as ``evidence_completeness`` (one correlated subquery per target label with an active
    rule, summed), so that the reviewers' queue sorts and filters on the completeness in the
    database, before paging. One query for the rules, none per report."""
    targets = rule_targets()
    records: Any = Value(0)
    met: Any = Value(0)
    for label, rules in active_rules().items():
        target = targets[label]
        where = {target.satker: OuterRef("satker_id"), f"{target.fiscal_year}__year": OuterRef("fiscal_year__year"),
                 target.month: OuterRef("month")}  # fmt: skip
        counts = _subject_counts(label, target, rules, where)
        records = records + Coalesce(Subquery(counts.values("records")[:1], output_field=IntegerField()), Value(0))
        met = met + Coalesce(Subquery(counts.values("met")[:1], output_field=IntegerField()), Value(0))
    return records, met
