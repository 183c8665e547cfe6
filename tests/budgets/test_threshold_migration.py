"""An existing database gets the per-year thresholds: years from 2023 still at the 91,20 % copied
from 2022 take the 2023 statement's 90 %; 2022 and a value an admin set stay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("budgets", "0011_month_end_rules")]
AFTER = [("budgets", "0012_thresholds_per_year")]


@pytest.fixture
def back_to_the_latest_schema():
    """The later tests need every migration and the triggers post_migrate installs: a plain
    ``migrate`` brings both back, whatever was added after 0012."""
    yield
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_years_from_2023_at_the_copied_threshold_take_90(back_to_the_latest_schema) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("budgets", "FiscalYear")
    for year, threshold in ((2022, "91.20"), (2023, "91.20"), (2024, "91.20"), (2025, "85.00")):
        old.objects.create(year=year, below_average_threshold=Decimal(threshold))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("budgets", "FiscalYear")
    assert dict(new.objects.values_list("year", "below_average_threshold")) == {
        2022: Decimal("91.20"), 2023: Decimal("90.00"), 2024: Decimal("90.00"), 2025: Decimal("85.00")
    }  # fmt: skip
    new.objects.all().delete()
