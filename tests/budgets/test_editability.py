"""Whether a month may be changed is one rule (budgets/services/editability.py), asked by the
realization service and its grid, the programme records' service and page, and both imports:
each refuses a submitted month with the same words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.services import realization_set, report_submit
from budgets.services.editability import month_lock
from imports.importer import import_file
from programs.records import services as records
from tests.conftest import client_for
from tests.imports.bad_files import workbook as write_workbook

pytestmark = pytest.mark.django_db


def test_a_submitted_month_is_refused_in_the_same_words_everywhere(tmp_path, dipa, officer, satker, regency, today):
    year = dipa.fiscal_year
    report = realization_set(satker=satker, fiscal_year=year, month=1, amounts={dipa.ovop.pk: 1_000_000},
                             expected_version=0, by=officer)  # fmt: skip
    report = report_submit(report=report, by=officer)
    lock = month_lock(fiscal_year=year, month=1, report=report, today=today)
    assert lock is not None and "terkunci" in lock.reason and not lock.on_year

    with pytest.raises(ValidationError) as refused:
        realization_set(satker=satker, fiscal_year=year, month=1, amounts={dipa.ovop.pk: 2_000_000},
                        expected_version=None, by=officer)  # fmt: skip
    assert refused.value.messages == [lock.reason]
    with pytest.raises(ValidationError) as refused:
        records.new_entrepreneur_create(satker=satker, fiscal_year=year, month=1, name="Siti", regency=regency,
                                        business_type="Keripik", by=officer)  # fmt: skip
    assert refused.value.messages == [lock.reason]

    header = ["kode_satker", "tahun", "bulan", "kode_komponen", "kode_akun", "realisasi"]
    path = write_workbook(tmp_path / "r.xlsx", header, [["170019", year.year, 1, "051", "521211", "2.000.000"]])
    imported = import_file(path, "realisasi", user=officer, dry_run=True, reason="test")
    assert [(error.column, error.message) for error in imported.plan.errors] == [("bulan", lock.reason)]

    client = client_for(officer)
    for page in (reverse("budgets:realization-entry", args=["170019", year.year, 1]),
                 reverse("programs:records", args=["170019", year.year, 1])):  # fmt: skip
        assert lock.reason in client.get(page).content.decode()


def test_a_closed_year_is_reported_on_the_year(dipa, today) -> None:
    dipa.fiscal_year.is_closed = True
    lock = month_lock(fiscal_year=dipa.fiscal_year, month=1, report=None, today=today)
    assert lock is not None and lock.on_year and "ditutup" in lock.reason


def test_a_month_not_started_yet_is_refused_and_this_month_is_not(dipa, today) -> None:
    assert month_lock(fiscal_year=dipa.fiscal_year, month=today.month, report=None, today=today) is None
    if today.month < 12:
        later = month_lock(fiscal_year=dipa.fiscal_year, month=today.month + 1, report=None, today=today)
        assert later is not None and "belum berjalan" in later.reason
