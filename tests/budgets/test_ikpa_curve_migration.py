"""Migration 0026: each year's linear deviation penalty becomes the points of its curve."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("budgets", "0025_ikpa_rules")]
AFTER = [("budgets", "0026_ikpa_deviation_curve")]


@pytest.fixture
def back_to_the_latest_schema():
    yield
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_slope_becomes_the_curve(back_to_the_latest_schema) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("budgets", "FiscalYear")
    # slope 1 from 5 %: zero at 105 %; slope 2.5 from 4 %: zero at 4 + 40 = 44 %; slope 0: flat.
    for year, tolerance, penalty in ((2022, "5", "1"), (2023, "4", "2.5"), (2024, "5", "0")):
        old.objects.create(year=year, deviation_tolerance=D(tolerance), deviation_penalty=D(penalty))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Point = executor.loader.project_state(AFTER).apps.get_model("budgets", "IkpaDeviationPoint")
    points = sorted(Point.objects.values_list("fiscal_year__year", "deviation", "score"))
    assert points == [
        (2022, D(5), D(100)), (2022, D(105), D(0)), (2023, D(4), D(100)), (2023, D(44), D(0)), (2024, D(5), D(100)),
    ]  # fmt: skip
    Point.objects.all().delete()
    executor.loader.project_state(AFTER).apps.get_model("budgets", "FiscalYear").objects.all().delete()
