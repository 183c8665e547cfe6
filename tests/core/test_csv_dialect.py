"""``?format=csv&dialect=id``: the same rows as the CONTRACT CSV for Excel with Indonesian
settings (";" separator, "," decimals, UTF-8 BOM); the default CSV stays exactly as it was."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exports.csv_dialect import BOM, DEFAULT, INDONESIAN, csv_text, dialect_from
from core.reporting.files import as_csv
from core.reporting.spec import Column, ReportResult, ReportSpec
from tests.conftest import client_for
from tests.programs.registry.support import make_enterprise

REGISTRY = reverse("programs:registry-list")


def spec_and_result() -> tuple[ReportSpec, ReportResult]:
    columns = (Column("nama", "Nama"), Column("pagu", "Pagu", "money"), Column("persen", "Persen", "percent"),
               Column("jumlah", "Jumlah", "int"), Column("aktif", "Aktif", "bool"))  # fmt: skip
    spec = ReportSpec("test", "Uji", columns, lambda *_: None)  # type: ignore[arg-type]
    rows = [{"nama": "Sentra; Batik", "pagu": 1500000, "persen": Decimal("97.97"), "jumlah": 12000, "aktif": True},
            {"nama": "=HYPERLINK()", "pagu": None, "persen": Decimal("50.5"), "jumlah": 0, "aktif": False}]  # fmt: skip
    return spec, ReportResult("test", rows, {})


def test_default_csv_is_unchanged() -> None:
    spec, result = spec_and_result()
    body = as_csv(spec, result, "x").content.decode("utf-8")
    assert body == (
        "nama,pagu,persen,jumlah,aktif\nSentra; Batik,1500000,97.97,12000,true\n'=HYPERLINK(),,50.5,0,false\n"
    )


def test_indonesian_csv_bom_semicolons_and_decimal_commas() -> None:
    spec, result = spec_and_result()
    raw = as_csv(spec, result, "x", INDONESIAN).content
    assert raw.startswith(BOM.encode("utf-8"))
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "nama;pagu;persen;jumlah;aktif"
    assert text.splitlines()[1] == '"Sentra; Batik";1500000;97,97;12000;true'  # the ";" kept in one quoted cell
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Sentra; Batik", "1500000", "97,97", "12000", "true"]
    assert rows[2] == ["'=HYPERLINK()", "", "50,5", "0", "false"]  # integers never get separators


def test_dialect_names() -> None:
    assert dialect_from(None) is DEFAULT and dialect_from("") is DEFAULT and dialect_from("id") is INDONESIAN
    assert dialect_from("de") is None
    assert csv_text(["a"], [[Decimal("1.5")]], DEFAULT) == "a\n1.5\n"


@pytest.mark.django_db
def test_registry_offers_and_writes_both_csvs(officer, regency) -> None:
    make_enterprise(regency, "Kopi; Robusta", nib="0012345678901", investment=2_500_000)
    client = client_for(officer)
    page = client.get(REGISTRY).content.decode()
    assert "format=csv&amp;dialect=id" in page and "CSV (Excel Indonesia)" in page

    default = b"".join(client.get(REGISTRY, {"format": "csv"}).streaming_content)
    assert not default.startswith(BOM.encode()) and default.startswith(b"nib,nama_usaha,")
    raw = b"".join(client.get(REGISTRY, {"format": "csv", "dialect": "id"}).streaming_content)
    assert raw.startswith(BOM.encode("utf-8"))
    id_rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    default_rows = list(csv.DictReader(io.StringIO(default.decode())))
    assert len(id_rows) == len(default_rows) == 1 and id_rows[0].keys() == default_rows[0].keys()
    assert id_rows[0]["nama_usaha"] == default_rows[0]["nama_usaha"] == "Kopi; Robusta"
    assert id_rows[0]["nib"] == "0012345678901"
    assert default_rows[0]["investasi"] == id_rows[0]["investasi"] == "2500000"  # no thousands separators
    assert client.get(REGISTRY, {"format": "csv", "dialect": "xx"}).status_code == 400


@pytest.mark.django_db
def test_report_offers_and_writes_both_csvs(demo_data) -> None:
    from django.contrib.auth import get_user_model

    client = client_for(get_user_model().objects.get(username="reviewer"))
    url = reverse("reports:provinces")
    params = {"year": 2022, "authority": "DK", "month": 6}
    page = client.get(url, params).content.decode()
    assert "dialect=id" in page and "CSV (Excel Indonesia)" in page
    payload = json.loads(client.get(url, {**params, "format": "json"}).content)
    raw = client.get(url, {**params, "format": "csv", "dialect": "id"}).content
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [row["province"] for row in rows] == [row["province"] for row in payload["rows"]]
    assert [float(row["persen"].replace(",", ".")) for row in rows] == [row["persen"] for row in payload["rows"]]
    assert any("," in row["persen"] for row in rows)
    default = client.get(url, {**params, "format": "csv"}).content
    assert default.startswith(b"rank,province,") and b";" not in default.splitlines()[0]
    assert client.get(url, {**params, "format": "csv", "dialect": "xx"}).status_code == 400
