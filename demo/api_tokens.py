"""The demo's API tokens (README "API"), each acting as a system account of its own: the data
centre's read of every province (role VIEWER) and Bengkulu's finance system (OFFICER of province
17), with the fixed keys the README's curl examples use (accounts/demo.py; refused in production).
Idempotent: an existing token is kept (a revoked one stays revoked), an expired one is renewed."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import api_tokens
from accounts.demo import DEMO_API_KEYS
from accounts.models import ApiToken
from accounts.roles import Role
from budgets.models import Province
from demo.users import demo_email


@dataclass(frozen=True)
class DemoSystem:
    username: str  # the system account
    name: str  # the token's system
    role: str
    province_code: str | None
    key: str


SYSTEMS = (
    DemoSystem("sistem-pusdatin", "Pusdatin Kemenperin (demo)", Role.VIEWER, None, DEMO_API_KEYS["viewer"]),
    DemoSystem("sistem-keuangan-17", "Sistem keuangan Provinsi Bengkulu (demo)", Role.OFFICER, "17",
               DEMO_API_KEYS["officer-17"]),
)  # fmt: skip


@transaction.atomic
def demo_api_tokens_create() -> list[tuple[DemoSystem, bool]]:
    """Every demo system account and token; (system, created) for each."""
    user_model = get_user_model()
    done = []
    for system in SYSTEMS:
        province = Province.objects.get(bps_code=system.province_code) if system.province_code else None
        user, _created = user_model.objects.get_or_create(
            username=system.username,
            defaults={"role": system.role, "province": province, "email": demo_email(system.username),
                      "first_name": system.name},
        )  # fmt: skip
        if user.has_usable_password():
            user.set_unusable_password()  # a system signs in with its token, never on the site
            user.save(update_fields=["password"])
        token = ApiToken.objects.filter(prefix=api_tokens.parse_prefix(system.key)).first()
        if token is None:
            ApiToken.issue(name=system.name, user=user, created_by=None, key=system.key)
        elif token.expires_at <= timezone.now() and token.revoked_at is None:
            token.expires_at = api_tokens.default_expiry()
            token.save(update_fields=["expires_at"])
        done.append((system, token is None))
    return done
