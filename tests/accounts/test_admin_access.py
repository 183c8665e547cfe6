"""Only the ADMIN role reaches the Django admin; there it finds every master data list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse

from budgets.models import (
    Account,
    BudgetComponent,
    FiscalYear,
    Province,
    Regency,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# IKPA weights are edited inline on their fiscal year.
MASTER_DATA = [Province, Regency, Satker, SatkerAuthority, FiscalYear, BudgetComponent, SpendingType, Account]


def test_admin_reaches_the_admin_index(admin_user) -> None:
    response = client_for(admin_user).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Data induk dan pengguna" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "reviewer", "viewer"])
def test_other_roles_are_refused_by_the_admin(persona, request) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert client.get(reverse("admin:budgets_province_changelist"), follow=True).status_code == 403


def test_anonymous_is_sent_to_the_site_login(anonymous) -> None:
    response = anonymous.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


def test_deactivated_admin_is_refused(admin_user) -> None:
    client = client_for(admin_user)
    admin_user.is_active = False
    admin_user.save()
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Data induk dan pengguna" not in response.content.decode()


@pytest.mark.parametrize("model", MASTER_DATA, ids=lambda m: m.__name__)
def test_admin_lists_and_searches_every_master_data_model(model, admin_user, satker) -> None:
    client = client_for(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "17"}).status_code == 200
    assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code == 200


def test_admin_sees_history_of_a_master_data_change(admin_user, satker) -> None:
    client = client_for(admin_user)
    url = reverse("admin:budgets_satker_change", args=[satker.pk])
    data = {
        "code": satker.code,
        "name": "Dinas Perindustrian dan Perdagangan Provinsi Bengkulu",
        "province": satker.province_id,
        "authorities-TOTAL_FORMS": "0",
        "authorities-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("admin:budgets_satker_history", args=[satker.pk]))
    assert history.status_code == 200
    assert satker.history.count() == 2
    assert satker.history.first().history_user == admin_user


def test_admin_derives_account_spending_type_and_rejects_unknown_prefix(admin_user) -> None:
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    client = client_for(admin_user)
    url = reverse("admin:budgets_account_add")
    assert client.post(url, {"code": "521211", "name": "Belanja Bahan"}).status_code == 302
    assert Account.objects.get(code="521211").spending_type == goods
    refused = client.post(url, {"code": "991211", "name": "Salah"})
    assert refused.status_code == 200
    assert "bukan jenis belanja yang dikenal" in refused.content.decode()
    assert not Account.objects.filter(code="991211").exists()


def test_admin_refuses_ikpa_weights_not_summing_to_100(admin_user) -> None:
    client = client_for(admin_user)
    data = {
        "year": "2030",
        "below_average_threshold": "91.20",
        "target_q1": "15",
        "target_q2": "50",
        "target_q3": "70",
        "target_q4": "90",
        "deviation_tolerance": "5",
        "timeliness_step": "VERIFICATION",
        # The IKPA inlines of issue 24 (year rule, deviation curve, absorption targets): empty.
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("ikpa_rule", "ikpa_deviation_points", "ikpa_absorption_targets")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        "ikpa_weights-TOTAL_FORMS": "2",
        "ikpa_weights-INITIAL_FORMS": "0",
        "ikpa_weights-0-indicator": "ABSORPTION",
        "ikpa_weights-0-weight": "20",
        "ikpa_weights-1-indicator": "OUTPUT",
        "ikpa_weights-1-weight": "25",
    }
    refused = client.post(reverse("admin:budgets_fiscalyear_add"), data)
    assert refused.status_code == 200
    assert "Jumlah bobot IKPA harus 100" in refused.content.decode()
    assert not FiscalYear.objects.filter(year=2030).exists()
    data["target_q2"] = "10"
    data["ikpa_weights-1-weight"] = "80"
    refused = client.post(reverse("admin:budgets_fiscalyear_add"), data)
    assert "kumulatif" in refused.content.decode()
    data["target_q2"] = "50"
    assert client.post(reverse("admin:budgets_fiscalyear_add"), data).status_code == 302
    assert FiscalYear.objects.get(year=2030).ikpa_weights.count() == 2


def test_createsuperuser_makes_an_admin_role_user(db) -> None:
    user = get_user_model().objects.create_superuser("root", "root@example.id", "a-long-password-123")
    assert user.role == "ADMIN"
    assert user.is_staff and user.is_superuser


def test_only_officers_may_carry_a_province(province) -> None:
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user("reviewer-x", role="REVIEWER", province=province)


def test_admin_creates_an_officer_for_a_province(admin_user, province) -> None:
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_add")
    assert client.get(url).status_code == 200
    form = {"username": "officer-17b", "password1": "Bengkulu-Officer-2026", "password2": "Bengkulu-Officer-2026"}
    form["usable_password"] = "true"
    missing_province = client.post(url, {**form, "role": "OFFICER"})
    assert missing_province.status_code == 200
    assert "harus dikaitkan dengan provinsinya" in missing_province.content.decode()
    reviewer_with_province = client.post(url, {**form, "role": "REVIEWER", "province": province.pk})
    assert "Hanya petugas provinsi" in reviewer_with_province.content.decode()
    assert not get_user_model().objects.filter(username="officer-17b").exists()
    created = client.post(url, {**form, "role": "OFFICER", "province": province.pk})
    assert created.status_code == 302
    user = get_user_model().objects.get(username="officer-17b")
    assert (user.role, user.province) == ("OFFICER", province)
    assert user.check_password("Bengkulu-Officer-2026")


def test_admin_opens_a_user_and_its_history(admin_user, officer) -> None:
    client = client_for(admin_user)
    assert client.get(reverse("admin:accounts_user_change", args=[officer.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_history", args=[officer.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist"), {"role": "OFFICER", "q": "officer"}).status_code == 200
