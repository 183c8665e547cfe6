"""RegistrySummary against the enterprises themselves (issue 7: "report figures stay identical to
the unoptimized queries").

Seeded random registries are written through the real write paths only (the web form's service,
the ``ikm`` import of a real workbook, edits that move enterprises between regencies, provinces,
size classes, data years and KBLI groups, the admin's delete and delete action, a queryset's
delete); after each step
every figure of the IKM report and every count of the registry list that the summary serves
equals the direct aggregate over the enterprises (the unoptimized queries, kept below as the
reference). Plus: the repair command, the report's constant queries without touching the
enterprises, and (PostgreSQL) concurrent writers of one summary row and the trigram index.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.scoping import scoped
from budgets.models import Province, Regency
from budgets.reports.queries import RealizationFilter, ReportResult
from imports.catalog import get_kind
from imports.importer import import_file
from programs.models import Enterprise, RegistrySummary, SizeClass
from programs.registry import views as registry_views
from programs.registry.report import FIGURES, KBLI_GROUPS, ZERO, ikm_report
from programs.registry.services import enterprise_save, enterprises_delete
from programs.registry.summary import rebuild_registry_summary, summary_differences
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory, UserFactory
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db

SEED = 7_2026
THIS_YEAR = timezone.localdate().year
DATA_YEARS = list(range(THIS_YEAR - 5, THIS_YEAR + 1))
KBLIS = ["10792", "10761", "11050", "13134", "13921", "16291", "22220", "25920", "31001", "33121"]
# Workers and investment of each size class (DOMAIN.md thresholds: 19 workers, Rp1 and 15 miliar).
SIZES = {
    SizeClass.SMALL: lambda rng: (rng.randint(1, 19), rng.randint(0, 999) * 1_000_000),
    SizeClass.MEDIUM: lambda rng: (rng.randint(20, 99), rng.randint(100, 15_000) * 1_000_000),
    SizeClass.LARGE: lambda rng: (rng.randint(20, 400), rng.randint(15_001, 90_000) * 1_000_000),
}
HEADER = get_kind("ikm").column_names
LIST = reverse("programs:registry-list")


# --- The unoptimized queries (the IKM report before the summary), the reference ------------------


def _direct_figures() -> dict[str, Any]:
    return {
        "enterprises": Count("id"),
        "workers": Coalesce(Sum(F("workers_male") + F("workers_female")), Value(0)),
        "investment": Coalesce(Sum("investment"), Value(0)),
        "production_value": Coalesce(Sum("production_value"), Value(0)),
        "small": Count("id", filter=Q(size_class=SizeClass.SMALL)),
        "medium": Count("id", filter=Q(size_class=SizeClass.MEDIUM)),
        "large": Count("id", filter=Q(size_class=SizeClass.LARGE)),
    }


def _direct_ikm_report(filters: RealizationFilter) -> ReportResult:
    """programs.registry.report.ikm_report as it was: GROUP BY over the enterprises."""
    enterprises = Enterprise.objects.filter(data_year__lte=filters.year)
    if filters.province:
        enterprises = enterprises.filter(province__bps_code=filters.province)
    provinces = Province.objects.order_by("bps_code")
    if filters.province:
        provinces = provinces.filter(bps_code=filters.province)
    per_province = {
        row["province"]: row for row in enterprises.order_by().values("province").annotate(**_direct_figures())
    }
    rows: list[dict[str, Any]] = []
    for province in provinces:
        figures = per_province.get(province.pk, ZERO)
        rows.append({"group": "province", "province": province.bps_code, "province_name": province.name,
                     "kbli": None, "kbli_name": None, **{key: figures[key] for key in FIGURES}})  # fmt: skip
    totals = {key: sum(row[key] for row in rows) for key in FIGURES}
    per_group = (
        enterprises.order_by()
        .annotate(kbli_group=Substr("kbli", 1, 2))
        .values("kbli_group")
        .annotate(**_direct_figures())
        .order_by("kbli_group")
    )
    for figures in per_group:
        group = figures["kbli_group"]
        rows.append({"group": "kbli", "province": filters.province, "province_name": None, "kbli": group,
                     "kbli_name": KBLI_GROUPS.get(group, ""), **{key: figures[key] for key in FIGURES}})  # fmt: skip
    return ReportResult("ikm", rows, totals, {"year": filters.year})


def _direct_count(user, params: dict[str, str]) -> int:
    """The registry list's count as a COUNT over the enterprises."""
    enterprises = scoped(Enterprise.objects.all(), user)
    if params.get("province"):
        enterprises = enterprises.filter(province__bps_code=params["province"])
    if params.get("kbli"):
        enterprises = enterprises.filter(kbli__startswith=params["kbli"])
    if params.get("size_class"):
        enterprises = enterprises.filter(size_class=params["size_class"])
    if params.get("data_year"):
        enterprises = enterprises.filter(data_year=int(params["data_year"]))
    return enterprises.count()


