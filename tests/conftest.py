"""Personas of DESIGN.md: officer (one province), other_officer (another), reviewer, viewer,
admin, anonymous. Each province has its provincial satker; the officer's province also holds a
central unit (as DKI Jakarta does) that no officer may see."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import ProvinceFactory, SatkerFactory, UserFactory


@pytest.fixture
def province(db):
    return ProvinceFactory(bps_code="17", kemendagri_code="17", name="Bengkulu", name_en="Bengkulu", iso_code="ID-BE")


@pytest.fixture
def other_province(db):
    return ProvinceFactory(bps_code="11", kemendagri_code="11", name="Aceh", name_en="Aceh", iso_code="ID-AC")


@pytest.fixture
def satker(province):
    return SatkerFactory(province=province, code="170019", name="Dinas Perindustrian Provinsi Bengkulu")


@pytest.fixture
def other_satker(other_province):
    return SatkerFactory(province=other_province, code="110019", name="Dinas Perindustrian Provinsi Aceh")


@pytest.fixture
def central_satker(province):
    return SatkerFactory(province=province, code="019101", name="Sekretariat Ditjen IKMA", is_central=True)


@pytest.fixture
def officer(province, satker):
    return UserFactory(username="officer-17", role="OFFICER", province=province)


@pytest.fixture
def other_officer(other_province, other_satker):
    return UserFactory(username="officer-11", role="OFFICER", province=other_province)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role="REVIEWER")


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer", role="VIEWER")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role="ADMIN")


@pytest.fixture
def anonymous() -> Client:
    return Client()


def client_for(user) -> Client:
    """A client signed in as ``user`` (force_login: axes needs a request for real sign-ins)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    # Cached pages are keyed by the data version, which starts again in every test's database.
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2's real cost is for production; tests only need passwords to be checked.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _imports_run_in_the_test(settings, tmp_path_factory) -> None:
    # The upload flow's background tasks run at once, in the test's transaction; uploaded files
    # go to a temporary directory.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_UPLOAD_DIR = tmp_path_factory.mktemp("uploads")
