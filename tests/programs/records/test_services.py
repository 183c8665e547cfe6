"""The services behind the officers' programme records: every rule with its message, and nothing
written when one fails (not even the month's report)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from budgets.models import FiscalYear, MonthlyReport
from programs.models import (
    Enterprise,
    Facilitation,
    NewEntrepreneur,
    OutputTarget,
    PovertyActivity,
    SizeClass,
)
from programs.records import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(province, regency, fiscal_year):
    return Enterprise.objects.create(
        nib="0123456789012",
        name="CV Keripik Bengkulu",
        name_normalized="keripik bengkulu",
        regency=regency,
        province=province,
        kbli="10792",
        data_year=fiscal_year.year,
        size_class=SizeClass.SMALL,
    )


@pytest.fixture
def aceh_enterprise(other_province, other_regency, fiscal_year):
    return Enterprise.objects.create(
        nib="1111111111111",
        name="UD Kopi Gayo",
        name_normalized="kopi gayo",
        regency=other_regency,
        province=other_province,
        kbli="10761",
        data_year=fiscal_year.year,
        size_class=SizeClass.SMALL,
    )


def wub(satker, fiscal_year, regency, by, **overrides):
    fields = {"name": "Siti Aminah", "regency": regency, "business_type": "Keripik pisang", "nib": "", "month": 1}
    fields.update(overrides)
    return services.new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, by=by, **fields)


def poverty(satker, fiscal_year, place, by, **overrides):
    fields = {"regency": place, "kind": "PELATIHAN", "beneficiaries": 20, "value": "1.250.000", "month": 1}
    fields.update(overrides)
    return services.poverty_activity_create(satker=satker, fiscal_year=fiscal_year, by=by, **fields)


def facilitation(satker, fiscal_year, by, **overrides):
    fields = {"kind": "PRODUK", "nib": "", "enterprise_name": "UD Maju", "value": None, "month": 1}
    fields.update(overrides)
    return services.facilitation_create(satker=satker, fiscal_year=fiscal_year, by=by, **fields)


def refused(call, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.message_dict
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]


def nothing_written() -> None:
    assert not NewEntrepreneur.objects.exists()
    assert not PovertyActivity.objects.exists()
    assert not Facilitation.objects.exists()
    assert not MonthlyReport.objects.exists()


# -- the month's report -----------------------------------------------------------------------


def test_first_record_creates_the_draft_report_and_every_write_bumps_its_version(
    officer, satker, fiscal_year, regency
) -> None:
    record = wub(satker, fiscal_year, regency, officer)
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=fiscal_year, month=1)
    assert record.report == report
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.due_date.month == 2
    first = report.version
    services.new_entrepreneur_update(record=record, name="Siti A.", regency=regency, business_type="Kopi", by=officer)
    report.refresh_from_db()
    assert report.version == first + 1
    services.new_entrepreneur_delete(record=record, by=officer)
    report.refresh_from_db()
    assert report.version == first + 2
    assert report.history.first().history_user == officer
    assert not NewEntrepreneur.objects.exists()
    assert NewEntrepreneur.history.filter(history_type="-").get().history_user == officer


def test_realization_form_opened_before_a_programme_record_is_stale(officer, satker, fiscal_year, regency) -> None:
    from budgets.services import StaleVersion, realization_set

    wub(satker, fiscal_year, regency, officer)
    seen = MonthlyReport.objects.get(satker=satker, month=1).version
    poverty(satker, fiscal_year, regency, officer)
    with pytest.raises(StaleVersion):
        realization_set(satker=satker, fiscal_year=fiscal_year, month=1, amounts={}, expected_version=seen, by=officer)


@pytest.mark.parametrize("status", [MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.APPROVED])
def test_submitted_or_approved_month_refuses_every_write(status, officer, satker, fiscal_year, regency) -> None:
    record = wub(satker, fiscal_year, regency, officer)
    MonthlyReport.objects.filter(pk=record.report_id).update(status=status)
    for call in [
        lambda: wub(satker, fiscal_year, regency, officer, name="Baru"),
        lambda: services.new_entrepreneur_update(
            record=record, name="Ubah", regency=regency, business_type="X", by=officer
        ),
        lambda: services.new_entrepreneur_delete(record=record, by=officer),
        lambda: poverty(satker, fiscal_year, regency, officer),
        lambda: facilitation(satker, fiscal_year, officer),
    ]:
        with pytest.raises(ValidationError, match="terkunci"):
            call()
    assert list(NewEntrepreneur.objects.values_list("name", flat=True)) == ["Siti Aminah"]
    assert not PovertyActivity.objects.exists()
    assert not Facilitation.objects.exists()


def test_returned_month_can_be_corrected(officer, satker, fiscal_year, regency) -> None:
    record = wub(satker, fiscal_year, regency, officer)
    MonthlyReport.objects.filter(pk=record.report_id).update(status=MonthlyReport.Status.RETURNED)
    services.new_entrepreneur_update(
        record=record, name="Siti Aminah", regency=regency, business_type="Batik", by=officer
    )
    assert NewEntrepreneur.objects.get().business_type == "Batik"


def test_closed_year_refuses_and_writes_nothing(officer, satker, fiscal_year, regency) -> None:
    fiscal_year.is_closed = True
    fiscal_year.save()
    with pytest.raises(ValidationError, match="sudah ditutup"):
        wub(satker, fiscal_year, regency, officer)
    nothing_written()


def test_month_not_started_refuses_and_writes_nothing(officer, satker, regency) -> None:
    next_year = FiscalYear.objects.create(year=timezone.localdate().year + 1)
    with pytest.raises(ValidationError, match="belum berjalan"):
        wub(satker, next_year, regency, officer)
    nothing_written()


@pytest.mark.parametrize("persona", ["reviewer", "viewer", "other_officer"])
def test_only_editors_of_the_satker_may_write(persona, request, satker, fiscal_year, regency) -> None:
    with pytest.raises(PermissionDenied):
        wub(satker, fiscal_year, regency, request.getfixturevalue(persona))
    nothing_written()


def test_admin_may_write_anywhere(admin_user, other_satker, fiscal_year, other_regency) -> None:
    record = wub(other_satker, fiscal_year, other_regency, admin_user)
    assert record.satker == other_satker


def test_permission_is_checked_before_the_input(viewer, satker, fiscal_year) -> None:
    with pytest.raises(PermissionDenied):
        wub(satker, fiscal_year, None, viewer, name="")


# -- WUB --------------------------------------------------------------------------------------


def test_regency_is_required_and_must_be_in_the_satkers_province(officer, satker, fiscal_year, other_regency) -> None:
    refused(lambda: wub(satker, fiscal_year, None, officer), "regency", "wajib diisi")
    refused(
        lambda: wub(satker, fiscal_year, other_regency, officer),
        "regency",
        "Kota Banda Aceh tidak berada di provinsi satker (Bengkulu)",
    )
    nothing_written()


@pytest.mark.parametrize("nib", ["123", "12345678901234", "01234567890AB", "0123-456789012"])
def test_nib_must_be_13_digits(nib, officer, satker, fiscal_year, regency) -> None:
    refused(lambda: wub(satker, fiscal_year, regency, officer, nib=nib), "nib", "NIB harus 13 digit angka")
    nothing_written()


def test_nib_keeps_leading_zeros_and_links_the_registry_enterprise(
    officer, satker, fiscal_year, regency, enterprise
) -> None:
    record = wub(satker, fiscal_year, regency, officer, nib=" 0123456789012 ")
    assert record.nib == "0123456789012"
    assert record.enterprise == enterprise
    unknown = wub(satker, fiscal_year, regency, officer, name="Budi", nib="0000000000001")
    assert unknown.nib == "0000000000001"
    assert unknown.enterprise is None
    without = wub(satker, fiscal_year, regency, officer, name="Rina")
    assert without.nib is None


def test_wub_is_not_linked_to_another_provinces_enterprise(
    officer, satker, fiscal_year, regency, aceh_enterprise
) -> None:
    assert wub(satker, fiscal_year, regency, officer, nib=aceh_enterprise.nib).enterprise is None


def test_legalized_on_may_not_be_in_the_future_nor_without_nib(officer, satker, fiscal_year, regency) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused(
        lambda: wub(satker, fiscal_year, regency, officer, nib="0123456789012", legalized_on=tomorrow),
        "legalized_on",
        "tidak boleh di masa depan",
    )
    refused(
        lambda: wub(satker, fiscal_year, regency, officer, legalized_on=timezone.localdate()),
        "legalized_on",
        "hanya diisi bila NIB diisi",
    )
    nothing_written()
    record = wub(satker, fiscal_year, regency, officer, nib="0123456789012", legalized_on=timezone.localdate())
    assert record.legalized_on == timezone.localdate()


def test_wub_name_and_business_type_are_required(officer, satker, fiscal_year, regency) -> None:
    refused(lambda: wub(satker, fiscal_year, regency, officer, name="  "), "name", "Nama WUB wajib diisi")
    refused(lambda: wub(satker, fiscal_year, regency, officer, business_type=""), "business_type", "wajib diisi")
    nothing_written()


def test_all_errors_come_back_together(officer, satker, fiscal_year) -> None:
    with pytest.raises(ValidationError) as caught:
        wub(satker, fiscal_year, None, officer, name="", nib="12")
    assert set(caught.value.message_dict) == {"name", "regency", "nib"}


# -- poverty ----------------------------------------------------------------------------------


def test_poverty_activity_reads_indonesian_money(officer, satker, fiscal_year, regency) -> None:
    record = poverty(satker, fiscal_year, regency, officer)
    assert (record.value, record.beneficiaries, record.report.status) == (1_250_000, 20, "DRAFT")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"beneficiaries": 0}, "beneficiaries", "minimal 1 orang"),
        ({"beneficiaries": None}, "beneficiaries", "wajib diisi"),
        ({"value": "-5"}, "value", "tidak boleh negatif"),
        ({"value": "12abc"}, "value", "bukan jumlah rupiah"),
        ({"kind": "SULAP"}, "kind", "Pilih jenis kegiatan"),
        ({"regency": None}, "regency", "wajib diisi"),
    ],
)
def test_poverty_rules(overrides, field, message, officer, satker, fiscal_year, regency) -> None:
    refused(lambda: poverty(satker, fiscal_year, regency, officer, **overrides), field, message)
    nothing_written()


def test_poverty_value_may_be_zero(officer, satker, fiscal_year, regency) -> None:
    assert poverty(satker, fiscal_year, regency, officer, value="").value == 0


# -- facilitations ----------------------------------------------------------------------------


def test_facilitation_nib_must_be_in_the_registry(officer, satker, fiscal_year) -> None:
    refused(
        lambda: facilitation(satker, fiscal_year, officer, nib="0000000000009"),
        "nib",
        "tidak ditemukan di registri IKM",
    )
    nothing_written()


def test_facilitation_does_not_reveal_another_provinces_registry(officer, satker, fiscal_year, aceh_enterprise) -> None:
    refused(
        lambda: facilitation(satker, fiscal_year, officer, nib=aceh_enterprise.nib, enterprise_name=""),
        "nib",
        "tidak ditemukan di registri IKM",
    )


def test_facilitation_takes_the_name_from_the_registry_when_empty(officer, satker, fiscal_year, enterprise) -> None:
    record = facilitation(satker, fiscal_year, officer, nib="0123456789012", enterprise_name="")
    assert (record.enterprise, record.enterprise_name) == (enterprise, "CV Keripik Bengkulu")
    named = facilitation(satker, fiscal_year, officer, nib="0123456789012", enterprise_name="Keripik Bu Ani")
    assert named.enterprise_name == "Keripik Bu Ani"


def test_facilitation_without_nib_needs_a_name(officer, satker, fiscal_year) -> None:
    refused(lambda: facilitation(satker, fiscal_year, officer, enterprise_name=""), "enterprise_name", "wajib diisi")
    nothing_written()


@pytest.mark.parametrize("kind", ["PAMERAN", "RESTRUKTURISASI"])
def test_exhibition_and_restructuring_need_a_value(kind, officer, satker, fiscal_year) -> None:
    refused(lambda: facilitation(satker, fiscal_year, officer, kind=kind, value=None), "value", "lebih dari 0")
    refused(lambda: facilitation(satker, fiscal_year, officer, kind=kind, value="0"), "value", "lebih dari 0")
    nothing_written()
    assert facilitation(satker, fiscal_year, officer, kind=kind, value="46.900.000").value == 46_900_000


@pytest.mark.parametrize("kind", ["SNI", "PRODUK", "KEMITRAAN", "I40"])
def test_other_kinds_carry_no_value(kind, officer, satker, fiscal_year) -> None:
    refused(
        lambda: facilitation(satker, fiscal_year, officer, kind=kind, value="1.000"),
        "value",
        "Nilai hanya diisi untuk fasilitasi pameran",
    )
    nothing_written()
    assert facilitation(satker, fiscal_year, officer, kind=kind, value="0").value == 0


def test_certificate_only_for_certified_kinds(officer, satker, fiscal_year) -> None:
    today = timezone.localdate()
    refused(
        lambda: facilitation(satker, fiscal_year, officer, kind="PRODUK", certificate_number="SNI-1"),
        "certificate_number",
        "Hanya untuk sertifikasi",
    )
    refused(
        lambda: facilitation(satker, fiscal_year, officer, kind="KEMITRAAN", certificate_date=today),
        "certificate_date",
        "Hanya untuk sertifikasi",
    )
    refused(
        lambda: facilitation(satker, fiscal_year, officer, kind="HALAL", certificate_date=today + timedelta(1)),
        "certificate_date",
        "tidak boleh di masa depan",
    )
    nothing_written()
    for kind in ["SNI", "ISO", "HACCP", "HALAL", "HKI"]:
        record = facilitation(
            satker, fiscal_year, officer, kind=kind, certificate_number=f"{kind}-001", certificate_date=today
        )
        assert record.certificate_number == f"{kind}-001"
    assert facilitation(satker, fiscal_year, officer, kind="SNI").certificate_number == ""  # optional


def test_facilitation_kind_must_be_known(officer, satker, fiscal_year) -> None:
    refused(lambda: facilitation(satker, fiscal_year, officer, kind="PIKNIK"), "kind", "Pilih jenis fasilitasi")
    nothing_written()


def test_update_and_delete_of_each_kind(officer, satker, fiscal_year, regency) -> None:
    activity = poverty(satker, fiscal_year, regency, officer)
    services.poverty_activity_update(
        record=activity, regency=regency, kind="PERALATAN", beneficiaries=5, value="2.000.000", by=officer
    )
    activity.refresh_from_db()
    assert (activity.kind, activity.beneficiaries, activity.value) == ("PERALATAN", 5, 2_000_000)
    refused(
        lambda: services.poverty_activity_update(
            record=activity, regency=regency, kind="PERALATAN", beneficiaries=0, by=officer
        ),
        "beneficiaries",
        "minimal 1",
    )
    activity.refresh_from_db()
    assert activity.beneficiaries == 5
    record = facilitation(satker, fiscal_year, officer)
    services.facilitation_update(
        record=record, kind="PAMERAN", enterprise_name="UD Maju", value="5.000.000", by=officer
    )
    record.refresh_from_db()
    assert (record.kind, record.value) == ("PAMERAN", 5_000_000)
    services.facilitation_delete(record=record, by=officer)
    services.poverty_activity_delete(record=activity, by=officer)
    assert not Facilitation.objects.exists()
    assert not PovertyActivity.objects.exists()


def test_deleting_a_record_already_deleted_says_so(officer, satker, fiscal_year, regency) -> None:
    record = wub(satker, fiscal_year, regency, officer)
    NewEntrepreneur.objects.filter(pk=record.pk).delete()
    with pytest.raises(ValidationError, match="sudah dihapus"):
        services.new_entrepreneur_delete(record=record, by=officer)


# -- output targets ---------------------------------------------------------------------------


def test_only_admins_set_targets(officer, reviewer, satker, fiscal_year) -> None:
    for user in [officer, reviewer]:
        with pytest.raises(PermissionDenied):
            services.output_targets_set(satker=satker, fiscal_year=fiscal_year, targets={"wub": 10}, by=user)
    assert not OutputTarget.objects.exists()


def test_admin_sets_changes_and_clears_targets(admin_user, satker, fiscal_year) -> None:
    stored = services.output_targets_set(
        satker=satker,
        fiscal_year=fiscal_year,
        by=admin_user,
        targets={"wub": "120", "exhibition_value": "1.250.000", "sni": ""},
    )
    assert stored == {"wub": 120, "exhibition_value": 1_250_000}
    stored = services.output_targets_set(
        satker=satker, fiscal_year=fiscal_year, by=admin_user, targets={"wub": "150", "exhibition_value": None}
    )
    assert stored == {"wub": 150}
    assert dict(OutputTarget.objects.values_list("indicator", "target")) == {"wub": 150}
    assert OutputTarget.history.filter(history_type="-").get().history_user == admin_user


def test_bad_targets_are_refused_whole(admin_user, satker, fiscal_year) -> None:
    refused(
        lambda: services.output_targets_set(
            satker=satker, fiscal_year=fiscal_year, by=admin_user, targets={"wub": "10", "sni": "-3"}
        ),
        "sni",
        "tidak boleh negatif",
    )
    refused(
        lambda: services.output_targets_set(
            satker=satker, fiscal_year=fiscal_year, by=admin_user, targets={"bogus": "1"}
        ),
        "__all__",
        "tidak dikenal",
    )
    assert not OutputTarget.objects.exists()
