"""The awarded stars of a cycle's candidates set on one grid, in one POST, by the directorate
admin: each changed candidate through the service (its own history record), a refused row shown
on its row with nothing saved, others (officers, readers) refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import OvopCandidate, OvopCycle
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(db) -> OvopCycle:
    return OvopCycle.objects.create(year=2024, name="Penghargaan OVOP 2024")


@pytest.fixture
def candidates(satker, regency, cycle) -> list[OvopCandidate]:
    """Three candidates: two passed the administrative check (one already 2 stars), one did not."""
    made = []
    for number, (passed, stars) in enumerate([(True, None), (True, 2), (False, None)], start=1):
        enterprise = make_enterprise(regency, f"IKM {number}", nib=f"170000000000{number}")
        made.append(OvopCandidate.objects.create(
            cycle=cycle, enterprise=enterprise, product=f"Produk {number}", group="TENUN", regency=regency,
            satker=satker, admin_check_passed=passed, score=80 if passed else None, awarded_stars=stars,
        ))  # fmt: skip
    return made


def grid_url(satker, fiscal_year, cycle) -> str:
    return reverse("programs:ovop-award-stars", args=[satker.code, fiscal_year.year]) + f"?cycle={cycle.year}"


def awards_url(satker, fiscal_year, cycle) -> str:
    return reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year]) + f"?cycle={cycle.year}"


def stars() -> dict[str, int | None]:
    return dict(OvopCandidate.objects.values_list("product", "awarded_stars"))


def grid(candidates: list[OvopCandidate], *values: object) -> dict[str, object]:
    return {
        f"stars-{candidate.pk}": "" if value is None else value
        for candidate, value in zip(candidates, values, strict=True)
    }


def test_the_admin_sets_every_candidates_stars_in_one_save(admin_user, satker, fiscal_year, cycle, candidates) -> None:
    client = client_for(admin_user)
    page = client.get(awards_url(satker, fiscal_year, cycle)).content.decode()
    assert 'id="stars-grid"' in page
    assert all(f'name="stars-{candidate.pk}"' in page for candidate in candidates)
    histories = OvopCandidate.history.count()
    response = client.post(grid_url(satker, fiscal_year, cycle), grid(candidates, 4, 3, None), follow=True)
    assert "Bintang 2 calon disimpan." in response.content.decode()
    assert stars() == {"Produk 1": 4, "Produk 2": 3, "Produk 3": None}
    # One service call per changed candidate, each with its history record; the unchanged one none.
    assert OvopCandidate.history.count() == histories + 2
    assert {h.history_user for h in OvopCandidate.history.all()[:2]} == {admin_user}


def test_one_refused_row_saves_nothing_and_is_marked(admin_user, satker, fiscal_year, cycle, candidates) -> None:
    client = client_for(admin_user)
    # The third did not pass the administrative check: no stars for it (the service's rule).
    response = client.post(grid_url(satker, fiscal_year, cycle), grid(candidates, 5, 3, 2))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada yang diubah" in page
    third = candidates[2].pk
    assert f'id="id_stars-{third}_error"' in page and "hanya untuk calon yang lolos seleksi administrasi" in page
    assert f'id="id_stars-{candidates[0].pk}_error"' not in page
    assert stars() == {"Produk 1": None, "Produk 2": 2, "Produk 3": None}  # the valid rows were rolled back too
    # A value outside 1-5 is refused on its row, never a server error.
    response = client.post(grid_url(satker, fiscal_year, cycle), grid(candidates, 9, 3, None))
    assert response.status_code == 200 and "Bintang harus 1 sampai 5" in response.content.decode()
    assert stars()["Produk 2"] == 2


def test_only_the_directorate_admin_sets_stars(
    officer, reviewer, other_officer, satker, fiscal_year, cycle, candidates
) -> None:
    data = grid(candidates, 4, 3, None)
    assert 'id="stars-grid"' not in client_for(officer).get(awards_url(satker, fiscal_year, cycle)).content.decode()
    assert client_for(officer).post(grid_url(satker, fiscal_year, cycle), data).status_code == 403
    assert client_for(reviewer).post(grid_url(satker, fiscal_year, cycle), data).status_code == 403
    assert client_for(other_officer).post(grid_url(satker, fiscal_year, cycle), data).status_code == 404
    assert stars() == {"Produk 1": None, "Produk 2": 2, "Produk 3": None}


def test_the_grid_page_reads_in_a_constant_number_of_queries(
    admin_user, satker, regency, fiscal_year, cycle, candidates, django_assert_max_num_queries
) -> None:
    client = client_for(admin_user)
    with django_assert_max_num_queries(40) as few:
        client.get(awards_url(satker, fiscal_year, cycle))
    for number in range(4, 12):
        enterprise = make_enterprise(regency, f"IKM {number}", nib=f"17000000000{number:02d}")
        OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product=f"Produk {number}", group="TENUN",
                                     regency=regency, satker=satker, admin_check_passed=True)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(awards_url(satker, fiscal_year, cycle)).content.decode()
    assert page.count('name="stars-') == 11
