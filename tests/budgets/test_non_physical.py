"""Deconcentration is for non-physical activities (PP 7/2008 art. 20(3)): no personnel (51) or
capital (53) line on a DK DIPA, in the pagu form, the pagu import and the admin's authority
(issue 19, finding 6); the demo keeps the rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from budgets.models import BudgetLine, BudgetRevision, SatkerAuthority
from budgets.non_physical import dk_account_problem
from imports.importer import import_file
from tests.budgets.test_pagu_import import workbook
from tests.budgets.test_pagu_revision import form, revise_url
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
RULE = "Dana dekonsentrasi hanya untuk kegiatan nonfisik (PP 7/2008 pasal 20 ayat 3)"


def test_the_rule_on_codes() -> None:
    assert dk_account_problem("DK", "532111").startswith(RULE)
    assert "belanja pegawai" in dk_account_problem("DK", "511111")
    assert dk_account_problem("DK", "526311") is None  # goods, even handed over, are 52
    assert dk_account_problem("TP", "532111") is None and dk_account_problem(None, "532111") is None


def test_the_pagu_form_refuses_a_capital_line_on_a_dk_dipa(admin_user, satker, dipa) -> None:
    """Bengkulu's DIPA has a capital line (532111): as DK, no revision passes until it goes."""
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    response = client_for(admin_user).post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (120_000_000, 0)}))
    assert response.status_code == 200
    assert RULE in response.content.decode() and "532111" in response.content.decode()
    assert not BudgetRevision.objects.exists()
    dipa.ovop.refresh_from_db()
    assert dipa.ovop.pagu == 100_000_000


def test_the_pagu_form_takes_a_capital_line_on_a_tp_dipa(admin_user, satker, dipa) -> None:
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="TP")
    response = client_for(admin_user).post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (120_000_000, 0)}))
    assert response.status_code == 302 and BudgetRevision.objects.count() == 1


def test_the_pagu_import_refuses_the_row_of_a_dk_capital_line(tmp_path, admin_user, satker, other_satker, dipa) -> None:
    year = dipa.fiscal_year.year
    SatkerAuthority.objects.create(satker=other_satker, fiscal_year=dipa.fiscal_year, authority="DK")
    path = workbook(tmp_path / "pagu.xlsx", [
        [other_satker.code, year, "051", "521211", 90_000_000, 0],
        [other_satker.code, year, "051", "532111", 10_000_000, 0],
    ])  # fmt: skip
    result = import_file(path, "pagu", user=admin_user, dry_run=False, reason="unggahan pagu.xlsx")
    assert not result.imported
    assert [(error.row, error.column) for error in result.plan.errors] == [(3, "kode_akun")]
    assert result.plan.errors[0].message.startswith(RULE)
    assert not BudgetLine.objects.filter(satker=other_satker, account__code="532111").exists()


def test_the_admin_cannot_make_a_satker_with_capital_lines_dk(admin_user, satker, dipa) -> None:
    authority = SatkerAuthority(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    with pytest.raises(ValidationError) as refused:
        authority.full_clean()
    assert RULE in str(refused.value) and "532111" in str(refused.value)
    SatkerAuthority(satker=satker, fiscal_year=dipa.fiscal_year, authority="TP").full_clean()
    page = client_for(admin_user).post(
        reverse("admin:budgets_satkerauthority_add"),
        {"satker": satker.pk, "fiscal_year": dipa.fiscal_year.pk, "authority": "DK"},
    )
    assert page.status_code == 200 and RULE in page.content.decode()
    assert not SatkerAuthority.objects.exists()


@pytest.fixture
def demo(demo_data: str) -> None:
    """The demo data of the whole run (tests/conftest.py)."""


def test_the_demo_keeps_the_rule(demo) -> None:
    dk_lines = BudgetLine.objects.filter(
        satker__authorities__fiscal_year=F("fiscal_year"), satker__authorities__authority="DK"
    )
    assert dk_lines.exists()
    assert not dk_lines.filter(account__code__regex=r"^5[13]").exists()
