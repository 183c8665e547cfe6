"""Hostile input to the programme forms: the IKM registry's create and edit, the month's WUB,
extreme-poverty and facilitation records (add and edit), the OVOP centres (add, edit, stars) and
the output targets. Never a server error; a refused post writes nothing; a saved record fits its
columns on PostgreSQL and comes back escaped on the pages that show it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programs.models import (
    Enterprise,
    Facilitation,
    NewEntrepreneur,
    OutputIndicator,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    PovertyActivity,
    Sentra,
)
from programs.records import ovop, services
from tests.fuzz.forms import must_refuse_amount, mutations, post_data
from tests.fuzz.strategies import hostile
from tests.fuzz.support import assert_fits_postgresql, assert_pages_escaped, is_refused, post_form, rolled_back
from tests.programs.registry.support import form_input, make_enterprise

pytestmark = pytest.mark.django_db


# --- The IKM registry ------------------------------------------------------------------------

REGISTRY_FIELDS = ["nib", "name", "owner", "regency", "address", "centre", "kbli", "workers_male", "workers_female",
                   "investment", "production_value", "data_year", "satker", "confirm_duplicate", "version"]  # fmt: skip


def check_registry_post(client, url: str, data: dict) -> None:
    response = post_form(client, url, data)
    if any(must_refuse_amount(data[key]) for key in ("investment", "production_value") if key in data):
        assert is_refused(response), data
    if not is_refused(response):
        enterprise = Enterprise.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
        assert enterprise.name == data["name"].strip()
        assert_fits_postgresql(enterprise)
        assert_pages_escaped(client, response["Location"], reverse("programs:registry-list"),
                             reverse("programs:registry-list") + "?q=" + enterprise.name_normalized[:50])  # fmt: skip


@given(changed=st.data(), as_admin_user=st.booleans())
def test_registry_create_refuses_hostile_input_whole(as_officer, as_admin, satker, regency, changed, as_admin_user):
    data = post_data(form_input(regency), changed.draw(mutations(REGISTRY_FIELDS)))
    with rolled_back():
        check_registry_post(as_admin if as_admin_user else as_officer, reverse("programs:registry-create"), data)


@pytest.fixture
def enterprise(satker, regency) -> Enterprise:
    return make_enterprise(regency, "Batik Besurek Rafflesia", nib="1700000000001", satker=satker)


@given(changed=st.data())
def test_registry_edit_refuses_hostile_input_whole(as_officer, enterprise, regency, changed) -> None:
    good = form_input(regency, nib=enterprise.nib, name="Batik Besurek Rafflesia", version=str(enterprise.version))
    data = post_data(good, changed.draw(mutations(REGISTRY_FIELDS)))
    with rolled_back():
        check_registry_post(as_officer, reverse("programs:registry-edit", args=[enterprise.pk]), data)


# --- The month's records ---------------------------------------------------------------------


def record_post(kind: str, regency) -> dict[str, str]:
    return {
        "wub": {"name": "Siti Aminah", "regency": str(regency.pk), "business_type": "Keripik pisang", "nib": "",
                "legalized_on": ""},
        "poverty": {"regency": str(regency.pk), "kind": "PELATIHAN", "description": "Pelatihan olahan ikan",
                    "beneficiaries": "25", "value": "1.250.000"},
        "facilitation": {"kind": "PAMERAN", "nib": "", "enterprise_name": "UD Maju", "value": "46.900.000",
                         "certificate_number": "", "certificate_date": "", "note": ""},
    }[kind]  # fmt: skip


MODELS = {"wub": NewEntrepreneur, "poverty": PovertyActivity, "facilitation": Facilitation}


def check_record_post(client, kind: str, url: str, data: dict, page: str) -> None:
    model = MODELS[kind]
    known = set(model.objects.values_list("pk", flat=True))
    response = post_form(client, url, data)
    values = {key.removeprefix(f"{kind}-"): value for key, value in data.items()}
    if any(must_refuse_amount(values[key]) for key in ("value",) if key in values):
        assert is_refused(response), data
    if not is_refused(response):
        for record in model.objects.all():
            assert_fits_postgresql(record)
        assert model.objects.exclude(pk__in=known).count() <= 1
        assert_pages_escaped(client, page)  # (the exports: test_stored_text.py)


@pytest.mark.parametrize("kind", list(MODELS))
@given(changed=st.data())
def test_record_add_refuses_hostile_input_whole(as_officer, satker, fiscal_year, regency, kind, changed) -> None:
    good = {f"{kind}-{key}": value for key, value in record_post(kind, regency).items()}
    data = post_data(good, changed.draw(mutations(list(good))))
    url = reverse("programs:record-add", args=[satker.code, fiscal_year.year, 1, kind])
    with rolled_back():
        check_record_post(
            as_officer, kind, url, data, reverse("programs:records", args=[satker.code, fiscal_year.year, 1])
        )


@pytest.fixture
def stored_records(officer, satker, fiscal_year, regency) -> dict[str, int]:
    common = {"satker": satker, "fiscal_year": fiscal_year, "month": 1, "by": officer}
    return {
        "wub": services.new_entrepreneur_create(**common, name="Siti", regency=regency, business_type="Kopi").pk,
        "poverty": services.poverty_activity_create(**common, regency=regency, kind="PELATIHAN", beneficiaries=5).pk,
        "facilitation": services.facilitation_create(**common, kind="PRODUK", enterprise_name="UD Maju").pk,
    }


@pytest.mark.parametrize("kind", list(MODELS))
@given(changed=st.data())
def test_record_edit_refuses_hostile_input_whole(
    as_officer, satker, fiscal_year, regency, stored_records, kind, changed
) -> None:
    good = record_post(kind, regency)
    data = post_data(good, changed.draw(mutations(list(good))))
    url = reverse("programs:record-edit", args=[satker.code, fiscal_year.year, 1, kind, stored_records[kind]])
    with rolled_back():
        check_record_post(
            as_officer, kind, url, data, reverse("programs:records", args=[satker.code, fiscal_year.year, 1])
        )


# --- Sentra, their coaching and OVOP candidates ---------------------------------------------


def centre_post(regency) -> dict[str, str]:
    return {"name": "Sentra Batik Besurek", "regency": str(regency.pk), "village": "Anggut Atas",
            "commodity": "Batik tulis", "commodity_group": "BATIK", "unit_count": "8",
            "decree_number": "188.4/45/2021", "decree_date": "2021-03-04"}  # fmt: skip


def check_centre_post(client, url: str, data: dict, page: str) -> None:
    response = post_form(client, url, data)
    if not is_refused(response):
        for centre in Sentra.objects.all():
            assert_fits_postgresql(centre)
            assert 5 <= centre.unit_count <= 1_000_000
            assert bool(centre.decree_number) == (centre.decree_date is not None)
        assert_pages_escaped(client, page)  # (the exports: test_stored_text.py)


@given(changed=st.data())
def test_ovop_centre_add_refuses_hostile_input_whole(as_officer, satker, fiscal_year, regency, changed) -> None:
    good = {f"sentra-{key}": value for key, value in centre_post(regency).items()}
    data = post_data(good, changed.draw(mutations(list(good))))
    url = reverse("programs:ovop", args=[satker.code, fiscal_year.year])
    with rolled_back():
        check_centre_post(as_officer, url, data, url)


@pytest.fixture
def centre(officer, satker, regency) -> Sentra:
    return ovop.sentra_create(satker=satker, name="Sentra Tenun", regency=regency, village="Kebun Tebeng",
                              commodity_group="TENUN", unit_count=10, decree_number="1/2020",
                              decree_date=date(2020, 1, 2), by=officer)  # fmt: skip


@given(changed=st.data())
def test_ovop_centre_edit_refuses_hostile_input_whole(as_officer, satker, fiscal_year, regency, centre, changed):
    data = post_data(centre_post(regency), changed.draw(mutations(list(centre_post(regency)))))
    url = reverse("programs:ovop-edit", args=[satker.code, fiscal_year.year, centre.pk])
    with rolled_back():
        check_centre_post(as_officer, url, data, reverse("programs:ovop", args=[satker.code, fiscal_year.year]))


@given(
    stars=st.one_of(hostile(), st.integers(-(10**30), 10**30).map(str)),
    extra=st.dictionaries(hostile(), hostile(), max_size=2),
)
def test_ovop_stars_are_1_to_5_or_refused(as_officer, satker, fiscal_year, centre, stars, extra) -> None:
    url = reverse("programs:ovop-coaching", args=[satker.code, fiscal_year.year, centre.pk])
    with rolled_back():
        response = post_form(as_officer, url, {**extra, "stars": stars})
        if not is_refused(response) and "remove" not in extra:
            rating = OvopCoaching.objects.get(sentra=centre)
            if rating.stars is None:
                assert not stars.strip()
            else:
                assert 1 <= rating.stars <= 5 and int(stars) == rating.stars
            assert_pages_escaped(as_officer, reverse("programs:ovop", args=[satker.code, fiscal_year.year]))


@pytest.fixture
def candidate(satker, regency) -> OvopCandidate:
    enterprise = make_enterprise(regency, "Tenun Songket", nib="1700000000001")
    cycle = OvopCycle.objects.create(year=2024, name="OVOP 2024")
    return OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product="Songket", group="TENUN",
                                        regency=regency, satker=satker)  # fmt: skip


@given(
    data=st.fixed_dictionaries(
        {
            "admin_check_passed": st.one_of(hostile(), st.sampled_from(["", "true", "false"])),
            "score": st.one_of(hostile(), st.decimals(allow_nan=True).map(str)),
            "recommended_stars": st.one_of(hostile(), st.integers(-(10**30), 10**30).map(str)),
            "awarded_stars": st.one_of(hostile(), st.integers(-3, 9).map(str)),
        }
    )
)
def test_ovop_selection_results_are_valid_or_refused(as_admin, satker, fiscal_year, candidate, data) -> None:
    url = reverse("programs:ovop-candidate", args=[satker.code, fiscal_year.year, candidate.pk])
    with rolled_back():
        response = post_form(as_admin, url, data)
        candidate.refresh_from_db()
        if is_refused(response):
            assert (candidate.admin_check_passed, candidate.score, candidate.awarded_stars) == (None, None, None)
        else:
            assert_fits_postgresql(candidate)
            assert candidate.score is None or 0 <= candidate.score <= 100
            assert candidate.awarded_stars is None or (
                candidate.admin_check_passed and 1 <= candidate.awarded_stars <= 5
            )


# --- Output targets (admins) -----------------------------------------------------------------


@given(changed=st.data())
def test_output_targets_refuse_hostile_input_whole(as_admin, satker, fiscal_year, changed) -> None:
    good = {key: "10" for key in OutputIndicator.values}
    data = post_data(good, changed.draw(mutations([*good, "satker", "indicator", "__all__"])))
    url = reverse("programs:targets", args=[satker.code, fiscal_year.year])
    with rolled_back():
        response = post_form(as_admin, url, data)
        if any(must_refuse_amount(data[key]) for key in OutputIndicator.values if key in data):
            assert is_refused(response), data
        if not is_refused(response):
            for target in OutputTarget.objects.all():
                assert_fits_postgresql(target)
            assert_pages_escaped(as_admin, url)
