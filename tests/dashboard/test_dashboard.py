"""The signed-in home page as each role's dashboard: KPI values on small, hand-counted data,
what each role sees, the tile map, bad parameters and the query count at two data sizes.
(The narrative against the 2022 demo data is in tests/dashboard/test_realization_narrative.py.)"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.calendar import report_due_date
from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    RpdPlan,
    Satker,
    SatkerAuthority,
    SpendingType,
)
from dashboard.figures import REPORT_LINKS, DirectorateDashboard, OfficerDashboard
from dashboard.tiles import province_tiles
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory
from tests.on_day import pretend_today
from tests.writes import add_realization

pytestmark = pytest.mark.django_db

Status = MonthlyReport.Status
PROVINCES_CSV = "budgets/data/provinces.csv"


@dataclass
class Ledger:
    """The current fiscal year (TP) with hand-counted figures:

    satker       authority  pagu   blokir  approved realization
    170019 (17)  TP         100 M  10 M    85,5 M (Jan)   + Feb 5 M verified, awaiting review, late
    110019 (11)  TP          80 M   0      40 M   (Jan)   + Feb approved late, nothing spent
    019101 (17)  KP         200 M   0     196 M   (Jan)
    """

    fiscal_year: FiscalYear
    component: BudgetComponent
    account: Account
    goods: SpendingType


def add_report(satker: Satker, fiscal_year: FiscalYear, month: int, status: str, on_time: bool | None) -> MonthlyReport:
    return MonthlyReport.objects.create(
        satker=satker,
        fiscal_year=fiscal_year,
        month=month,
        status=status,
        due_date=report_due_date(fiscal_year.year, month, []),
        submitted_at=timezone.now() if on_time is not None else None,
        submitted_on_time=on_time,
    )


def add_dipa(ledger: Ledger, satker: Satker, pagu: int, blokir: int = 0) -> BudgetLine:
    RpdPlan.objects.create(
        satker=satker, fiscal_year=ledger.fiscal_year, month=1, spending_type=ledger.goods, amount=pagu - blokir
    )
    return BudgetLine.objects.create(
        satker=satker,
        fiscal_year=ledger.fiscal_year,
        component=ledger.component,
        account=ledger.account,
        pagu=pagu,
        blokir=blokir,
    )


@pytest.fixture
def ledger(satker, other_satker, central_satker) -> Ledger:
    fiscal_year = FiscalYear.objects.create(year=timezone.localdate().year)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    ledger = Ledger(
        fiscal_year=fiscal_year,
        component=BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP"),
        account=Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods),
        goods=goods,
    )
    for unit, authority in ((satker, "TP"), (other_satker, "TP"), (central_satker, "KP")):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=fiscal_year, authority=authority)
    bengkulu = add_dipa(ledger, satker, 100_000_000, 10_000_000)
    aceh = add_dipa(ledger, other_satker, 80_000_000)
    central = add_dipa(ledger, central_satker, 200_000_000)
    add_realization(report=add_report(satker, fiscal_year, 1, Status.APPROVED, True), line=bengkulu,
                               amount=85_500_000)  # fmt: skip
    add_realization(report=add_report(satker, fiscal_year, 2, Status.VERIFIED, False), line=bengkulu,
                               amount=5_000_000)  # fmt: skip
    add_realization(report=add_report(other_satker, fiscal_year, 1, Status.APPROVED, True), line=aceh,
                               amount=40_000_000)  # fmt: skip
    add_report(other_satker, fiscal_year, 2, Status.APPROVED, False)
    add_realization(report=add_report(central_satker, fiscal_year, 1, Status.APPROVED, True), line=central,
                               amount=196_000_000)  # fmt: skip
    return ledger


def kpi(page: str, name: str) -> str:
    """The text of a KPI card's value (tags stripped)."""
    match = re.search(rf'data-kpi="{name}">(.*?)</div>', page, re.S)
    assert match, f"no KPI {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- Who gets what -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(anonymous) -> None:
    for url in (reverse("dashboard:home"), reverse("dashboard:narrative")):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["reviewer", "viewer", "admin_user"])
def test_directorate_roles_get_the_national_dashboard(persona, request, ledger) -> None:
    response = client_for(request.getfixturevalue(persona)).get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert isinstance(response.context["dashboard"], DirectorateDashboard)
    page = response.content.decode()
    assert "Gambaran nasional" in page and 'id="tile-map-title"' in page
    assert page.count('class="tile"') == 2  # the two fixture provinces that have a position
    assert "chart.umd.min.js" in page and "js/dashboard.js" in page
    assert (reverse("admin:index") in page) is (persona == "admin_user")


