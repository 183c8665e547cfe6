"""The import kinds of CONTRACT, by name: the one list of them. Each is named by the dotted path of
its class (healthchecks lists its integrations the same way): the engine never imports the
domain apps, and only the kind in use is loaded. A new kind is its module and one line here."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from imports.kinds import ImportKind

KINDS: dict[str, str] = {
    "realisasi": "budgets.import_kinds.RealizationImport",
    "rpd": "budgets.import_kinds.RpdImport",
    "pagu": "budgets.import_kinds.PaguImport",
    "ikm": "programs.registry.import_kind.EnterpriseImport",
    "wub": "programs.records.import_kinds.NewEntrepreneurImport",
    "ovop": "programs.records.import_ovop.OvopImport",
    "fasilitasi": "programs.records.import_kinds.FacilitationImport",
    "kemiskinan": "programs.records.import_kinds.PovertyActivityImport",
    "capaian_ro": "budgets.import_ro.OutputAchievementImport",
}


class UnknownKind(KeyError):
    pass


@cache
def get_kind(name: str) -> ImportKind:
    if name not in KINDS:
        raise UnknownKind(name)
    return import_string(KINDS[name])()


def all_kinds() -> list[ImportKind]:
    return [get_kind(name) for name in KINDS]
