"""Fixtures shared by every test: the personas of DESIGN.md (tests/personas.py: officer, other_officer,
reviewer, viewer, admin, anonymous), a satker-year with a DIPA, regencies, and the demo data of
the whole run."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation

from budgets.models import Account, BudgetComponent, BudgetLine, FiscalYear, Regency, SpendingType
from tests import personas
from tests.on_day import pretend_today
from tests.shared_rows import rolled_back_at_end


@pytest.fixture(scope="session", autouse=True)
def _a_month_of_the_running_year_has_ended() -> Iterator[None]:
    """The tests work in the running fiscal year's past months (the ``dipa`` fixture's January is
    entered, submitted and approved). In January no month of the running year has ended yet (a
    report is handed in from the day after its month ends), so in January the whole run, demo
    data included, takes ``timezone.localdate()`` (the date of every rule) to be 16 February;
    any other month it is the real date. Clock times (``timezone.now()``) stay real."""
    today = timezone.localdate()
    if today.month != 1:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        pretend_today(patch, date(today.year, 2, 16))
        yield


@pytest.fixture
def province(db):
    return personas.bengkulu()


@pytest.fixture
def other_province(db):
    return personas.aceh()


@pytest.fixture
def satker(province):
    return personas.bengkulu_satker(province)


@pytest.fixture
def other_satker(other_province):
    return personas.aceh_satker(other_province)


@pytest.fixture
def central_satker(province):
    return personas.central_unit(province)


@pytest.fixture
def officer(province, satker):
    return personas.officer_of(province)


@pytest.fixture
def other_officer(other_province, other_satker):
    return personas.officer_of(other_province)


@pytest.fixture
def head(province, satker):
    return personas.head_of(province)


@pytest.fixture
def other_head(other_province, other_satker):
    return personas.head_of(other_province)


@pytest.fixture
def reviewer(db):
    return personas.directorate("REVIEWER")


@pytest.fixture
def viewer(db):
    return personas.directorate("VIEWER")


@pytest.fixture
def admin_user(db):
    return personas.directorate("ADMIN")


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


# --- The demo data (what `make run` loads), once for the whole run ------------------------------

DEMO_DATA = "demo_data"


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """Master data (through the running year), the demo accounts and every demo year, loaded once
    for the run (tests/shared_rows.py); the value is what load_demo_data printed.

    The tests that use it run last (``pytest_collection_modifyitems`` below): its transaction stays
    open until the run ends, and no other test may see the demo data."""

    def load() -> str:
        from tests.evidence_support import evidence_storages

        call_command("load_master_data", through_year=timezone.localdate().year, stdout=io.StringIO())
        printed = io.StringIO()
        # The demo's evidence files in a temporary directory too: this session fixture is set up
        # before the tests' own (_evidence_in_a_temporary_directory), so it would write var/evidence.
        with override_settings(STORAGES=evidence_storages(tmp_path_factory.mktemp("demo-evidence"))):
            call_command("load_demo_data", stdout=printed)
        return printed.getvalue()

    yield from rolled_back_at_end(django_db_blocker, load)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests on the demo data last, in their order: the session's demo transaction opens
    before the first of them and closes only when the session ends."""
    items.sort(key=lambda item: DEMO_DATA in getattr(item, "fixturenames", ()))


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


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_directory(settings, tmp_path_factory) -> None:
    # Evidence files (budgets.Evidence) never go to var/evidence in a test.
    from tests.evidence_support import evidence_storages

    settings.STORAGES = evidence_storages(tmp_path_factory.mktemp("evidence"))


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
