"""/reports/ro/ (issue 20): RO figures as of a month against plain sums of a small hand-built
year, every format, an officer's scope, bad parameters, and a constant query count."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Max, Sum
from django.urls import reverse

from budgets.models import (
    Account,
    Activity,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputClass,
    OutputVolumeTarget,
    Realization,
    SatkerAuthority,
    SpendingType,
)
from tests.conftest import client_for
from tests.factories import ProvinceFactory, SatkerFactory
from tests.writes import add_realization

pytestmark = pytest.mark.django_db

URL = reverse("reports:ro")
CUTOFF = 3
D = Decimal


@dataclass
class RoYear:
    year: int
    wub: Output  # 6503.RBS.001, not cumulative
    docs: Output  # 6501.EBA.994, cumulative
    lines: dict[tuple[str, str], BudgetLine]  # (satker code, RO code) -> its line


def make_output(activity: str, kro: str, code: str, unit: str, *, cumulative: bool) -> Output:
    activity_row = Activity.objects.get_or_create(code=activity, defaults={"name": activity, "name_en": activity})[0]
    output_class = OutputClass.objects.create(activity=activity_row, code=kro, name=kro)
    return Output.objects.create(output_class=output_class, code=code, name=f"RO {kro}", name_en=kro, unit=unit,
                                 cumulative=cumulative)  # fmt: skip


def report(satker, fiscal_year, month: int, status: str = "APPROVED", on_time: bool = True) -> MonthlyReport:
    return MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=month,
                                        due_date=date(fiscal_year.year, month, 5) if month < 12 else
                                        date(fiscal_year.year + 1, 1, 6), status=status,
                                        submitted_on_time=on_time)  # fmt: skip


@pytest.fixture
def ro_year(satker, other_satker, today) -> RoYear:
    """Two satkers in two provinces (Bengkulu, Aceh), last year: a non-cumulative RO for both, a
    cumulative one for Bengkulu; months 1-4, the cut-off at 3. Aceh's month 2 is only submitted
    (not counted as approved, but sent on time); month 4 (after the cut-off) carries large volumes,
    realization and an adjustment that must not count. Bengkulu's month 3 corrects month 1 by -2."""
    fiscal_year = FiscalYear.objects.create(year=today.year - 1)
    for unit in (satker, other_satker):
        SatkerAuthority.objects.get_or_create(satker=unit, fiscal_year=fiscal_year, defaults={"authority": "DK"})
    wub = make_output("6503", "RBS", "001", "orang", cumulative=False)
    docs = make_output("6501", "EBA", "994", "dokumen", cumulative=True)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    account = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    lines = {}
    for unit, output, component_code, pagu, blokir in (
        (satker, wub, "054", 100_000_000, 10_000_000),
        (satker, docs, "055", 50_000_000, 0),
        (other_satker, wub, "054", 80_000_000, 0),
    ):
        component = BudgetComponent.objects.get_or_create(
            code=component_code, defaults={"name": component_code, "name_en": component_code, "output": output}
        )[0]
        lines[(unit.code, output.full_code)] = BudgetLine.objects.create(
            satker=unit, fiscal_year=fiscal_year, component=component, account=account, pagu=pagu, blokir=blokir,
            output=output,
        )  # fmt: skip
    for unit, output, volume in ((satker, wub, 100), (satker, docs, 4), (other_satker, wub, 50)):
        OutputVolumeTarget.objects.create(satker=unit, fiscal_year=fiscal_year, output=output, volume=volume)

    # (satker, month, status, on time) -> {RO: (volume, progress, realization)}
    months = {
        (satker, 1, "APPROVED", True): {wub: (10, 10, 10_000_000), docs: (1, 20, 5_000_000)},
        (satker, 2, "APPROVED", True): {wub: (20, 30, 20_000_000), docs: (3, 50, 5_000_000)},
        (satker, 3, "APPROVED", False): {wub: (5, 40, 15_000_000), docs: (2, 60, 5_000_000)},
        (satker, 4, "APPROVED", True): {wub: (100, 90, 40_000_000), docs: (4, 95, 30_000_000)},
        (other_satker, 1, "APPROVED", True): {wub: (5, 10, 10_000_000)},
        (other_satker, 2, "SUBMITTED", True): {wub: (15, 30, 30_000_000)},
        (other_satker, 3, "APPROVED", False): {wub: (10, 50, 10_000_000)},
        (other_satker, 4, "APPROVED", True): {wub: (30, 80, 20_000_000)},
    }
    reports = {}
    for (unit, month, status, on_time), rows in months.items():
        reports[(unit.code, month)] = row_report = report(unit, fiscal_year, month, status, on_time)
        for output, (volume, progress, amount) in rows.items():
            OutputAchievement.objects.create(report=row_report, output=output, volume=volume,
                                             physical_progress=progress)  # fmt: skip
            add_realization(report=row_report, line=lines[(unit.code, output.full_code)], amount=amount)
    OutputAdjustment.objects.create(report=reports[(satker.code, 3)], output=wub, corrected_month=1, volume=-2,
                                    reason="salah ketik")  # fmt: skip
    OutputAdjustment.objects.create(report=reports[(other_satker.code, 4)], output=wub, corrected_month=1,
                                    volume=7, reason="terlewat")  # fmt: skip
    return RoYear(fiscal_year.year, wub, docs, lines)