def test_officer_gets_own_satker_figures_rank_and_reports(officer, ledger) -> None:
    today = timezone.localdate()
    response = client_for(officer).get(reverse("dashboard:home"))
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert isinstance(dashboard, OfficerDashboard)
    assert [item.satker.code for item in dashboard.satkers] == ["170019"]  # not Aceh, not the central unit
    assert dashboard.totals["pagu"] == 100_000_000 and dashboard.totals["realisasi"] == 85_500_000
    assert dashboard.totals["persen"] == Decimal("95.00")
    assert dashboard.authority == "TP"
    assert (dashboard.province_row["rank"], dashboard.provinces_ranked) == (1, 2)
    assert dashboard.average == Decimal("73.82")  # (85,5 + 40) / (90 + 80), both TP provinces

    item = dashboard.satkers[0]
    assert (item.this_month.year, item.this_month.month) == (today.year, today.month)
    expected = MonthlyReport.objects.filter(satker__code="170019", fiscal_year__year=today.year, month=today.month)
    assert item.this_month.report == expected.first()
    assert item.this_month.due_date == (
        expected.first().due_date if expected else report_due_date(today.year, today.month)
    )
    last_year, last_month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    assert (item.last_month.year, item.last_month.month) == (last_year, last_month)
    assert (
        item.last_month.report
        == MonthlyReport.objects.filter(satker__code="170019", fiscal_year__year=last_year, month=last_month).first()
    )

    page = response.content.decode()
    assert kpi(page, "persen") == "95,00 %"
    assert kpi(page, "rank") == "1 dari 2"
    assert "Rp100.000.000" in page and "Rp85.500.000" in page
    assert "110019" not in page and "019101" not in page
    year = ledger.fiscal_year.year
    assert reverse("budgets:satker-year", args=["170019", year]) in page
    assert reverse("budgets:rpd-entry", args=["170019", year]) in page
    assert reverse("budgets:realization-entry", args=["170019", today.year, today.month]) in page
    assert 'id="tile-map-title"' not in page


def test_other_officer_sees_their_own_province_only(other_officer, ledger) -> None:
    response = client_for(other_officer).get(reverse("dashboard:home"))
    dashboard = response.context["dashboard"]
    assert [item.satker.code for item in dashboard.satkers] == ["110019"]
    assert dashboard.totals["persen"] == Decimal("50.00")
    assert (dashboard.province_row["rank"], dashboard.provinces_ranked) == (2, 2)
    page = response.content.decode()
    assert "170019" not in page and "019101" not in page
    assert "Satker Provinsi Aceh" in page


# --- KPI values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authority", "expected"),
    [
        # pagu, realization, %, provinces above average, satkers under 91,20 %, awaiting, late
        ("", (380_000_000, 321_500_000, "86.89", 1, ["110019"], 1, 2)),
        ("TP", (180_000_000, 125_500_000, "73.82", 1, ["110019"], 1, 2)),
        ("KP", (200_000_000, 196_000_000, "98.00", 0, [], 0, 0)),
        ("DK", (0, 0, None, 0, [], 0, 0)),
    ],
)
def test_kpis_per_authority(reviewer, ledger, authority, expected, monkeypatch) -> None:
    # Mid-November: the figures stand at October, the satkers held against the TW III target (70 %).
    pretend_today(monkeypatch, date(ledger.fiscal_year.year, 11, 15))
    response = client_for(reviewer).get(reverse("dashboard:home"), {"authority": authority})
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    pagu, realisasi, persen, above, below, awaiting, late = expected
    assert dashboard.totals["pagu"] == pagu
    assert dashboard.totals["realisasi"] == realisasi  # approved reports only
    assert dashboard.totals["persen"] == (Decimal(persen) if persen else None)
    assert dashboard.above_average == above
    assert [row["satker"] for row in dashboard.below_threshold] == below
    assert (dashboard.awaiting_review, dashboard.late) == (awaiting, late)
    page = response.content.decode()
    assert kpi(page, "above_average") == str(above)
    assert kpi(page, "below_threshold") == str(len(below))
    assert kpi(page, "awaiting_review") == str(awaiting)
    assert kpi(page, "late") == str(late)


