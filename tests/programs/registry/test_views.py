"""The registry's pages per role: officers record and correct in their own province, another
province's officer gets 404, reviewers and viewers read only (403 on the forms), anonymous users
go to the login page. Form errors appear on their fields and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import FiscalYear, MonthlyReport
from programs.models import CommodityGroup, Enterprise, Facilitation, FacilitationKind, Sentra
from tests.conftest import client_for
from tests.programs.registry.support import form_input, make_enterprise

pytestmark = pytest.mark.django_db

CREATE = reverse("programs:registry-create")
LIST = reverse("programs:registry-list")


def detail(enterprise: Enterprise) -> str:
    return reverse("programs:registry-detail", args=[enterprise.pk])


def edit(enterprise: Enterprise) -> str:
    return reverse("programs:registry-edit", args=[enterprise.pk])


@pytest.fixture
def bengkulu_enterprise(regency, satker) -> Enterprise:
    return make_enterprise(regency, "Batik Besurek Rafflesia", nib="1700000000001", satker=satker)


def test_anonymous_is_sent_to_login(anonymous, bengkulu_enterprise) -> None:
    for url in (LIST, CREATE, detail(bengkulu_enterprise), edit(bengkulu_enterprise)):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert anonymous.post(CREATE, form_input(bengkulu_enterprise.regency)).status_code == 302
    assert Enterprise.objects.count() == 1


def test_create_form_has_labels_and_help_texts(officer, regency, other_regency) -> None:
    page = client_for(officer).get(CREATE).content.decode()
    for text in ("NIB", "Nama usaha", "KBLI", "Investasi (Rp)", "format 1.250.000 diterima", "Tahun pendataan"):
        assert text in page
    assert "Kota Bengkulu" in page and "Kota Banda Aceh" not in page  # only the officer's regencies
    assert "Satker pendata" not in page  # officers record for their own satker
    assert "saya yakin ini usaha yang berbeda" not in page  # asked only when a duplicate is found


def test_officer_records_an_enterprise_with_indonesian_money(officer, satker, regency) -> None:
    response = client_for(officer).post(CREATE, form_input(regency, investment="1.250.000.000"))

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(enterprise)
    assert (enterprise.investment, enterprise.production_value) == (1_250_000_000, 250_000_000)
    assert (enterprise.nib, enterprise.satker, enterprise.size_class) == ("0123456789012", satker, "MENENGAH")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "NIB harus 13 digit angka"),
        ("kbli", "01111", "bukan industri pengolahan"),
        ("workers_male", "-1", "tidak boleh negatif"),
        ("investment", "-1.000", "tidak boleh negatif"),
        ("production_value", "satu juta", "bukan jumlah rupiah"),
        ("data_year", "1999", "antara 2000"),
    ],
)
def test_bad_input_shows_the_message_on_the_field(officer, satker, regency, field, value, message) -> None:
    response = client_for(officer).post(CREATE, form_input(regency, **{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and "is-invalid" in page
    assert not Enterprise.objects.exists()


def test_officer_cannot_pick_a_regency_of_another_province(officer, satker, regency, other_regency) -> None:
    response = client_for(officer).post(CREATE, form_input(other_regency))

    assert response.status_code == 200
    assert "di luar provinsi Anda" in response.context["form"].errors["regency"][0]
    assert not Enterprise.objects.exists()


def test_duplicate_name_asks_for_confirmation_then_saves(officer, satker, regency, bengkulu_enterprise) -> None:
    client = client_for(officer)
    data = form_input(regency, nib="", name="CV Batik Besurek RAFFLESIA")

    flagged = client.post(CREATE, data)
    assert flagged.status_code == 200
    page = flagged.content.decode()
    assert "saya yakin ini usaha yang berbeda" in page and 'name="confirm_duplicate"' in page
    assert "Batik Besurek Rafflesia" in " ".join(flagged.context["form"].errors["name"])
    assert Enterprise.objects.count() == 1

    confirmed = client.post(CREATE, {**data, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Enterprise.objects.filter(name_normalized="batik besurek rafflesia").count() == 2


def test_same_nib_is_refused_even_when_confirmed(officer, satker, regency, bengkulu_enterprise) -> None:
    response = client_for(officer).post(
        CREATE, form_input(regency, nib="1700000000001", name="Lain", confirm_duplicate="on")
    )
    assert response.status_code == 200
    assert "Batik Besurek Rafflesia" in response.context["form"].errors["nib"][0]
    assert Enterprise.objects.count() == 1


def test_nib_of_another_province_names_nothing_on_the_officers_form(officer, satker, regency, other_regency) -> None:
    make_enterprise(other_regency, "Kopi Gayo Arabika", nib="1100000000001")

    response = client_for(officer).post(CREATE, form_input(regency, nib="1100000000001"))

    assert response.status_code == 200
    assert "di luar provinsi Anda" in response.context["form"].errors["nib"][0]
    page = response.content.decode()
    for detail_text in ("Kopi Gayo", "Banda Aceh", "Aceh"):  # the enterprise, its regency, its province
        assert detail_text not in page
    assert Enterprise.objects.count() == 1


def test_admin_form_names_the_holder_of_a_nib(admin_user, satker, regency, other_regency) -> None:
    make_enterprise(other_regency, "Kopi Gayo Arabika", nib="1100000000001")

    response = client_for(admin_user).post(CREATE, form_input(regency, nib="1100000000001", satker=satker.pk))

    assert '"Kopi Gayo Arabika" (Kota Banda Aceh, Aceh)' in response.context["form"].errors["nib"][0]
    assert Enterprise.objects.count() == 1


def test_officer_edits_own_province_enterprise(officer, satker, regency, bengkulu_enterprise) -> None:
    client = client_for(officer)
    form = client.get(edit(bengkulu_enterprise))
    assert form.status_code == 200
    assert 'value="100.000.000"' in form.content.decode()  # money shown in the Indonesian format

    data = form_input(regency, nib="1700000000001", name="Batik Besurek Rafflesia", workers_male="25", version="1")
    response = client.post(edit(bengkulu_enterprise), data)

    assert response.status_code == 302
    bengkulu_enterprise.refresh_from_db()
    assert (bengkulu_enterprise.workers_male, bengkulu_enterprise.version) == (25, 2)


def test_stale_edit_is_refused_with_a_clear_message(officer, satker, regency, bengkulu_enterprise) -> None:
    Enterprise.objects.filter(pk=bengkulu_enterprise.pk).update(version=2, owner="Orang lain")
    data = form_input(regency, nib="1700000000001", name="Batik Besurek Rafflesia", owner="Saya", version="1")

    response = client_for(officer).post(edit(bengkulu_enterprise), data)

    assert response.status_code == 200
    assert "sudah diubah orang lain" in response.content.decode()
    bengkulu_enterprise.refresh_from_db()
    assert (bengkulu_enterprise.owner, bengkulu_enterprise.version) == ("Orang lain", 2)


def test_other_officer_gets_404_on_another_provinces_enterprise(other_officer, regency, bengkulu_enterprise) -> None:
    client = client_for(other_officer)
    assert client.get(detail(bengkulu_enterprise)).status_code == 404
    assert client.get(edit(bengkulu_enterprise)).status_code == 404
    data = form_input(regency, nib="1700000000001", name="Diubah", version="1")
    assert client.post(edit(bengkulu_enterprise), data).status_code == 404
    bengkulu_enterprise.refresh_from_db()
    assert bengkulu_enterprise.name == "Batik Besurek Rafflesia"


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_reviewers_and_viewers_read_but_never_write(request, persona, regency, bengkulu_enterprise) -> None:
    client = client_for(request.getfixturevalue(persona))

    assert client.get(LIST).status_code == 200
    page = client.get(detail(bengkulu_enterprise))
    assert page.status_code == 200 and "Ubah data" not in page.content.decode()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_input(regency)).status_code == 403
    assert client.get(edit(bengkulu_enterprise)).status_code == 403
    data = form_input(regency, nib="1700000000001", name="Diubah", version="1")
    assert client.post(edit(bengkulu_enterprise), data).status_code == 403
    assert Enterprise.objects.count() == 1
    assert Enterprise.objects.get().name == "Batik Besurek Rafflesia"


def test_admin_records_anywhere_and_chooses_the_satker(admin_user, other_satker, central_satker, other_regency) -> None:
    client = client_for(admin_user)
    assert "Satker pendata" in client.get(CREATE).content.decode()

    response = client.post(CREATE, form_input(other_regency, satker=central_satker.pk))

    assert response.status_code == 302
    assert Enterprise.objects.get().satker == central_satker


def test_detail_shows_facts_centre_and_facilitations_newest_first(officer, satker, regency) -> None:
    centre = Sentra.objects.create(
        satker=satker,
        name="Sentra Batik Besurek",
        regency=regency,
        village="Anggut",
        commodity_group=CommodityGroup.BATIK,
        unit_count=9,
    )
    enterprise = make_enterprise(
        regency, "Batik Besurek Rafflesia", nib="0170000000001", centre=centre, investment=1_500_000_000, satker=satker
    )
    for year, month, kind, value in [
        (2023, 5, FacilitationKind.HALAL, 0),
        (2024, 3, FacilitationKind.EXHIBITION, 12_500_000),
        (2023, 11, FacilitationKind.HKI, 0),
    ]:
        fiscal_year = FiscalYear.objects.get_or_create(year=year)[0]
        report = MonthlyReport.objects.get_or_create(
            satker=satker, fiscal_year=fiscal_year, month=month, defaults={"due_date": f"{year}-12-31"}
        )[0]
        Facilitation.objects.create(
            satker=satker,
            fiscal_year=fiscal_year,
            month=month,
            report=report,
            kind=kind,
            enterprise=enterprise,
            enterprise_name=enterprise.name,
            value=value,
        )

    page = client_for(officer).get(detail(enterprise)).content.decode()

    for text in ("0170000000001", "Menengah", "Sentra Batik Besurek", "Rp1.500.000.000", "Ubah data", "12.500.000"):
        assert text in page
    exhibition, hki, halal = (
        page.index(str(label))
        for label in (FacilitationKind.EXHIBITION.label, FacilitationKind.HKI.label, FacilitationKind.HALAL.label)
    )
    assert exhibition < hki < halal  # 2024-03, 2023-11, 2023-05


def test_detail_without_facilitations_says_so(officer, bengkulu_enterprise) -> None:
    page = client_for(officer).get(detail(bengkulu_enterprise)).content.decode()
    assert "Belum ada fasilitasi" in page and "Tidak tergabung dalam sentra" in page


def test_detail_query_count_does_not_grow_with_facilitations(
    officer, satker, bengkulu_enterprise, django_assert_max_num_queries
) -> None:
    client = client_for(officer)
    fiscal_year = FiscalYear.objects.get_or_create(year=2024)[0]

    def add(count: int, start: int) -> None:
        for month in range(start, start + count):
            report = MonthlyReport.objects.create(
                satker=satker, fiscal_year=fiscal_year, month=month, due_date="2024-12-31"
            )
            Facilitation.objects.create(
                satker=satker,
                fiscal_year=fiscal_year,
                month=month,
                report=report,
                kind=FacilitationKind.SNI,
                enterprise=bengkulu_enterprise,
                enterprise_name="x",
            )

    add(1, 1)
    with django_assert_max_num_queries(30) as small:
        assert client.get(detail(bengkulu_enterprise)).status_code == 200
    add(10, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(detail(bengkulu_enterprise)).status_code == 200


def test_detail_hides_central_units_facilitations_and_centre_from_the_officer(
    officer, reviewer, satker, central_satker, regency
) -> None:
    centre = Sentra.objects.create(
        satker=central_satker,
        name="Sentra Binaan Pusat",
        regency=regency,
        village="Anggut",
        commodity_group=CommodityGroup.BATIK,
        unit_count=9,
    )
    enterprise = make_enterprise(regency, "Batik Besurek Rafflesia", nib="0170000000001", centre=centre, satker=satker)
    fiscal_year = FiscalYear.objects.get_or_create(year=2024)[0]
    for unit, value, certificate in [(satker, 7_300_000, "PROV-0001"), (central_satker, 48_600_000, "PUSAT-0002")]:
        report = MonthlyReport.objects.create(satker=unit, fiscal_year=fiscal_year, month=3, due_date="2024-12-31")
        Facilitation.objects.create(
            satker=unit,
            fiscal_year=fiscal_year,
            month=3,
            report=report,
            kind=FacilitationKind.EXHIBITION,
            enterprise=enterprise,
            enterprise_name=enterprise.name,
            value=value,
            certificate_number=certificate,
        )

    officer_page = client_for(officer).get(detail(enterprise)).content.decode()
    reviewer_page = client_for(reviewer).get(detail(enterprise)).content.decode()

    assert "7.300.000" in officer_page and "PROV-0001" in officer_page
    for hidden in ("48.600.000", "PUSAT-0002", central_satker.code, "Sentra Binaan Pusat"):
        assert hidden not in officer_page
    assert "sentra binaan direktorat" in officer_page
    for shown in ("7.300.000", "PROV-0001", "48.600.000", "PUSAT-0002", central_satker.code, "Sentra Binaan Pusat"):
        assert shown in reviewer_page