# --- A random registry through the real write paths --------------------------------------------


@pytest.fixture
def regencies(province, other_province, satker, other_satker) -> list[Regency]:
    """Three provinces (Bengkulu and Aceh of the personas, and Jawa Timur) of three regencies."""
    east_java = ProvinceFactory(bps_code="35", kemendagri_code="35", name="Jawa Timur", iso_code="ID-JI")
    SatkerFactory(province=east_java, code="350019", name="Dinas Perindustrian Provinsi Jawa Timur")
    return [
        Regency.objects.create(kemendagri_code=f"{place.kemendagri_code}.{number:02d}", province=place,
                               name=f"Kabupaten {place.name} {number}", kind="kabupaten")
        for place in (province, other_province, east_java)
        for number in (1, 2, 71)
    ]  # fmt: skip


class RandomRegistry:
    """Seeded random enterprise values (unique names and NIBs, every size class)."""

    def __init__(self, regencies: list[Regency]) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - test data, not secrets
        self.regencies = regencies
        self.serial = 0

    def values(self, **changes: Any) -> dict[str, Any]:
        self.serial += 1
        workers, investment = SIZES[self.rng.choice(list(SIZES))](self.rng)
        male = self.rng.randint(0, workers)
        return {
            "nib": f"{5_000_000_000_000 + self.serial}" if self.rng.random() < 0.7 else "",
            "name": f"Usaha Acak {self.serial:05d}",
            "owner": "",
            "regency": self.rng.choice(self.regencies),
            "address": "",
            "kbli": self.rng.choice(KBLIS),
            "workers_male": male,
            "workers_female": workers - male,
            "investment": investment,
            "production_value": self.rng.randint(0, 5_000) * 1_000_000,
            "data_year": self.rng.choice(DATA_YEARS),
            "satker": "",
            "centre": "",
            **changes,
        }

    def changed(self, enterprise: Enterprise) -> dict[str, Any]:
        """The enterprise's form values with one to four of its summarised fields changed."""
        values = self.values()
        current = {
            "nib": enterprise.nib or "", "name": enterprise.name, "owner": enterprise.owner,
            "regency": enterprise.regency, "address": enterprise.address, "kbli": enterprise.kbli,
            "workers_male": enterprise.workers_male, "workers_female": enterprise.workers_female,
            "investment": enterprise.investment, "production_value": enterprise.production_value,
            "data_year": enterprise.data_year, "satker": "", "centre": "",
        }  # fmt: skip
        moves = [("regency",), ("workers_male", "workers_female", "investment"), ("data_year",), ("kbli",),
                 ("production_value",)]  # fmt: skip
        for fields in self.rng.sample(moves, self.rng.randint(1, 4)):
            current.update({field: values[field] for field in fields})
        return current


def save(admin, values: dict[str, Any], enterprise: Enterprise | None = None) -> Enterprise:
    return enterprise_save(by=admin, data=values, enterprise=enterprise, confirm_duplicate=True)


