"""RPD: a 12-month grid per spending type that adds up to its effective pagu, changed at most
once per quarterly window after the first plan; a change plans only the months still to come,
and every save is kept as a version.

The tests run on June 15 of the running year (the ``today`` fixture below): January-June have
begun, July-December are still to come."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from budgets.models import RpdPlan, RpdRevision, RpdWindow
from tests.budgets.on_day import mid_june
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch) -> date:
    return mid_june(monkeypatch)


GOODS_EFFECTIVE = 140_000_000  # 90.000.000 + 50.000.000
CAPITAL_EFFECTIVE = 30_000_000


def rpd_url(satker, dipa) -> str:
    return reverse("budgets:rpd-entry", args=[satker.code, dipa.fiscal_year.year])


def grid(dipa, goods: list[int], capital: list[int]) -> dict[str, str]:
    data = {}
    for st, amounts in ((dipa.goods, goods), (dipa.capital, capital)):
        for month, amount in enumerate(amounts, start=1):
            data[f"rpd_{st.pk}_{month}"] = f"{amount:,}".replace(",", ".")
    return data


def even(total: int) -> list[int]:
    share = total // 12
    return [share] * 11 + [total - share * 11]


def planned(satker) -> dict[tuple[str, int], int]:
    return {(r.spending_type.code, r.month): r.amount for r in RpdPlan.objects.filter(satker=satker)}


def test_first_plan_is_saved_when_each_type_adds_up(officer, satker, dipa) -> None:
    client = client_for(officer)
    page = client.get(rpd_url(satker, dipa))
    assert page.status_code == 200
    assert "RPD awal dapat diisi" in page.content.decode()
    response = client.post(rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE)))
    assert response.status_code == 302
    plan = planned(satker)
    assert sum(v for (code, _m), v in plan.items() if code == "52") == GOODS_EFFECTIVE
    assert sum(v for (code, _m), v in plan.items() if code == "53") == CAPITAL_EFFECTIVE
    assert RpdRevision.objects.filter(satker=satker, window=None).count() == 1


def test_total_different_from_effective_pagu_is_refused_with_the_difference(officer, satker, dipa) -> None:
    goods = even(GOODS_EFFECTIVE)
    goods[0] += 1_000_000
    response = client_for(officer).post(rpd_url(satker, dipa), grid(dipa, goods, even(CAPITAL_EFFECTIVE)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jumlah RPD 52 Belanja Barang Rp141.000.000 harus sama dengan pagu efektifnya Rp140.000.000" in page
    assert "selisih Rp1.000.000" in page
    assert not RpdPlan.objects.exists()
    assert not RpdRevision.objects.exists()


def test_change_needs_an_open_window_and_only_once_per_window(officer, admin_user, satker, dipa, today) -> None:
    client = client_for(officer)
    client.post(rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE)))
    shifted = even(GOODS_EFFECTIVE)  # July to December: months still to come
    shifted[6], shifted[11] = shifted[6] - 1_000_000, shifted[11] + 1_000_000
    changed = grid(dipa, shifted, even(CAPITAL_EFFECTIVE))

    # No window open today: refused.
    RpdWindow.objects.all().delete()
    response = client.post(rpd_url(satker, dipa), changed)
    assert "jendela" in response.content.decode()
    assert planned(satker)[("52", 7)] == even(GOODS_EFFECTIVE)[6]

    # A window open for everyone: one change goes through, a second is refused.
    quarter = (today.month - 1) // 3 + 1
    RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=quarter, opens_on=today - timedelta(days=1),
                             closes_on=today + timedelta(days=1))  # fmt: skip
    assert client.post(rpd_url(satker, dipa), changed).status_code == 302
    assert planned(satker)[("52", 7)] == shifted[6]
    again = client.post(rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE)))
    assert "sudah diubah satu kali" in again.content.decode()
    assert planned(satker)[("52", 7)] == shifted[6]

    # An admin opens a window for this satker: one more change.
    RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=quarter, opens_on=today, closes_on=today,
                             satker=satker)  # fmt: skip
    assert (
        client.post(rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE))).status_code
        == 302
    )
    assert planned(satker)[("52", 7)] == even(GOODS_EFFECTIVE)[6]
    assert RpdRevision.objects.filter(satker=satker).count() == 3


def test_rpd_changes_are_audited(officer, satker, dipa) -> None:
    client_for(officer).post(rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE)))
    assert {h.history_user for h in RpdPlan.history.all()} == {officer}


def test_closed_year_rpd_is_read_only(officer, satker, dipa) -> None:
    dipa.fiscal_year.is_closed = True
    dipa.fiscal_year.save()
    response = client_for(officer).post(
        rpd_url(satker, dipa), grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE))
    )
    assert "ditutup" in response.content.decode()
    assert not RpdPlan.objects.exists()


def test_other_officer_and_readers_cannot_change_rpd(other_officer, reviewer, satker, dipa) -> None:
    data = grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE))
    assert client_for(other_officer).post(rpd_url(satker, dipa), data).status_code == 404
    assert client_for(reviewer).post(rpd_url(satker, dipa), data).status_code == 403
    assert client_for(reviewer).get(rpd_url(satker, dipa)).status_code == 200
    assert not RpdPlan.objects.exists()


def test_bad_cell_is_refused(officer, satker, dipa) -> None:
    data = grid(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE))
    data[f"rpd_{dipa.goods.pk}_3"] = "-100"
    response = client_for(officer).post(rpd_url(satker, dipa), data)
    assert "tidak boleh negatif" in response.content.decode()
    assert not RpdPlan.objects.exists()


def test_rpd_without_any_pagu_is_refused(officer, satker, dipa) -> None:
    from budgets.models import BudgetLine

    BudgetLine.objects.filter(satker=satker).delete()
    response = client_for(officer).post(rpd_url(satker, dipa), {})
    assert "Belum ada pagu" in response.content.decode()
    assert not RpdRevision.objects.exists()