def get_json(user, **params: object) -> dict:
    response = client_for(user).get(URL, {**params, "format": "json"})
    assert response.status_code == 200, response.content[:800]
    return json.loads(response.content)


def rows_of(data: dict, level: str) -> dict[tuple, dict]:
    return {(row["ro"], row.get("province") if level == "province" else row.get("satker")): row
            for row in data["rows"] if row["level"] == level}  # fmt: skip


def counted(**filters: object):
    return dict(report__status="APPROVED", report__month__lte=CUTOFF, report__fiscal_year__year=filters.pop("year"),
                **filters)  # fmt: skip


def plain_volume(year: int, satker_code: str, output: Output) -> Decimal:
    """The rule written out plainly: sum (or, cumulative, the largest) of the counted months, plus
    the counted reports' adjustments."""
    rows = OutputAchievement.objects.filter(**counted(year=year, report__satker__code=satker_code, output=output))
    base = rows.aggregate(v=Max("volume") if output.cumulative else Sum("volume"))["v"] or D(0)
    adjustments = OutputAdjustment.objects.filter(**counted(year=year, report__satker__code=satker_code, output=output))
    return base + (adjustments.aggregate(v=Sum("volume"))["v"] or D(0))


def plain_financial(year: int, satker_code: str, output: Output) -> Decimal:
    real = Realization.objects.filter(**counted(year=year, line__satker__code=satker_code, line__output=output))
    lines = BudgetLine.objects.filter(fiscal_year__year=year, satker__code=satker_code, output=output)
    effective = sum(line.pagu - line.blokir for line in lines)
    value = real.aggregate(v=Sum("amount"))["v"] * D(100) / effective
    return value.quantize(D("0.01"))


