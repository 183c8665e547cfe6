"""The signed-in home page per role and the scoped satker list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import FiscalYearFactory, SatkerAuthorityFactory, SatkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2023(satker, other_satker, central_satker):
    year = FiscalYearFactory(year=2023)
    SatkerAuthorityFactory(satker=satker, fiscal_year=year, authority="DK")
    SatkerAuthorityFactory(satker=other_satker, fiscal_year=year, authority="DK")
    SatkerAuthorityFactory(satker=central_satker, fiscal_year=year, authority="KP")
    return year


def test_anonymous_is_sent_to_login(anonymous) -> None:
    response = anonymous.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert anonymous.get(reverse("budgets:satker-list")).status_code == 302


def test_officer_home_shows_own_satker_only(officer, year_2023) -> None:
    page = client_for(officer).get(reverse("dashboard:home")).content.decode()
    assert "Satker Provinsi Bengkulu" in page
    assert "170019" in page
    assert "110019" not in page and "019101" not in page
    assert reverse("admin:index") not in page


def test_directorate_home_counts_satkers_by_authority(reviewer, year_2023) -> None:
    response = client_for(reviewer).get(reverse("dashboard:home"))
    assert response.context["satker_count"] == 3
    counts = {code: count for code, _, count in response.context["authority_counts"]}
    assert counts == {"KP": 1, "DK": 2, "TP": 0}
    assert "Gambaran nasional" in response.content.decode()


def test_admin_home_links_to_admin(admin_user, year_2023) -> None:
    assert reverse("admin:index") in client_for(admin_user).get(reverse("dashboard:home")).content.decode()


def table_codes(response) -> set[str]:
    return {row.record.code for row in response.context["table"].page.object_list}


def test_officer_satker_list_is_scoped_even_when_filtering_for_another_province(
    officer, other_province, year_2023
) -> None:
    client = client_for(officer)
    assert table_codes(client.get(reverse("budgets:satker-list"))) == {"170019"}
    # Asking for another province by id gives a form error, not its rows.
    response = client.get(reverse("budgets:satker-list"), {"province": other_province.pk})
    assert "110019" not in response.content.decode()


def test_reviewer_satker_list_filters_and_searches(reviewer, other_province, year_2023) -> None:
    client = client_for(reviewer)
    assert table_codes(client.get(reverse("budgets:satker-list"))) == {"170019", "110019", "019101"}
    assert table_codes(client.get(reverse("budgets:satker-list"), {"province": other_province.pk})) == {"110019"}
    assert table_codes(client.get(reverse("budgets:satker-list"), {"q": "aceh"})) == {"110019"}
    assert table_codes(client.get(reverse("budgets:satker-list"), {"is_central": "true"})) == {"019101"}


def test_satker_list_query_count_does_not_grow_with_rows(reviewer, year_2023, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("budgets:satker-list"))
    for index in range(30):
        satker = SatkerFactory(code=f"{500000 + index}")
        SatkerAuthorityFactory(satker=satker, fiscal_year=year_2023)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("budgets:satker-list"))
    assert len(response.context["table"].page.object_list) == 33
