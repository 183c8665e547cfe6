"""The satker's OVOP pages, per role: the sentra directory with the year's coaching (add and edit
a sentra with its decree, record coaching), and the award cycles with the province's
candidates (officers propose, the directorate admin records the selection's results). Another
province's satker, sentra and candidates are a 404; readers get 403 on a write; bad input a clear
message and nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from budgets.models import FiscalYear
from programs.models import OvopCandidate, OvopCoaching, OvopCycle, Sentra
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db


def ovop_url(satker, fiscal_year) -> str:
    return reverse("programs:ovop", args=[satker.code, fiscal_year.year])


def sentra_data(regency, **overrides) -> dict:
    data = {"name": "Sentra Batik Besurek", "regency": regency.pk, "village": "Anggut Atas", "commodity": "Batik tulis",
            "commodity_group": "BATIK", "unit_count": "8", "decree_number": "188.4/45/2021",
            "decree_date": "2021-03-04", **overrides}  # fmt: skip
    return {f"sentra-{key}": value for key, value in data.items()}


@pytest.fixture
def sentra(satker, regency):
    return Sentra.objects.create(satker=satker, name="Sentra Tenun", regency=regency, village="Kebun Tebeng",
                                 commodity_group="TENUN", unit_count=10)  # fmt: skip


def coaching_url(satker, fiscal_year, sentra) -> str:
    return reverse("programs:ovop-coaching", args=[satker.code, fiscal_year.year, sentra.pk])


# -- the sentra directory and coaching ---------------------------------------------------------------


def test_officer_adds_a_sentra_with_its_decree(officer, satker, fiscal_year, regency) -> None:
    client = client_for(officer)
    response = client.post(ovop_url(satker, fiscal_year), sentra_data(regency))
    assert response.status_code == 302
    sentra = Sentra.objects.get()
    assert (sentra.satker, sentra.unit_count, sentra.commodity, sentra.decree_number, sentra.decree_date) == (
        satker,
        8,
        "Batik tulis",
        "188.4/45/2021",
        date(2021, 3, 4),
    )
    page = client.get(ovop_url(satker, fiscal_year)).content.decode()
    assert "Sentra Batik Besurek disimpan." in page
    assert "188.4/45/2021" in page and "Belum ada sentra yang tercatat dibina tahun ini." in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"unit_count": "4"}, "unit_count", "sentra minimal 5 unit IKM"),
        ({"decree_number": ""}, "decree_number", "Nomor SK bupati/wali kota pengesahan sentra wajib diisi"),
        ({"decree_date": ""}, "decree_date", "Tanggal SK bupati/wali kota pengesahan sentra wajib diisi"),
        ({"decree_date": "2021-02-31"}, "decree_date", ""),
        ({"commodity_group": "EMAS"}, "commodity_group", ""),
    ],
)
def test_bad_sentra_is_refused_on_its_field(officer, satker, fiscal_year, regency, change, field, message) -> None:
    response = client_for(officer).post(ovop_url(satker, fiscal_year), sentra_data(regency, **change))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'id="id_sentra-{field}_error"' in page
    assert not Sentra.objects.exists()


def test_sentra_in_another_province_is_refused(officer, satker, fiscal_year, other_regency) -> None:
    response = client_for(officer).post(ovop_url(satker, fiscal_year), sentra_data(other_regency))
    assert "tidak berada di provinsi satker" in response.content.decode()
    assert not Sentra.objects.exists()


def test_officer_edits_a_sentra(officer, satker, fiscal_year, regency, sentra) -> None:
    url = reverse("programs:ovop-edit", args=[satker.code, fiscal_year.year, sentra.pk])
    client = client_for(officer)
    assert 'value="Sentra Tenun"' in client.get(url).content.decode()
    data = {"name": "Sentra Tenun", "regency": regency.pk, "village": "Kebun Tebeng", "commodity_group": "TENUN"}
    assert "sentra minimal 5 unit IKM" in client.post(url, {**data, "unit_count": "2"}).content.decode()
    sentra.refresh_from_db()
    assert sentra.unit_count == 10
    # A sentra recorded before the decree was asked for may be edited without one.
    assert client.post(url, {**data, "unit_count": "25"}).status_code == 302
    sentra.refresh_from_db()
    assert (sentra.unit_count, sentra.decree_number) == (25, "")


def test_coaching_is_recorded_once_per_year_with_an_optional_level(officer, satker, fiscal_year, sentra) -> None:
    client = client_for(officer)
    assert client.post(coaching_url(satker, fiscal_year, sentra), {"stars": ""}).status_code == 302
    assert list(OvopCoaching.objects.values_list("year", "stars")) == [(fiscal_year.year, None)]
    response = client.post(coaching_url(satker, fiscal_year, sentra), {"stars": "5"}, follow=True)
    page = response.content.decode()
    assert "tercatat dibina" in page and "pembinaan pusat" in page
    assert f"Sentra OVOP dibina tahun {fiscal_year.year}: 1" in page
    assert list(OvopCoaching.objects.values_list("year", "stars")) == [(fiscal_year.year, 5)]
    earlier = FiscalYear.objects.create(year=fiscal_year.year - 2)
    client.post(coaching_url(satker, earlier, sentra), {"stars": "2"})
    assert OvopCoaching.objects.count() == 2
    client.post(coaching_url(satker, earlier, sentra), {"remove": "1"})
    assert list(OvopCoaching.objects.values_list("year", flat=True)) == [fiscal_year.year]


@pytest.mark.parametrize("stars", ["0", "6", "-1", "x"])
def test_reported_stars_outside_1_to_5_are_refused(stars, officer, satker, fiscal_year, sentra) -> None:
    response = client_for(officer).post(coaching_url(satker, fiscal_year, sentra), {"stars": stars})
    assert response.status_code == 200
    page = response.content.decode()
    assert "belum disimpan" in page
    assert f'id="id_coaching_{sentra.pk}_stars_error"' in page
    assert not OvopCoaching.objects.exists()


def test_ovop_roles(reviewer, viewer, other_officer, admin_user, satker, fiscal_year, regency, sentra) -> None:
    for user in [reviewer, viewer]:
        client = client_for(user)
        page = client.get(ovop_url(satker, fiscal_year))
        assert page.status_code == 200
        assert "Sentra Tenun" in page.content.decode()
        assert 'name="sentra-name"' not in page.content.decode()
        assert client.post(ovop_url(satker, fiscal_year), sentra_data(regency)).status_code == 403
        assert client.post(coaching_url(satker, fiscal_year, sentra), {"stars": "3"}).status_code == 403
    client = client_for(other_officer)
    assert client.get(ovop_url(satker, fiscal_year)).status_code == 404
    assert client.post(ovop_url(satker, fiscal_year), sentra_data(regency)).status_code == 404
    assert client.post(coaching_url(satker, fiscal_year, sentra), {"stars": "3"}).status_code == 404
    edit = reverse("programs:ovop-edit", args=[satker.code, fiscal_year.year, sentra.pk])
    assert client.get(edit).status_code == 404
    assert Sentra.objects.count() == 1
    assert not OvopCoaching.objects.exists()
    assert client_for(admin_user).post(coaching_url(satker, fiscal_year, sentra), {"stars": "4"}).status_code == 302
    assert OvopCoaching.objects.get().stars == 4


def test_a_sentra_of_another_satker_is_a_404_under_this_one(officer, satker, other_satker, fiscal_year, regency):
    theirs = Sentra.objects.create(satker=other_satker, name="Sentra Kopi", regency=regency, village="D",
                                   commodity_group="PANGAN", unit_count=5)  # fmt: skip
    assert client_for(officer).post(coaching_url(satker, fiscal_year, theirs), {"stars": "3"}).status_code == 404
    assert not OvopCoaching.objects.exists()


def test_closed_year_hides_the_coaching_form(officer, satker, fiscal_year, sentra) -> None:
    fiscal_year.is_closed = True
    fiscal_year.save()
    client = client_for(officer)
    page = client.get(ovop_url(satker, fiscal_year)).content.decode()
    assert "sudah ditutup" in page
    assert coaching_url(satker, fiscal_year, sentra) not in page
    response = client.post(coaching_url(satker, fiscal_year, sentra), {"stars": "3"})
    assert "sudah ditutup" in response.content.decode()
    assert not OvopCoaching.objects.exists()


def test_ovop_page_query_count_does_not_grow_with_sentra(
    officer, satker, fiscal_year, regency, django_assert_max_num_queries
) -> None:
    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            sentra = Sentra.objects.create(satker=satker, name=f"Sentra {i}", regency=regency, village="Desa",
                                           commodity_group="PANGAN", unit_count=5)  # fmt: skip
            OvopCoaching.objects.create(sentra=sentra, year=fiscal_year.year, stars=1 + i % 5)

    client = client_for(officer)
    add(0, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(ovop_url(satker, fiscal_year)).status_code == 200
    add(2, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Sentra 26" in client.get(ovop_url(satker, fiscal_year)).content.decode()


# -- award cycles and candidates -----------------------------------------------------------------


def awards_url(satker, fiscal_year, cycle=None) -> str:
    url = reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year])
    return f"{url}?cycle={cycle.year}" if cycle else url


def candidate_url(satker, fiscal_year, candidate) -> str:
    return reverse("programs:ovop-candidate", args=[satker.code, fiscal_year.year, candidate.pk])


@pytest.fixture
def cycle(db):
    return OvopCycle.objects.create(year=2024, name="Penghargaan OVOP 2024")


@pytest.fixture
def enterprise(regency):
    return make_enterprise(regency, "Tenun Songket Rafflesia", nib="1700000000001", kbli="13121")


def proposal(regency, **overrides) -> dict:
    data = {"nib": "1700000000001", "product": "Songket Bengkulu", "group": "TENUN", "regency": regency.pk,
            **overrides}  # fmt: skip
    return {f"candidate-{key}": value for key, value in data.items()}


def test_officer_proposes_a_candidate_and_sees_it(officer, satker, fiscal_year, regency, cycle, enterprise) -> None:
    client = client_for(officer)
    page = client.get(awards_url(satker, fiscal_year)).content.decode()
    assert "Penghargaan OVOP" in page and 'name="candidate-nib"' in page and "2024" in page
    response = client.post(awards_url(satker, fiscal_year, cycle), proposal(regency), follow=True)
    assert "Usulan Songket Bengkulu (Tenun Songket Rafflesia) disimpan." in response.content.decode()
    candidate = OvopCandidate.objects.get()
    assert (candidate.cycle, candidate.enterprise, candidate.satker, candidate.group) == (
        cycle,
        enterprise,
        satker,
        "TENUN",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nib": "1799999999999"}, "nib", "tidak terdaftar di registri IKM"),
        ({"nib": "12"}, "nib", "tidak terdaftar"),
        ({"group": "LAINNYA"}, "group", ""),
        ({"product": ""}, "product", ""),
    ],
)
def test_bad_proposal_is_refused_on_its_field(
    officer, satker, fiscal_year, regency, cycle, enterprise, change, field, message
) -> None:
    response = client_for(officer).post(awards_url(satker, fiscal_year, cycle), proposal(regency, **change))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'id="id_candidate-{field}_error"' in page
    assert not OvopCandidate.objects.exists()


def test_an_ikm_of_another_province_cannot_be_proposed(
    officer, satker, fiscal_year, regency, other_regency, cycle
) -> None:
    make_enterprise(other_regency, "Kopi Gayo", nib="1100000000001")
    response = client_for(officer).post(awards_url(satker, fiscal_year, cycle), proposal(regency, nib="1100000000001"))
    assert "IKM ini tidak berada di provinsi satker." in response.content.decode()
    assert not OvopCandidate.objects.exists()


def test_candidates_are_the_provinces_own(
    officer, other_officer, reviewer, admin_user, satker, other_satker, fiscal_year, regency, cycle, enterprise
) -> None:
    candidate = OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product="Songket", group="TENUN",
                                             regency=regency, satker=satker)  # fmt: skip
    evaluation = {"admin_check_passed": "true", "score": "81", "recommended_stars": "3", "awarded_stars": "3"}
    other = client_for(other_officer)
    assert other.get(awards_url(satker, fiscal_year, cycle)).status_code == 404
    assert other.post(awards_url(satker, fiscal_year, cycle), proposal(regency)).status_code == 404
    assert other.get(candidate_url(satker, fiscal_year, candidate)).status_code == 404
    assert other.post(candidate_url(satker, fiscal_year, candidate), {"withdraw": "1"}).status_code == 404
    # Under the officer's own satker, the candidate of another satker is not found either.
    own_page = reverse("programs:ovop-candidate", args=[other_satker.code, fiscal_year.year, candidate.pk])
    assert other.get(own_page).status_code == 404
    page = other.get(awards_url(other_satker, fiscal_year, cycle)).content.decode()
    assert "Songket" not in page
    # Readers read; the province's officer proposes and withdraws but records no results.
    reader = client_for(reviewer)
    assert "Songket" in reader.get(awards_url(satker, fiscal_year, cycle)).content.decode()
    assert reader.post(awards_url(satker, fiscal_year, cycle), proposal(regency, product="X")).status_code == 403
    assert reader.post(candidate_url(satker, fiscal_year, candidate), evaluation).status_code == 403
    assert client_for(officer).post(candidate_url(satker, fiscal_year, candidate), evaluation).status_code == 403
    candidate.refresh_from_db()
    assert candidate.admin_check_passed is None and candidate.awarded_stars is None
    # The directorate admin records them.
    admin = client_for(admin_user)
    assert 'name="awarded_stars"' in admin.get(candidate_url(satker, fiscal_year, candidate)).content.decode()
    assert admin.post(candidate_url(satker, fiscal_year, candidate), evaluation).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.admin_check_passed, candidate.awarded_stars, str(candidate.score)) == (True, 3, "81.00")
    page = client_for(officer).get(awards_url(satker, fiscal_year, cycle)).content.decode()
    assert "3★" in page and "pembinaan provinsi" in page


def test_bad_evaluation_is_refused_and_changes_nothing(admin_user, satker, fiscal_year, regency, cycle, enterprise):
    candidate = OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product="Songket", group="TENUN",
                                             regency=regency, satker=satker)  # fmt: skip
    client = client_for(admin_user)
    for data, message in [
        ({"admin_check_passed": "false", "awarded_stars": "2"}, "hanya untuk calon yang lolos seleksi administrasi"),
        ({"admin_check_passed": "true", "score": "120"}, "Nilai harus 0 sampai 100"),
        ({"admin_check_passed": "true", "awarded_stars": "9"}, "Bintang harus 1 sampai 5"),
    ]:
        response = client.post(candidate_url(satker, fiscal_year, candidate), data)
        assert response.status_code == 200 and message in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.admin_check_passed, candidate.score, candidate.awarded_stars) == (None, None, None)


def test_officer_withdraws_a_proposal_before_the_check(officer, satker, fiscal_year, regency, cycle, enterprise):
    candidate = OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product="Songket", group="TENUN",
                                             regency=regency, satker=satker)  # fmt: skip
    client = client_for(officer)
    assert client.post(candidate_url(satker, fiscal_year, candidate), {"withdraw": "1"}).status_code == 302
    assert not OvopCandidate.objects.exists()


def test_awards_page_without_cycles_says_so(officer, satker, fiscal_year) -> None:
    page = client_for(officer).get(awards_url(satker, fiscal_year)).content.decode()
    assert "Belum ada siklus penghargaan OVOP" in page
