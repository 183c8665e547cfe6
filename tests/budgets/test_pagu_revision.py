"""Pagu per budget line, entered and revised by directorate admins, with before/after kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import BudgetComponent, BudgetLine, BudgetRevision
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def revise_url(satker, dipa) -> str:
    return reverse("budgets:pagu-revise", args=[satker.code, dipa.fiscal_year.year])


def form(dipa, lines: dict, new: list[dict] | None = None, **header) -> dict[str, str]:
    data = {"kind": "PAGU", "date": "2026-03-02", "reason": "Revisi anggaran triwulan I", **header}
    for line in (dipa.ovop, dipa.travel, dipa.machine):
        pagu, blokir = lines.get(line, (line.pagu, line.blokir))
        data[f"line-{line.pk}-pagu"] = f"{pagu:,}".replace(",", ".")
        data[f"line-{line.pk}-blokir"] = f"{blokir:,}".replace(",", ".")
    new = new or []
    data.update(
        {"new-TOTAL_FORMS": "3", "new-INITIAL_FORMS": "0", "new-MIN_NUM_FORMS": "0", "new-MAX_NUM_FORMS": "1000"}
    )
    for index, row in enumerate(new):
        for key, value in row.items():
            data[f"new-{index}-{key}"] = value
    return data


def test_admin_revises_a_line_and_adds_one_with_before_and_after(admin_user, satker, dipa) -> None:
    client = client_for(admin_user)
    assert client.get(revise_url(satker, dipa)).status_code == 200
    poverty = BudgetComponent.objects.create(code="052", name="Penanganan kemiskinan ekstrem", name_en="Poverty")
    new = [{"component": poverty.pk, "account": dipa.ovop.account.pk, "pagu": "25.000.000", "blokir": ""}]
    response = client.post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (120_000_000, 0)}, new))
    assert response.status_code == 302
    revision = BudgetRevision.objects.get(satker=satker)
    changes = {
        (c.line.component.code, c.line.account.code): (c.pagu_before, c.pagu_after, c.blokir_before, c.blokir_after)
        for c in revision.lines.all()
    }
    assert changes == {
        ("051", "521211"): (100_000_000, 120_000_000, 10_000_000, 0),
        ("052", "521211"): (0, 25_000_000, 0, 0),
    }
    assert (revision.number, revision.created_by) == (0, admin_user)
    dipa.ovop.refresh_from_db()
    assert dipa.ovop.pagu_efektif == 120_000_000
    # The line's own history says who and why.
    assert dipa.ovop.history.first().history_user == admin_user
    page = client.get(reverse("budgets:pagu", args=[satker.code, dipa.fiscal_year.year])).content.decode()
    assert "Revisi ke-0" in page and "Revisi anggaran triwulan I" in page and "120.000.000" in page


def test_blokir_above_pagu_and_effective_below_realized_are_refused(admin_user, officer, satker, dipa) -> None:
    client_for(officer).post(
        reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]),
        {"version": 0, f"line_{dipa.ovop.pk}": "80.000.000"},
    )
    client = client_for(admin_user)
    response = client.post(revise_url(satker, dipa), form(dipa, {dipa.travel: (50_000_000, 60_000_000)}))
    assert "Blokir Rp60.000.000 melebihi pagu Rp50.000.000" in response.content.decode()
    response = client.post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (100_000_000, 30_000_000)}))
    assert "di bawah realisasi yang sudah tercatat Rp80.000.000" in response.content.decode()
    assert not BudgetRevision.objects.exists()
    dipa.ovop.refresh_from_db()
    assert (dipa.ovop.pagu, dipa.ovop.blokir) == (100_000_000, 10_000_000)


def test_revision_needs_a_reason_and_a_change(admin_user, satker, dipa) -> None:
    client = client_for(admin_user)
    assert (
        "Bidang ini tidak boleh kosong"
        in client.post(revise_url(satker, dipa), form(dipa, {}, reason="")).content.decode()
    )
    assert "Tidak ada perubahan" in client.post(revise_url(satker, dipa), form(dipa, {})).content.decode()
    assert not BudgetRevision.objects.exists()


def test_revision_numbers_follow_each_other(admin_user, satker, dipa) -> None:
    client = client_for(admin_user)
    client.post(revise_url(satker, dipa), form(dipa, {dipa.travel: (55_000_000, 0)}))
    client.post(revise_url(satker, dipa), form(dipa, {dipa.travel: (55_000_000, 5_000_000)}, kind="BLOKIR"))
    assert list(BudgetRevision.objects.order_by("number").values_list("number", "kind")) == [(0, "PAGU"), (1, "BLOKIR")]


@pytest.mark.parametrize("persona", ["officer", "reviewer", "viewer"])
def test_only_admins_revise(persona, satker, dipa, request) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(revise_url(satker, dipa)).status_code == 403
    assert client.post(revise_url(satker, dipa), form(dipa, {dipa.travel: (1, 0)})).status_code == 403
    assert BudgetLine.objects.get(pk=dipa.travel.pk).pagu == 50_000_000


def test_officers_read_only_their_own_pagu(officer, other_officer, satker, dipa) -> None:
    url = reverse("budgets:pagu", args=[satker.code, dipa.fiscal_year.year])
    page = client_for(officer).get(url)
    assert page.status_code == 200
    assert "Catat revisi DIPA" not in page.content.decode()
    assert client_for(other_officer).get(url).status_code == 404


def test_the_revision_form_records_the_treasury_code(admin_user, satker, dipa) -> None:
    """Issue 24: IKPA counts revisions by the treasury's code; a code that is not three digits is
    refused with nothing recorded."""
    client = client_for(admin_user)
    refused = client.post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (120_000_000, 0)}, treasury_code="2a1"))
    assert refused.status_code == 200 and "Kode revisi terdiri dari tiga digit." in refused.content.decode()
    assert not BudgetRevision.objects.exists()
    response = client.post(revise_url(satker, dipa), form(dipa, {dipa.ovop: (120_000_000, 0)}, treasury_code="201"))
    assert response.status_code == 302
    assert BudgetRevision.objects.get(satker=satker).treasury_code == "201"
    page = client.get(reverse("budgets:pagu", args=[satker.code, dipa.fiscal_year.year])).content.decode()
    assert "kode 201" in page
