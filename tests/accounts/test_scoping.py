"""The one scoping helper: who reads and who changes which province's rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.scoping import get_scoped_or_404, scoped
from budgets.models import FiscalYear, Province, Satker
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_satkers(satker, other_satker, central_satker):
    return {satker.code, other_satker.code, central_satker.code}


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_officer_reads_only_own_province_satkers_and_not_central_units(officer, all_satkers) -> None:
    assert codes(scoped(Satker.objects.all(), officer)) == {"170019"}


def test_other_officer_reads_only_their_province(other_officer, all_satkers) -> None:
    assert codes(scoped(Satker.objects.all(), other_officer)) == {"110019"}


@pytest.mark.parametrize("persona", ["reviewer", "viewer", "admin_user"])
def test_directorate_roles_read_every_satker(persona, all_satkers, request) -> None:
    user = request.getfixturevalue(persona)
    assert codes(scoped(Satker.objects.all(), user)) == all_satkers


def test_only_admins_and_own_officers_may_change(officer, reviewer, viewer, admin_user, all_satkers) -> None:
    assert codes(scoped(Satker.objects.all(), admin_user, for_edit=True)) == all_satkers
    assert codes(scoped(Satker.objects.all(), officer, for_edit=True)) == {"170019"}
    assert codes(scoped(Satker.objects.all(), reviewer, for_edit=True)) == set()
    assert codes(scoped(Satker.objects.all(), viewer, for_edit=True)) == set()


def test_users_without_usable_role_see_nothing(province, all_satkers) -> None:
    no_role = UserFactory(role="")
    officer_without_province = UserFactory(role="OFFICER", province=None)
    inactive_admin = UserFactory(role="ADMIN", is_active=False)
    for user in (no_role, officer_without_province, inactive_admin, AnonymousUser()):
        assert not scoped(Satker.objects.all(), user).exists()


def test_province_rows_are_scoped_too(officer, reviewer, all_satkers) -> None:
    assert list(scoped(Province.objects.all(), officer).values_list("bps_code", flat=True)) == ["17"]
    assert scoped(Province.objects.all(), reviewer).count() == 2


def test_object_of_another_province_is_a_404(officer, other_satker, satker) -> None:
    assert get_scoped_or_404(Satker.objects.all(), officer, code="170019") == satker
    with pytest.raises(Http404):
        get_scoped_or_404(Satker.objects.all(), officer, code=other_satker.code)
    with pytest.raises(Http404):
        get_scoped_or_404(Satker.objects.all(), officer, for_edit=True, code=other_satker.code)


def test_model_without_scope_rule_is_refused_loudly(reviewer) -> None:
    with pytest.raises(TypeError, match="province_scope"):
        scoped(FiscalYear.objects.all(), reviewer)