def import_rows(path: Path, admin, rows: list[dict[str, Any]]) -> None:
    book = Workbook()
    book.active.append(HEADER)
    for values in rows:
        book.active.append([
            values["nib"] or None, values["name"], values["owner"] or None, values["regency"].kemendagri_code,
            values["address"] or None, values["kbli"], values["workers_male"], values["workers_female"],
            values["investment"], values["production_value"], values["data_year"],
        ])  # fmt: skip
    book.save(path)
    result = import_file(path, "ikm", user=admin, dry_run=False, reason="uji ringkasan registri")
    assert result.imported, [(error.row, error.column, error.message) for error in result.plan.errors]


def assert_summary_matches_the_enterprises(rng: random.Random, officer, reviewer, monkeypatch) -> None:
    assert summary_differences() == []
    for year in [DATA_YEARS[0] - 1, *DATA_YEARS]:
        for province in (None, "17", "11", "35"):
            filters = RealizationFilter(year=year, province=province)
            summarised, direct = ikm_report(filters), _direct_ikm_report(filters)
            assert summarised.rows == direct.rows, (year, province)
            assert summarised.totals == direct.totals, (year, province)
    # The list's counts: one row a page, so that every count is asked of the summary.
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 1)
    choices = {"province": ["", "17", "11", "35"], "kbli": ["", "10", "13", "31", "33"],
               "size_class": ["", *SizeClass.values], "data_year": ["", *map(str, DATA_YEARS)]}  # fmt: skip
    for _case in range(12):
        params = {name: rng.choice(values) for name, values in choices.items()}
        for user in (reviewer, officer):
            if user is officer and params["province"] not in ("", "17"):
                continue  # not a choice of the officer's form
            response = client_for(user).get(LIST, params)
            assert response.context["more_than_limit"] is False
            assert response.context["matched"] == _direct_count(user, params), (user.username, params)


def test_summary_figures_equal_the_direct_aggregate_through_every_write_path(
    tmp_path, admin_user, officer, reviewer, regencies, monkeypatch
) -> None:
    registry = RandomRegistry(regencies)
    rng = random.Random(SEED + 1)  # noqa: S311 - test data, not secrets

    # Recorded on the web form (the service), then the checks.
    for _index in range(150):
        save(admin_user, registry.values())
    assert_summary_matches_the_enterprises(rng, officer, reviewer, monkeypatch)

    # An import of a real workbook: new enterprises, and changes of recorded ones (matched by NIB,
    # within their province: another regency, size class, data year or KBLI).
    stored = list(Enterprise.objects.exclude(nib=None).select_related("regency").order_by("?")[:40])
    changed = []
    for enterprise in stored:
        values = registry.changed(enterprise)
        same_province = [r for r in regencies if r.province_id == enterprise.province_id]
        values["regency"] = rng.choice(same_province)
        changed.append(values)
    import_rows(tmp_path / "ikm.xlsx", admin_user, [registry.values() for _index in range(100)] + changed)
    assert Enterprise.objects.count() == 250
    assert_summary_matches_the_enterprises(rng, officer, reviewer, monkeypatch)

    # Edits on the form: moves between regencies and provinces, size classes, years, KBLI groups.
    for enterprise in rng.sample(list(Enterprise.objects.select_related("regency")), 80):
        save(admin_user, registry.changed(enterprise), enterprise)
    assert_summary_matches_the_enterprises(rng, officer, reviewer, monkeypatch)

    # Deletes in the admin: one by one, and the "delete selected" action.
    client = client_for(admin_user)
    doomed = rng.sample(list(Enterprise.objects.values_list("pk", flat=True)), 25)
    for pk in doomed[:5]:
        response = client.post(reverse("admin:programs_enterprise_delete", args=[pk]), {"post": "yes"})
        assert response.status_code == 302
    response = client.post(
        reverse("admin:programs_enterprise_changelist"),
        {"action": "delete_selected", "_selected_action": doomed[5:], "post": "yes"},
    )
    assert response.status_code == 302
    assert Enterprise.objects.count() == 225
    assert_summary_matches_the_enterprises(rng, officer, reviewer, monkeypatch)

    # Emptied keys keep rows of zeros, which the report skips like absent rows.
    enterprises_delete(enterprises=Enterprise.objects.filter(province__bps_code="35"), by=admin_user)
    assert RegistrySummary.objects.filter(province__bps_code="35", enterprises=0).exists()
    assert_summary_matches_the_enterprises(rng, officer, reviewer, monkeypatch)


