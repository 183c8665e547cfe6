"""/reports/ikpa/ (issue 24): the CONTRACT keys per satker, ranked by the composite; the
directorate's value as the mean of the satkers' values; an officer's province only; the estimate
label and the imported values marked."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budgets.ikpa import rules
from budgets.models import FiscalYear, IkpaTreasuryFigure, Satker
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = reverse("reports:ikpa")
CONTRACT_KEYS = {"satker", "province", "revisi", "deviasi", "penyerapan", "kontraktual", "tagihan", "up_tup",
                 "capaian_output", "dispensasi", "nilai", "kategori"}  # fmt: skip


def signed_in(username: str) -> Client:
    return client_for(get_user_model().objects.get(username=username))


def get_json(client: Client, **params: object) -> dict:
    response = client.get(URL, {**params, "format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_rows_totals_and_scope_on_the_2023_demo(demo_data) -> None:
    admin = get_user_model().objects.get(username="admin")
    fiscal_year = FiscalYear.objects.get(year=2023)
    bengkulu = Satker.objects.get(code="170019")
    # The demo imports figures for every satker and month (demo/ikpa.py): two satkers without them
    # here, so that one figure of October is the only one that can show.
    IkpaTreasuryFigure.objects.filter(fiscal_year=fiscal_year, satker__code__in=["170019", "110019"]).delete()
    IkpaTreasuryFigure.objects.create(satker=bengkulu, fiscal_year=fiscal_year, month=10, indicator="kontraktual",
                                      value=Decimal("92.5"), source="import", entered_by=admin)  # fmt: skip
    reviewer = signed_in("reviewer")
    data = get_json(reviewer, year=2023, month=12)
    rows = data["rows"]
    assert len(rows) == 38
    assert all(set(row) >= CONTRACT_KEYS for row in rows)
    assert {"satker_name", "province_name"} <= set(rows[0])
    # Ranked by the composite, highest first.
    values = [Decimal(str(row["nilai"])) for row in rows]
    assert values == sorted(values, reverse=True)
    assert {row["kategori"] for row in rows} <= {"sangat_baik", "baik", "cukup", "kurang"}
    # The directorate's value is the mean of the satkers' values (not a composite of national sums).
    assert Decimal(str(data["totals"]["nilai"])) == rules.mean(values)
    assert Decimal(str(data["totals"]["deviasi"])) == rules.mean(Decimal(str(row["deviasi"])) for row in rows)
    assert Decimal(str(data["totals"]["deviasi"])) == Decimal("86.06")  # tests/budgets/test_ikpa_compute.py
    # The imported value, and where it came from.
    row = next(row for row in rows if row["satker"] == "170019")
    assert row["kontraktual"] == 92.5
    assert row["diimpor"] == "kontraktual: import 10"
    assert next(r for r in rows if r["satker"] == "110019")["kontraktual"] is None
    # Before October's figure: not yet.
    september = get_json(reviewer, year=2023, month=9)
    assert next(r for r in september["rows"] if r["satker"] == "170019")["kontraktual"] is None

    # An officer: their province's satker alone; another province: not found.
    officer = signed_in("officer-17")
    own = get_json(officer, year=2023, month=12)
    assert [row["satker"] for row in own["rows"]] == ["170019"]
    assert own["totals"]["nilai"] == own["rows"][0]["nilai"]
    assert officer.get(URL, {"year": 2023, "province": "11"}).status_code == 404

    # The page carries the estimate label and the directorate's value; the files the same rows.
    page = reviewer.get(URL, {"year": 2023, "month": 12}).content.decode()
    assert "Estimasi; nilai resmi adalah nilai dari Ditjen Perbendaharaan (OM-SPAN)" in page
    assert "rerata nilai 38 satker" in page
    rows_csv = list(csv.DictReader(io.StringIO(reviewer.get(URL, {"year": 2023, "month": 12, "format": "csv"})
                                               .content.decode())))  # fmt: skip
    assert [r["satker"] for r in rows_csv] == [r["satker"] for r in rows]
    book = openpyxl.load_workbook(io.BytesIO(reviewer.get(URL, {"year": 2023, "month": 12, "format": "xlsx"}).content))
    labels = {row[0]: row[1] for row in book.active.iter_rows(values_only=True) if row and row[0]}
    assert labels["Nilai IKPA direktorat (rerata nilai satker; estimasi)"] == float(data["totals"]["nilai"])


def test_the_report_within_its_query_budget(demo_data, django_assert_max_num_queries) -> None:
    reviewer = signed_in("reviewer")
    with django_assert_max_num_queries(40):
        assert reviewer.get(URL, {"year": 2023, "month": 12, "format": "json"}).status_code == 200
