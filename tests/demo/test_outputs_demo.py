"""The RO achievement of load_demo_data (demo/outputs.py): a target and a monthly row for every RO
with pagu, volumes that are the programme records' counts where they count the RO (the 2022 DK
WUB RO is the published 4.579), physical progress that lags the money in a few provinces, the
2023 correction, history rows, and a second load that changes nothing."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from budgets.models import (
    BudgetLine,
    MonthlyReport,
    OutputAchievement,
    OutputAdjustment,
    OutputVolumeTarget,
    Realization,
    SatkerAuthority,
)
from budgets.output_rules import gap_flag, percent, weighted_progress
from demo.budgets import DEMO_YEARS
from demo.outputs import WUB_RO, ro_demo_load
from programs.models import ReportOutput

pytestmark = pytest.mark.django_db

MODELS = (OutputVolumeTarget, OutputAchievement, OutputAdjustment)
Status = MonthlyReport.Status


@pytest.fixture
def demo(demo_data: str) -> str:
    return demo_data


def ro_pagu(year: int) -> dict[int, dict[int, int]]:
    """satker id -> RO id -> pagu, from the DIPA lines."""
    pagu: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for satker_id, output_id, amount in BudgetLine.objects.filter(fiscal_year__year=year).values_list(
        "satker_id", "output_id", "pagu"
    ):
        assert output_id is not None, "every demo DIPA line has an RO"
        pagu[satker_id][output_id] += amount
    return pagu


def test_the_load_reports_the_ro_rows(demo: str) -> None:
    assert "Capaian RO TA 2022:" in demo and "Capaian RO TA 2023:" in demo and "1 koreksi capaian RO" in demo


@pytest.mark.parametrize("year", DEMO_YEARS)
def test_every_ro_with_pagu_has_a_target_and_a_row_in_every_report_month(demo: str, year: int) -> None:
    pagu = ro_pagu(year)
    targets: dict[int, set[int]] = defaultdict(set)
    for satker_id, output_id, volume in OutputVolumeTarget.objects.filter(fiscal_year__year=year).values_list(
        "satker_id", "output_id", "volume"
    ):
        targets[satker_id].add(output_id)
        assert volume > 0
    assert {s: set(ros) for s, ros in pagu.items()} == dict(targets)
    rows: dict[int, set[int]] = defaultdict(set)
    for report_id, output_id in OutputAchievement.objects.filter(report__fiscal_year__year=year).values_list(
        "report_id", "output_id"
    ):
        rows[report_id].add(output_id)
    reports = MonthlyReport.objects.filter(fiscal_year__year=year)
    with_money = set(Realization.objects.filter(report__fiscal_year__year=year).values_list("report_id", flat=True))
    expected = {r.pk: set(pagu[r.satker_id]) for r in reports if r.status != Status.DRAFT or r.pk in with_money}
    assert len(expected) == len(reports) > 400  # 2022 and 2023: every report has its money
    assert dict(rows) == expected


def test_the_wub_ro_of_the_2022_dk_satkers_adds_up_to_the_published_4579(demo: str) -> None:
    dk = SatkerAuthority.objects.filter(fiscal_year__year=2022, authority="DK").values("satker_id")
    wub = OutputAchievement.objects.filter(
        report__fiscal_year__year=2022, report__satker_id__in=dk, output__output_class__activity__code="6503",
        output__output_class__code="RBS", output__code="001",
    )  # fmt: skip
    assert wub.first().output.full_code == WUB_RO
    assert wub.aggregate(total=Sum("volume"))["total"] == Decimal(4_579)
    # Month by month, the volume is what the programme records count in that report.
    counted = dict(
        ReportOutput.objects.filter(fiscal_year__year=2022, indicator="wub").values_list("report_id", "amount")
    )
    assert all(volume == counted.get(report_id, 0) for report_id, volume in wub.values_list("report_id", "volume"))
    assert wub.values("report__satker_id").distinct().count() == 34


@pytest.mark.parametrize("year", DEMO_YEARS)
def test_a_few_provinces_physical_progress_lags_their_spending(demo: str, year: int) -> None:
    """In December, physical progress (the ROs' weighted by pagu) and financial progress
    (realization on effective pagu) diverge by more than 20 points in 3-4 provinces, the
    physical behind; nowhere else."""
    pagu = ro_pagu(year)
    effective = dict(
        BudgetLine.objects.filter(fiscal_year__year=year)
        .values_list("satker_id")
        .annotate(total=Sum("pagu") - Sum("blokir"))
    )
    spent = dict(
        Realization.objects.filter(report__fiscal_year__year=year)
        .values_list("line__satker_id")
        .annotate(Sum("amount"))
    )
    physical: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for satker_id, output_id, progress in OutputAchievement.objects.filter(
        report__fiscal_year__year=year, report__month=12
    ).values_list("report__satker_id", "output_id", "physical_progress"):
        physical[satker_id].append((pagu[satker_id][output_id], progress))
    lagging = []
    for satker_id, rows in physical.items():
        weighted, financial = weighted_progress(rows), percent(spent[satker_id], effective[satker_id])
        if gap_flag(weighted, financial):
            assert weighted < financial - 20
            lagging.append(satker_id)
    assert 3 <= len(lagging) <= 4
    assert not SatkerAuthority.objects.filter(satker_id__in=lagging, fiscal_year__year=year, satker__is_central=True)


def test_physical_progress_never_goes_back(demo: str) -> None:
    previous: dict[tuple[int, int, int], Decimal] = {}
    for year, satker_id, output_id, progress in OutputAchievement.objects.order_by("report__month").values_list(
        "report__fiscal_year__year", "report__satker_id", "output_id", "physical_progress"
    ):
        key = (year, satker_id, output_id)
        assert progress >= previous.get(key, Decimal(0))
        previous[key] = progress


def test_2023_corrects_an_approved_month_in_a_later_one(demo: str) -> None:
    adjustment = OutputAdjustment.objects.select_related("report").get(report__fiscal_year__year=2023)
    assert adjustment.corrected_month < adjustment.report.month and adjustment.volume and adjustment.reason
    corrected = MonthlyReport.objects.get(
        satker=adjustment.report.satker, fiscal_year=adjustment.report.fiscal_year, month=adjustment.corrected_month
    )
    assert corrected.status == Status.APPROVED
    assert OutputAchievement.objects.filter(report=corrected, output=adjustment.output).exists()


def test_every_ro_row_has_its_history(demo: str) -> None:
    for model in MODELS:
        assert model.history.count() == model.objects.count() > 0
    assert not OutputAchievement.history.filter(history_user__isnull=True).exists()


def test_a_second_load_changes_nothing(demo: str) -> None:
    before = {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}
    progress = list(OutputAchievement.objects.order_by("pk").values_list("volume", "physical_progress"))
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "Capaian RO TA 2022: dilewati" in out.getvalue() and "Capaian RO TA 2023: dilewati" in out.getvalue()
    assert {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS} == before
    assert list(OutputAchievement.objects.order_by("pk").values_list("volume", "physical_progress")) == progress


def test_an_older_demo_dipa_without_a_wub_line_is_skipped_not_refused(demo: str) -> None:
    """A database whose demo DIPAs were loaded before every province had a WUB line cannot show the
    published WUB RO: its 2022 RO rows are left out with the reason, and the load goes on."""
    OutputAchievement.objects.filter(report__fiscal_year__year=2022).delete()
    OutputVolumeTarget.objects.filter(fiscal_year__year=2022).delete()
    wub_lines = BudgetLine.objects.filter(
        fiscal_year__year=2022, satker__code="170019", output__output_class__code="RBS", output__code="001"
    )
    data_ro = BudgetLine.objects.filter(fiscal_year__year=2022, output__output_class__code="QMA").first().output
    wub_lines.update(output=data_ro)
    [result] = ro_demo_load(years=[2022], today=timezone.localdate())
    assert result.counts == {} and "170019" in result.note
    assert not OutputAchievement.objects.filter(report__fiscal_year__year=2022).exists()
