"""A targeted return (issue 22): the return names the realization lines and RO rows to fix; while
the report is RETURNED only those change, in the grid, through the services and the imports (the
others are refused with "Baris ini tidak diminta diperbaiki", nothing changed); a return without
targets opens everything; a later return replaces the targets; the reviewer sees what changed.
Programme records as targets: tests/budgets/test_record_targets.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import MonthlyReport, OutputAchievement, Realization, ReturnTarget
from budgets.services import realization_set, report_return, report_submit
from budgets.services.editability import returned_targets
from budgets.services.outputs import RoEntry, output_achievement_set
from imports.importer import import_file
from tests.budgets.test_report_workflow import act
from tests.conftest import client_for
from tests.imports.bad_files import workbook
from tests.personas import head_verifies
from tests.ro_world import dipa_ros
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status
D = Decimal
NOT_TARGETED = "Baris ini tidak diminta diperbaiki"


@pytest.fixture
def ros(dipa):
    return dipa_ros(dipa)


@pytest.fixture
def submitted(officer, satker, dipa, ros) -> MonthlyReport:
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                             amounts={dipa.ovop.pk: 1_000, dipa.travel.pk: 2_000}, expected_version=None,
                             by=officer)  # fmt: skip
    ro_rows_filled(report)
    return report_submit(report=report, by=officer)


def returned_on_ovop(report, head, dipa, ros) -> MonthlyReport:
    response = act(client_for(head), report, "return", comment="Perbaiki OVOP.", lines=[dipa.ovop.pk],
                   outputs=[ros["wub"].pk])  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    return report


def amounts() -> dict[int, int]:
    return dict(Realization.objects.values_list("line_id", "amount"))


def test_the_return_stores_its_targets(submitted, head, dipa, ros) -> None:
    report = returned_on_ovop(submitted, head, dipa, ros)
    target = ReturnTarget.objects.filter(report=report)
    assert {(t.line_id, t.output_id) for t in target} == {(dipa.ovop.pk, None), (None, ros["wub"].pk)}
    assert target.first().transition == report.transitions.get(to_status=Status.RETURNED)
    assert returned_targets(report) == ({dipa.ovop.pk}, {ros["wub"].pk}, set())


def test_the_grid_opens_only_the_named_lines(submitted, head, officer, satker, dipa, ros) -> None:
    report = returned_on_ovop(submitted, head, dipa, ros)
    client = client_for(officer)
    page = client.get(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]))
    html = page.content.decode()
    # Every line but OVOP (travel, machine and the RO world's zero line) is read-only, with the reason.
    assert html.count("data-not-targeted") == 3 and html.count("readonly") == 3
    # Changing a line not named: refused next to it, nothing saved (not even the named line).
    response = client.post(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]), {
        "version": report.version, "action": "save", f"line_{dipa.ovop.pk}": "5.000",
        f"line_{dipa.travel.pk}": "9.000", f"line_{dipa.machine.pk}": "0",
    })  # fmt: skip
    assert response.status_code == 200 and NOT_TARGETED in response.content.decode()
    assert amounts() == {dipa.ovop.pk: 1_000, dipa.travel.pk: 2_000}
    # The named line changes while the others post their stored amounts back.
    response = client.post(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]), {
        "version": report.version, "action": "save", f"line_{dipa.ovop.pk}": "5.000",
        f"line_{dipa.travel.pk}": "2.000", f"line_{dipa.machine.pk}": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert amounts() == {dipa.ovop.pk: 5_000, dipa.travel.pk: 2_000}


def test_the_services_refuse_the_others(submitted, head, officer, satker, dipa, ros) -> None:
    returned_on_ovop(submitted, head, dipa, ros)
    with pytest.raises(ValidationError) as refusal:
        realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.travel.pk: 7},
                        expected_version=None, by=officer)  # fmt: skip
    assert NOT_TARGETED in str(refusal.value.message_dict[f"line-{dipa.travel.pk}"])
    with pytest.raises(ValidationError) as refusal:
        output_achievement_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                               entries={ros["centres"].pk: RoEntry(D(3), D(50))}, expected_version=None,
                               by=officer)  # fmt: skip
    assert NOT_TARGETED in str(refusal.value)
    assert amounts() == {dipa.ovop.pk: 1_000, dipa.travel.pk: 2_000}
    assert OutputAchievement.objects.get(output=ros["centres"]).volume == D(0)
    # The named ones change.
    output_achievement_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                           entries={ros["wub"].pk: RoEntry(D(4), D(40))}, expected_version=None,
                           by=officer)  # fmt: skip
    realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 9},
                    expected_version=None, by=officer)  # fmt: skip
    assert amounts()[dipa.ovop.pk] == 9
    assert OutputAchievement.objects.get(output=ros["wub"]).volume == D(4)


def test_the_imports_refuse_the_others(submitted, head, officer, dipa, ros, tmp_path) -> None:
    returned_on_ovop(submitted, head, dipa, ros)
    year = dipa.fiscal_year.year
    header = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]
    path = workbook(tmp_path / "r.xlsx", header, [["170019", year, 1, "051", "521211", 5_000],
                                                  ["170019", year, 1, "051", "524111", 9_000]])  # fmt: skip
    result = import_file(path, "realisasi", user=officer, dry_run=False, reason="test")
    assert not result.imported
    assert [(e.row, e.column) for e in result.plan.errors] == [(3, "realisasi")]
    assert NOT_TARGETED in result.plan.errors[0].message
    assert amounts() == {dipa.ovop.pk: 1_000, dipa.travel.pk: 2_000}
    ro_header = ["kode_satker", "tahun", "bulan", "kode_ro", "volume", "progres_fisik", "keterangan"]
    path = workbook(tmp_path / "ro.xlsx", ro_header, [["170019", year, 1, "6503.RBS.002", 3, 50, ""]])
    result = import_file(path, "capaian_ro", user=officer, dry_run=False, reason="test")
    assert not result.imported and NOT_TARGETED in result.plan.errors[0].message
    # The named line alone imports.
    path = workbook(tmp_path / "ok.xlsx", header, [["170019", year, 1, "051", "521211", 5_000],
                                                   ["170019", year, 1, "051", "524111", 2_000]])  # fmt: skip
    assert import_file(path, "realisasi", user=officer, dry_run=False, reason="test").imported
    assert amounts() == {dipa.ovop.pk: 5_000, dipa.travel.pk: 2_000}


def test_a_return_without_targets_opens_everything(submitted, head, officer, satker, dipa) -> None:
    report = report_return(report=submitted, by=head, comment="Periksa lagi.")
    assert returned_targets(report) is None
    realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.travel.pk: 7},
                    expected_version=None, by=officer)  # fmt: skip
    page = client_for(officer).get(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]))
    assert NOT_TARGETED not in page.content.decode()


def test_a_later_return_replaces_the_targets_and_history_stays(submitted, head, reviewer, officer, satker,
                                                               dipa, ros) -> None:  # fmt: skip
    report = returned_on_ovop(submitted, head, dipa, ros)
    realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 3_000},
                    expected_version=None, by=officer)  # fmt: skip
    report = head_verifies(report_submit(report=report, by=officer))
    assert ReturnTarget.objects.count() == 2  # submission clears nothing
    report = report_return(report=report, by=reviewer, comment="Perjalanan dinas.", lines=[dipa.travel.pk])
    assert returned_targets(report) == ({dipa.travel.pk}, set(), set())
    assert ReturnTarget.objects.count() == 3
    with pytest.raises(ValidationError):
        realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1},
                        expected_version=None, by=officer)  # fmt: skip


def test_a_return_naming_another_reports_line_is_refused(submitted, head, dipa) -> None:
    response = act(client_for(head), submitted, "return", comment="x", lines=[dipa.other_line.pk])
    assert response.status_code == 200  # the form again: not a choice
    with pytest.raises(ValidationError):
        report_return(report=submitted, by=head, comment="x", lines=[dipa.other_line.pk])
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not ReturnTarget.objects.exists()


def test_the_reviewer_sees_the_changes_since_the_return(submitted, head, officer, satker, dipa, ros) -> None:
    report = returned_on_ovop(submitted, head, dipa, ros)
    realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 3_000},
                    expected_version=None, by=officer)  # fmt: skip
    report = report_submit(report=report, by=officer)
    page = client_for(head).get(reverse("budgets:report-detail", args=[report.pk]))
    changes = page.context["changes"]
    assert [(c["line"], c["before"], c["after"]) for c in changes] == [(dipa.ovop, 1_000, 3_000)]
    html = page.content.decode()
    assert "data-return-targets" in html and "diubah sejak pengembalian" in html
    # The return form offers the report's lines and ROs.
    form = page.context["return_form"]
    assert {pk for pk, _label in form.fields["lines"].choices} == {dipa.ovop.pk, dipa.travel.pk, dipa.machine.pk} | {
        line.pk for line in dipa.ovop.satker.budget_lines.filter(fiscal_year=dipa.fiscal_year)
    }


def test_ro_adjustments_follow_the_targets(submitted, head, officer, dipa, ros) -> None:
    from budgets.services.outputs import output_adjustment_add

    report = returned_on_ovop(submitted, head, dipa, ros)
    with pytest.raises(ValidationError) as refusal:
        output_adjustment_add(report=report, output_id=ros["centres"].pk, corrected_month=1, volume=D(1),
                              reason="koreksi", expected_version=None, by=officer)  # fmt: skip
    assert NOT_TARGETED in str(refusal.value)


def test_a_return_naming_only_lines_leaves_the_records_as_submitted(submitted, head, officer, satker, dipa, ros,
                                                                   regency) -> None:  # fmt: skip
    """A return naming lines and no record leaves the records locked, and adds none (records named
    by a return: tests/budgets/test_record_targets.py)."""
    from programs.records.services import new_entrepreneur_create

    def add(name):
        return new_entrepreneur_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, name=name,
                                       regency=regency, business_type="Kopi bubuk", by=officer)  # fmt: skip

    returned_on_ovop(submitted, head, dipa, ros)
    with pytest.raises(ValidationError, match="Catatan baru tidak dapat ditambahkan"):
        add("Usaha Kopi")
    from programs.models import NewEntrepreneur

    assert not NewEntrepreneur.objects.filter(satker=satker, fiscal_year=dipa.fiscal_year, month=1).exists()
