"""The realization per report and spending type (``SpendingTypeRealization``, read by the IKPA
computation) equals the plain aggregation of the realization rows after every kind of write:
the entry grid, the ``realisasi`` workbook, the treasury's realization file, and an account whose
code (so its spending type) the admin changes. The rebuild command finds and repairs a
difference. The national IKPA report reads realization from these sums only."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import realization_summary
from budgets.ikpa.compute import gather
from budgets.ikpa.year_rules import year_rules
from budgets.models import (
    Account,
    Activity,
    MonthlyReport,
    Output,
    OutputClass,
    OutputVolumeTarget,
    Realization,
    SatkerAuthority,
    SpendingType,
    SpendingTypeRealization,
)
from budgets.reports.ikpa import ikpa_report
from budgets.reports.queries import BASIS_STATUSES, RealizationFilter
from imports.importer import import_file
from tests.budgets import treasury_samples as samples
from tests.budgets.test_realization_entry import post_grid
from tests.budgets.test_realization_import import workbook
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def plain() -> dict[tuple[int, int, int], int]:
    """(report, its year, spending type) -> the sum of its realization rows, added up here."""
    sums: dict[tuple[int, int, int], int] = defaultdict(int)
    for report_id, year_id, type_id, amount in Realization.objects.values_list(
        "report_id", "report__fiscal_year_id", "line__account__spending_type_id", "amount"
    ):
        sums[(report_id, year_id, type_id)] += amount
    return dict(sums)


def summary() -> dict[tuple[int, int, int], int]:
    rows = SpendingTypeRealization.objects.values_list("report_id", "fiscal_year_id", "spending_type_id", "amount")
    return {(report_id, year_id, type_id): amount for report_id, year_id, type_id, amount in rows}


def assert_current() -> None:
    assert summary() == plain()
    assert realization_summary.differences() == []


def by_type(dipa, satker, month: int) -> dict[str, int]:
    """What the IKPA computation reads: the month's realization per spending type code (drafts too)."""
    statuses = BASIS_STATUSES["submitted"] + [MonthlyReport.Status.DRAFT]
    inputs = gather(dipa.fiscal_year, [satker.pk], month, statuses=statuses, ikpa=year_rules(dipa.fiscal_year))
    return inputs[satker.pk].realized.get(month, {})


def test_the_entry_grid_keeps_the_sums_per_type(officer, satker, dipa) -> None:
    client = client_for(officer)
    post_grid(client, satker, dipa, {dipa.ovop: "20.000.000", dipa.travel: "5.000.000", dipa.machine: "1.000.000"})
    assert_current()
    assert by_type(dipa, satker, 1) == {"52": 25_000_000, "53": 1_000_000}
    # A changed amount, and one set back to zero (its row stays, at 0).
    post_grid(client, satker, dipa, {dipa.ovop: "7.000.000", dipa.travel: "5.000.000", dipa.machine: "0"})
    assert_current()
    assert by_type(dipa, satker, 1) == {"52": 12_000_000, "53": 0}


def test_the_realisasi_workbook_keeps_the_sums_per_type(tmp_path, officer, satker, dipa) -> None:
    year = dipa.fiscal_year.year
    rows = [["170019", year, 1, "051", "521211", "1.250.000"], ["170019", year, 1, "051", "532111", "300.000"]]
    assert import_file(workbook(tmp_path / "r.xlsx", rows), "realisasi", user=officer, dry_run=False,
                       reason="x").imported  # fmt: skip
    assert_current()
    assert by_type(dipa, satker, 1) == {"52": 1_250_000, "53": 300_000}


def test_the_treasurys_realization_file_keeps_the_sums_per_type(tmp_path, officer, satker, dipa) -> None:
    path = samples.realization_month(tmp_path / "jan.xlsx", dipa.fiscal_year.year, "Januari", [
        ("170019", "521211", "Belanja Bahan", 12_500_000), ("170019", "524111", "Perjalanan", 3_000_000),
        ("170019", "532111", "Peralatan", 2_000_000),
    ])  # fmt: skip
    result = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="x")
    assert result.imported, [str(error) for error in result.plan.errors]
    assert_current()
    assert by_type(dipa, satker, 1) == {"52": 15_500_000, "53": 2_000_000}


def test_an_account_whose_code_the_admin_changes_moves_its_realization_to_its_new_type(
    officer, admin_user, satker, dipa
) -> None:
    post_grid(client_for(officer), satker, dipa, {dipa.ovop: "20.000.000", dipa.machine: "1.000.000"})
    material = Account.objects.get(code="521211")
    response = client_for(admin_user).post(
        reverse("admin:budgets_account_change", args=[material.pk]), {"code": "531211", "name": material.name}
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=material.pk).spending_type == SpendingType.objects.get(code="53")
    assert_current()
    assert by_type(dipa, satker, 1) == {"53": 21_000_000}


def test_the_rebuild_command_finds_and_repairs_a_sum_per_type(officer, satker, dipa) -> None:
    post_grid(client_for(officer), satker, dipa, {dipa.ovop: "20.000.000", dipa.machine: "1.000.000"})
    planted = SpendingTypeRealization.objects.get(spending_type=dipa.capital)
    SpendingTypeRealization.objects.filter(pk=planted.pk).update(amount=1)
    out = io.StringIO()
    with pytest.raises(CommandError, match="berbeda pada 1 tempat"):
        call_command("rebuild_realization_summary", "--check", stdout=out)
    assert f"laporan {planted.report_id} jenis belanja {dipa.capital.pk}: 1, seharusnya 1000000" in out.getvalue()
    call_command("rebuild_realization_summary")
    assert_current()


def test_the_ikpa_report_reads_realization_from_the_sums_per_type_only(officer, satker, dipa, today) -> None:
    """Neither the realization rows nor the per-component sums (the RO cells' financial progress,
    which IKPA does not read) are read: 1.900 sums a year nationally instead of 12.000 rows."""
    activity = Activity.objects.create(code="6503", name="Penumbuhan IKM", name_en="SME growth")
    kro = OutputClass.objects.create(activity=activity, code="RBS", name="Pelayanan publik lainnya")
    ro = Output.objects.create(output_class=kro, code="001", name="Wirausaha baru", name_en="WUB", unit="orang")
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    OutputVolumeTarget.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, output=ro, volume=10)
    post_grid(client_for(officer), satker, dipa, {dipa.ovop: "20.000.000", dipa.machine: "1.000.000"})
    filters = RealizationFilter(year=dipa.fiscal_year.year, month=1, basis="submitted")
    with CaptureQueriesContext(connection) as captured:
        report = ikpa_report(filters, fiscal_year=dipa.fiscal_year, today=today)
    assert [row["satker"] for row in report.rows] == [satker.code]
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"budgets_spendingtyperealization"' in tables
    assert '"budgets_outputvolumetarget"' in tables  # the RO cells were read
    assert '"budgets_realization"' not in tables
    assert '"budgets_componentrealization"' not in tables
