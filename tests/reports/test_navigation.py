"""The navbar's "Laporan" menu (reports/navigation.py): every report of the catalog that the role
may open, each link opening for that role, the current one marked; and the breadcrumb trail that
base.html renders from the URL name."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from reports.catalog import REPORTS
from reports.navigation import report_menu
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<ul class="dropdown-menu"[^>]*data-report-menu[^>]*>(.*?)</ul>', re.S)


def menu_of(html: str) -> list[str]:
    found = MENU.search(html)
    return re.findall(r'data-report="([a-z-]+)"', found.group(1)) if found else []


@pytest.mark.parametrize("who", ["officer", "head", "reviewer", "viewer", "admin_user"])
def test_the_report_menu_lists_every_report_the_role_may_open(request, who, fiscal_year) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    listed = menu_of(client.get(reverse("dashboard:home")).content.decode())
    assert listed == list(REPORTS)  # the catalog's order
    for name in listed:  # and the role may open each of them
        assert client.get(reverse(f"reports:{name}")).status_code == 200, name


def test_no_report_menu_for_whom_may_not_open_reports(officer) -> None:
    assert report_menu(AnonymousUser()) == []
    officer.role = ""  # an account without a role (accounts/permissions.py access_problem)
    assert report_menu(officer) == []


def test_the_current_report_is_marked_in_the_menu(reviewer, fiscal_year) -> None:
    html = client_for(reviewer).get(reverse("reports:provinces")).content.decode()
    menu = MENU.search(html).group(1)
    current = re.findall(r'<a class="dropdown-item active"[^>]*data-report="([a-z-]+)"[^>]*aria-current="page"', menu)
    assert current == ["provinces"]


def crumbs(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Jejak halaman"><ol class="breadcrumb">(.*?)</ol></nav>', html, re.S)
    assert nav, "no breadcrumbs"
    assert html.count('class="breadcrumb"') == 1  # rendered once
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)]


def test_breadcrumbs_of_a_report_page(reviewer, fiscal_year) -> None:
    html = client_for(reviewer).get(reverse("reports:provinces")).content.decode()
    assert crumbs(html) == ["Beranda", "Laporan", str(REPORTS["provinces"].title)]
    assert '<li class="breadcrumb-item active" aria-current="page">' in html


def test_breadcrumbs_of_a_satker_month(officer, satker, dipa) -> None:
    year = dipa.fiscal_year.year
    html = client_for(officer).get(reverse("budgets:realization-entry", args=[satker.code, year, 3])).content.decode()
    assert crumbs(html) == ["Beranda", "Satker", f"{satker.code} · {year}", "Realisasi Maret"]
    assert f'href="{reverse("budgets:satker-year", args=[satker.code, year])}"' in html


@pytest.mark.parametrize(
    ("url_name", "trail"),
    [
        ("budgets:ledger", ["Beranda", "Keterlambatan laporan"]),
        ("core:notifications", ["Beranda", "Notifikasi"]),
    ],
)
def test_breadcrumbs_of_pages_that_had_none(reviewer, fiscal_year, url_name, trail) -> None:
    assert crumbs(client_for(reviewer).get(reverse(url_name)).content.decode()) == trail


def test_the_home_page_has_no_breadcrumbs(reviewer, fiscal_year) -> None:
    assert 'class="breadcrumb"' not in client_for(reviewer).get(reverse("dashboard:home")).content.decode()
