"""The demo's API tokens (README "API"): created by create_demo_users with their system accounts,
idempotently, with the published keys; the README's curl examples work with them; production
refuses them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_API_KEYS
from accounts.models import ApiToken
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts() -> str:
    call_command("load_master_data", through_year=timezone.localdate().year, stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


def test_the_demo_tokens_act_as_their_system_accounts(demo_accounts: str) -> None:
    assert all(key in demo_accounts for key in DEMO_API_KEYS.values())
    tokens = {token.user.username: token for token in ApiToken.objects.select_related("user", "user__province")}
    viewer, finance = tokens["sistem-pusdatin"], tokens["sistem-keuangan-17"]
    assert (viewer.user.role, viewer.user.province) == ("VIEWER", None)
    assert (finance.user.role, finance.user.province.bps_code) == ("OFFICER", "17")
    assert not viewer.user.has_usable_password() and not finance.user.has_usable_password()
    year = timezone.localdate().year
    # The README's examples.
    assert api_client(DEMO_API_KEYS["viewer"]).get("/api/v1/reports/provinces/", {"year": year}).status_code == 200
    own = api_client(DEMO_API_KEYS["officer-17"]).get("/api/v1/reports/satkers/", {"year": year})
    assert {row["province"] for row in json.loads(own.content)["rows"]} <= {"17"}
    finance_client = api_client(DEMO_API_KEYS["officer-17"])
    assert finance_client.get("/api/v1/reports/satkers/", {"province": "11"}).status_code == 404
    # Again: nothing new, the same keys.
    call_command("create_demo_users", stdout=io.StringIO())
    assert ApiToken.objects.count() == 2
    assert api_client(DEMO_API_KEYS["viewer"]).get("/api/v1/registry/").status_code == 200


def test_production_refuses_the_published_tokens(demo_accounts: str, settings) -> None:
    settings.IS_PRODUCTION = True
    response = api_client(DEMO_API_KEYS["viewer"]).get("/api/v1/registry/")
    assert response.status_code == 401
    assert json.loads(response.content)["error"] == "Token API demo tidak berlaku di sistem produksi."
