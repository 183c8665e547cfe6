"""The Kepala Dinas (issue 21, roles): a role of a province that verifies and signs its reports,
reads its province like the officer and writes nothing; demo accounts head-<bps>."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts import permissions
from accounts.roles import PROVINCE_ROLES, Role
from budgets.models import Province
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads() -> dict:
    call_command("load_master_data", through_year=2026, stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO())
    users = get_user_model().objects
    return {"17": users.get(username="head-17"), "11": users.get(username="head-11")}


def test_the_head_is_a_role_of_a_province_that_verifies_and_writes_nothing(heads) -> None:
    head = heads["17"]
    assert (head.role, head.province.name) == (Role.HEAD, "Bengkulu")
    assert Role.HEAD in PROVINCE_ROLES
    assert permissions.may_verify(head) and not permissions.may_write(head)
    assert not permissions.may_review(head) and not permissions.reads_all_provinces(head)
    assert not permissions.may_verify(get_user_model().objects.get(username="officer-17"))
    assert get_user_model().objects.filter(username__startswith="head-").count() == Province.objects.count()
    head.province = None
    with pytest.raises(ValidationError):
        head.full_clean()


def test_the_head_reads_own_province_only_and_cannot_enter_figures(heads) -> None:
    client = client_for(heads["17"])
    assert client.get(reverse("budgets:satker-year", args=["170019", 2026])).status_code == 200
    assert client.get(reverse("budgets:satker-year", args=["110019", 2026])).status_code == 404
    entry = reverse("budgets:realization-entry", args=["170019", 2026, 1])
    assert client.post(entry, {}).status_code == 403