def test_kpi_cards_use_the_indonesian_number_format(reviewer, ledger) -> None:
    page = client_for(reviewer).get(reverse("dashboard:home")).content.decode()
    assert kpi(page, "pagu") == "Rp380.000.000"
    assert kpi(page, "realisasi") == "Rp321.500.000"
    assert kpi(page, "persen") == "86,89 %"


def test_charts_have_their_data_as_json_and_as_tables(reviewer, ledger) -> None:
    response = client_for(reviewer).get(reverse("dashboard:home"))
    dashboard = response.context["dashboard"]
    provinces = dashboard.charts["provinces"]
    # Bengkulu's row holds its provincial satker only: the central unit in the same province is
    # the directorate's, outside the ranking (85,5 / 90).
    assert provinces["labels"] == ["Bengkulu", "Aceh"]
    assert provinces["values"] == [Decimal("95.00"), Decimal("50.00")]
    scurve = dashboard.charts["scurve"]
    assert scurve["rpd"][0] == 370_000_000 and scurve["rpd"][-1] == 370_000_000
    assert scurve["realisasi"][0] == 321_500_000
    started = timezone.localdate().month
    assert all(value is None for value in scurve["realisasi"][started:])
    page = response.content.decode()
    assert 'id="chart-provinces-data"' in page and 'id="chart-scurve-data"' in page
    assert 'id="province-table"' in page and 'id="scurve-table"' in page
    assert "<script>" not in page.replace('<script src="', "")  # no inline JS: a strict CSP can apply
    assert "95,00 %" in page and "50,00 %" in page and "97,07 %" not in page


def test_below_threshold_satkers_link_to_their_year_page(reviewer, ledger, monkeypatch) -> None:
    pretend_today(monkeypatch, date(ledger.fiscal_year.year, 11, 15))
    page = client_for(reviewer).get(reverse("dashboard:home")).content.decode()
    assert reverse("budgets:satker-year", args=["110019", ledger.fiscal_year.year]) in page


# --- Year and authority --------------------------------------------------------------------------------


def test_year_parameter_picks_the_fiscal_year(reviewer, ledger) -> None:
    FiscalYear.objects.create(year=2022)
    response = client_for(reviewer).get(reverse("dashboard:home"), {"year": 2022})
    assert response.status_code == 200
    assert response.context["fiscal_year"].year == 2022
    assert response.context["dashboard"].totals["pagu"] == 0
    default = client_for(reviewer).get(reverse("dashboard:home"))
    assert default.context["fiscal_year"].year == timezone.localdate().year


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "Tahun anggaran “abc” tidak tersedia"),
        ({"year": "1999"}, "Tahun anggaran “1999” tidak tersedia"),
        ({"year": "99999999999999999999"}, "tidak tersedia"),
        ({"authority": "XX"}, "Kewenangan “XX” tidak dikenal"),
    ],
)
def test_bad_parameters_are_a_400_page_with_the_reason(reviewer, officer, ledger, query, message) -> None:
    for user in (reviewer, officer):
        response = client_for(user).get(reverse("dashboard:home"), query)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_bad_narrative_parameters_are_400(reviewer, ledger) -> None:
    client = client_for(reviewer)
    assert client.get(reverse("dashboard:narrative"), {"lang": "fr"}).status_code == 400
    assert client.get(reverse("dashboard:narrative"), {"year": "1999"}).status_code == 400


def test_home_without_any_fiscal_year_still_renders(reviewer, officer, satker) -> None:
    for user in (reviewer, officer):
        response = client_for(user).get(reverse("dashboard:home"))
        assert response.status_code == 200
        assert "dashboard" not in response.context


# --- The tile map ----------------------------------------------------------------------------------------


