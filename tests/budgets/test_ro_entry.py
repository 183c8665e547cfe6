"""The month's capaian RO (issue 20): the rows of each RO of the DIPA with the monthly report,
the submit rule (every RO with pagu has its row), the lock after submission, adjustments of
approved months, the programme records' count next to the volume, scope and query count."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets.models import (
    Account,
    BudgetLine,
    MonthlyReport,
    Output,
    OutputAchievement,
    OutputAdjustment,
    ReportTransition,
)
from budgets.ro_entry import DecimalError, month_rows, parse_decimal
from budgets.services import report_approve, report_submit
from budgets.services.duties import conflict_of_duty
from budgets.services.outputs import RoEntry, output_achievement_set, output_adjustment_add
from budgets.services.realization import report_get_or_create
from programs.models import ReportOutput
from tests.conftest import client_for
from tests.personas import head_verifies
from tests.ro_world import dipa_ros
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status
D = Decimal


@pytest.fixture
def ros(dipa) -> dict[str, Output]:
    return dipa_ros(dipa)


def report_of(satker, dipa, month: int = 1) -> MonthlyReport:
    return report_get_or_create(satker=satker, fiscal_year=dipa.fiscal_year, month=month)[0]


def save(officer, satker, dipa, entries: dict, month: int = 1) -> MonthlyReport:
    return output_achievement_set(satker=satker, fiscal_year=dipa.fiscal_year, month=month, entries=entries,
                                  expected_version=None, by=officer)  # fmt: skip


def approved_month(officer, reviewer, satker, dipa, ros, month: int, wub: str = "0") -> MonthlyReport:
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(wub), D(10)), ros["centres"].pk: RoEntry(D(1), D(10))},
         month=month)  # fmt: skip
    report = head_verifies(report_submit(report=report_of(satker, dipa, month), by=officer))
    return report_approve(report=report, by=reviewer)


# -- the submit rule ---------------------------------------------------------------------------


def test_submit_refused_names_the_missing_ro_and_changes_nothing(officer, satker, dipa, ros) -> None:
    report = save(officer, satker, dipa, {ros["centres"].pk: RoEntry(D(1), D(25))})
    version = report.version
    with pytest.raises(ValidationError) as refused:
        report_submit(report=report, by=officer)
    message = refused.value.messages[0]
    assert message == "Capaian RO belum diisi: 6503.RBS.001 Wirausaha baru IKM yang ditumbuhkan."
    assert "003" not in message  # an RO without pagu is not required
    report.refresh_from_db()
    assert (report.status, report.version, report.submitted_at) == (Status.DRAFT, version, None)
    assert not ReportTransition.objects.exists()


def test_the_page_submit_shows_the_refusal(officer, satker, dipa, ros) -> None:
    report = report_of(satker, dipa)
    client = client_for(officer)
    response = client.post(reverse("budgets:report-submit", args=[report.pk]), follow=True)
    page = response.content.decode()
    assert "Capaian RO belum diisi: 6503.RBS.001 Wirausaha baru IKM yang ditumbuhkan; 6503.RBS.002" in page
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.DRAFT


def test_save_and_submit_on_the_grid_keeps_nothing_while_an_ro_row_is_missing(officer, satker, dipa, ros) -> None:
    url = reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1])
    response = client_for(officer).post(url, {"version": 0, f"line_{dipa.ovop.pk}": "1.000", "action": "submit"})
    assert response.status_code == 200
    assert "Capaian RO belum diisi: 6503.RBS.001" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_an_explicit_zero_allows_submit(officer, satker, dipa, ros) -> None:
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(0), D(0)), ros["centres"].pk: RoEntry(D(0), D(0))})
    report = report_submit(report=report_of(satker, dipa), by=officer)
    assert report.status == Status.SUBMITTED


def test_a_dipa_without_ro_submits_as_before(officer, satker, dipa) -> None:
    assert report_submit(report=report_of(satker, dipa), by=officer).status == Status.SUBMITTED


def test_the_test_helper_fills_zero_rows(officer, satker, dipa, ros) -> None:
    report = report_of(satker, dipa)
    assert len(ro_rows_filled(report)) == 2
    assert set(OutputAchievement.objects.values_list("fiscal_year_id", flat=True)) == {report.fiscal_year_id}
    assert report_submit(report=report, by=officer).status == Status.SUBMITTED


# -- saving the month's rows ------------------------------------------------------------------


def test_rows_are_saved_with_history_and_version_and_an_unchanged_save_writes_nothing(
    officer, satker, dipa, ros
) -> None:
    report = save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(3), D("12.5"), "  pelatihan  ")})
    row = OutputAchievement.objects.get(report=report)
    assert (row.volume, row.physical_progress, row.note) == (D(3), D("12.5"), "pelatihan")
    # The row carries its report's year: the reports read one year's rows by it.
    assert row.fiscal_year_id == report.fiscal_year_id
    assert row.history.first().history_user == officer
    version = report.version
    again = save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(3), D("12.5"), "pelatihan")})
    assert again.version == version and row.history.count() == 1
    changed = save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(4), D(20))})
    assert changed.version == version + 1
    assert OutputAchievement.objects.get(pk=row.pk).volume == D(4)


def test_bad_rows_are_refused_together_and_nothing_is_saved(officer, satker, dipa, ros, other_satker) -> None:
    with pytest.raises(ValidationError) as refused:
        save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(-1), D(101)), ros["centres"].pk: RoEntry(D(1), D(1))})
    assert set(refused.value.message_dict) == {f"ro_{ros['wub'].pk}_volume", f"ro_{ros['wub'].pk}_progress"}
    foreign = Output.objects.create(output_class=ros["wub"].output_class, code="009", name="Lain", name_en="Other",
                                    unit="unit")  # fmt: skip
    with pytest.raises(ValidationError, match="bukan RO DIPA"):
        save(officer, satker, dipa, {foreign.pk: RoEntry(D(1), D(1))})
    assert not OutputAchievement.objects.exists()


def test_locked_after_submit(officer, satker, dipa, ros) -> None:
    ro_rows_filled(report_of(satker, dipa))
    report = report_submit(report=report_of(satker, dipa), by=officer)
    with pytest.raises(ValidationError, match="terkunci"):
        save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(5), D(50))})
    client = client_for(officer)
    url = reverse("budgets:report-outputs", args=[report.pk])
    response = client.post(url, {"action": "save", "version": report.version,
                                 f"ro_{ros['wub'].pk}_volume": "5", f"ro_{ros['wub'].pk}_progress": "50"})  # fmt: skip
    assert response.status_code == 302
    assert OutputAchievement.objects.get(report=report, output=ros["wub"]).volume == D(0)
    page = client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "Simpan capaian RO" not in page and f"ro_{ros['wub'].pk}_volume" not in page


def test_another_provinces_officer_and_a_reviewer_cannot_write(officer, other_officer, reviewer, satker, dipa,
                                                               ros) -> None:  # fmt: skip
    report = report_of(satker, dipa)
    with pytest.raises(PermissionDenied):
        save(other_officer, satker, dipa, {ros["wub"].pk: RoEntry(D(1), D(1))})
    data = {"action": "save", "version": report.version, f"ro_{ros['wub'].pk}_volume": "1",
            f"ro_{ros['wub'].pk}_progress": "1"}  # fmt: skip
    url = reverse("budgets:report-outputs", args=[report.pk])
    assert client_for(other_officer).post(url, data).status_code == 404
    assert client_for(other_officer).get(reverse("budgets:report-detail", args=[report.pk])).status_code == 404
    assert client_for(reviewer).post(url, data).status_code == 403
    assert not OutputAchievement.objects.exists()


def test_whoever_wrote_the_ro_rows_does_not_decide_on_the_report(officer, admin_user, satker, dipa, ros) -> None:
    save(admin_user, satker, dipa, {ros["wub"].pk: RoEntry(D(0), D(0)), ros["centres"].pk: RoEntry(D(0), D(0))})
    report = head_verifies(report_submit(report=report_of(satker, dipa), by=officer))
    assert conflict_of_duty(admin_user, report) is not None
    with pytest.raises(PermissionDenied):
        report_approve(report=report, by=admin_user)


# -- the page --------------------------------------------------------------------------------


def test_the_officer_enters_the_rows_on_the_report_page(officer, satker, dipa, ros) -> None:
    report = report_of(satker, dipa)
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert 'id="capaian-ro"' in page and "6503.RBS.003" in page and "belum diisi" in page
    assert f'<label for="id_ro_{ros["wub"].pk}_volume"' in page
    wub, centres = ros["wub"].pk, ros["centres"].pk
    response = client.post(reverse("budgets:report-outputs", args=[report.pk]), {
        "action": "save", "version": report.version, f"ro_{wub}_volume": "2,5", f"ro_{wub}_progress": "30",
        f"ro_{wub}_note": "pelatihan", f"ro_{centres}_volume": "0", f"ro_{centres}_progress": "0",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("#capaian-ro")
    assert dict(OutputAchievement.objects.values_list("output_id", "volume")) == {wub: D("2.5"), centres: D(0)}
    assert client.post(reverse("budgets:report-submit", args=[report.pk])).status_code == 302
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("volume", "progress", "field", "message"),
    [
        ("-1", "10", "volume", "tidak boleh negatif"),
        ("abc", "10", "volume", "harus berupa angka"),
        ("1,234", "10", "volume", "dua angka di belakang koma"),
        ("1", "101", "progress", "antara 0 dan 100"),
        ("1", "", "progress", "Isi progres fisik"),
        ("", "5", "volume", "Isi volume bulan ini"),
        ("1e999", "5", "volume", "harus berupa angka"),
    ],
)
def test_bad_input_on_the_page_is_tied_to_its_input_and_saves_nothing(
    officer, satker, dipa, ros, volume, progress, field, message
) -> None:
    report = report_of(satker, dipa)
    wub = ros["wub"].pk
    response = client_for(officer).post(reverse("budgets:report-outputs", args=[report.pk]), {
        "action": "save", "version": report.version, f"ro_{wub}_volume": volume, f"ro_{wub}_progress": progress,
    })  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    name = f"id_ro_{wub}_{field}"
    assert f'aria-describedby="{name}_error"' in page
    assert f'id="{name}_error"' in page
    assert not OutputAchievement.objects.exists()


def test_a_stale_form_is_refused(officer, satker, dipa, ros) -> None:
    report = report_of(satker, dipa)
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(1), D(1))})
    wub = ros["wub"].pk
    response = client_for(officer).post(reverse("budgets:report-outputs", args=[report.pk]), {
        "action": "save", "version": report.version, f"ro_{wub}_volume": "9", f"ro_{wub}_progress": "9",
    }, follow=True)  # fmt: skip
    assert "sudah diubah orang lain" in response.content.decode()
    assert OutputAchievement.objects.get().volume == D(1)


def test_volume_to_date_counts_approved_months_this_month_and_adjustments(
    officer, reviewer, satker, dipa, ros, today
) -> None:
    approved_month(officer, reviewer, satker, dipa, ros, 1, wub="4")
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(6), D(40)), ros["centres"].pk: RoEntry(D(3), D(40))},
         month=2)  # fmt: skip
    report = report_of(satker, dipa, 2)
    output_adjustment_add(report=report, output_id=ros["wub"].pk, corrected_month=1, volume=D(-1), reason="ganda",
                          expected_version=None, by=officer)  # fmt: skip
    rows = {ro.output.code: ro for ro in month_rows(report)}
    assert rows["001"].to_date == D(9)  # 4 + 6 - 1
    assert rows["001"].achievement == D("22.50")  # of the target 40
    assert rows["002"].to_date == D(3)  # cumulative: the largest month
    assert rows["003"].to_date == D(0) and rows["003"].row is None
    page = client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "ganda" in page and "22,50" in page


def test_records_count_is_shown_and_a_difference_is_flagged(officer, reviewer, satker, dipa, ros) -> None:
    report = report_of(satker, dipa)
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(2), D(10)), ros["centres"].pk: RoEntry(D(1), D(10))})
    ReportOutput.objects.create(report=report, fiscal_year=dipa.fiscal_year, indicator="wub", amount=3)
    report = report_submit(report=report_of(satker, dipa), by=officer)
    page = client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    row = re.search(r'<tr data-ro="6503.RBS.001".*?</tr>', page, re.S).group(0)
    assert re.search(r"data-ro-records>3 <span[^>]*>berbeda", row)
    assert "data-ro-differs" in page
    centres = re.search(r'<tr data-ro="6503.RBS.002".*?</tr>', page, re.S).group(0)
    assert "data-ro-records>-<" in centres  # nothing measures it
    ReportOutput.objects.filter(report=report).update(amount=2)
    page = client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "data-ro-differs" not in page and "berbeda" not in page


def test_report_page_query_count_does_not_grow_with_ros(officer, reviewer, satker, dipa, ros,
                                                        django_assert_max_num_queries) -> None:  # fmt: skip
    approved_month(officer, reviewer, satker, dipa, ros, 1, wub="1")
    report = report_of(satker, dipa, 2)
    save(officer, satker, dipa, {ros["wub"].pk: RoEntry(D(1), D(1))}, month=2)
    url = reverse("budgets:report-detail", args=[report.pk])
    client = client_for(officer)
    # The page's 16 queries before capaian RO (the navigation bell's unread count among them), and
    # 5 for the section: the ROs, their targets, the months' rows, the adjustments and the
    # programme records' counts; 3 for the comments on one line (issue 22): the threads, whether
    # the user acts for the head today (the delegation) and whether they write the satker; 2 for
    # the data-quality flags: the flags and whether the user may decide them; 8 for the evidence
    # section: the month's evidence, the records it may hang on (realization and RO rows, the
    # programme records of each kind, listed once for the evidence and the comments), the files shared with
    # another province, who may attach; 1 for the RPD set against the realization (issue 23); 1 for
    # the treasury's figure of the month (issue 24, none here: nothing more to reconcile); the
    # year's IKPA rules for the month's page III deviation score (2: the rule row, then the weights,
    # curve and targets; issue 24).
    with django_assert_max_num_queries(38) as small:
        assert client.get(url).status_code == 200
    kro = ros["wub"].output_class
    for index in range(10):
        output = Output.objects.create(output_class=kro, code=f"{10 + index:03d}", name=f"RO {index}",
                                       name_en=f"RO {index}", unit="unit", measured_by="wub")  # fmt: skip
        account = Account.objects.create(code=f"5259{index:02d}", name=f"Akun {index}", spending_type=dipa.goods)
        BudgetLine.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, component=dipa.ovop.component,
                                  account=account, pagu=1_000, output=output)  # fmt: skip
        save(officer, satker, dipa, {output.pk: RoEntry(D(1), D(1))}, month=2)
        output_adjustment_add(report=report_of(satker, dipa, 2), output_id=output.pk, corrected_month=1,
                              volume=D(1), reason="koreksi", expected_version=None, by=officer)  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("data-ro-adjustment") == 10


# -- adjustments --------------------------------------------------------------------------------


@pytest.fixture
def february(officer, reviewer, satker, dipa, ros) -> MonthlyReport:
    approved_month(officer, reviewer, satker, dipa, ros, 1)
    return report_of(satker, dipa, 2)


def adjust(report, officer, **overrides):
    values = {"output_id": overrides.pop("output", None), "corrected_month": 1, "volume": D(2), "reason": "terlewat"}
    values.update(overrides)
    return output_adjustment_add(report=report, expected_version=None, by=officer, **values)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"volume": D(0)}, "volume", "tidak boleh nol"),
        ({"reason": "   "}, "reason", "alasan"),
        ({"corrected_month": 2}, "corrected_month", "harus sebelum"),
        ({"corrected_month": 5}, "corrected_month", "harus sebelum"),
        ({"output": "foreign"}, "output", "bukan RO DIPA"),
    ],
)
def test_adjustment_refusals(february, officer, ros, overrides, field, message) -> None:
    if overrides.get("output") == "foreign":
        overrides["output"] = Output.objects.create(output_class=ros["wub"].output_class, code="099", name="Lain",
                                                    name_en="Other", unit="unit").pk  # fmt: skip
    overrides.setdefault("output", ros["wub"].pk)
    with pytest.raises(ValidationError) as refused:
        adjust(february, officer, **overrides)
    assert field in refused.value.message_dict
    assert message.lower() in " ".join(refused.value.message_dict[field]).lower()
    assert not OutputAdjustment.objects.exists()


def test_adjusting_a_month_not_approved_is_refused(officer, satker, dipa, ros) -> None:
    ro_rows_filled(report_of(satker, dipa, 1))
    report_submit(report=report_of(satker, dipa, 1), by=officer)  # submitted, not approved
    with pytest.raises(ValidationError, match="belum disetujui"):
        adjust(report_of(satker, dipa, 2), officer, output=ros["wub"].pk)
    assert not OutputAdjustment.objects.exists()


def test_an_adjustment_is_recorded_with_history_and_refused_once_locked(february, officer, ros, satker,
                                                                        dipa) -> None:  # fmt: skip
    adjustment = adjust(february, officer, output=ros["wub"].pk, volume=D(-2))
    assert adjustment.history.first().history_user == officer
    assert MonthlyReport.objects.get(month=1).status == Status.APPROVED  # the locked month is not edited
    ro_rows_filled(february)
    report_submit(report=february, by=officer)
    with pytest.raises(ValidationError, match="terkunci"):
        adjust(report_of(satker, dipa, 2), officer, output=ros["wub"].pk)


def test_adjustment_on_the_page(february, officer, ros) -> None:
    client = client_for(officer)
    url = reverse("budgets:report-outputs", args=[february.pk])
    bad = client.post(url, {"action": "adjust", "version": february.version, "output": ros["wub"].pk,
                            "corrected_month": 1, "volume": "0", "reason": ""})  # fmt: skip
    assert bad.status_code == 200
    page = bad.content.decode()
    assert 'id="id_ro_adj_reason_error"' in page and "tidak boleh nol" in page
    assert not OutputAdjustment.objects.exists()
    good = client.post(url, {"action": "adjust", "version": february.version, "output": ros["wub"].pk,
                             "corrected_month": 1, "volume": "-1,5", "reason": "ganda"})  # fmt: skip
    assert good.status_code == 302
    adjustment = OutputAdjustment.objects.get()
    assert (adjustment.volume, adjustment.corrected_month, adjustment.report_id) == (D("-1.5"), 1, february.pk)
    version = MonthlyReport.objects.get(pk=february.pk).version
    for action in ("delete-" + "9" * 30, "delete-x", f"delete-{adjustment.pk + 1}"):
        assert client.post(url, {"action": action, "version": version}).status_code == 302
    assert OutputAdjustment.objects.exists()
    deleted = client.post(url, {"action": f"delete-{adjustment.pk}", "version": version})
    assert deleted.status_code == 302 and not OutputAdjustment.objects.exists()


# -- typed numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", D(12)), ("2,5", D("2.5")), ("2.5", D("2.5")), ("1.250", D(1250)), ("1.250,75", D("1250.75")),
     (3, D(3)), (2.5, D("2.5")), ("-1", D(-1))],
)  # fmt: skip
def test_parse_decimal(text, value) -> None:
    assert parse_decimal(text, label="Volume") == value


@pytest.mark.parametrize("text", ["x", "1,234", "NaN", "1e3", "1.2.3,4,5", True, "9" * 20, 1e308, 10**400])
def test_parse_decimal_refuses(text) -> None:
    with pytest.raises(DecimalError):
        parse_decimal(text, label="Volume")
