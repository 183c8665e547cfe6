"""What a user may do: the one module that services, views, imports and templates ask.

Every answer comes from the role table (accounts/roles.py). An account that may not use the
site at all (inactive, signed out, without a role, a province's role without a province) may
do nothing. Where an answer depends on a province (writing), the scoping helper
(accounts/scoping.py) narrows it to the user's province; these functions answer whether the
role may do it at all.

Templates get the same answers as ``may`` (accounts.context_processors): ``{% if may.review %}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from accounts.delegation import delegation_on
from accounts.roles import PROFILES, PROVINCE_ROLES, Can, Notice, RoleProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


def access_problem(user: AnyUser) -> str | None:
    """Why this signed-in account may not open data pages (None: it may)."""
    role = getattr(user, "role", "")
    if role not in PROFILES:
        return _("Akun Anda belum diberi peran. Hubungi admin direktorat.")
    if role in PROVINCE_ROLES and getattr(user, "province_id", None) is None:
        return _("Akun petugas Anda belum dikaitkan dengan provinsi. Hubungi admin direktorat.")
    return None


def _profile(user: AnyUser) -> RoleProfile | None:
    """The role's profile of an account that may use the site; None otherwise."""
    if not user.is_authenticated or not user.is_active or access_problem(user):
        return None
    return PROFILES[user.role]


def can(user: AnyUser, capability: Can) -> bool:
    profile = _profile(user)
    return profile is not None and capability in profile.capabilities


def uses_site(user: AnyUser) -> bool:
    """Signed in, active, with a usable role: may open the data pages."""
    return _profile(user) is not None


def reads_all_provinces(user: AnyUser) -> bool:
    """The directorate's roles read every province; a province's roles only their own."""
    profile = _profile(user)
    return profile is not None and profile.all_provinces


def of_a_province(user: AnyUser) -> bool:
    """A province's staff: what they see and change is their province's."""
    profile = _profile(user)
    return profile is not None and not profile.all_provinces


def may_write(user: AnyUser) -> bool:
    """Enter and correct data (in the user's scope: accounts.scoping with ``for_edit``)."""
    return can(user, Can.WRITE)


def writes_everywhere(user: AnyUser) -> bool:
    """Writes in every province (chooses the satker), not only in one's own."""
    return may_write(user) and reads_all_provinces(user)


def may_review(user: AnyUser) -> bool:
    return can(user, Can.REVIEW)


def may_verify(user: AnyUser) -> bool:
    """Verifies and signs the province's reports today: the Kepala Dinas, or the acting head
    (Plh/Plt) of a recorded delegation (accounts/delegation.py; which province and which day is
    ``delegation.signs_for_province``)."""
    if can(user, Can.VERIFY):
        return True
    return of_a_province(user) and delegation_on(user) is not None


def may_delegate(user: AnyUser) -> bool:
    """Names an acting head for a period: the head's own role, never an acting head."""
    return can(user, Can.VERIFY)


def may_reopen(user: AnyUser) -> bool:
    return can(user, Can.REOPEN)


def may_import(user: AnyUser) -> bool:
    return can(user, Can.IMPORT)


def may_record_pagu(user: AnyUser) -> bool:
    return can(user, Can.RECORD_PAGU)


def may_set_targets(user: AnyUser) -> bool:
    return can(user, Can.SET_TARGETS)


def may_administer(user: AnyUser) -> bool:
    """The Django admin (master data, users) and the uploaded files as they were received."""
    return can(user, Can.ADMINISTER)


def may_decide_upload(user: AnyUser, uploaded_by_id: int | None) -> bool:
    """Confirm or cancel an import: who uploaded the file, or an administrator."""
    return may_import(user) and (user.pk == uploaded_by_id or may_administer(user))


def roles_able(capability: Can) -> list[str]:
    """The roles that may do ``capability`` (e.g. the operators of a province: those that write)."""
    return [role for role, profile in PROFILES.items() if capability in profile.capabilities]


def may_propose_sanction(user: AnyUser) -> bool:
    """Propose an art. 75 sanction for a province that fails to report (the late-report ledger)."""
    return can(user, Can.PROPOSE_SANCTION)


def may_decide_sanction(user: AnyUser, proposed_by_id: int | None = None) -> bool:
    """Approve or reject a sanction proposal; never the one who proposed it (separation of duties)."""
    return can(user, Can.DECIDE_SANCTION) and (proposed_by_id is None or user.pk != proposed_by_id)


def may_publish(user: AnyUser) -> bool:
    """Switch a fiscal year's publication on the public page on or off (the directorate)."""
    return can(user, Can.PUBLISH)


def roles_notified(notice: Notice) -> list[str]:
    """The roles whose users are e-mailed about ``notice``."""
    return [role for role, profile in PROFILES.items() if notice in profile.notices]


# What templates may ask, by the name they ask it (``may.<name>``).
TEMPLATE_ANSWERS = {
    "use_site": uses_site, "read_all_provinces": reads_all_provinces, "of_a_province": of_a_province,
    "write": may_write, "write_everywhere": writes_everywhere, "review": may_review, "verify": may_verify,
    "delegate": may_delegate, "reopen": may_reopen,
    "import_data": may_import, "record_pagu": may_record_pagu, "set_targets": may_set_targets,
    "administer": may_administer, "propose_sanction": may_propose_sanction, "decide_sanction": may_decide_sanction,
}  # fmt: skip


class TemplatePermissions:
    """The answers above for one user, as attributes (``may.review`` in a template)."""

    def __init__(self, user: AnyUser) -> None:
        self._user = user

    def __getattr__(self, name: str) -> Any:
        answer = TEMPLATE_ANSWERS.get(name)
        if answer is None:
            raise AttributeError(name)
        return answer(self._user)
