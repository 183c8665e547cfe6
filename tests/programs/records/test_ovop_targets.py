"""The OVOP centres page (centres, their latest stars, a year's stars) and the output targets
page (admins set, others read), per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import FiscalYear
from programs.models import OutputIndicator, OutputTarget, OvopCentre, OvopRating
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def ovop_url(satker, fiscal_year) -> str:
    return reverse("programs:ovop", args=[satker.code, fiscal_year.year])


def centre_data(regency, **overrides) -> dict:
    data = {
        "centre-name": "Sentra Batik Besurek",
        "centre-regency": regency.pk,
        "centre-village": "Anggut Atas",
        "centre-commodity_group": "BATIK",
        "centre-unit_count": "8",
    }
    data.update({f"centre-{key}": value for key, value in overrides.items()})
    return data


@pytest.fixture
def centre(satker, regency):
    return OvopCentre.objects.create(
        satker=satker,
        name="Sentra Tenun",
        regency=regency,
        village="Kebun Tebeng",
        commodity_group="TENUN",
        unit_count=10,
    )


def rating_url(satker, fiscal_year, centre) -> str:
    return reverse("programs:ovop-rating", args=[satker.code, fiscal_year.year, centre.pk])


# -- OVOP -------------------------------------------------------------------------------------


def test_officer_adds_a_centre(officer, satker, fiscal_year, regency) -> None:
    client = client_for(officer)
    response = client.post(ovop_url(satker, fiscal_year), centre_data(regency))
    assert response.status_code == 302
    centre = OvopCentre.objects.get()
    assert (centre.satker, centre.unit_count, centre.commodity_group) == (satker, 8, "BATIK")
    page = client.get(ovop_url(satker, fiscal_year)).content.decode()
    assert "Sentra Batik Besurek disimpan." in page
    assert "belum dinilai" in page


def test_centre_below_five_units_is_refused_on_its_field(officer, satker, fiscal_year, regency) -> None:
    response = client_for(officer).post(ovop_url(satker, fiscal_year), centre_data(regency, unit_count="4"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "sentra minimal 5 unit IKM" in page
    assert 'id="id_centre-unit_count_error"' in page
    assert not OvopCentre.objects.exists()


def test_centre_in_another_province_is_refused(officer, satker, fiscal_year, other_regency) -> None:
    response = client_for(officer).post(ovop_url(satker, fiscal_year), centre_data(other_regency))
    assert "tidak berada di provinsi satker" in response.content.decode()
    assert not OvopCentre.objects.exists()


def test_officer_edits_a_centre(officer, satker, fiscal_year, regency, centre) -> None:
    url = reverse("programs:ovop-edit", args=[satker.code, fiscal_year.year, centre.pk])
    client = client_for(officer)
    assert 'value="Sentra Tenun"' in client.get(url).content.decode()
    data = {"name": "Sentra Tenun", "regency": regency.pk, "village": "Kebun Tebeng", "commodity_group": "TENUN"}
    assert "sentra minimal 5 unit IKM" in client.post(url, {**data, "unit_count": "2"}).content.decode()
    centre.refresh_from_db()
    assert centre.unit_count == 10
    assert client.post(url, {**data, "unit_count": "25"}).status_code == 302
    centre.refresh_from_db()
    assert centre.unit_count == 25


def test_stars_are_set_once_per_year_and_show_the_coaching_level(officer, satker, fiscal_year, centre) -> None:
    client = client_for(officer)
    assert client.post(rating_url(satker, fiscal_year, centre), {"stars": "3"}).status_code == 302
    response = client.post(rating_url(satker, fiscal_year, centre), {"stars": "5"}, follow=True)
    assert "pembinaan pusat" in response.content.decode()
    assert list(OvopRating.objects.values_list("year", "stars")) == [(fiscal_year.year, 5)]
    earlier = FiscalYear.objects.create(year=fiscal_year.year - 2)
    client.post(rating_url(satker, earlier, centre), {"stars": "2"})
    page = client.get(ovop_url(satker, earlier)).content.decode()
    # The latest rating is the newest year's, whatever page year is shown.
    assert f"★★★★★</span> {fiscal_year.year}" in page
    assert OvopRating.objects.count() == 2


@pytest.mark.parametrize("stars", ["0", "6", "-1", "x", ""])
def test_stars_outside_1_to_5_are_refused(stars, officer, satker, fiscal_year, centre) -> None:
    response = client_for(officer).post(rating_url(satker, fiscal_year, centre), {"stars": stars})
    assert response.status_code == 200
    page = response.content.decode()
    assert "belum disimpan" in page
    assert f'id="id_rating_{centre.pk}_stars_error"' in page
    assert not OvopRating.objects.exists()


def test_ovop_roles(reviewer, viewer, other_officer, admin_user, satker, fiscal_year, regency, centre) -> None:
    for user in [reviewer, viewer]:
        client = client_for(user)
        page = client.get(ovop_url(satker, fiscal_year))
        assert page.status_code == 200
        assert "Sentra Tenun" in page.content.decode()
        assert 'name="centre-name"' not in page.content.decode()
        assert client.post(ovop_url(satker, fiscal_year), centre_data(regency)).status_code == 403
        assert client.post(rating_url(satker, fiscal_year, centre), {"stars": "3"}).status_code == 403
    client = client_for(other_officer)
    assert client.get(ovop_url(satker, fiscal_year)).status_code == 404
    assert client.post(ovop_url(satker, fiscal_year), centre_data(regency)).status_code == 404
    assert client.post(rating_url(satker, fiscal_year, centre), {"stars": "3"}).status_code == 404
    edit = reverse("programs:ovop-edit", args=[satker.code, fiscal_year.year, centre.pk])
    assert client.get(edit).status_code == 404
    assert OvopCentre.objects.count() == 1
    assert not OvopRating.objects.exists()
    assert client_for(admin_user).post(rating_url(satker, fiscal_year, centre), {"stars": "4"}).status_code == 302
    assert OvopRating.objects.get().stars == 4


def test_closed_year_hides_the_stars_form(officer, satker, fiscal_year, centre) -> None:
    fiscal_year.is_closed = True
    fiscal_year.save()
    client = client_for(officer)
    page = client.get(ovop_url(satker, fiscal_year)).content.decode()
    assert "sudah ditutup" in page
    assert rating_url(satker, fiscal_year, centre) not in page
    response = client.post(rating_url(satker, fiscal_year, centre), {"stars": "3"})
    assert "sudah ditutup" in response.content.decode()
    assert not OvopRating.objects.exists()


def test_ovop_page_query_count_does_not_grow_with_centres(
    officer, satker, fiscal_year, regency, django_assert_max_num_queries
) -> None:
    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            centre = OvopCentre.objects.create(
                satker=satker,
                name=f"Sentra {i}",
                regency=regency,
                village="Desa",
                commodity_group="PANGAN",
                unit_count=5,
            )
            OvopRating.objects.create(centre=centre, year=fiscal_year.year, stars=1 + i % 5)

    client = client_for(officer)
    add(0, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(ovop_url(satker, fiscal_year)).status_code == 200
    add(2, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Sentra 26" in client.get(ovop_url(satker, fiscal_year)).content.decode()


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
