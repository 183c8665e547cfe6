"""enterprise_save: the registry's rules, duplicate detection before saving, the optimistic
version check and who may write. Every refusal leaves the database unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets.models import Regency
from programs.models import CommodityGroup, Enterprise, Sentra
from programs.registry.services import (
    POSSIBLE_DUPLICATE,
    STALE,
    NibHolder,
    enterprise_save,
    nib_taken_message,
    provinces_seen_by,
)
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db


def data_for(place: Regency, **changes: Any) -> dict[str, Any]:
    data = {
        "nib": "0123456789012",
        "name": "CV. Keripik Sanjai Amak",
        "owner": "Ibu Rahmi",
        "regency": place,
        "address": "Jl. Sudirman 1",
        "kbli": "10792",
        "workers_male": 3,
        "workers_female": 4,
        "investment": 1_250_000,
        "production_value": 250_000_000,
        "data_year": timezone.localdate().year,
    }
    data.update(changes)
    return data


@pytest.fixture
def second_regency(province) -> Regency:
    return Regency.objects.create(
        kemendagri_code="17.01", province=province, name="Kabupaten Bengkulu Selatan", kind="kabupaten"
    )


def test_officer_records_enterprise_with_derived_fields(officer, satker, central_satker, regency) -> None:
    enterprise = enterprise_save(by=officer, data=data_for(regency))

    enterprise.refresh_from_db()
    assert enterprise.nib == "0123456789012"  # text: the leading zero is kept
    assert enterprise.province_id == regency.province_id
    assert enterprise.name_normalized == "keripik sanjai amak"
    assert enterprise.size_class == "KECIL"
    assert enterprise.satker == satker  # the province's satker, never the central unit in it
    assert enterprise.version == 1
    assert enterprise.history.get().history_user == officer


def test_money_in_indonesian_format_and_size_class(officer, satker, regency) -> None:
    enterprise = enterprise_save(
        by=officer, data=data_for(regency, investment="1.250.000.000", production_value="Rp 3.000.000")
    )
    assert (enterprise.investment, enterprise.production_value) == (1_250_000_000, 3_000_000)
    assert enterprise.size_class == "MENENGAH"  # <= 19 workers and investment >= Rp1 miliar


def test_empty_nib_is_stored_as_null_and_twice_allowed(officer, satker, regency, second_regency) -> None:
    enterprise_save(by=officer, data=data_for(regency, nib=""))
    enterprise_save(by=officer, data=data_for(second_regency, nib=None))
    assert list(Enterprise.objects.values_list("nib", flat=True)) == [None, None]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "13 digit"),
        ("nib", "01234567890123", "13 digit"),
        ("nib", "012345678901a", "13 digit"),
        ("nib", "\uff10123456789012", "13 digit"),  # a full-width digit
        ("kbli", "01111", "bukan industri pengolahan"),  # agriculture
        ("kbli", "34000", "bukan industri pengolahan"),
        ("kbli", "1079", "5 digit"),
        ("kbli", "10a92", "5 digit"),
        ("kbli", "", "KBLI"),
        ("workers_male", -1, "negatif"),
        ("workers_female", "-3", "negatif"),
        ("workers_male", "tiga", "bilangan bulat"),
        ("investment", -5, "negatif"),
        ("investment", "-1.000", "negatif"),
        ("investment", "1.250.000,50", "rupiah bulat"),
        ("production_value", "satu juta", "bukan jumlah rupiah"),
        ("data_year", 1999, "2000"),
        ("data_year", timezone.localdate().year + 1, "2000"),
        ("data_year", None, "tahun pendataan"),
        ("name", "", "nama usaha"),
        ("name", "CV.", "badan usaha"),
        ("regency", None, "kabupaten/kota"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_saved(officer, satker, regency, field, value, message) -> None:
    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(regency, **{field: value}))

    errors = refused.value.message_dict
    assert list(errors) == [field]
    assert message.lower() in " ".join(errors[field]).lower()
    assert not Enterprise.objects.exists()


def test_officer_cannot_record_in_a_regency_of_another_province(officer, satker, regency, other_regency) -> None:
    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(other_regency))

    assert "di luar provinsi Anda" in refused.value.message_dict["regency"][0]
    assert not Enterprise.objects.exists()


def test_every_problem_is_reported_at_once(officer, satker, regency) -> None:
    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(regency, nib="1", kbli="01111", investment=-1, workers_male=-2))
    assert set(refused.value.message_dict) == {"nib", "kbli", "investment", "workers_male"}


def test_same_nib_is_refused_naming_the_existing_enterprise(officer, satker, regency, second_regency) -> None:
    enterprise_save(by=officer, data=data_for(regency, name="Tenun Songket Rafflesia"))

    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(second_regency, name="Usaha Lain"), confirm_duplicate=True)

    message = refused.value.message_dict["nib"][0]
    assert "Tenun Songket Rafflesia" in message and "Kota Bengkulu" in message
    assert Enterprise.objects.count() == 1


def test_nib_registered_in_another_province_names_nothing_to_an_officer(
    officer, satker, admin_user, other_satker, regency, other_regency
) -> None:
    enterprise_save(by=admin_user, data=data_for(other_regency, name="Kopi Gayo Arabika"))

    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(regency))

    (message,) = refused.value.message_dict["nib"]
    assert "0123456789012" in message and "di luar provinsi Anda" in message
    for detail in ("Kopi Gayo", "Banda Aceh", "Aceh"):  # not the name, the regency, nor the province
        assert detail not in message
    assert Enterprise.objects.count() == 1


def test_admin_is_told_whose_nib_it_is(admin_user, other_satker, regency, other_regency) -> None:
    enterprise_save(by=admin_user, data=data_for(other_regency, name="Kopi Gayo Arabika"))

    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=admin_user, data=data_for(regency))

    assert '"Kopi Gayo Arabika" (Kota Banda Aceh, Aceh)' in refused.value.message_dict["nib"][0]


def test_what_each_role_may_be_told_about_a_nib(officer, other_officer, reviewer, viewer, admin_user) -> None:
    holder = NibHolder(other_officer.province_id, "Kopi Gayo Arabika", "Kota Banda Aceh", "Aceh")
    detailed = "%(nib)s: %(name)s (%(regency)s, %(province)s)"
    for user in (reviewer, viewer, admin_user, other_officer):
        message = nib_taken_message("0123456789012", holder, provinces_seen_by(user), detailed=detailed)
        assert message == "0123456789012: Kopi Gayo Arabika (Kota Banda Aceh, Aceh)"
    neutral = nib_taken_message("0123456789012", holder, provinces_seen_by(officer), detailed=detailed)
    assert "0123456789012" in neutral and "Kopi Gayo" not in neutral and "Aceh" not in neutral


def test_same_normalised_name_in_same_regency_is_flagged_then_accepted_when_confirmed(officer, satker, regency) -> None:
    first = enterprise_save(by=officer, data=data_for(regency, nib=""))

    with pytest.raises(ValidationError) as flagged:
        enterprise_save(by=officer, data=data_for(regency, nib="", name="Keripik  SANJAI amak"))
    assert flagged.value.error_dict["name"][0].code == POSSIBLE_DUPLICATE
    assert "saya yakin ini usaha yang berbeda" in flagged.value.message_dict["name"][0]
    assert Enterprise.objects.count() == 1

    second = enterprise_save(
        by=officer, data=data_for(regency, nib="", name="Keripik  SANJAI amak"), confirm_duplicate=True
    )
    assert second.pk != first.pk
    assert Enterprise.objects.filter(name_normalized="keripik sanjai amak").count() == 2


def test_same_name_in_another_regency_is_not_a_duplicate(officer, satker, regency, second_regency) -> None:
    enterprise_save(by=officer, data=data_for(regency, nib=""))
    enterprise_save(by=officer, data=data_for(second_regency, nib=""))
    assert Enterprise.objects.count() == 2


def test_editing_does_not_flag_the_enterprise_as_its_own_duplicate(officer, satker, regency) -> None:
    enterprise = enterprise_save(by=officer, data=data_for(regency))
    saved = enterprise_save(
        by=officer, data=data_for(regency, workers_male=30), enterprise=enterprise, expected_version=1
    )
    assert (saved.version, saved.workers_male, saved.size_class) == (2, 30, "MENENGAH")


def test_stale_version_is_refused_and_nothing_changes(officer, satker, admin_user, regency) -> None:
    enterprise = enterprise_save(by=officer, data=data_for(regency))
    enterprise_save(by=admin_user, data=data_for(regency, owner="Admin"), enterprise=enterprise, expected_version=1)

    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=officer, data=data_for(regency, owner="Petugas"), enterprise=enterprise, expected_version=1)

    error = refused.value.error_dict["__all__"][0]
    assert error.code == STALE
    assert "sudah diubah orang lain (admin)" in error.message
    enterprise.refresh_from_db()
    assert (enterprise.owner, enterprise.version) == ("Admin", 2)


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_reviewers_and_viewers_never_write(request, persona, regency, satker) -> None:
    with pytest.raises(PermissionDenied):
        enterprise_save(by=request.getfixturevalue(persona), data=data_for(regency))
    assert not Enterprise.objects.exists()


def test_officer_cannot_edit_another_provinces_enterprise(other_officer, regency) -> None:
    enterprise = make_enterprise(regency, "Batik Besurek")
    with pytest.raises(PermissionDenied):
        enterprise_save(
            by=other_officer, data=data_for(regency, name="Diubah"), enterprise=enterprise, expected_version=1
        )
    enterprise.refresh_from_db()
    assert enterprise.name == "Batik Besurek"


def test_officer_edit_keeps_the_satker_that_collected_the_data(officer, satker, central_satker, regency) -> None:
    enterprise = make_enterprise(regency, "Batik Besurek", satker=central_satker)
    saved = enterprise_save(by=officer, data=data_for(regency, name="Batik Besurek"), enterprise=enterprise)
    assert saved.satker == central_satker


def test_admin_chooses_the_satker_or_gets_the_regencys_province_satker(
    admin_user, satker, other_satker, central_satker, regency, other_regency
) -> None:
    default = enterprise_save(by=admin_user, data=data_for(other_regency, nib=""))
    assert default.satker == other_satker
    chosen = enterprise_save(by=admin_user, data=data_for(regency, nib="", satker=central_satker.pk))
    assert chosen.satker == central_satker

    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=admin_user, data=data_for(regency, nib="", name="Lain", satker=other_satker))
    assert "satker" in refused.value.message_dict
    assert Enterprise.objects.count() == 2


def test_centre_must_be_in_the_enterprises_province(admin_user, satker, other_satker, regency, other_regency) -> None:
    centre = Sentra.objects.create(
        satker=other_satker,
        name="Sentra Kopi",
        regency=other_regency,
        village="Lamteh",
        commodity_group=CommodityGroup.FOOD,
        unit_count=12,
    )
    with pytest.raises(ValidationError) as refused:
        enterprise_save(by=admin_user, data=data_for(regency, centre=centre))
    assert "centre" in refused.value.message_dict

    member = enterprise_save(by=admin_user, data=data_for(other_regency, centre=centre.pk))
    assert member.centre == centre


def test_unknown_regency_is_an_error_not_a_crash(officer, satker, regency) -> None:
    for value in (999_999, "abc"):
        with pytest.raises(ValidationError) as refused:
            enterprise_save(by=officer, data=data_for(regency, regency=value))
        assert "regency" in refused.value.message_dict
    assert not Enterprise.objects.exists()
