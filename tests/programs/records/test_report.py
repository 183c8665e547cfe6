"""/reports/outputs/ and /reports/ovop/ on small, hand-counted data: what each key counts, the
basis (approved / submitted; drafts and returned reports never), the cumulative month, the
authority and province filters, targets and %, every role and format, bad parameters (400) and
the query count at two data sizes.

The ledger (fiscal year 2022):

satker        authority  month  report     records
170019 (17)   DK         1      APPROVED   WUB x3 (2 with NIB), PAMERAN x2 (10 M each), SNI, poverty 40
170019        DK         2      SUBMITTED  WUB x1 (NIB), HKI
170019        DK         3      DRAFT      WUB x5
110019 (11)   DK         1      APPROVED   WUB x2, RESTRUKTURISASI 7 M, KEMITRAAN
110019        DK         6      RETURNED   WUB x4
019101 (17)   KP         1      APPROVED   WUB x10 (4 with NIB), PRODUK x3, I40, ISO, HACCP, HALAL x2

OVOP coaching (2022): sentra A of 170019 (food, 12 units, 3 stars reported), sentra C of 110019
(woven, 8 units, 5 stars reported); sentra B of 170019 (batik) was coached in 2021 only.
OVOP awards (cycles 2018, 2022, 2024; the 2022 report reads the 2022 cycle):
  170019: E1 4* in 2018, re-evaluated 3* in 2022 (down); E2 proposed 2022, passed, 1*; E3
          proposed 2022, failed the check; E2's 2024 proposal is another cycle.
  110019: E5 2* in 2018, re-evaluated 2* in 2022 (same); E4 proposed 2022, passed, 5*.
Targets 2022: 170019 wub 4 and exhibition_value 25 M; 019101 wub 8; 110019 ovop_centres 2.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import openpyxl
import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from budgets.models import FiscalYear, MonthlyReport, Regency, Satker, SatkerAuthority
from programs.models import (
    Facilitation,
    NewEntrepreneur,
    OutputTarget,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    PovertyActivity,
    Sentra,
)
from programs.records import output_summary
from programs.records.report import KEYS
from reports.catalog import REPORTS
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory
from tests.programs.registry.support import make_enterprise
from tests.writes import outputs_written

pytestmark = pytest.mark.django_db

Status = MonthlyReport.Status
OUTPUTS = reverse("reports:outputs")
OVOP = reverse("reports:ovop")
M = 1_000_000


@dataclass
class Ledger:
    fiscal_year: FiscalYear
    reports: dict[tuple[str, int], MonthlyReport]


def report(satker: Satker, fiscal_year: FiscalYear, month: int, status: str) -> MonthlyReport:
    return MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=month, status=status, due_date=f"{fiscal_year.year}-12-31"
    )


def wub(report: MonthlyReport, regency: Regency, count: int, with_nib: int = 0) -> None:
    NewEntrepreneur.objects.bulk_create(
        NewEntrepreneur(
            satker=report.satker, fiscal_year=report.fiscal_year, month=report.month, report=report,
            name=f"WUB {report.satker.code} {report.month} {i}", regency=regency, business_type="Makanan ringan",
            nib=f"{report.pk:06d}{i:07d}" if i < with_nib else None,
        )
        for i in range(count)
    )  # fmt: skip
    output_summary.refresh([report.pk])  # a bulk write, as the import does it


def facilitation(report: MonthlyReport, kind: str, count: int = 1, value: int = 0) -> None:
    Facilitation.objects.bulk_create(
        Facilitation(
            satker=report.satker, fiscal_year=report.fiscal_year, month=report.month, report=report, kind=kind,
            enterprise_name=f"IKM {kind} {i}", value=value,
        )
        for i in range(count)
    )  # fmt: skip
    output_summary.refresh([report.pk])  # a bulk write, as the import does it


def centre(satker: Satker, regency: Regency, name: str, group: str, units: int, ratings: dict[int, int]) -> None:
    obj = Sentra.objects.create(satker=satker, name=name, regency=regency, village="Sukamaju",
                                    commodity_group=group, unit_count=units)  # fmt: skip
    for year, stars in ratings.items():
        OvopCoaching.objects.create(sentra=obj, year=year, stars=stars)


def award(cycle, enterprise, satker, regency, passed, stars, re_evaluates=None) -> OvopCandidate:
    return OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product=f"Produk {enterprise.name}",
                                        group="PANGAN", regency=regency, satker=satker, admin_check_passed=passed,
                                        awarded_stars=stars, re_evaluates=re_evaluates)  # fmt: skip


@pytest.fixture
def ledger(satker, other_satker, central_satker, regency, other_regency) -> Ledger:
    fiscal_year = FiscalYear.objects.create(year=2022)
    for unit, authority in ((satker, "DK"), (other_satker, "DK"), (central_satker, "KP")):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=fiscal_year, authority=authority)
    reports = {
        ("170019", 1): report(satker, fiscal_year, 1, Status.APPROVED),
        ("170019", 2): report(satker, fiscal_year, 2, Status.SUBMITTED),
        ("170019", 3): report(satker, fiscal_year, 3, Status.DRAFT),
        ("110019", 1): report(other_satker, fiscal_year, 1, Status.APPROVED),
        ("110019", 6): report(other_satker, fiscal_year, 6, Status.RETURNED),
        ("019101", 1): report(central_satker, fiscal_year, 1, Status.APPROVED),
    }
    wub(reports[("170019", 1)], regency, 3, with_nib=2)
    facilitation(reports[("170019", 1)], "PAMERAN", 2, 10 * M)
    facilitation(reports[("170019", 1)], "SNI")
    PovertyActivity.objects.create(satker=satker, fiscal_year=fiscal_year, month=1, report=reports[("170019", 1)],
                                   regency=regency, kind="PELATIHAN", beneficiaries=40, value=60 * M)  # fmt: skip
    wub(reports[("170019", 2)], regency, 1, with_nib=1)
    facilitation(reports[("170019", 2)], "HKI")
    wub(reports[("170019", 3)], regency, 5, with_nib=5)
    wub(reports[("110019", 1)], other_regency, 2)
    facilitation(reports[("110019", 1)], "RESTRUKTURISASI", 1, 7 * M)
    facilitation(reports[("110019", 1)], "KEMITRAAN")
    wub(reports[("110019", 6)], other_regency, 4, with_nib=4)
    wub(reports[("019101", 1)], other_regency, 10, with_nib=4)
    for kind, count in (("PRODUK", 3), ("I40", 1), ("ISO", 1), ("HACCP", 1), ("HALAL", 2)):
        facilitation(reports[("019101", 1)], kind, count)
    centre(satker, regency, "Sentra Keripik A", "PANGAN", 12, {2022: 3})
    centre(satker, regency, "Sentra Batik B", "BATIK", 6, {2021: 2})
    centre(other_satker, other_regency, "Sentra Tenun C", "TENUN", 8, {2022: 5})
    cycles = {year: OvopCycle.objects.create(year=year, name=f"OVOP {year}") for year in (2018, 2022, 2024)}
    e1, e2, e3 = (make_enterprise(regency, f"IKM E{i}", nib=f"17000000000{i:02d}") for i in (1, 2, 3))
    e4, e5 = (make_enterprise(other_regency, f"IKM E{i}", nib=f"11000000000{i:02d}") for i in (4, 5))
    e1_2018 = award(cycles[2018], e1, satker, regency, True, 4)
    award(cycles[2022], e1, satker, regency, True, 3, re_evaluates=e1_2018)
    award(cycles[2022], e2, satker, regency, True, 1)
    award(cycles[2022], e3, satker, regency, False, None)
    award(cycles[2024], e2, satker, regency, None, None)
    e5_2018 = award(cycles[2018], e5, other_satker, other_regency, True, 2)
    award(cycles[2022], e5, other_satker, other_regency, True, 2, re_evaluates=e5_2018)
    award(cycles[2022], e4, other_satker, other_regency, True, 5)
    for unit, indicator, target in (
        (satker, "wub", 4), (satker, "exhibition_value", 25 * M), (central_satker, "wub", 8),
        (other_satker, "ovop_centres", 2),
    ):  # fmt: skip
        OutputTarget.objects.create(satker=unit, fiscal_year=fiscal_year, indicator=indicator, target=target)
    outputs_written(reports.values())
    return Ledger(fiscal_year, reports)


def get_json(client: Client, url: str, **params: object) -> dict:
    response = client.get(url, {"year": 2022, **params, "format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def by_province(data: dict) -> dict[str, dict]:
    return {row["province"]: row for row in data["rows"]}


# --- What counts ---------------------------------------------------------------------------------


def test_rows_per_province_with_the_contract_keys_and_national_totals(reviewer, ledger) -> None:
    data = get_json(client_for(reviewer), OUTPUTS)
    assert data["report"] == "outputs"
    contract = {"province", "province_name", *KEYS}
    assert contract <= set(data["columns"]) and contract - {"province", "province_name"} <= set(data["totals"])
    rows = by_province(data)
    assert list(rows) == ["11", "17"]  # provinces with satkers in the year, by BPS code
    # Central units sit in DKI Jakarta in reality, in Bengkulu in this ledger: counted in their province.
    bengkulu, aceh = rows["17"], rows["11"]
    assert (bengkulu["province_name"], bengkulu["wub"], bengkulu["wub_legal"]) == ("Bengkulu", 13, 6)
    assert (bengkulu["exhibition_ikm"], bengkulu["exhibition_value"], bengkulu["sni"]) == (2, 20 * M, 1)
    assert (bengkulu["product_development"], bengkulu["i40"], bengkulu["iso"], bengkulu["haccp"]) == (3, 1, 1, 1)
    assert (bengkulu["halal"], bengkulu["hki"], bengkulu["poverty_beneficiaries"], bengkulu["ovop_centres"]) == (
        2, 0, 40, 1,
    )  # fmt: skip
    assert (aceh["wub"], aceh["wub_legal"], aceh["restructuring_ikm"], aceh["restructuring_value"]) == (2, 0, 1, 7 * M)
    assert (aceh["partnership"], aceh["ovop_centres"]) == (1, 1)
    totals = data["totals"]
    for key in KEYS:
        assert totals[key] == bengkulu[key] + aceh[key]
    assert (totals["wub"], totals["wub_legal"], totals["ovop_centres"]) == (15, 6, 2)


def test_targets_and_percentage_achieved(reviewer, ledger) -> None:
    data = get_json(client_for(reviewer), OUTPUTS)
    rows = by_province(data)
    assert (rows["17"]["wub_target"], rows["17"]["wub_persen"]) == (12, 108.33)
    assert (rows["17"]["exhibition_value_target"], rows["17"]["exhibition_value_persen"]) == (25 * M, 80.0)
    assert (rows["11"]["ovop_centres_target"], rows["11"]["ovop_centres_persen"]) == (2, 50.0)
    assert (rows["11"]["wub_target"], rows["11"]["wub_persen"]) == (0, None)  # no target, no percentage
    totals = data["totals"]
    assert (totals["wub_target"], totals["wub_persen"]) == (12, 125.0)
    assert (totals["ovop_centres_target"], totals["ovop_centres_persen"]) == (2, 100.0)


def test_submitted_basis_adds_reports_awaiting_review_never_drafts_or_returned(reviewer, ledger) -> None:
    client = client_for(reviewer)
    submitted = get_json(client, OUTPUTS, basis="submitted")
    assert (submitted["totals"]["wub"], submitted["totals"]["wub_legal"], submitted["totals"]["hki"]) == (16, 7, 1)
    ledger.reports[("170019", 3)].status = Status.RETURNED
    ledger.reports[("170019", 3)].save()
    assert get_json(client, OUTPUTS, basis="submitted")["totals"]["wub"] == 16
    MonthlyReport.objects.filter(pk=ledger.reports[("170019", 2)].pk).update(status=Status.APPROVED)
    assert get_json(client, OUTPUTS)["totals"]["wub"] == 16


def test_month_counts_cumulatively_up_to_its_end_and_ovop_ignores_it(reviewer, ledger) -> None:
    client = client_for(reviewer)
    assert get_json(client, OUTPUTS, basis="submitted", month=1)["totals"]["wub"] == 15
    assert get_json(client, OUTPUTS, basis="submitted", month=2)["totals"]["wub"] == 16
    as_of_january = get_json(client, OUTPUTS, month=1)["totals"]
    assert as_of_january["ovop_centres"] == 2  # OVOP has no monthly report: the year's ratings
    assert as_of_january["wub_target"] == 12  # targets are the year's


def test_authority_keeps_the_satkers_of_that_authority_in_the_year(reviewer, ledger) -> None:
    client = client_for(reviewer)
    dk = get_json(client, OUTPUTS, authority="DK")
    assert (dk["totals"]["wub"], dk["totals"]["wub_legal"], dk["totals"]["product_development"]) == (5, 2, 0)
    assert dk["totals"]["ovop_centres"] == 2 and dk["totals"]["wub_target"] == 4
    kp = get_json(client, OUTPUTS, authority="KP")
    assert [row["province"] for row in kp["rows"]] == ["17"]
    assert (kp["totals"]["wub"], kp["totals"]["ovop_centres"], kp["totals"]["halal"]) == (10, 0, 2)
    assert get_json(client, OUTPUTS, authority="TP")["rows"] == []


def test_province_filter_keeps_one_row(reviewer, ledger) -> None:
    data = get_json(client_for(reviewer), OUTPUTS, province="11")
    assert [row["province"] for row in data["rows"]] == ["11"]
    assert data["totals"]["wub"] == 2
    assert data["params"]["province"] == "11"


def test_ovop_report_sentra_coached_and_groups(reviewer, ledger) -> None:
    data = get_json(client_for(reviewer), OVOP)
    rows = by_province(data)
    bengkulu, aceh = rows["17"], rows["11"]
    assert (bengkulu["centres"], bengkulu["units"], bengkulu["group_pangan"], bengkulu["group_batik"]) == (1, 12, 1, 0)
    assert (aceh["centres"], aceh["units"], aceh["group_tenun"]) == (1, 8, 1)
    assert (data["totals"]["centres"], data["totals"]["units"]) == (2, 20)
    assert get_json(client_for(reviewer), OVOP, year=2022, authority="KP")["totals"]["centres"] == 0


def test_ovop_report_stars_awarded_in_the_latest_cycle_and_moves(reviewer, ledger) -> None:
    data = get_json(client_for(reviewer), OVOP)
    rows = by_province(data)
    bengkulu, aceh, totals = rows["17"], rows["11"], data["totals"]
    keys = ["cycle", "proposals", "admin_passed", "reevaluated", "awarded", "moves_up", "moves_same", "moves_down"]
    assert [bengkulu[key] for key in keys] == [2022, 2, 1, 1, 2, 0, 0, 1]
    assert [aceh[key] for key in keys] == [2022, 1, 1, 1, 2, 0, 1, 0]
    assert [totals[key] for key in keys] == [2022, 3, 2, 2, 4, 0, 1, 1]
    assert [bengkulu[f"stars_{n}"] for n in range(1, 6)] == [1, 0, 1, 0, 0]
    assert [totals[f"stars_{n}"] for n in range(1, 6)] == [1, 1, 1, 0, 1]
    assert (bengkulu["level_province"], bengkulu["level_regency"], bengkulu["level_central"]) == (1, 1, 0)
    assert (aceh["level_central"], aceh["level_regency"]) == (1, 1)
    assert (bengkulu["average_stars"], totals["average_stars"]) == (2.0, 2.75)
    # The latest cycle up to the year: with the later cycles moved past 2022, the 2018 one.
    OvopCycle.objects.filter(year__gt=2018).update(year=F("year") + 10)
    earlier = get_json(client_for(reviewer), OVOP)["totals"]
    assert (earlier["cycle"], earlier["awarded"], earlier["stars_4"], earlier["stars_2"]) == (2018, 2, 1, 1)


# --- Who sees what, formats, bad parameters ---------------------------------------------------------


@pytest.mark.parametrize("url", [OUTPUTS, OVOP])
@pytest.mark.parametrize("persona", ["officer", "other_officer", "reviewer", "viewer", "admin_user"])
def test_every_role_sees_every_province_in_every_format(request, ledger, url, persona) -> None:
    client = client_for(request.getfixturevalue(persona))
    data = get_json(client, url)
    assert [row["province"] for row in data["rows"]] == ["11", "17"]  # province level: open to every role
    html = client.get(url, {"year": 2022})
    assert html.status_code == 200 and "Bengkulu" in html.content.decode() and "Aceh" in html.content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"year": 2022, "format": "csv"}).content.decode())))
    assert [row["province"] for row in rows] == ["11", "17"]
    assert list(rows[0]) == data["columns"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"year": 2022, "format": "xlsx"}).content)).active
    assert "Tahun 2022" in sheet["A1"].value
    assert [sheet.cell(row=4 + i, column=1).value for i in range(2)] == ["11", "17"]


def test_same_figures_in_every_format(reviewer, ledger) -> None:
    client = client_for(reviewer)
    data = get_json(client, OUTPUTS, authority="DK")
    rows = list(csv.DictReader(io.StringIO(client.get(OUTPUTS, {"year": 2022, "authority": "DK",
                                                                "format": "csv"}).content.decode())))  # fmt: skip
    assert [int(row["wub"]) for row in rows] == [row["wub"] for row in data["rows"]]
    assert [row["wub_persen"] for row in rows] == ["", "75.0"]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(OUTPUTS, {"year": 2022, "authority": "DK", "format": "xlsx"}).content)
    ).active
    header = [cell.value for cell in sheet[3]]
    column = header.index("Nilai transaksi pameran (Rp)") + 1
    assert sheet.cell(row=5, column=column).value == 20 * M
    assert sheet.cell(row=5, column=column).number_format == "#,##0"
    persen = header.index("Capaian Wirausaha baru (%)") + 1
    assert sheet.cell(row=5, column=persen).value == pytest.approx(0.75)


def test_anonymous_is_sent_to_login(ledger) -> None:
    for url in (OUTPUTS, OVOP):
        response = Client().get(url, {"year": 2022, "format": "json"})
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        (OUTPUTS, {"year": "abc"}, "year"),
        (OUTPUTS, {"year": "1999"}, "year"),
        (OUTPUTS, {"month": "13"}, "month"),
        (OUTPUTS, {"province": "99"}, "province"),
        (OUTPUTS, {"authority": "XX"}, "authority"),
        (OUTPUTS, {"basis": "everything"}, "basis"),
        (OUTPUTS, {"component": "051"}, "__all__"),  # outputs have no budget component
        (OUTPUTS, {"below": "90"}, "__all__"),
        (OUTPUTS, {"year": ["2022", "2023"]}, "year"),
        (OVOP, {"month": "6"}, "__all__"),  # yearly ratings: no month
        (OVOP, {"basis": "submitted"}, "__all__"),  # no monthly report: no basis
        (OVOP, {"provinse": "17"}, "__all__"),
    ],
)
def test_bad_parameters_are_400_with_the_reason(reviewer, ledger, url, query, field) -> None:
    client = client_for(reviewer)
    html = client.get(url, {"year": 2022, **query})
    assert html.status_code == 400
    assert "Parameter laporan tidak valid" in html.content.decode()
    response = client.get(url, {"year": 2022, **query, "format": "json"})
    assert response.status_code == 400
    assert field in json.loads(response.content)["errors"]
    assert client.get(url, {"year": 2022, "format": "pdf"}).status_code == 400


def test_reports_are_listed_with_their_contract_names() -> None:
    assert reverse("reports:outputs") == OUTPUTS == "/reports/outputs/"
    assert reverse("reports:ovop") == OVOP == "/reports/ovop/"
    assert not REPORTS["outputs"].below_province and not REPORTS["ovop"].below_province


# --- Query count ------------------------------------------------------------------------------------------


def grow(ledger: Ledger, count: int, start: int) -> None:
    """``count`` more provinces, each with a DK satker, an approved report with WUB and
    facilitations, a sentra coached in the year, an IKM starred in the 2022 cycle and a target."""
    for index in range(start, start + count):
        code = f"{40 + index:02d}"
        province = ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-Z{index}")
        unit = SatkerFactory(province=province, code=f"{code}0019")
        place = Regency.objects.create(kemendagri_code=f"{code}.01", province=province, name=f"Kab {code}",
                                       kind="kabupaten")  # fmt: skip
        SatkerAuthority.objects.create(satker=unit, fiscal_year=ledger.fiscal_year, authority="DK")
        approved = report(unit, ledger.fiscal_year, 1, Status.APPROVED)
        wub(approved, place, 3, with_nib=1)
        facilitation(approved, "PAMERAN", 2, 5 * M)
        facilitation(approved, "HKI")
        centre(unit, place, f"Sentra {code}", "GERABAH", 7, {2022: 2})
        ikm = make_enterprise(place, f"IKM {code}", nib=f"{code}{index:011d}")
        award(OvopCycle.objects.get(year=2022), ikm, unit, place, True, 1 + index % 5)
        OutputTarget.objects.create(satker=unit, fiscal_year=ledger.fiscal_year, indicator="wub", target=3)


@pytest.mark.parametrize("url", [OUTPUTS, OVOP])
@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_query_count_does_not_grow_with_provinces_and_records(
    reviewer, ledger, url, fmt, django_assert_max_num_queries
) -> None:
    client = client_for(reviewer)
    params = {"year": 2022, "format": fmt}
    grow(ledger, 2, 0)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url, params).status_code == 200
    queries = len(small.captured_queries)  # read now: every request resets the connection's query log
    grow(ledger, 12, 2)
    assert len(get_json(client, url)["rows"]) == 16
    with django_assert_max_num_queries(queries):
        assert client.get(url, params).status_code == 200
