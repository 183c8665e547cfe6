"""Django admin of the programme records: searchable lists with history; monthly records are
read-only there (their changes go through the services, which honour the report lock)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.calendar import report_due_date
from budgets.models import MonthlyReport
from programs.models import (
    Facilitation,
    NewEntrepreneur,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    OvopScoreBand,
    PovertyActivity,
    Sentra,
)
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(satker, fiscal_year, regency):
    report = MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=1, due_date=report_due_date(fiscal_year.year, 1)
    )
    where = {"satker": satker, "fiscal_year": fiscal_year, "month": 1, "report": report}
    centre = Sentra.objects.create(
        satker=satker,
        name="Sentra Tenun",
        regency=regency,
        village="Kebun Tebeng",
        commodity_group="TENUN",
        unit_count=10,
    )
    coaching = OvopCoaching.objects.create(sentra=centre, year=fiscal_year.year, stars=4)
    cycle = OvopCycle.objects.create(year=2024, name="OVOP 2024")
    OvopScoreBand.objects.create(cycle=cycle, stars=3, min_score=70)
    enterprise = make_enterprise(regency, "Tenun Songket", nib="1700000000001")
    candidate = OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product="Songket", group="TENUN",
                                             regency=regency, satker=satker, admin_check_passed=True,
                                             awarded_stars=4)  # fmt: skip
    return {
        OvopCoaching: coaching,
        OvopCycle: cycle,
        OvopCandidate: candidate,
        NewEntrepreneur: NewEntrepreneur.objects.create(
            name="Siti Aminah", regency=regency, business_type="Kopi", **where
        ),
        PovertyActivity: PovertyActivity.objects.create(regency=regency, kind="PELATIHAN", beneficiaries=5, **where),
        Facilitation: Facilitation.objects.create(kind="SNI", enterprise_name="UD Maju", **where),
        Sentra: centre,
        OutputTarget: OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator="wub", target=9),
    }


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:programs_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize(
    "model",
    [NewEntrepreneur, PovertyActivity, Facilitation, Sentra, OvopCoaching, OvopCycle, OvopCandidate, OutputTarget],
)
def test_admin_lists_searches_and_shows_history(model, admin_user, records) -> None:
    client = client_for(admin_user)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "170019"}).status_code == 200
    assert client.get(admin_url(model, "history", records[model].pk)).status_code == 200
    assert client.get(admin_url(model, "change", records[model].pk)).status_code == 200


@pytest.mark.parametrize("model", [NewEntrepreneur, PovertyActivity, Facilitation])
def test_monthly_records_are_read_only_in_the_admin(model, admin_user, records) -> None:
    client = client_for(admin_user)
    record = records[model]
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    page = client.get(admin_url(model, "change", record.pk)).content.decode()
    assert 'name="_save"' not in page
    assert model.objects.filter(pk=record.pk).exists()


def test_sentra_page_shows_its_coaching_inline(admin_user, records) -> None:
    page = client_for(admin_user).get(admin_url(Sentra, "change", records[Sentra].pk)).content.decode()
    assert "coachings-TOTAL_FORMS" in page
    assert "Pusat" in page


def test_cycle_page_edits_its_score_bands(admin_user, records) -> None:
    cycle = records[OvopCycle]
    page = client_for(admin_user).get(admin_url(OvopCycle, "change", cycle.pk)).content.decode()
    assert "bands-TOTAL_FORMS" in page and 'value="70.00"' in page
    data = {"year": "2024", "name": "OVOP 2024", "bands-TOTAL_FORMS": "2", "bands-INITIAL_FORMS": "1",
            "bands-0-id": str(cycle.bands.get().pk), "bands-0-cycle": str(cycle.pk), "bands-0-stars": "3",
            "bands-0-min_score": "72", "bands-1-cycle": str(cycle.pk), "bands-1-stars": "4",
            "bands-1-min_score": "85"}  # fmt: skip
    assert client_for(admin_user).post(admin_url(OvopCycle, "change", cycle.pk), data).status_code == 302
    assert dict(cycle.bands.values_list("stars", "min_score")) == {3: 72, 4: 85}


def test_officer_cannot_reach_the_records_admin(officer, records) -> None:
    response = client_for(officer).get(admin_url(NewEntrepreneur, "changelist"), follow=True)
    assert response.status_code == 403
