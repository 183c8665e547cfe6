"""The registry in Django's admin: built for a huge table (no full count, joined list, cheap
filters), searchable by name or NIB, with history, and saving through the registry service."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Enterprise
from programs.registry.admin import EnterpriseAdmin
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise, make_many

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_enterprise_changelist")
ADD = reverse("admin:programs_enterprise_add")


def admin_input(regency, **changes) -> dict:
    data = {
        "nib": "0012345678901",
        "name": "CV Tenun Songket",
        "owner": "",
        "regency": regency.pk,
        "address": "",
        "kbli": "13121",
        "workers_male": "2",
        "workers_female": "30",
        "investment": "1.500.000.000",
        "production_value": "0",
        "data_year": str(timezone.localdate().year),
        "satker": "",
        "centre": "",
    }
    data.update(changes)
    return data


def test_admin_is_configured_for_a_huge_table() -> None:
    assert EnterpriseAdmin.show_full_result_count is False
    assert set(EnterpriseAdmin.list_select_related) >= {"regency", "province"}
    assert {"province", "size_class", "name_normalized", "version"} <= set(EnterpriseAdmin.readonly_fields)


def test_changelist_search_by_name_or_nib(admin_user, regency, other_regency) -> None:
    make_enterprise(regency, "CV. Keripik Sanjai", nib="0012345678901")
    make_enterprise(other_regency, "Kopi Gayo")
    client = client_for(admin_user)

    by_name = client.get(CHANGELIST, {"q": "keripik"})
    assert by_name.status_code == 200
    assert [e.name for e in by_name.context["cl"].result_list] == ["CV. Keripik Sanjai"]
    by_nib = client.get(CHANGELIST, {"q": "0012345678901"})
    assert [e.name for e in by_nib.context["cl"].result_list] == ["CV. Keripik Sanjai"]
    filtered = client.get(CHANGELIST, {"province__id__exact": other_regency.province_id, "data_year": "2024"})
    assert filtered.status_code == 200


def test_changelist_query_count_is_constant(admin_user, regency, django_assert_max_num_queries) -> None:
    client = client_for(admin_user)
    make_many(regency, 5)
    with django_assert_max_num_queries(40) as small:
        assert client.get(CHANGELIST).status_code == 200
    make_many(regency, 300, start=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(CHANGELIST).status_code == 200


def test_admin_add_goes_through_the_registry_rules(admin_user, satker, regency) -> None:
    client = client_for(admin_user)

    refused = client.post(ADD, admin_input(regency, kbli="01111"))
    assert refused.status_code == 200
    assert "bukan industri pengolahan" in refused.content.decode()
    assert not Enterprise.objects.exists()

    assert client.post(ADD, admin_input(regency)).status_code == 302
    enterprise = Enterprise.objects.get()
    assert (enterprise.province_id, enterprise.size_class, enterprise.name_normalized, enterprise.satker) == (
        regency.province_id,
        "MENENGAH",
        "tenun songket",
        satker,
    )
    assert enterprise.investment == 1_500_000_000

    duplicate = client.post(ADD, admin_input(regency, nib=""))
    assert duplicate.status_code == 200 and "saya yakin ini usaha yang berbeda" in duplicate.content.decode()
    assert client.post(ADD, admin_input(regency, nib="", confirm_duplicate="on")).status_code == 302
    assert Enterprise.objects.count() == 2


def test_admin_change_and_history(admin_user, satker, regency) -> None:
    enterprise = make_enterprise(regency, "CV Tenun Songket", nib="0012345678901", kbli="13121")
    client = client_for(admin_user)
    change = reverse("admin:programs_enterprise_change", args=[enterprise.pk])
    assert client.get(change).status_code == 200

    response = client.post(change, admin_input(regency, workers_male="50", investment="20.000.000.000"))

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.workers_male, enterprise.size_class, enterprise.version) == (50, "BESAR", 2)
    history = reverse("admin:programs_enterprise_history", args=[enterprise.pk])
    assert client.get(history).status_code == 200


def test_officers_have_no_admin(officer) -> None:
    assert client_for(officer).get(CHANGELIST).status_code == 302
