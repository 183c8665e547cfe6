"""Reading evidence: a page's evidence for many targets at once, and the duplicate flag.

``evidence_for(targets)`` costs one query whatever the number of targets (grouped by content
type, ``target_id__in`` per type, OR-ed); ``duplicates_elsewhere(evidence)`` and
``duplicate_map(items)`` one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from budgets.models import Evidence, MonthlyReport


class EvidenceIndex:
    """A page's live evidence by target; ``of(target)`` lists one target's (oldest first)."""

    def __init__(self, items: Iterable[Evidence]) -> None:
        self.items = list(items)
        self._by_target: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
        for item in self.items:
            self._by_target[(item.target_type_id, item.target_id)].append(item)
        self.duplicates: dict[int, list[str]] = {}

    def of(self, target: Model) -> list[Evidence]:
        content_type = ContentType.objects.get_for_model(target)
        return self._by_target.get((content_type.pk, target.pk), [])

    def __len__(self) -> int:
        return len(self.items)


def evidence_for(targets: Iterable[Model], *, duplicates: bool = False) -> EvidenceIndex:
    """The live evidence of ``targets`` (one query; content types come from Django's cache).
    With ``duplicates``, also which provinces hold the same files (one more query, only when
    there is evidence): for the reviewer's badge."""
    ids: dict[int, set[int]] = defaultdict(set)
    for target in targets:
        if target is not None and target.pk is not None:
            ids[ContentType.objects.get_for_model(target).pk].add(target.pk)
    if not ids:
        return EvidenceIndex([])
    where = Q()
    for content_type_id, pks in ids.items():
        where |= Q(target_type_id=content_type_id, target_id__in=sorted(pks))
    index = EvidenceIndex(
        Evidence.objects.live().filter(where).select_related("uploaded_by", "satker").order_by("uploaded_at", "pk")
    )
    if duplicates and index.items:
        index.duplicates = duplicate_map(index.items)
    return index


def evidence_of_monthly_report(report: MonthlyReport, *, duplicates: bool = False) -> EvidenceIndex:
    """All live evidence a monthly report carries (its lines, RO rows and programme records,
    including records deleted since): one query (+1 for the duplicate flags)."""
    index = EvidenceIndex(
        Evidence.objects.live().filter(monthly_report=report).select_related("uploaded_by", "satker")
        .order_by("uploaded_at", "pk")
    )  # fmt: skip
    if duplicates and index.items:
        index.duplicates = duplicate_map(index.items)
    return index


def orphans(index: EvidenceIndex, targets: Iterable[Model]) -> list[Evidence]:
    """The index's evidence whose target is not among ``targets`` (e.g. a record deleted since)."""
    known = {(ContentType.objects.get_for_model(target).pk, target.pk) for target in targets}
    return [item for item in index.items if (item.target_type_id, item.target_id) not in known]


def duplicates_elsewhere(evidence: Evidence) -> QuerySet[Evidence]:
    """Other live evidence with the same file (SHA-256) attached in another province."""
    return (
        Evidence.objects.live()
        .filter(sha256=evidence.sha256)
        .exclude(satker__province_id=evidence.satker.province_id)
        .select_related("satker__province")
    )


def duplicate_map(items: Iterable[Evidence]) -> dict[int, list[str]]:
    """For each evidence id: the names of the other provinces where the same file is attached
    (one query for the whole list; evidence without such a twin is absent)."""
    items = list(items)
    hashes = {item.sha256 for item in items}
    if not hashes:
        return {}
    holders: dict[str, set[tuple[int, str]]] = defaultdict(set)
    rows = (Evidence.objects.live().filter(sha256__in=hashes)
            .values_list("sha256", "satker__province_id", "satker__province__name"))  # fmt: skip
    for sha256, province_id, province_name in rows:
        holders[sha256].add((province_id, province_name))
    found = {}
    for item in items:
        others = sorted(name for province_id, name in holders[item.sha256] if province_id != item.satker.province_id)
        if others:
            found[item.pk] = others
    return found
