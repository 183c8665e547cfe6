"""Dates read as people write them: "7 Februari 2026" in Indonesian, "7 February 2026" in
English (not 07-02-2026), on pages and in report tables."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from budgets.models import MonthlyReport
from core.reporting.html import display
from tests.access_world import build_world
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_report_page_writes_its_due_date_in_words(satker, other_satker, officer, other_officer) -> None:
    world = build_world(satker, other_satker, officer, other_officer)
    MonthlyReport.objects.filter(pk=world.own.report.pk).update(due_date=date(world.fiscal_year.year, 2, 7))
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[world.own.report.pk])).content.decode()
    assert f"7 Februari {world.fiscal_year.year}" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("budgets:report-detail", args=[world.own.report.pk])).content.decode()
    assert f"7 February {world.fiscal_year.year}" in page


def test_report_tables_write_dates_in_words() -> None:
    with translation.override("id"):
        assert display("date", date(2023, 2, 11)) == "11 Februari 2023"
