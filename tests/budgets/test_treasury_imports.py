"""Importing the treasury's files (issue 24): the DIPA/POK print into budget lines with pagu,
blokir and RO and the RPD per spending type and month; the realization per akun into the
treasury's figure and, where the month is editable, the month's entries. Malformed files are
refused whole (nothing written); another province's officer is refused; the RPD rules hold."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from budgets.models import (
    Activity,
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    MonthlyReport,
    Output,
    OutputClass,
    Realization,
    RpdPlan,
    RpdRevision,
    RpdWindow,
    TreasuryRealization,
)
from imports.importer import import_file
from imports.models import Upload
from tests.budgets import treasury_samples as samples
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ro(db) -> Output:
    activity = Activity.objects.create(code="6503", name="Penumbuhan IKM", name_en="SME growth")
    kro = OutputClass.objects.create(activity=activity, code="RBS", name="Pelayanan publik lainnya")
    return Output.objects.create(output_class=kro, code="001", name="Wirausaha baru", name_en="WUB", unit="orang")


def snapshot() -> tuple:
    return (
        list(BudgetLine.objects.order_by("pk").values_list("pagu", "blokir", "output")),
        BudgetRevision.objects.count(), RpdPlan.objects.count(), RpdRevision.objects.count(),
        TreasuryRealization.objects.count(), Realization.objects.count(),
    )  # fmt: skip


def rpd(satker, year) -> dict[tuple[str, int], int]:
    return {(code, month): amount for code, month, amount in RpdPlan.objects.filter(
        satker=satker, fiscal_year=year).values_list("spending_type__code", "month", "amount")}  # fmt: skip


def test_admin_imports_the_pok_into_lines_ro_and_rpd_and_again_changes_nothing(
    tmp_path, admin_user, dipa, ro, satker
) -> None:
    year = dipa.fiscal_year
    path = samples.pok(tmp_path / "pok.xlsx", year.year)
    result = import_file(path, "sakti_pok", user=admin_user, dry_run=False, reason="Impor sakti_pok #1: pok.xlsx")
    assert result.imported, [str(e) for e in result.plan.errors]
    lines = [row for row in result.plan.rows if row.values["kind"] == "line"]
    # Pagu and blokir are those stored (100.000 thousand = Rp100.000.000 ...): only the RO changes.
    assert [(row.key[2], row.action, row.changes) for row in lines] == [
        ("051.521211", "changed", [["RO", "-", "6503.RBS.001"]]),
        ("051.524111", "changed", [["RO", "-", "6503.RBS.001"]]),
        ("051.532111", "changed", [["RO", "-", "6503.RBS.001"]]),
    ]
    revision = BudgetRevision.objects.get(satker=satker)
    assert revision.reason == "Impor sakti_pok #1: pok.xlsx" and revision.lines.count() == 3
    assert set(BudgetLine.objects.filter(satker=satker).values_list("output", flat=True)) == {ro.pk}
    # RPD per spending type, in rupiah (thousands x 1000), worked out from the sample:
    #   52 in April: 521211 10.000 + 524111 (A) 5.000 = 15.000 thousand -> Rp15.000.000
    #   52 in November: 521211 5.000 + 524111 (B) 10.000 -> Rp15.000.000; December 5.000 + 5.000 -> Rp10.000.000
    #   53 in August: 532111 30.000 -> Rp30.000.000
    plan = rpd(satker, year)
    assert plan[("52", 3)] == 10_000_000 and plan[("52", 4)] == 15_000_000
    assert plan[("52", 11)] == 15_000_000 and plan[("52", 12)] == 10_000_000 and plan[("53", 8)] == 30_000_000
    assert ("52", 1) not in plan
    # Each type adds up to its effective pagu: 52 = 90 + 50 juta, 53 = 30 juta.
    assert sum(a for (code, _m), a in plan.items() if code == "52") == 140_000_000
    assert RpdRevision.objects.filter(satker=satker).count() == 1
    before = snapshot()
    again = import_file(path, "sakti_pok", user=admin_user, dry_run=False, reason="lagi")
    assert again.plan.ok and again.plan.counts["new"] == again.plan.counts["changed"] == 0
    assert snapshot() == before


def test_admin_pok_changing_a_pagu_shows_old_and_new(tmp_path, admin_user, dipa, ro) -> None:
    BudgetLine.objects.filter(satker=dipa.ovop.satker).update(output=ro)
    # 521211 becomes 120.000 thousand (details 60.000 + 60.000), its RPD 20.000 more in December.
    rows = samples.pok_rows(material=120_000, details=(60_000, 60_000),
                            material_rpd=[*samples.RPD_521211[:11], 25_000])  # fmt: skip
    path = samples.pok(tmp_path / "pok.xlsx", dipa.fiscal_year.year, rows)
    result = import_file(path, "sakti_pok", user=admin_user, dry_run=True, reason="x")
    assert result.plan.ok, [str(e) for e in result.plan.errors]
    changed = [(row.key[2], row.changes) for row in result.plan.rows if row.action == "changed"]
    assert changed == [("051.521211", [["pagu", "100.000.000", "120.000.000"]])]


def test_officer_imports_the_rpd_of_a_pok_whose_pagu_is_stored_and_not_a_pagu_change(
    tmp_path, officer, dipa, ro, satker
) -> None:
    BudgetLine.objects.filter(satker=satker).update(output=ro)
    path = samples.pok(tmp_path / "pok.xlsx", dipa.fiscal_year.year)
    result = import_file(path, "sakti_pok", user=officer, dry_run=False, reason="rpd dari pok")
    assert result.imported, [str(e) for e in result.plan.errors]
    assert not BudgetRevision.objects.exists() and rpd(satker, dipa.fiscal_year)[("53", 8)] == 30_000_000
    RpdPlan.objects.all().delete()
    RpdRevision.objects.all().delete()
    before = snapshot()
    rows = samples.pok_rows(material=120_000, details=(60_000, 60_000),
                            material_rpd=[*samples.RPD_521211[:11], 25_000])  # fmt: skip
    refused = import_file(samples.pok(tmp_path / "pagu.xlsx", dipa.fiscal_year.year, rows), "sakti_pok",
                          user=officer, dry_run=False, reason="x")  # fmt: skip
    assert not refused.imported
    assert any("pagu hanya dicatat oleh admin direktorat" in str(e) and e.row == 16 for e in refused.plan.errors)
    assert snapshot() == before  # refused whole: not even the RPD


def test_a_pok_changing_months_that_have_begun_says_so_and_writes_nothing(tmp_path, admin_user, dipa, ro) -> None:
    year = dipa.fiscal_year
    assert import_file(
        samples.pok(tmp_path / "pok.xlsx", year.year), "sakti_pok", user=admin_user, dry_run=False, reason="awal"
    ).imported  # the first plan may set every month
    today = timezone.localdate()
    RpdWindow.objects.create(fiscal_year=year, quarter=(today.month - 1) // 3 + 1, opens_on=today - timedelta(days=1),
                             closes_on=today + timedelta(days=1))  # fmt: skip
    # January gets 5.000 thousand taken from December: January has begun, so its plan is frozen.
    moved = samples.pok_rows(material_rpd=[5_000, *samples.RPD_521211[1:11], 0])
    before = snapshot()
    result = import_file(samples.pok(tmp_path / "moved.xlsx", year.year, moved), "sakti_pok", user=admin_user,
                         dry_run=False, reason="ubah")  # fmt: skip
    assert not result.imported
    message = " ".join(str(e) for e in result.plan.errors)
    assert "sudah berjalan" in message and "Januari" in message
    assert snapshot() == before


@pytest.mark.parametrize(
    "change",
    [{"komponen": "05X1"}, {"material": "seratus"}, {"material_rpd": [*samples.RPD_521211[:11], 10_000]},
     {"details": (50_000, 40_000)}],
)  # fmt: skip
def test_malformed_pok_is_refused_whole(tmp_path, admin_user, dipa, ro, change) -> None:
    before = snapshot()
    path = samples.pok(tmp_path / "pok.xlsx", dipa.fiscal_year.year, samples.pok_rows(**change))
    result = import_file(path, "sakti_pok", user=admin_user, dry_run=False, reason="x")
    assert not result.imported and result.plan.errors and all(e.row for e in result.plan.errors)
    assert snapshot() == before


def test_unknown_komponen_and_another_provinces_satker_are_refused(
    tmp_path, admin_user, other_officer, dipa, ro
) -> None:
    before = snapshot()
    unknown = import_file(samples.pok(tmp_path / "a.xlsx", dipa.fiscal_year.year, samples.pok_rows(komponen="099")),
                          "sakti_pok", user=admin_user, dry_run=False, reason="x")  # fmt: skip
    assert any("Komponen 099 tidak dikenal" in str(e) for e in unknown.plan.errors)
    foreign = import_file(samples.pok(tmp_path / "b.xlsx", dipa.fiscal_year.year), "sakti_pok",
                          user=other_officer, dry_run=False, reason="x")  # fmt: skip
    assert [str(e.message) for e in foreign.plan.errors] == ["Satker 170019 tidak ada atau di luar cakupan Anda."]
    realization = samples.realization_month(tmp_path / "c.xlsx", dipa.fiscal_year.year, "Januari",
                                            [("170019", "521211", "Bahan", 1_000)])  # fmt: skip
    assert not import_file(realization, "omspan_realisasi", user=other_officer, dry_run=False,
                           reason="x").imported  # fmt: skip
    assert snapshot() == before


def test_realization_of_an_editable_month_is_entered_and_kept_as_the_treasurys_figure(
    tmp_path, officer, dipa, satker
) -> None:
    year = dipa.fiscal_year
    path = samples.realization_month(tmp_path / "jan.xlsx", year.year, "Januari", [
        ("170019", "521211", "Belanja Bahan", 12_500_000), ("170019", "524111", "Perjalanan", "3.000.000"),
    ])  # fmt: skip
    result = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="Impor omspan_realisasi #7: j")
    assert result.imported, [str(e) for e in result.plan.errors]
    figures = dict(TreasuryRealization.objects.filter(satker=satker, month=1).values_list("account__code", "amount"))
    assert figures == {"521211": 12_500_000, "524111": 3_000_000}
    assert TreasuryRealization.objects.first().source == "Impor omspan_realisasi #7: j"
    report = MonthlyReport.objects.get(satker=satker, fiscal_year=year, month=1)
    entries = dict(Realization.objects.filter(report=report).values_list("line__account__code", "amount"))
    assert entries == {"521211": 12_500_000, "524111": 3_000_000}
    assert report.realized_total == 15_500_000
    again = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="lagi")
    assert again.plan.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_realization_of_a_locked_month_is_kept_as_the_treasurys_figure_only(tmp_path, officer, dipa, satker) -> None:
    year = dipa.fiscal_year
    report = MonthlyReport.objects.create(
        satker=satker, fiscal_year=year, month=1, status=MonthlyReport.Status.SUBMITTED, due_date=date(year.year, 2, 7)
    )
    # Twelve months: January 4.000.000, February 0 (nothing stored for a zero without a figure).
    path = samples.realization_year(tmp_path / "tahun.xlsx", year.year,
                                    [("170019", "521211", "Belanja Bahan", [4_000_000, *[0] * 11])])  # fmt: skip
    result = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="r")
    assert result.imported, [str(e) for e in result.plan.errors]
    assert list(TreasuryRealization.objects.values_list("month", "amount")) == [(1, 4_000_000)]
    assert not Realization.objects.filter(report=report).exists()  # submitted: locked, not changed


def test_treasury_kinds_are_listed_apart_with_an_example(officer, dipa) -> None:
    client = client_for(officer)
    page = client.get(reverse("imports:index")).content.decode()
    assert "Berkas perbendaharaan (SAKTI/OM-SPAN)" in page and "Rincian Kertas Kerja Satker" in page
    example = client.get(reverse("imports:template", args=["sakti_pok"]))
    assert example.status_code == 200 and 'filename="contoh-sakti_pok.xlsx"' in example["Content-Disposition"]


def test_the_upload_page_previews_a_pok_and_confirms_it(tmp_path, admin_user, dipa, ro, satker) -> None:
    client = client_for(admin_user)
    path = samples.pok(tmp_path / "pok.xlsx", dipa.fiscal_year.year)
    with path.open("rb") as handle:
        response = client.post(reverse("imports:upload", args=["sakti_pok"]), {"file": handle})
    upload = Upload.objects.get()
    assert response.status_code == 302 and upload.status == Upload.Status.READY, upload.errors
    preview = client.get(reverse("imports:detail", args=[upload.pk])).content.decode()
    assert "051.521211" in preview and "6503.RBS.001" in preview
    client.post(reverse("imports:confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.IMPORTED
    assert BudgetRevision.objects.get(satker=satker).reason == upload.history_reason


def test_an_akun_of_several_komponen_needs_the_komponen_column_to_be_entered(tmp_path, officer, dipa, satker) -> None:
    year = dipa.fiscal_year
    wub = BudgetComponent.objects.create(code="052", name="Penumbuhan WUB", name_en="WUB")
    second = BudgetLine.objects.create(satker=satker, fiscal_year=year, component=wub, account=dipa.ovop.account,
                                       pagu=40_000_000)  # fmt: skip
    path = samples.realization_month(tmp_path / "jan.xlsx", year.year, "Januari",
                                     [("170019", "521211", "Belanja Bahan", 5_000_000)])  # fmt: skip
    result = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="r")
    assert result.imported
    # 521211 is on two lines (051 and 052): kept as the treasury's figure, not entered, and the preview says why.
    assert TreasuryRealization.objects.get().amount == 5_000_000 and not Realization.objects.exists()
    assert "beberapa komponen" in result.plan.rows[0].changes[-1][2]
    # With the KOMPONEN column, the amounts go to their lines: 3 juta on 051, 2 juta on 052 (5 juta for the akun).
    path = samples.realization_month(tmp_path / "jan2.xlsx", year.year, "1", [
        ("170019", "051", "521211", "Belanja Bahan", 3_000_000),
        ("170019", "052", "521211", "Belanja Bahan", 2_000_000),
    ], with_component=True)  # fmt: skip
    result = import_file(path, "omspan_realisasi", user=officer, dry_run=False, reason="r2")
    assert result.imported, [str(e) for e in result.plan.errors]
    assert dict(Realization.objects.values_list("line", "amount")) == {dipa.ovop.pk: 3_000_000, second.pk: 2_000_000}
    assert TreasuryRealization.objects.get().amount == 5_000_000


def test_the_command_line_imports_a_treasury_file(tmp_path, admin_user, dipa, ro) -> None:
    path = samples.pok(tmp_path / "pok.xlsx", dipa.fiscal_year.year)
    call_command("import_xlsx", "sakti_pok", str(path), "--user", admin_user.username, stdout=io.StringIO())
    assert BudgetRevision.objects.count() == 1 and RpdPlan.objects.exists()
