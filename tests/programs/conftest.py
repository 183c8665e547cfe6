"""Shared fixtures of the programme tests: regencies in the officer's province (Bengkulu) and in
another (Aceh), and the current fiscal year. Personas come from tests/conftest.py."""

from __future__ import annotations

import pytest
from django.utils import timezone

from budgets.models import FiscalYear, Regency


@pytest.fixture
def fiscal_year(db):
    return FiscalYear.objects.get_or_create(year=timezone.localdate().year)[0]


@pytest.fixture
def regency(province):
    return Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")


@pytest.fixture
def other_regency(other_province):
    return Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota")
