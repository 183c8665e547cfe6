"""The demo's API tokens (README "API"): created by create_demo_users with their system accounts,
idempotently, with the published keys; the README's curl examples work with them; production
refuses them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_API_KEYS
from accounts.models import ApiToken
from demo.api_tokens import demo_api_tokens_create
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


def test_the_readmes_push_works_on_the_demo_data(demo_data) -> None:
    """The README's curl push, on the demo data `make run` loads, with the demo finance token."""
    demo_api_tokens_create()
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    body = json.loads(re.search(r"-d '(\{\"lines\".*?\})'", readme)[1])
    today = timezone.localdate()
    client = api_client(DEMO_API_KEYS["officer-17"])
    response = client.put(f"/api/v1/realization/170019/{today.year}/{today.month}/", body,
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["lines"] == body["lines"]
    # An earlier month of the demo is approved: locked.
    if today.month > 2:
        earlier = client.put(f"/api/v1/realization/170019/{today.year}/1/", body, content_type="application/json")
        assert earlier.status_code == 409