def test_satker_figures_are_the_plain_sums_of_approved_months_up_to_the_cut_off(ro_year, reviewer) -> None:
    data = get_json(reviewer, year=ro_year.year, month=CUTOFF, level="satker")
    satkers = rows_of(data, "satker")
    for satker_code, output, target, progress in (
        ("170019", ro_year.wub, 100, 40),
        ("170019", ro_year.docs, 4, 60),
        ("110019", ro_year.wub, 50, 50),
    ):
        row = satkers[(output.full_code, satker_code)]
        volume = plain_volume(ro_year.year, satker_code, output)
        assert D(str(row["volume"])) == volume
        assert D(str(row["target"])) == target
        assert D(str(row["achievement"])) == (volume * 100 / target).quantize(D("0.01"))
        assert D(str(row["physical_progress"])) == progress  # the latest counted month's
        assert D(str(row["financial_progress"])) == plain_financial(ro_year.year, satker_code, output)
        assert row["unit"] == output.unit and row["ro_name"] == output.name
    # Written out: Bengkulu's WUB 10 + 20 + 5 - 2; its documents the largest month (3); Aceh's
    # month 2 (submitted only) and everything of month 4 left out.
    assert satkers[("6503.RBS.001", "170019")]["volume"] == 33
    assert satkers[("6501.EBA.994", "170019")]["volume"] == 3
    assert satkers[("6503.RBS.001", "110019")]["volume"] == 15
    assert satkers[("6503.RBS.001", "170019")]["financial_progress"] == 50.0  # 45 of 90 (blokir 10)
    # Gap flag: more than 20 points apart either way.
    assert satkers[("6503.RBS.001", "170019")]["gap_flag"] is False  # 40 vs 50
    assert satkers[("6501.EBA.994", "170019")]["gap_flag"] is True  # 60 vs 30
    assert satkers[("6503.RBS.001", "110019")]["gap_flag"] is True  # 50 vs 25


def test_national_and_province_rows_add_the_satkers_up(ro_year, reviewer) -> None:
    data = get_json(reviewer, year=ro_year.year, month=CUTOFF, level="province")
    national = rows_of(data, "ro")[("6503.RBS.001", None)]
    assert (national["target"], national["volume"], national["achievement"]) == (150, 48, 32.0)
    # Physical progress weighted by pagu: (100 x 40 + 80 x 50) / 180; financial (45 + 20) / (90 + 80).
    assert national["physical_progress"] == 44.44
    assert national["financial_progress"] == 38.24
    provinces = rows_of(data, "province")
    assert provinces[("6503.RBS.001", "11")]["volume"] == 15
    assert provinces[("6503.RBS.001", "17")]["province_name"] == "Bengkulu"
    totals = data["totals"]
    # All ROs: (100 x 40 + 50 x 60 + 80 x 50) / 230; (45 + 15 + 20) / 220; no summed target.
    assert totals["physical_progress"] == 47.83
    assert totals["financial_progress"] == 36.36
    assert totals["target"] is None and totals["volume"] is None
    # Timeliness: 3 due months x 3 targeted ROs; sent on time: months 1-2 of each (Aceh's month 2
    # only submitted, but on time).
    assert (totals["ro_due"], totals["ro_on_time"], totals["timeliness"]) == (9, 6, 66.67)
    assert set(data["columns"]) >= {"ro", "ro_name", "unit", "target", "volume", "achievement", "physical_progress",
                                    "financial_progress", "gap_flag", "province", "province_name", "satker",
                                    "satker_name"}  # fmt: skip
    assert data["params"]["month"] == CUTOFF


def test_a_component_with_lines_under_two_ros_splits_its_realization_by_line(ro_year, reviewer) -> None:
    wub_line = ro_year.lines[("170019", "6503.RBS.001")]
    travel = Account.objects.create(code="524111", name="Perjalanan", spending_type=wub_line.account.spending_type)
    docs_line = BudgetLine.objects.create(satker=wub_line.satker, fiscal_year=wub_line.fiscal_year,
                                          component=wub_line.component, account=travel, pagu=20_000_000,
                                          output=ro_year.docs)  # fmt: skip
    for month in (1, 2):
        add_realization(report=MonthlyReport.objects.get(satker=wub_line.satker, fiscal_year=wub_line.fiscal_year,
                                                         month=month), line=docs_line, amount=4_000_000)  # fmt: skip
    satkers = rows_of(get_json(reviewer, year=ro_year.year, month=CUTOFF, province="17"), "satker")
    for output in (ro_year.wub, ro_year.docs):
        assert D(str(satkers[(output.full_code, "170019")]["financial_progress"])) == plain_financial(
            ro_year.year, "170019", output
        )
    assert satkers[("6503.RBS.001", "170019")]["financial_progress"] == 50.0  # unchanged
    assert satkers[("6501.EBA.994", "170019")]["financial_progress"] == 32.86  # (15 + 8) / (50 + 20)


