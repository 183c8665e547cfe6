"""The role table (accounts/roles.py) and the one module that answers from it (accounts/permissions.py).

The access matrix (tests/test_access_matrix.py) checks every page for every role; these check the
answers themselves, for accounts the matrix does not sign in: inactive, without a role, a
province's role without its province."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from accounts.models import User
from accounts.permissions import TemplatePermissions
from accounts.roles import PROFILES, PROVINCE_ROLES, Can, Notice, Role

pytestmark = pytest.mark.django_db

ANSWERS = {
    "may_write": Can.WRITE, "may_review": Can.REVIEW, "may_reopen": Can.REOPEN, "may_import": Can.IMPORT,
    "may_record_pagu": Can.RECORD_PAGU, "may_set_targets": Can.SET_TARGETS, "may_administer": Can.ADMINISTER,
    "may_publish": Can.PUBLISH,
}  # fmt: skip


def account(role: str, province=None, *, active: bool = True) -> User:
    return User(username=f"u-{role or 'none'}", role=role, province=province, is_active=active)


def test_every_role_has_one_profile_and_a_demo_account_name() -> None:
    assert set(PROFILES) == set(Role.values)
    names = [profile.demo_username for profile in PROFILES.values()]
    assert len(set(names)) == len(names)
    for role in PROVINCE_ROLES:
        assert "{bps}" in PROFILES[role].demo_username  # one demo account per province


@pytest.mark.parametrize("role", Role.values)
def test_each_answer_is_the_capability_of_the_role(role, province) -> None:
    user = account(role, province if role in PROVINCE_ROLES else None)
    assert permissions.uses_site(user)
    assert permissions.reads_all_provinces(user) == PROFILES[role].all_provinces
    assert permissions.of_a_province(user) == (role in PROVINCE_ROLES)
    for name, capability in ANSWERS.items():
        assert getattr(permissions, name)(user) == (capability in PROFILES[role].capabilities), name
    may = TemplatePermissions(user)
    assert (may.review, may.write, may.administer) == (
        permissions.may_review(user), permissions.may_write(user), permissions.may_administer(user))  # fmt: skip


@pytest.mark.parametrize(
    "user",
    [
        AnonymousUser(),
        account(""),
        account(Role.ADMIN, active=False),
        account(Role.OFFICER),  # a province's role without its province
    ],
    ids=["anonymous", "no role", "inactive", "officer without province"],
)
def test_an_account_that_may_not_use_the_site_may_do_nothing(user) -> None:
    assert not permissions.uses_site(user)
    assert not any(getattr(permissions, name)(user) for name in ANSWERS)
    assert not TemplatePermissions(user).read_all_provinces


def test_who_is_told_of_what() -> None:
    assert permissions.roles_notified(Notice.AWAITING_REVIEW) == [Role.REVIEWER]
    # The head of the service answers for the province's reports (PP 7/2008): told as the officer is.
    assert permissions.roles_notified(Notice.PROVINCE_REPORTS) == [Role.OFFICER, Role.HEAD]


def test_a_template_asking_an_unknown_answer_is_an_error() -> None:
    with pytest.raises(AttributeError):
        _ = TemplatePermissions(AnonymousUser()).fly
