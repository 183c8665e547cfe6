"""The kinds of record evidence rules (budgets.EvidenceRule) may name, and the conditions a rule
may put on them: ``RuleTarget`` per model label says where a record's satker, fiscal year and
month are, and its conditions (a fixed set of Q filters on the record; ``always`` is every
target's). budgets declares its own here; the apps above budgets declare theirs in settings
(``EVIDENCE_RULE_TARGETS``: dotted paths of dicts of the same shape), so budgets never imports
them. No import of budgets.models: the model's clean() reads this registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

ALWAYS = "always"
# A condition that matches every row: an empty Q() would vanish when OR-ed with another.
EVERY_ROW = Q(pk__isnull=False)


@dataclass(frozen=True)
class RuleTarget:
    """A kind of record evidence rules may apply to. ``conditions``: key -> (label, Q on the record);
    the paths lead from the record to its satker, fiscal year and month."""

    title: Any
    conditions: dict[str, tuple[Any, Q]] = field(default_factory=dict)
    satker: str = "satker"
    fiscal_year: str = "fiscal_year"
    month: str = "month"

    def all_conditions(self) -> dict[str, tuple[Any, Q]]:
        return {ALWAYS: (_("selalu"), EVERY_ROW), **self.conditions}


BUDGETS_RULE_TARGETS: dict[str, RuleTarget] = {
    "budgets.realization": RuleTarget(
        _("Realisasi bulanan (baris pagu)"),
        {"paid": (_("realisasi bulan itu > 0"), Q(amount__gt=0))},
        satker="report__satker",
        fiscal_year="report__fiscal_year",
        month="report__month",
    ),
    "budgets.outputachievement": RuleTarget(
        _("Capaian RO bulanan"),
        {"with_volume": (_("volume bulan itu > 0"), Q(volume__gt=0))},
        satker="report__satker",
        fiscal_year="report__fiscal_year",
        month="report__month",
    ),
}


@cache
def _declared(paths: tuple[str, ...]) -> dict[str, RuleTarget]:
    found: dict[str, RuleTarget] = {}
    for path in paths:
        found.update(import_string(path))
    return found


def rule_targets() -> dict[str, RuleTarget]:
    """Every kind of record a rule may name: budgets' and those settings declare."""
    return {**BUDGETS_RULE_TARGETS, **_declared(tuple(getattr(settings, "EVIDENCE_RULE_TARGETS", ())))}


def target_choices() -> list[tuple[str, str]]:
    return [(label, f"{target.title} ({label})") for label, target in rule_targets().items()]


def condition_choices() -> list[tuple[str, str]]:
    """Every condition key once (a key may be declared by several targets)."""
    seen: dict[str, str] = {}
    for target in rule_targets().values():
        for key, (label, _where) in target.all_conditions().items():
            seen.setdefault(key, str(label))
    return list(seen.items())


# The default evidence rules (README "Evidence rules"): (target, condition, kinds, needs a number,
# active, note). Seeded by migration 0021 and, when a database has none (a flushed test database),
# by load_master_data; the admin edits them. The inactive ones are examples an admin may switch on.
DEFAULT_RULES = [
    (
        "programs.facilitation",
        "certified",
        ["CERTIFICATE"],
        True,
        True,
        "Fasilitasi sertifikasi/pendaftaran: sertifikat atau tanda daftar dengan nomornya.",
    ),
    (
        "programs.facilitation",
        "exhibition",
        ["REPORT", "ATTENDANCE"],
        False,
        True,
        "Pameran: daftar IKM peserta (laporan atau daftar hadir).",
    ),
    (
        "programs.facilitation",
        "restructuring",
        ["BAST", "SP2D"],
        True,
        True,
        "Restrukturisasi mesin/peralatan: BAST atau SP2D penggantian, bernomor.",
    ),
    (
        "programs.povertyactivity",
        "goods_handed",
        ["BAST"],
        True,
        True,
        "Bantuan peralatan: BAST serah terima barang kepada penerima, bernomor.",
    ),
    (
        "programs.newentrepreneur",
        "always",
        ["ATTENDANCE", "PHOTO"],
        False,
        False,
        "Contoh (tidak aktif): daftar hadir atau foto kegiatan WUB.",
    ),
    (
        "budgets.realization",
        "paid",
        ["SP2D"],
        True,
        False,
        "Contoh (tidak aktif): SP2D bernomor untuk tiap baris pagu yang terealisasi bulan itu.",
    ),
]