def test_submitted_basis_counts_the_month_awaiting_review(ro_year, reviewer) -> None:
    data = get_json(reviewer, year=ro_year.year, month=CUTOFF, basis="submitted", province="11")
    assert rows_of(data, "satker")[("6503.RBS.001", "110019")]["volume"] == 30


def test_default_cut_off_is_the_last_completed_month(ro_year, reviewer) -> None:
    # Last year is over: December, so month 4 and its adjustment count.
    data = get_json(reviewer, year=ro_year.year, level="satker")
    assert data["params"]["month"] == 12
    assert rows_of(data, "satker")[("6503.RBS.001", "110019")]["volume"] == 5 + 10 + 30 + 7


def test_satker_rows_come_with_one_province_in_view_or_when_asked_for(ro_year, reviewer) -> None:
    def levels(**params: object) -> tuple[str, set[str]]:
        data = get_json(reviewer, year=ro_year.year, month=CUTOFF, **params)
        return data["params"]["level"], {row["level"] for row in data["rows"]}

    # The whole country per RO; its provinces' and satkers' rows are exports, asked for.
    assert levels() == ("ro", {"ro"})
    assert levels(level="province") == ("province", {"ro", "province"})
    assert levels(province="17") == ("satker", {"ro", "province", "satker"})
    assert levels(level="satker") == ("satker", {"ro", "province", "satker"})
    assert levels(level="ro") == ("ro", {"ro"})


def test_one_ro_filters_rows_and_totals_add_its_target(ro_year, reviewer) -> None:
    data = get_json(reviewer, year=ro_year.year, month=CUTOFF, ro="6501.EBA.994")
    assert {row["ro"] for row in data["rows"]} == {"6501.EBA.994"}
    assert (data["totals"]["target"], data["totals"]["volume"], data["totals"]["achievement"]) == (4, 3, 75.0)
    assert data["params"]["ro"] == "6501.EBA.994"


def test_officer_sees_every_province_but_only_their_own_satker_rows(ro_year, officer, other_officer) -> None:
    for user, own in ((officer, "170019"), (other_officer, "110019")):
        data = get_json(user, year=ro_year.year, month=CUTOFF, level="satker")
        satker_codes = {row["satker"] for row in data["rows"] if row["level"] == "satker"}
        assert satker_codes == {own}
        assert {row["province"] for row in data["rows"] if row["level"] == "province"} == {"11", "17"}
        # The national figures are the same whoever asks.
        assert rows_of(data, "ro")[("6503.RBS.001", None)]["volume"] == 48


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ro": "6503.RBS.999"}, "ro"), ({"ro": "rbs"}, "ro"), ({"month": "13"}, "month"), ({"component": "054"}, None),
     ({"year": "1990"}, "year"), ({"level": "kabupaten"}, "level")],
)  # fmt: skip
def test_bad_parameters_are_a_400_with_the_reason(ro_year, reviewer, params, field) -> None:
    response = client_for(reviewer).get(URL, {"year": ro_year.year, **params, "format": "json"})
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert (field or "__all__") in errors
    if field == "ro":
        assert "kegiatan.KRO.RO" in errors["ro"][0]
    html = client_for(reviewer).get(URL, {"year": ro_year.year, **params})
    assert html.status_code == 400


def test_every_format_carries_the_same_figures(ro_year, reviewer) -> None:
    client = client_for(reviewer)
    params = {"year": ro_year.year, "month": CUTOFF, "level": "satker"}
    page = client.get(URL, params)
    assert page.status_code == 200
    assert "6503.RBS.001" in page.content.decode() and "Capaian" in page.content.decode()
    text = client.get(URL, {**params, "format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    wub = next(row for row in rows if row["level"] == "satker" and row["satker"] == "170019"
               and row["ro"] == "6503.RBS.001")  # fmt: skip
    assert (D(wub["volume"]), D(wub["achievement"]), wub["gap_flag"]) == (33, D("33.00"), "false")
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL, {**params, "format": "xlsx"}).content))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "6501.EBA.994" in values
    response = client.get(URL, {**params, "format": "json"})
    assert json.loads(response.content)["report"] == "ro"


