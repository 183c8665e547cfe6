"""IKPA's year rules as data (issue 24): the seeded years read back as rules.py's YearRules, the
validation of the admin-editable tables, the treasury figures' selector and the admin's typing of
a figure (marked "admin", with who)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets.ikpa import rules
from budgets.ikpa.selectors import treasury_figures
from budgets.ikpa.year_rules import INDICATOR_KEYS, year_rules
from budgets.master_data import DATA_DIR
from budgets.models import (
    BudgetRevision,
    FiscalYear,
    IkpaAbsorptionTarget,
    IkpaIndicator,
    IkpaTreasuryFigure,
    IkpaYearRule,
    Satker,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def load(**options: object) -> None:
    call_command("load_master_data", through_year=2026, stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_every_stored_indicator_has_a_contract_key_and_the_treasury_figures_are_the_imported_ones() -> None:
    assert set(INDICATOR_KEYS) == set(IkpaIndicator.values)
    assert set(INDICATOR_KEYS.values()) == set(rules.INDICATORS)
    assert set(IkpaTreasuryFigure.Indicator.values) == set(rules.IMPORTED)


def test_the_seeded_years_read_back_as_the_treasurys_regulations(django_assert_num_queries) -> None:
    load()
    fiscal_year = FiscalYear.objects.get(year=2023)
    with django_assert_num_queries(2):  # the rule row, then weights, curve and targets together
        r2023 = year_rules(fiscal_year)
    # PER-5/PB/2022: dispensation weighted 5, arithmetic mean of the types' deviations.
    assert r2023.weights == {"revisi": 10, "deviasi": 10, "penyerapan": 20, "kontraktual": 10, "tagihan": 10,
                             "up_tup": 10, "dispensasi": 5, "capaian_output": 25}  # fmt: skip
    assert not r2023.dispensation_deducts and not r2023.deviation_weighted_by_pagu
    assert r2023.deviation_curve == ((D(5), D(100)), (D(105), D(0)))
    r2024 = year_rules(FiscalYear.objects.get(year=2024))
    # PER-5/PB/2024: deviasi 15, dispensation deducted (no weight), pagu-weighted deviation.
    assert r2024.weights["deviasi"] == 15 and "dispensasi" not in r2024.weights
    assert sum(r2024.weights.values()) == 100
    assert r2024.dispensation_deducts and r2024.deviation_weighted_by_pagu
    assert r2024.absorption_targets[3] == {"51": D(75), "52": D(70), "53": D(70), "57": D(75)}
    assert r2024.counted_revision_codes == frozenset({"201", "211", "212", "213", "217", "220"})
    assert r2024.revision_limit_per_semester == 2
    # Later years copy the last listed one.
    assert year_rules(FiscalYear.objects.get(year=2026)) == rules.YearRules(**{**vars(r2024), "year": 2026})
    # A second load changes nothing; an admin's edit is kept.
    IkpaAbsorptionTarget.objects.filter(fiscal_year__year=2024, quarter=3, spending_type__code="52").update(
        target=D(72)
    )
    load()
    assert year_rules(FiscalYear.objects.get(year=2024)).absorption_targets[3]["52"] == D(72)
    assert IkpaAbsorptionTarget.objects.filter(fiscal_year__year=2024).count() == 16


def test_a_year_without_its_rule_row_follows_its_regulation(db) -> None:
    old = year_rules(FiscalYear.objects.create(year=2023, deviation_tolerance=D(5)))
    assert not old.dispensation_deducts and not old.deviation_weighted_by_pagu
    assert old.deviation_curve == ((D(5), D(100)),)  # no point above the tolerance: flat at 100
    new = year_rules(FiscalYear.objects.create(year=2025))
    assert new.dispensation_deducts and new.deviation_weighted_by_pagu


def test_revision_codes_are_three_digits_separated_by_commas(satker, admin_user) -> None:
    fiscal_year = FiscalYear.objects.create(year=2024)
    rule = IkpaYearRule(fiscal_year=fiscal_year, counted_revision_codes="211, 201")
    rule.full_clean()
    assert rule.counted_revision_codes == "201,211"
    rule.counted_revision_codes = "201,21x"
    with pytest.raises(ValidationError):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        IkpaYearRule.objects.create(fiscal_year=fiscal_year, counted_revision_codes="201;211")
    revision = {"satker": satker, "fiscal_year": fiscal_year, "date": "2024-03-01", "reason": "x",
                "kind": BudgetRevision.Kind.SHIFT, "created_by": admin_user}  # fmt: skip
    BudgetRevision.objects.create(number=1, treasury_code="201", **revision)
    BudgetRevision.objects.create(number=2, treasury_code="", **revision)  # rows from before issue 24
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetRevision.objects.create(number=3, treasury_code="2x1", **revision)


def test_malformed_ikpa_files_are_refused_whole(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "ikpa_deviation_curve.csv").open("a") as handle:
        handle.write("2024,50,60\n2024,60,70\n")  # the score rises with the deviation
    with (data / "ikpa_weights.csv").open("a") as handle:
        handle.write("2025,OUTPUT,30\n")  # 2025 sums to 30
    with pytest.raises(CommandError) as refused:
        load(data_dir=data)
    message = str(refused.value)
    assert "ikpa_deviation_curve.csv baris" in message and "tidak boleh naik" in message
    assert "bobot tahun 2025 berjumlah 30" in message
    assert not FiscalYear.objects.exists()


@pytest.fixture
def figures(satker, other_satker, admin_user):
    fiscal_year = FiscalYear.objects.get_or_create(year=2024)[0]

    def figure(satker: Satker, month: int, indicator: str, value: str, source: str = "import") -> None:
        IkpaTreasuryFigure.objects.create(satker=satker, fiscal_year=fiscal_year, month=month, indicator=indicator,
                                          value=D(value), source=source, entered_by=admin_user)  # fmt: skip

    figure(satker, 1, "kontraktual", "80")
    figure(satker, 3, "kontraktual", "90")
    figure(satker, 5, "kontraktual", "95")
    figure(satker, 2, "dispensasi", "1.5", "admin")
    figure(other_satker, 4, "tagihan", "100")
    return fiscal_year


def test_treasury_figures_are_the_latest_of_the_months_up_to_the_asked_one(
    figures, satker, other_satker, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        found = treasury_figures([satker.pk, other_satker.pk], figures, 4)
    assert found == {
        satker.pk: {"kontraktual": (D(90), 3, "import"), "dispensasi": (D("1.5"), 2, "admin")},
        other_satker.pk: {"tagihan": (D(100), 4, "import")},
    }
    assert treasury_figures([satker.pk], figures, 1) == {satker.pk: {"kontraktual": (D(80), 1, "import")}}


def test_a_figure_typed_in_the_admin_is_marked_as_the_admins(figures, satker, admin_user) -> None:
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:budgets_ikpatreasuryfigure_add"),
        {"satker": satker.pk, "fiscal_year": figures.pk, "month": 6, "indicator": "up_tup", "value": "97.5"},
    )
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode(), re.S)
    typed = IkpaTreasuryFigure.objects.get(month=6, indicator="up_tup")
    assert (typed.source, typed.entered_by, typed.value) == ("admin", admin_user, D("97.5"))
    # An imported figure corrected by hand becomes the admin's (the upload no longer describes it).
    imported = IkpaTreasuryFigure.objects.get(month=5, indicator="kontraktual")
    response = client.post(
        reverse("admin:budgets_ikpatreasuryfigure_change", args=[imported.pk]),
        {"satker": satker.pk, "fiscal_year": figures.pk, "month": 5, "indicator": "kontraktual", "value": "96"},
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.source, imported.value) == ("admin", D(96))
    # Out of range: refused, nothing changed.
    response = client.post(
        reverse("admin:budgets_ikpatreasuryfigure_add"),
        {"satker": satker.pk, "fiscal_year": figures.pk, "month": 13, "indicator": "up_tup", "value": "101"},
    )
    assert response.status_code == 200
    assert IkpaTreasuryFigure.objects.count() == 6
