"""Personas of DESIGN.md: officer (one province), other_officer (another), reviewer, viewer,
admin, anonymous. Each province has its provincial satker; the officer's province also holds a
central unit (as DKI Jakarta does) that no officer may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import timezone, translation

from budgets.models import Account, BudgetComponent, BudgetLine, FiscalYear, Regency, SpendingType
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
def today():
    return timezone.localdate()


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
def _site_language_after_each_test() -> Iterator[None]:
    # The language middleware activates the request's language for the thread (as Django's own
    # does); a test that switched to English must not leave the next test's messages in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# --- A satker-year with a DIPA (the budget execution tests): the current fiscal year, so that every
# month up to now can be entered; two lines for Bengkulu and one for Aceh.


@dataclass
class Dipa:
    fiscal_year: FiscalYear
    goods: SpendingType
    capital: SpendingType
    ovop: BudgetLine  # 052 goods: 100.000.000, blokir 10.000.000
    travel: BudgetLine  # 052 goods: 50.000.000
    machine: BudgetLine  # 053 capital: 30.000.000
    other_line: BudgetLine  # Aceh


@pytest.fixture
def dipa(satker, other_satker, today) -> Dipa:
    fiscal_year = FiscalYear.objects.create(year=today.year)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    capital = SpendingType.objects.create(code="53", name="Belanja Modal", name_en="Capital")
    ovop = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    material = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    travel = Account.objects.create(code="524111", name="Belanja Perjalanan Dinas Biasa", spending_type=goods)
    machine = Account.objects.create(code="532111", name="Belanja Modal Peralatan dan Mesin", spending_type=capital)

    def line(satker, account, pagu: int, blokir: int = 0) -> BudgetLine:
        return BudgetLine.objects.create(
            satker=satker, fiscal_year=fiscal_year, component=ovop, account=account, pagu=pagu, blokir=blokir
        )

    return Dipa(
        fiscal_year=fiscal_year,
        goods=goods,
        capital=capital,
        ovop=line(satker, material, 100_000_000, 10_000_000),
        travel=line(satker, travel, 50_000_000),
        machine=line(satker, machine, 30_000_000),
        other_line=line(other_satker, material, 80_000_000),
    )


# --- Regencies in the officer's province (Bengkulu) and in another (Aceh), and the current year.
@pytest.fixture
def fiscal_year(db):
    return FiscalYear.objects.get_or_create(year=timezone.localdate().year)[0]


@pytest.fixture
def regency(province):
    return Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")


@pytest.fixture
def other_regency(other_province):
    return Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota")