def all_provinces() -> None:
    with open(PROVINCES_CSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ProvinceFactory(
                bps_code=row["bps_code"], kemendagri_code=row["kemendagri_code"], name=row["name"],
                name_en=row["name_en"], iso_code=row["iso_3166_2"],
            )  # fmt: skip


def test_tile_positions_cover_the_38_provinces_once() -> None:
    with open(PROVINCES_CSV, encoding="utf-8") as handle:
        codes = {row["bps_code"] for row in csv.DictReader(handle)}
    tiles = province_tiles()
    assert set(tiles) == codes and len(tiles) == 38
    assert len({(tile.row, tile.col) for tile in tiles.values()}) == 38
    # West to east: Aceh is the westernmost, a Papua province the easternmost.
    assert tiles["11"].col == min(tile.col for tile in tiles.values())
    assert max(tiles.values(), key=lambda tile: tile.col).bps_code in {"94", "95", "96", "97"}


def test_tile_map_has_38_linked_tiles_and_a_legend(reviewer, ledger) -> None:
    all_provinces()
    response = client_for(reviewer).get(reverse("dashboard:home"))
    page = response.content.decode()
    tiles = re.findall(r'<a class="tile" href="([^"]+)" data-province="(\d\d)"', page)
    assert len(tiles) == 38
    urls = dict((code, url) for url, code in tiles)
    assert "province=17" in urls["17"] and f"year={ledger.fiscal_year.year}" in urls["17"]
    # Provinces without a DIPA are grey and say so; the ranked ones carry their percentage.
    # The accessible name starts with the tile's visible text (WCAG 2.5.3), then names the province.
    assert 'aria-label="Aceh 50,00 %, peringkat 2"' in page
    assert 'aria-label="Bali -, tanpa pagu"' in page
    assert 'aria-label="Sumut -, Sumatera Utara, tanpa pagu"' in page  # the full name when abbreviated
    assert "tanpa pagu" in page
    assert len(response.context["dashboard"].tiles.bands) == 2


# --- Query counts ------------------------------------------------------------------------------------------


def grow(ledger: Ledger, count: int) -> None:
    """``count`` more provinces, each with a TP satker, a DIPA line, RPD and two reports."""
    for index in range(count):
        code = f"{40 + index:02d}"
        province = ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-Z{index}")
        unit = SatkerFactory(province=province, code=f"{code}0019")
        SatkerAuthority.objects.create(satker=unit, fiscal_year=ledger.fiscal_year, authority="TP")
        line = add_dipa(ledger, unit, 50_000_000)
        add_realization(report=add_report(unit, ledger.fiscal_year, 1, Status.APPROVED, True), line=line,
                                   amount=10_000_000 + index)  # fmt: skip
        add_report(unit, ledger.fiscal_year, 2, Status.SUBMITTED, index % 2 == 0)


@pytest.mark.parametrize(
    ("persona", "url", "params"),
    [
        ("reviewer", "dashboard:home", {}),
        ("reviewer", "dashboard:home", {"authority": "TP"}),
        ("officer", "dashboard:home", {}),
        ("reviewer", "dashboard:narrative", {"lang": "en"}),
    ],
)
def test_query_count_does_not_grow_with_provinces_satkers_and_reports(
    persona, url, params, request, ledger, django_assert_max_num_queries
) -> None:
    client = client_for(request.getfixturevalue(persona))
    client.get(reverse(url), params)  # warms the session and the caches
    with django_assert_max_num_queries(60) as small:
        assert client.get(reverse(url), params).status_code == 200
    grow(ledger, 12)
    assert SatkerAuthority.objects.filter(fiscal_year=ledger.fiscal_year).count() == 15
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url), params).status_code == 200


def test_links_to_the_full_reports(reviewer, officer, ledger) -> None:
    response = client_for(reviewer).get(reverse("dashboard:home"))
    links = response.context["dashboard"].reports
    assert set(links) == set(REPORT_LINKS) == {"realization", "provinces", "satkers", "monthly", "submissions"}
    page = response.content.decode()
    for url in links.values():
        assert url in page
    officer_links = client_for(officer).get(reverse("dashboard:home")).context["dashboard"].reports
    assert officer_links.keys() == links.keys()


def test_satker_list_as_province_page_links_each_satker_to_the_year_asked_for(reviewer, province, ledger) -> None:
    old_year = FiscalYear.objects.create(year=2022)
    SatkerAuthority.objects.create(satker=Satker.objects.get(code="170019"), fiscal_year=old_year, authority="DK")
    client = client_for(reviewer)
    url = reverse("budgets:satker-list")
    page = client.get(url, {"province": province.pk, "year": 2022}).content.decode()
    assert reverse("budgets:satker-year", args=["170019", 2022]) in page
    # Without a year (or one the satker does not have) the link goes to its latest year.
    latest = reverse("budgets:satker-year", args=["170019", ledger.fiscal_year.year])
    assert latest in client.get(url, {"province": province.pk}).content.decode()
    assert latest in client.get(url, {"province": province.pk, "year": "1999"}).content.decode()
