"""CSV exports never hand a spreadsheet a formula: text starting like one gets an apostrophe;
numbers, negative ones included, are written as they are."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from core.exports.csv_safety import spreadsheet_safe
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_formula_like_text_is_written_as_text(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["UD Maju", "Kopi 2026", "", -5, 1_250_000, None])
def test_other_values_are_untouched(value) -> None:
    assert spreadsheet_safe(value) == value


def test_registry_csv_export_keeps_formulas_inert(officer, province, satker) -> None:
    from tests.factories import RegencyFactory

    make_enterprise(RegencyFactory(province=province), '=HYPERLINK("http://evil","klik")')
    response = client_for(officer).get(reverse("programs:registry-list") + "?format=csv")
    body = b"".join(response.streaming_content).decode()
    names = [row["nama_usaha"] for row in csv.DictReader(io.StringIO(body))]
    assert names == ['\'=HYPERLINK("http://evil","klik")']


def test_report_csv_keeps_formulas_inert_and_numbers_as_they_are() -> None:
    from core.reporting.files import csv_value

    assert csv_value("=1+1") == "'=1+1"
    assert csv_value(-5) == "-5"
    assert csv_value(True) == "true"