def test_query_count_does_not_grow_with_the_data(ro_year, reviewer, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    params = {"year": ro_year.year, "month": CUTOFF, "format": "json", "level": "satker"}
    with django_assert_max_num_queries(40) as small:
        assert client.get(URL, params).status_code == 200
    fiscal_year = FiscalYear.objects.get(year=ro_year.year)
    component = BudgetComponent.objects.get(code="054")
    account = Account.objects.get(code="521211")
    for index in range(12):
        code = f"{40 + index}"
        unit = SatkerFactory(province=ProvinceFactory(bps_code=code, kemendagri_code=code, iso_code=f"ID-R{index}"),
                             code=f"{code}0019")  # fmt: skip
        SatkerAuthority.objects.create(satker=unit, fiscal_year=fiscal_year, authority="DK")
        OutputVolumeTarget.objects.create(satker=unit, fiscal_year=fiscal_year, output=ro_year.wub, volume=10)
        line = BudgetLine.objects.create(satker=unit, fiscal_year=fiscal_year, component=component, account=account,
                                         pagu=10_000_000, output=ro_year.wub)  # fmt: skip
        for month in (1, 2):
            month_report = report(unit, fiscal_year, month)
            OutputAchievement.objects.create(report=month_report, output=ro_year.wub, volume=2, physical_progress=20)
            add_realization(report=month_report, line=line, amount=1_000_000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = json.loads(client.get(URL, params).content)
    assert rows_of(data, "ro")[("6503.RBS.001", None)]["target"] == 150 + 120


def test_satker_year_page_shows_its_ro_figures(ro_year, officer) -> None:
    page = client_for(officer).get(reverse("budgets:satker-year", args=["170019", ro_year.year]))
    assert page.status_code == 200
    rows = {row["ro"]: row for row in page.context["ro_rows"]}
    assert set(rows) == {"6503.RBS.001", "6501.EBA.994"}
    # Last year stands at December: month 4 counts (10 + 20 + 5 + 100 - 2).
    assert (rows["6503.RBS.001"]["target"], rows["6503.RBS.001"]["volume"]) == (100, 133)
    html = page.content.decode()
    # Once, in the page's content: not in its <title> nor its breadcrumbs (the navbar's report
    # menu names the RO report on every page, so only <main> is counted).
    assert html.split("<main")[1].count("Capaian rincian output (RO)") == 1
    assert "<table" not in html.split("<title>")[1].split("</title>")[0]


def test_dashboard_compares_physical_and_financial_progress_per_province(ro_year, officer) -> None:
    # An officer reads the province-level table too (CONTRACT "Who sees what").
    page = client_for(officer).get(reverse("dashboard:home"), {"year": ro_year.year}).content.decode()
    assert 'data-table="ro-progress"' in page
    table = page.split('data-table="ro-progress"')[1].split("</table>")[0]
    # Aceh (December): physical 80, financial (10 + 10 + 20) / 80 = 50,00 %: flagged.
    assert "Aceh" in table and "Bengkulu" in table
    aceh = table.split("Aceh")[1].split("</tr>")[0]
    assert "80,00" in aceh and "50,00" in aceh and "20 poin" in aceh


def test_export_report_command_takes_the_ro_and_level(ro_year, tmp_path) -> None:
    target = tmp_path / "ro.json"
    call_command("export_report", "ro", "--year", str(ro_year.year), "--month", str(CUTOFF), "--format", "json",
                 "--ro", "6503.RBS.001", "--level", "satker", "-o", str(target), stdout=io.StringIO())  # fmt: skip
    data = json.loads(target.read_text())
    assert data["params"]["ro"] == "6503.RBS.001" and data["params"]["level"] == "satker"
    assert {(row["level"], row["satker"]) for row in data["rows"]} == {
        ("ro", None),
        ("province", None),
        ("satker", "170019"),
        ("satker", "110019"),
    }
