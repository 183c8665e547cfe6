"""The roles and what each may do: one table that accounts.permissions reads.

A role reads every province (the directorate) or only its own (a province's staff, who must
then be linked to a province). What a role may do beyond reading is a set of capabilities.
A new role is one member of ``Role``, one line of ``PROFILES`` (and the migration of the user's
role choices); accounts.permissions, the scoping helper, the sign-in checks and the demo
accounts follow from the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "ADMIN", _("Admin direktorat")
    REVIEWER = "REVIEWER", _("Reviewer direktorat")
    VIEWER = "VIEWER", _("Pimpinan (baca saja)")
    OFFICER = "OFFICER", _("Petugas provinsi")
    # The head of the provincial Industry Service (the KPA), responsible for the DK/TP reports
    # (PP 7/2008 art. 30-31): verifies and signs what the officer prepares.
    HEAD = "HEAD", _("Kepala Dinas")


class Can(StrEnum):
    """What a role may do besides reading."""

    WRITE = "write"  # enter and correct data: realization, RPD, programme records, the registry
    REVIEW = "review"  # approve or return a submitted monthly report
    VERIFY = "verify"  # verify and sign the province's reports before they go to the directorate
    REOPEN = "reopen"  # send an approved monthly report back to its satker
    IMPORT = "import"  # Excel imports (each kind may need more, e.g. RECORD_PAGU)
    RECORD_PAGU = "record_pagu"  # record the DIPA's pagu and its revisions
    SET_TARGETS = "set_targets"  # set the output targets of a satker-year
    ADMINISTER = "administer"  # the Django admin: master data, users; uploaded files as received
    # Art. 75 sanctions (PP 7/2008) for a province that fails to report: the directorate's reviewers
    # propose them from the late-report ledger, the administrator decides (never the proposer).
    PROPOSE_SANCTION = "propose_sanction"
    DECIDE_SANCTION = "decide_sanction"
    # Put a fiscal year's approved figures on the public page (/public/), or take them off.
    PUBLISH = "publish"


class Notice(StrEnum):
    """What a role is e-mailed about (budgets/notifications.py)."""

    AWAITING_REVIEW = "awaiting_review"  # a monthly report was submitted and awaits review
    PROVINCE_REPORTS = "province_reports"  # its province's reports: approved, returned, overdue


@dataclass(frozen=True)
class RoleProfile:
    all_provinces: bool  # reads (and, with WRITE, writes) every province; else only its own
    capabilities: frozenset[Can]
    # The demo account's name (CONTRACT "Demo accounts"); ``{bps}`` is the province's BPS code
    # for the roles of a province (one demo account per province).
    demo_username: str
    notices: frozenset[Notice] = frozenset()


PROFILES: dict[str, RoleProfile] = {
    # Everything but the head's signature: the directorate does not sign for a province.
    Role.ADMIN: RoleProfile(True, frozenset(Can) - {Can.VERIFY}, "admin"),
    Role.REVIEWER: RoleProfile(
        True, frozenset({Can.REVIEW, Can.PROPOSE_SANCTION}), "reviewer", frozenset({Notice.AWAITING_REVIEW})
    ),
    Role.VIEWER: RoleProfile(True, frozenset(), "viewer"),
    Role.OFFICER: RoleProfile(
        False, frozenset({Can.WRITE, Can.IMPORT}), "officer-{bps}", frozenset({Notice.PROVINCE_REPORTS})
    ),
    Role.HEAD: RoleProfile(False, frozenset({Can.VERIFY}), "head-{bps}", frozenset({Notice.PROVINCE_REPORTS})),
}

# The roles of a province: their accounts must name it (a database constraint holds it too).
PROVINCE_ROLES = tuple(role for role, profile in PROFILES.items() if not profile.all_provinces)
