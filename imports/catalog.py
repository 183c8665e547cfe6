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
    # The template, or OM-SPAN's Monitoring IKPA export as downloaded (read by its layout).
    "ikpa": "budgets.treasury.ikpa_import.IkpaFigureImport",
}


# Files the treasury's systems publish (SAKTI, OM-SPAN), read by their own layout instead of the
# CONTRACT header: imported through the same upload, preview and confirmation, listed apart.
TREASURY_KINDS: dict[str, str] = {
    "sakti_pok": "budgets.treasury.import_kinds.PokImport",
    "omspan_realisasi": "budgets.treasury.import_kinds.TreasuryRealizationImport",
}


class UnknownKind(KeyError):
    pass


@cache
def get_kind(name: str) -> ImportKind:
    path = KINDS.get(name) or TREASURY_KINDS.get(name)
    if path is None:
        raise UnknownKind(name)
    return import_string(path)()


def all_kinds() -> list[ImportKind]:
    """The CONTRACT kinds."""
    return [get_kind(name) for name in KINDS]


def treasury_kinds() -> list[ImportKind]:
    return [get_kind(name) for name in TREASURY_KINDS]
