"""The DIPA's output hierarchy (issue 20): kegiatan -> KRO -> RO from budgets/data/outputs.csv,
each component under an RO, each budget line under the RO of its component."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from budgets.models import Account, Activity, BudgetComponent, BudgetLine, FiscalYear, Output, OutputClass, Satker

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("load_master_data", through_year=2026, stdout=io.StringIO())


def test_the_directorates_menu_of_ros_is_loaded_with_units_and_codes() -> None:
    load()
    codes = {output.full_code: output for output in Output.objects.select_related("output_class__activity")}
    assert len(codes) == 11
    wub = codes["6503.RBS.001"]
    assert (wub.unit, wub.cumulative, wub.measured_by) == ("orang", False, "wub")
    assert codes["6501.EBA.994"].cumulative
    assert set(Activity.objects.values_list("code", flat=True)) == {"6501", "6503"}
    assert BudgetComponent.objects.get(code="054").output == wub
    assert not BudgetComponent.objects.filter(output__isnull=True).exists()


def test_codes_are_checked_by_the_database() -> None:
    load()
    activity = Activity.objects.get(code="6503")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutputClass.objects.create(activity=activity, code="qdc", name="huruf kecil")
    kro = OutputClass.objects.get(activity=activity, code="QDC")
    with pytest.raises(IntegrityError), transaction.atomic():
        Output.objects.create(output_class=kro, code="01", name="x", name_en="x", unit="IKM")


def test_lines_recorded_before_ros_get_their_components_ro() -> None:
    load()
    component = BudgetComponent.objects.get(code="054")
    line = BudgetLine.objects.create(satker=Satker.objects.get(code="170019"),
                                     fiscal_year=FiscalYear.objects.get(year=2024), component=component,
                                     account=Account.objects.get(code="521211"), pagu=100_000_000)  # fmt: skip
    assert line.output is None
    load()
    line.refresh_from_db()
    assert line.output.full_code == "6503.RBS.001"
