"""The output targets page (admins set, others read), per role (the OVOP pages:
test_ovop_pages.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import OutputIndicator, OutputTarget
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


# -- output targets ---------------------------------------------------------------------------


def targets_url(satker, fiscal_year) -> str:
    return reverse("programs:targets", args=[satker.code, fiscal_year.year])


def test_admin_sets_targets_for_every_indicator(admin_user, satker, fiscal_year) -> None:
    client = client_for(admin_user)
    page = client.get(targets_url(satker, fiscal_year)).content.decode()
    for _key, label in OutputIndicator.choices:
        assert str(label) in page
    response = client.post(targets_url(satker, fiscal_year), {"wub": "120", "exhibition_value": "1.250.000"})
    assert response.status_code == 302
    assert dict(OutputTarget.objects.values_list("indicator", "target")) == {"wub": 120, "exhibition_value": 1_250_000}
    assert "Target output" in client.get(targets_url(satker, fiscal_year)).content.decode()


def test_bad_target_is_refused_on_its_field(admin_user, satker, fiscal_year) -> None:
    response = client_for(admin_user).post(targets_url(satker, fiscal_year), {"wub": "10", "sni": "-1"})
    assert response.status_code == 200
    assert "tidak boleh negatif" in response.content.decode()
    assert not OutputTarget.objects.exists()


def test_officer_reads_own_targets_and_may_not_set_them(officer, satker, fiscal_year) -> None:
    OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator="wub", target=4579)
    client = client_for(officer)
    page = client.get(targets_url(satker, fiscal_year)).content.decode()
    assert "4.579" in page
    assert "ditetapkan oleh admin direktorat" in page
    assert 'name="wub"' not in page
    assert client.post(targets_url(satker, fiscal_year), {"wub": "1"}).status_code == 403
    assert OutputTarget.objects.get().target == 4579


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_reviewer_and_viewer_read_targets_only(persona, request, satker, fiscal_year) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(targets_url(satker, fiscal_year)).status_code == 200
    assert client.post(targets_url(satker, fiscal_year), {"wub": "1"}).status_code == 403
    assert not OutputTarget.objects.exists()


def test_other_officer_gets_404_on_targets(other_officer, satker, fiscal_year) -> None:
    client = client_for(other_officer)
    assert client.get(targets_url(satker, fiscal_year)).status_code == 404
    assert client.post(targets_url(satker, fiscal_year), {"wub": "1"}).status_code == 404
    assert not OutputTarget.objects.exists()
