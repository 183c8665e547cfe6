"""The monthly realization grid: who may enter what, and every rule refusing bad input whole."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.calendar import report_due_date
from budgets.models import MonthlyReport, Realization
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entry_url(satker, dipa, month: int = 1) -> str:
    return reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, month])


def post_grid(client, satker, dipa, amounts: dict, month: int = 1, version: int | None = None, **extra):
    report = MonthlyReport.objects.filter(satker=satker, fiscal_year=dipa.fiscal_year, month=month).first()
    data = {"version": version if version is not None else (report.version if report else 0), **extra}
    data.update({f"line_{line.pk}": value for line, value in amounts.items()})
    return client.post(entry_url(satker, dipa, month), data)


def stored(satker, month: int = 1) -> dict[int, int]:
    return dict(Realization.objects.filter(report__satker=satker, report__month=month).values_list("line_id", "amount"))


def test_officer_sees_grid_with_pagu_before_this_month_and_remaining(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "20.000.000"}, month=1)
    response = client.get(entry_url(satker, dipa, 1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "90.000.000" in page  # effective pagu of the OVOP line (100 - 10 blokir)
    assert "70.000.000" in page  # remaining


def test_indonesian_formatted_amounts_are_saved(officer, satker, dipa) -> None:
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: "1.250.000", dipa.travel: "Rp 300.000,00"})
    assert response.status_code == 302
    assert stored(satker) == {dipa.ovop.pk: 1_250_000, dipa.travel.pk: 300_000}
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert report.status == MonthlyReport.Status.DRAFT
    assert report.due_date.month == (2 if report.month == 1 else report.month + 1)


def test_month_over_effective_pagu_is_refused_with_line_and_amounts(officer, satker, dipa) -> None:
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: "95.000.000", dipa.travel: "5.000.000"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Realisasi kumulatif 051.521211 menjadi Rp95.000.000, melebihi pagu efektif Rp90.000.000" in page
    # Nothing was saved, not even the valid travel line.
    assert stored(satker) == {}


def test_cumulative_over_months_is_refused(officer, satker, dipa, today) -> None:
    if today.month == 1:
        pytest.skip("needs a second month that has started")
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "60.000.000"}, month=1)
    response = post_grid(client, satker, dipa, {dipa.ovop: "40.000.000"}, month=2)
    page = response.content.decode()
    assert "menjadi Rp100.000.000, melebihi pagu efektif Rp90.000.000" in page
    assert "bulan lain Rp60.000.000, bulan ini Rp40.000.000" in page
    assert stored(satker, 2) == {}
    # Correcting an earlier month is checked against the later months too.
    assert post_grid(client, satker, dipa, {dipa.ovop: "30.000.000"}, month=2).status_code == 302
    response = post_grid(client, satker, dipa, {dipa.ovop: "70.000.000"}, month=1)
    assert "melebihi pagu efektif" in response.content.decode()
    assert stored(satker, 1) == {dipa.ovop.pk: 60_000_000}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "tidak boleh negatif"),
        ("12abc", "bukan jumlah rupiah"),
        ("1.250.000,50", "rupiah bulat"),
        ("9" * 20, "terlalu besar"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_saved(officer, satker, dipa, value, message) -> None:
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: value, dipa.travel: "1.000"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored(satker) == {}
    assert not MonthlyReport.objects.exists()


def test_future_month_cannot_be_entered(officer, satker, dipa, today) -> None:
    if today.month == 12:
        pytest.skip("no future month left this year")
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: "1.000"}, month=today.month + 1)
    assert response.status_code == 200
    assert "belum berjalan" in response.content.decode()
    assert not Realization.objects.exists()


def test_closed_year_is_read_only(officer, satker, dipa) -> None:
    dipa.fiscal_year.is_closed = True
    dipa.fiscal_year.save()
    client = client_for(officer)
    page = client.get(entry_url(satker, dipa)).content.decode()
    assert "sudah ditutup" in page
    assert f'name="line_{dipa.ovop.pk}"' not in page
    response = post_grid(client, satker, dipa, {dipa.ovop: "1.000"})
    assert "sudah ditutup" in response.content.decode()
    assert not Realization.objects.exists()


def test_submitted_report_is_locked(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "1.000.000"}, action="submit")
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert report.status == MonthlyReport.Status.SUBMITTED
    response = post_grid(client, satker, dipa, {dipa.ovop: "2.000.000"})
    assert response.status_code == 200
    assert "terkunci" in response.content.decode()
    assert stored(satker) == {dipa.ovop.pk: 1_000_000}


def test_form_built_on_an_older_version_is_refused(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "1.000.000"})
    version_seen = MonthlyReport.objects.get(satker=satker, month=1).version
    colleague = client_for(officer)
    post_grid(colleague, satker, dipa, {dipa.ovop: "2.000.000"}, version=version_seen)
    response = post_grid(client, satker, dipa, {dipa.ovop: "3.000.000"}, version=version_seen)
    assert response.status_code == 200
    assert "sudah diubah orang lain" in response.content.decode()
    assert stored(satker) == {dipa.ovop.pk: 2_000_000}


def test_second_first_save_of_a_month_is_refused_too(officer, satker, dipa) -> None:
    # Both opened the empty month (version 0); the later save must not overwrite the earlier one.
    post_grid(client_for(officer), satker, dipa, {dipa.ovop: "1.000.000"}, version=0)
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: "5.000.000"}, version=0)
    assert "sudah diubah orang lain" in response.content.decode()
    assert stored(satker) == {dipa.ovop.pk: 1_000_000}


def test_other_province_officer_gets_404_and_changes_nothing(other_officer, satker, dipa) -> None:
    client = client_for(other_officer)
    assert client.get(entry_url(satker, dipa)).status_code == 404
    assert post_grid(client, satker, dipa, {dipa.ovop: "1.000"}).status_code == 404
    assert not Realization.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "viewer"])
def test_directorate_readers_see_but_cannot_post(persona, satker, dipa, request) -> None:
    client = client_for(request.getfixturevalue(persona))
    page = client.get(entry_url(satker, dipa))
    assert page.status_code == 200
    assert f'name="line_{dipa.ovop.pk}"' not in page.content.decode()
    assert post_grid(client, satker, dipa, {dipa.ovop: "1.000"}).status_code == 403
    assert not Realization.objects.exists()


def test_admin_may_enter_for_any_satker(admin_user, other_satker, dipa) -> None:
    response = post_grid(client_for(admin_user), other_satker, dipa, {dipa.other_line: "7.000.000"})
    assert response.status_code == 302
    assert stored(other_satker) == {dipa.other_line.pk: 7_000_000}


def test_entries_are_audited_with_user_and_old_and_new(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "1.000.000"})
    post_grid(client, satker, dipa, {dipa.ovop: "1.500.000"})
    report = MonthlyReport.objects.get(satker=satker, month=1)
    history = list(Realization.history.filter(report_id=report.pk).order_by("history_date"))
    assert [(h.amount, h.history_user) for h in history] == [(1_000_000, officer), (1_500_000, officer)]
    page = client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "Jejak perubahan isian" in page and "1.000.000" in page and "1.500.000" in page


def test_satker_year_page_lists_twelve_months(officer, satker, dipa, today) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "1.000.000"})
    response = client.get(reverse("budgets:satker-year", args=[satker.code, dipa.fiscal_year.year]))
    assert response.status_code == 200
    assert len(response.context["months"]) == 12
    assert response.context["months"][0]["realisasi"] == 1_000_000
    assert response.context["summary"]["pagu_efektif"] == 170_000_000
    stranger = UserFactory(role="OFFICER", province=dipa.other_line.satker.province)
    assert (
        client_for(stranger).get(reverse("budgets:satker-year", args=[satker.code, dipa.fiscal_year.year])).status_code
        == 404
    )


def test_due_date_is_set_when_the_month_is_first_saved(officer, satker, dipa) -> None:
    post_grid(client_for(officer), satker, dipa, {dipa.ovop: "1.000"})
    report = MonthlyReport.objects.get(satker=satker, month=1)
    assert report.due_date == report_due_date(dipa.fiscal_year.year, 1)


def test_typing_mistakes_and_the_pagu_are_reported_in_one_save(officer, satker, dipa) -> None:
    """Issue 23: a save with a typing mistake on one line and an over-pagu amount on another says
    both at once (each next to its line, and listed above the grid), not the pagu on a second save."""
    response = post_grid(client_for(officer), satker, dipa, {dipa.ovop: "95.000.000", dipa.travel: "1,5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "melebihi pagu efektif Rp90.000.000" in page
    assert "&#x27;1,5&#x27; memuat sen" in page
    summary = page.split("data-error-summary", 1)[1].split("</div>\n  </div>", 1)[0]
    assert "2 baris perlu diperbaiki" in summary
    assert f'href="#id_line_{dipa.ovop.pk}"' in summary and f'href="#id_line_{dipa.travel.pk}"' in summary
    # The trial run of the pagu check kept nothing, not even the month's report.
    assert stored(satker) == {}
    assert not MonthlyReport.objects.exists()


def test_comma_thousands_are_saved_and_a_single_comma_group_says_what_to_type(officer, satker, dipa) -> None:
    client = client_for(officer)
    response = post_grid(client, satker, dipa, {dipa.ovop: "1,250,000", dipa.travel: "1,250"})
    page = response.content.decode()
    assert "Tulis 1.250 atau 1250" in page
    assert stored(satker) == {}
    assert post_grid(client, satker, dipa, {dipa.ovop: "1,250,000", dipa.travel: "1.250"}).status_code == 302
    assert stored(satker) == {dipa.ovop.pk: 1_250_000, dipa.travel.pk: 1_250}