def test_an_edit_outside_the_summary_keys_writes_no_summary_row(admin_user, regencies) -> None:
    enterprise = save(admin_user, RandomRegistry(regencies).values())
    values = {**RandomRegistry(regencies).changed(enterprise), "regency": enterprise.regency,
              "kbli": enterprise.kbli, "data_year": enterprise.data_year, "owner": "Pemilik Baru",
              "workers_male": enterprise.workers_male, "workers_female": enterprise.workers_female,
              "investment": enterprise.investment, "production_value": enterprise.production_value}  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        save(admin_user, values, enterprise)
    assert not [q for q in queries.captured_queries if "programs_registrysummary" in q["sql"]]


def test_report_reads_the_summary_only_in_three_queries(regencies, admin_user) -> None:
    registry = RandomRegistry(regencies)
    for _index in range(20):
        save(admin_user, registry.values())
    with CaptureQueriesContext(connection) as queries:
        ikm_report(RealizationFilter(year=THIS_YEAR))
    assert len(queries.captured_queries) == 3
    assert not [q for q in queries.captured_queries if "programs_enterprise" in q["sql"]]


def test_rebuild_command_repairs_and_check_finds_the_difference(regencies, admin_user) -> None:
    registry = RandomRegistry(regencies)
    for _index in range(30):
        save(admin_user, registry.values())
    call_command("rebuild_registry_summary", "--check")  # consistent: no error

    # Written behind the summary's back: a bulk insert that no writer accounted for.
    make_enterprise(regencies[0], "Tercatat Sendiri", kbli="24101", data_year=THIS_YEAR)
    RegistrySummary.objects.filter(kbli_group="24").delete()
    RegistrySummary.objects.filter(pk=RegistrySummary.objects.order_by("pk").values("pk")[:1]).update(
        investment=F("investment") + 1
    )
    with pytest.raises(CommandError, match="berbeda pada 2 kunci"):
        call_command("rebuild_registry_summary", "--check")

    call_command("rebuild_registry_summary")
    assert summary_differences() == []
    assert rebuild_registry_summary() == RegistrySummary.objects.count()


# --- PostgreSQL: concurrent writers, the trigram index -----------------------------------------------


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_key_both_count(officer, satker, province) -> None:
    _postgres_only()
    first_regency = Regency.objects.create(kemendagri_code="17.01", province=province, name="Satu", kind="kabupaten")
    second_regency = Regency.objects.create(kemendagri_code="17.02", province=province, name="Dua", kind="kabupaten")
    colleague = UserFactory(username="officer-17b", role="OFFICER", province=province)
    holding = threading.Event()
    errors: list[BaseException] = []

    def record(user, regency, name: str, hold: bool) -> None:
        try:
            if not hold:
                holding.wait(timeout=10)
            with transaction.atomic():
                enterprise_save(by=user, data={"name": name, "regency": regency, "kbli": "10792", "workers_male": 2,
                                               "data_year": THIS_YEAR})  # fmt: skip
                if hold:  # the summary row stays locked while the other save comes in
                    holding.set()
                    threading.Event().wait(0.5)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(officer, first_regency, "Kopi Satu", True)),
               threading.Thread(target=record, args=(colleague, second_regency, "Kopi Dua", False))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    row = RegistrySummary.objects.get(province=province, data_year=THIS_YEAR, kbli_group="10")
    assert (row.enterprises, row.small, row.workers_male) == (2, 2, 4)
    assert summary_differences() == []


@pytest.mark.postgres
def test_name_search_has_its_trigram_index() -> None:
    _postgres_only()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'enterprise_name_trgm_idx'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition and "name_normalized" in definition
