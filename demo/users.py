"""The demo accounts of CONTRACT: one per role of the directorate (``admin``, ``reviewer``,
``viewer``) and one per province for each role of a province (``officer-17``), named as the
role table says (accounts/roles.py), all with the published demo password."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.demo import DEMO_PASSWORD
from accounts.roles import PROFILES, Role
from budgets.models import Province


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # its label
    scope: str  # the province's name, or "semua"
    created: bool


def signatory(role: str, province: Province | None) -> dict[str, str]:
    """A head's name and NIP as the reports' signature block prints them: a demo head is named
    after the office (no invented person) and given an 18-digit NIP of the form's shape (birth
    date, appointment month, sex, number: the province's code)."""
    if role != Role.HEAD or province is None:
        return {}
    return {"first_name": "Kepala Dinas", "last_name": province.name, "nip": f"197501012000031{province.bps_code:0>3}"}


# The demo accounts' addresses: the reserved .example domain (RFC 2606) can never reach anyone,
# yet every notification of the demo has an addressee (the development console shows the mail).
DEMO_EMAIL_DOMAIN = "demo.ikma.example"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Every demo account that does not exist yet. Existing accounts are left as they are (a
    changed password stays changed) but for an empty e-mail address, which gets the demo one
    (accounts made before the demo had addresses); the password is hashed once and shared, which
    keeps a repeated ``make run`` fast."""
    user_model = get_user_model()
    provinces = list(Province.objects.order_by("bps_code"))
    wanted = []
    for role, profile in PROFILES.items():
        if profile.all_provinces:
            wanted.append((profile.demo_username, role, None))
        else:
            wanted += [(profile.demo_username.format(bps=province.bps_code), role, province) for province in provinces]
    existing = set(user_model.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    password_hash = make_password(password)
    accounts, to_create = [], []
    for username, role, province in wanted:
        created = username not in existing
        if created:
            to_create.append(user_model(username=username, role=role, province=province, password=password_hash,
                                        email=demo_email(username), **signatory(role, province)))  # fmt: skip
        accounts.append(DemoAccount(username, Role(role).label, province.name if province else "semua", created))
    bulk_create_with_history(to_create, user_model, default_change_reason="demo_users_create")
    without_address = list(user_model.objects.filter(username__in=existing, email=""))
    for user in without_address:
        user.email = demo_email(user.username)
    bulk_update_with_history(without_address, user_model, ["email"], default_change_reason="demo_users_create")
    return accounts
