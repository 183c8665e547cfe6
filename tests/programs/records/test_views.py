"""The month's programme records page: who may read and write, the rules' messages on the fields,
and the report lock."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.calendar import report_due_date
from budgets.models import FiscalYear, MonthlyReport
from programs.models import Enterprise, Facilitation, NewEntrepreneur, PovertyActivity, SizeClass
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def page_url(satker, fiscal_year, month: int = 1) -> str:
    return reverse("programs:records", args=[satker.code, fiscal_year.year, month])


def add_url(satker, fiscal_year, kind: str, month: int = 1) -> str:
    return reverse("programs:record-add", args=[satker.code, fiscal_year.year, month, kind])


def wub_data(place, **overrides) -> dict:
    data = {
        "wub-name": "Siti Aminah",
        "wub-regency": place.pk,
        "wub-business_type": "Keripik pisang",
        "wub-nib": "",
        "wub-legalized_on": "",
    }
    data.update({f"wub-{key}": value for key, value in overrides.items()})
    return data


def poverty_data(place, **overrides) -> dict:
    data = {
        "poverty-regency": place.pk,
        "poverty-kind": "PELATIHAN",
        "poverty-description": "Pelatihan olahan ikan",
        "poverty-beneficiaries": "25",
        "poverty-value": "1.250.000",
    }
    data.update({f"poverty-{key}": value for key, value in overrides.items()})
    return data


def facilitation_data(**overrides) -> dict:
    data = {
        "facilitation-kind": "PAMERAN",
        "facilitation-nib": "",
        "facilitation-enterprise_name": "UD Maju",
        "facilitation-value": "46.900.000",
        "facilitation-certificate_number": "",
        "facilitation-certificate_date": "",
        "facilitation-note": "",
    }
    data.update({f"facilitation-{key}": value for key, value in overrides.items()})
    return data


@pytest.fixture
def wub_record(officer, satker, fiscal_year, regency):
    client_for(officer).post(add_url(satker, fiscal_year, "wub"), wub_data(regency))
    return NewEntrepreneur.objects.get()


def lock(record, status=MonthlyReport.Status.SUBMITTED) -> None:
    MonthlyReport.objects.filter(pk=record.report_id).update(status=status)


# -- reading ----------------------------------------------------------------------------------


def test_officer_sees_three_sections_with_add_forms(officer, satker, fiscal_year) -> None:
    response = client_for(officer).get(page_url(satker, fiscal_year))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ["Wirausaha baru (WUB)", "Penanganan kemiskinan ekstrem", "Fasilitasi IKM"]:
        assert title in page
    for kind in ["wub", "poverty", "facilitation"]:
        assert add_url(satker, fiscal_year, kind) in page
    assert 'name="wub-name"' in page
    # The month's realization is one tab away.
    assert reverse("budgets:realization-entry", args=[satker.code, fiscal_year.year, 1]) in page


def test_realization_grid_links_to_the_months_programme_records(officer, satker, fiscal_year) -> None:
    page = client_for(officer).get(reverse("budgets:realization-entry", args=[satker.code, fiscal_year.year, 1]))
    assert page_url(satker, fiscal_year) in page.content.decode()


def test_regency_choices_are_the_satkers_province(officer, satker, fiscal_year, regency, other_regency) -> None:
    page = client_for(officer).get(page_url(satker, fiscal_year)).content.decode()
    assert "Kota Bengkulu" in page
    assert "Kota Banda Aceh" not in page


@pytest.mark.parametrize("persona", ["reviewer", "viewer", "admin_user"])
def test_directorate_roles_read_any_province(persona, request, satker, fiscal_year, wub_record) -> None:
    response = client_for(request.getfixturevalue(persona)).get(page_url(satker, fiscal_year))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Siti Aminah" in page
    if persona == "admin_user":
        assert 'name="wub-name"' in page
    else:
        assert "Anda hanya dapat membaca catatan program satker ini." in page
        assert 'name="wub-name"' not in page
        assert "record-delete" not in page and "/delete/" not in page


def test_other_province_officer_gets_404_everywhere(other_officer, satker, fiscal_year, regency, wub_record) -> None:
    client = client_for(other_officer)
    assert client.get(page_url(satker, fiscal_year)).status_code == 404
    assert client.post(add_url(satker, fiscal_year, "wub"), wub_data(regency, name="Penyusup")).status_code == 404
    args = [satker.code, fiscal_year.year, 1, "wub", wub_record.pk]
    assert client.get(reverse("programs:record-edit", args=args)).status_code == 404
    assert client.post(reverse("programs:record-edit", args=args), {"name": "X"}).status_code == 404
    assert client.post(reverse("programs:record-delete", args=args)).status_code == 404
    assert list(NewEntrepreneur.objects.values_list("name", flat=True)) == ["Siti Aminah"]


def test_anonymous_is_sent_to_login(anonymous, satker, fiscal_year) -> None:
    response = anonymous.get(page_url(satker, fiscal_year))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_reviewer_and_viewer_get_403_on_every_post(persona, request, satker, fiscal_year, regency, wub_record) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.post(add_url(satker, fiscal_year, "wub"), wub_data(regency, name="Baru")).status_code == 403
    args = [satker.code, fiscal_year.year, 1, "wub", wub_record.pk]
    assert client.post(reverse("programs:record-edit", args=args), {"name": "X"}).status_code == 403
    assert client.post(reverse("programs:record-delete", args=args)).status_code == 403
    assert list(NewEntrepreneur.objects.values_list("name", flat=True)) == ["Siti Aminah"]


def test_unknown_kind_and_month_are_404(officer, satker, fiscal_year) -> None:
    client = client_for(officer)
    assert client.get(page_url(satker, fiscal_year, 13)).status_code == 404
    assert client.post(add_url(satker, fiscal_year, "lottery"), {}).status_code == 404


def test_add_is_post_only(officer, satker, fiscal_year) -> None:
    assert client_for(officer).get(add_url(satker, fiscal_year, "wub")).status_code == 405


# -- writing ----------------------------------------------------------------------------------


def test_officer_adds_one_record_of_each_kind(officer, satker, fiscal_year, regency) -> None:
    client = client_for(officer)
    response = client.post(add_url(satker, fiscal_year, "wub"), wub_data(regency, nib="0012345678901"))
    assert response.status_code == 302
    assert response["Location"].endswith(page_url(satker, fiscal_year) + "#wub")
    assert client.post(add_url(satker, fiscal_year, "poverty"), poverty_data(regency)).status_code == 302
    assert client.post(add_url(satker, fiscal_year, "facilitation"), facilitation_data()).status_code == 302
    assert NewEntrepreneur.objects.get().nib == "0012345678901"
    assert PovertyActivity.objects.get().value == 1_250_000
    assert Facilitation.objects.get().value == 46_900_000
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=fiscal_year, month=1)
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.due_date == report_due_date(fiscal_year.year, 1)
    page = client.get(page_url(satker, fiscal_year)).content.decode()
    assert "Data fasilitasi disimpan." in page
    assert "Siti Aminah" in page and "Pelatihan olahan ikan" in page and "46.900.000" in page


def test_admin_adds_in_any_province(admin_user, other_satker, fiscal_year, other_regency) -> None:
    response = client_for(admin_user).post(add_url(other_satker, fiscal_year, "wub"), wub_data(other_regency))
    assert response.status_code == 302
    assert NewEntrepreneur.objects.get().satker == other_satker


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("wub", lambda r, o: wub_data(r, nib="12345"), "NIB harus 13 digit angka"),
        ("wub", lambda r, o: wub_data(o), "tidak berada di provinsi satker"),
        ("wub", lambda r, o: wub_data(r, regency=""), "tidak boleh kosong"),
        ("poverty", lambda r, o: poverty_data(r, beneficiaries="0"), "minimal 1 orang"),
        ("poverty", lambda r, o: poverty_data(r, value="1.250.000,50"), "rupiah bulat"),
        ("facilitation", lambda r, o: facilitation_data(nib="0000000000001"), "tidak ditemukan di registri IKM"),
        ("facilitation", lambda r, o: facilitation_data(value=""), "lebih dari 0"),
        ("facilitation", lambda r, o: facilitation_data(kind="PRODUK"), "Nilai hanya diisi untuk fasilitasi pameran"),
        (
            "facilitation",
            lambda r, o: facilitation_data(kind="I40", value="", certificate_number="X-1"),
            "Hanya untuk sertifikasi",
        ),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    kind, data, message, officer, satker, fiscal_year, regency, other_regency
) -> None:
    response = client_for(officer).post(add_url(satker, fiscal_year, kind), data(regency, other_regency))
    assert response.status_code == 200
    page = response.content.decode()
    assert any(part in page for part in message.split("|")), message
    assert "invalid-feedback" in page
    assert "belum disimpan" in page
    assert not NewEntrepreneur.objects.exists()
    assert not PovertyActivity.objects.exists()
    assert not Facilitation.objects.exists()
    assert not MonthlyReport.objects.exists()


def test_facilitation_name_comes_from_the_registry(officer, satker, fiscal_year, province, regency) -> None:
    Enterprise.objects.create(
        nib="0123456789012",
        name="CV Kopi Kepahiang",
        name_normalized="kopi kepahiang",
        regency=regency,
        province=province,
        kbli="10761",
        data_year=fiscal_year.year,
        size_class=SizeClass.SMALL,
    )
    data = facilitation_data(
        kind="HALAL",
        nib="0123456789012",
        enterprise_name="",
        value="",
        certificate_number="ID001",
        certificate_date=str(timezone.localdate()),
    )
    assert client_for(officer).post(add_url(satker, fiscal_year, "facilitation"), data).status_code == 302
    assert Facilitation.objects.get().enterprise_name == "CV Kopi Kepahiang"


def test_officer_edits_and_deletes_a_record(officer, satker, fiscal_year, regency, wub_record) -> None:
    client = client_for(officer)
    args = [satker.code, fiscal_year.year, 1, "wub", wub_record.pk]
    form = client.get(reverse("programs:record-edit", args=args))
    assert form.status_code == 200
    assert 'value="Siti Aminah"' in form.content.decode()
    bad = client.post(
        reverse("programs:record-edit", args=args),
        {"name": "Siti", "regency": regency.pk, "business_type": "Kopi", "nib": "99"},
    )
    assert bad.status_code == 200
    assert "NIB harus 13 digit angka" in bad.content.decode()
    wub_record.refresh_from_db()
    assert wub_record.business_type == "Keripik pisang"
    response = client.post(
        reverse("programs:record-edit", args=args),
        {"name": "Siti", "regency": regency.pk, "business_type": "Kopi", "nib": ""},
    )
    assert response.status_code == 302
    wub_record.refresh_from_db()
    assert (wub_record.name, wub_record.business_type) == ("Siti", "Kopi")
    response = client.post(reverse("programs:record-delete", args=args), follow=True)
    assert "Data WUB dihapus." in response.content.decode()
    assert not NewEntrepreneur.objects.exists()


def test_record_of_another_month_is_not_reachable_through_this_month(officer, satker, fiscal_year, wub_record) -> None:
    if timezone.localdate().month == 1:
        pytest.skip("needs a second month that has started")
    args = [satker.code, fiscal_year.year, 2, "wub", wub_record.pk]
    assert client_for(officer).post(reverse("programs:record-delete", args=args)).status_code == 404
    assert NewEntrepreneur.objects.exists()


# -- locked months ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.APPROVED])
def test_locked_report_refuses_adding_editing_and_deleting(
    status, officer, satker, fiscal_year, regency, wub_record
) -> None:
    lock(wub_record, status)
    client = client_for(officer)
    page = client.get(page_url(satker, fiscal_year)).content.decode()
    assert "terkunci" in page
    assert 'name="wub-name"' not in page
    assert "/delete/" not in page

    response = client.post(add_url(satker, fiscal_year, "wub"), wub_data(regency, name="Baru"))
    assert response.status_code == 200
    assert "terkunci" in response.content.decode()
    args = [satker.code, fiscal_year.year, 1, "wub", wub_record.pk]
    response = client.post(
        reverse("programs:record-edit", args=args), {"name": "Ubah", "regency": regency.pk, "business_type": "Kopi"}
    )
    assert response.status_code == 200
    assert "terkunci" in response.content.decode()
    response = client.post(reverse("programs:record-delete", args=args), follow=True)
    assert "terkunci" in response.content.decode()

    assert list(NewEntrepreneur.objects.values_list("name", flat=True)) == ["Siti Aminah"]
    assert MonthlyReport.objects.get().status == status


def test_returned_report_can_be_corrected_again(officer, satker, fiscal_year, regency, wub_record) -> None:
    lock(wub_record, MonthlyReport.Status.RETURNED)
    response = client_for(officer).post(add_url(satker, fiscal_year, "wub"), wub_data(regency, name="Budi"))
    assert response.status_code == 302
    assert NewEntrepreneur.objects.count() == 2


def test_closed_year_is_read_only(officer, satker, fiscal_year, regency) -> None:
    fiscal_year.is_closed = True
    fiscal_year.save()
    client = client_for(officer)
    page = client.get(page_url(satker, fiscal_year)).content.decode()
    assert "sudah ditutup" in page
    assert 'name="wub-name"' not in page
    response = client.post(add_url(satker, fiscal_year, "wub"), wub_data(regency))
    assert "sudah ditutup" in response.content.decode()
    assert not NewEntrepreneur.objects.exists()


def test_future_month_is_read_only(officer, satker, regency) -> None:
    next_year = FiscalYear.objects.create(year=timezone.localdate().year + 1)
    client = client_for(officer)
    page = client.get(page_url(satker, next_year)).content.decode()
    assert "belum berjalan" in page
    response = client.post(add_url(satker, next_year, "wub"), wub_data(regency))
    assert "belum berjalan" in response.content.decode()
    assert not NewEntrepreneur.objects.exists()
    assert not MonthlyReport.objects.exists()
