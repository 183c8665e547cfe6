"""RPD: a 12-month grid per spending type that adds up to its effective pagu, changed at most
once per quarterly window after the first plan; a change plans only the months still to come,
and every save is kept as a version.

The tests run on June 15 of the running year (the ``today`` fixture below): January-June have
begun, July-December are still to come."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budgets.models import RpdPlan, RpdRevision, RpdWindow, SatkerAuthority
from budgets.reports.queries import RealizationFilter, monthly_report
from budgets.services import realization_set, report_submit, rpd_editability, rpd_frozen_months, rpd_set
from tests.conftest import client_for
from tests.on_day import mid_june

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


# --- Frozen months: a change plans only the months still to come --------------------------------


def first_plan(satker, dipa, officer) -> RpdRevision:
    return rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                   plan=plan_of(dipa, even(GOODS_EFFECTIVE), even(CAPITAL_EFFECTIVE)))  # fmt: skip


def plan_of(dipa, goods: list[int], capital: list[int]) -> dict[tuple[int, int], int]:
    return {(st.pk, month): amount for st, amounts in ((dipa.goods, goods), (dipa.capital, capital))
            for month, amount in enumerate(amounts, start=1)}  # fmt: skip


def open_window(dipa, today, satker=None) -> RpdWindow:
    return RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=(today.month - 1) // 3 + 1,
                                    opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1),
                                    satker=satker)  # fmt: skip


def moved(months: tuple[int, int], amount: int = 1_000_000) -> list[int]:
    """Goods' even plan with ``amount`` moved from the first month to the second."""
    goods = even(GOODS_EFFECTIVE)
    goods[months[0] - 1] -= amount
    goods[months[1] - 1] += amount
    return goods


def test_frozen_months_are_those_begun() -> None:
    assert list(rpd_frozen_months(2026, date(2026, 6, 15))) == [1, 2, 3, 4, 5, 6]
    assert list(rpd_frozen_months(2026, date(2026, 1, 1))) == [1]
    assert list(rpd_frozen_months(2025, date(2026, 1, 1))) == list(range(1, 13))
    assert list(rpd_frozen_months(2027, date(2026, 12, 31))) == []


def test_first_plan_may_set_every_month_even_when_the_year_has_begun(officer, admin_user, satker, dipa, today) -> None:
    revision = first_plan(satker, dipa, officer)
    assert revision.window is None and revision.before == {}
    assert revision.after == {f"{code}-{month}": amount for code, amounts in
                              (("52", even(GOODS_EFFECTIVE)), ("53", even(CAPITAL_EFFECTIVE)))
                              for month, amount in enumerate(amounts, start=1)}  # fmt: skip
    # Late in December too: the DIPA's page III entered late sets the months already past.
    year = dipa.fiscal_year.year
    rpd_set(satker=dipa.other_line.satker, fiscal_year=dipa.fiscal_year, by=admin_user,
            plan={(dipa.goods.pk, 1): 80_000_000}, today=date(year, 12, 20))  # fmt: skip
    assert RpdPlan.objects.get(satker=dipa.other_line.satker).amount == 80_000_000


def test_a_change_of_a_begun_month_is_refused_naming_the_frozen_months(officer, satker, dipa, today) -> None:
    first_plan(satker, dipa, officer)
    window = open_window(dipa, today)
    history, stored = RpdPlan.history.count(), planned(satker)
    year = dipa.fiscal_year.year
    # January's plan set to what was realized, the difference pushed into December.
    with pytest.raises(ValidationError) as refused:
        rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                plan=plan_of(dipa, moved((1, 12)), even(CAPITAL_EFFECTIVE)))  # fmt: skip
    assert refused.value.messages == [
        f"Rencana bulan Januari-Juni {year} sudah berjalan dan tidak dapat diubah; perubahan RPD hanya untuk bulan "
        "sesudahnya (Juli-Desember). Bulan yang diubah: Januari."
    ]
    assert planned(satker) == stored and RpdPlan.history.count() == history
    assert not RpdRevision.objects.filter(window=window).exists()  # the window is still unused


def test_a_change_of_months_to_come_is_kept_as_a_version(officer, satker, dipa, today) -> None:
    first_plan(satker, dipa, officer)
    window = open_window(dipa, today)
    revision = rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                       plan=plan_of(dipa, moved((7, 12)), even(CAPITAL_EFFECTIVE)))  # fmt: skip
    share = GOODS_EFFECTIVE // 12
    december = GOODS_EFFECTIVE - 11 * share
    assert (revision.window, revision.saved_by) == (window, officer)
    assert revision.changed_cells() == [("52", 7, share, share - 1_000_000), ("52", 12, december, december + 1_000_000)]
    assert revision.before["52-7"] == share and revision.after["52-7"] == share - 1_000_000
    assert planned(satker)[("52", 7)] == share - 1_000_000


def test_a_change_that_cannot_add_up_in_the_months_to_come_gets_the_sum_error(officer, satker, dipa, today) -> None:
    first_plan(satker, dipa, officer)
    open_window(dipa, today)
    goods = even(GOODS_EFFECTIVE)
    goods[8] += 5_000_000  # September more, nothing less elsewhere
    with pytest.raises(ValidationError) as refused:
        rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                plan=plan_of(dipa, goods, even(CAPITAL_EFFECTIVE)))  # fmt: skip
    assert "selisih Rp5.000.000" in " ".join(refused.value.messages)


def test_nothing_can_change_once_every_month_has_begun(officer, satker, dipa) -> None:
    first_plan(satker, dipa, officer)
    december = date(dipa.fiscal_year.year, 12, 10)
    open_window(dipa, december)
    editability = rpd_editability(satker=satker, fiscal_year=dipa.fiscal_year, today=december)
    assert not editability.allowed
    assert editability.reason == (
        f"Rencana bulan Januari-Desember {dipa.fiscal_year.year} sudah berjalan; RPD tahun ini tidak dapat diubah lagi."
    )
    with pytest.raises(ValidationError):
        rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer, today=december,
                plan=plan_of(dipa, moved((11, 12)), even(CAPITAL_EFFECTIVE)))  # fmt: skip


def cell_input(page: str, spending_type, month: int) -> str:
    return re.search(rf'<input[^>]*id="id_rpd_{spending_type.pk}_{month}"[^>]*>', page).group(0)


def test_the_page_shows_begun_months_read_only_with_a_note(officer, satker, dipa, today) -> None:
    client = client_for(officer)
    page = client.get(rpd_url(satker, dipa)).content.decode()
    assert "disabled" not in cell_input(page, dipa.goods, 1)  # the first plan: every month

    first_plan(satker, dipa, officer)
    open_window(dipa, today)
    page = client.get(rpd_url(satker, dipa)).content.decode()
    year = dipa.fiscal_year.year
    assert (
        f"Rencana bulan Januari-Juni {year} sudah berjalan dan tidak dapat diubah; perubahan RPD hanya untuk bulan "
        "sesudahnya (Juli-Desember)." in page
    )
    for spending_type in (dipa.goods, dipa.capital):
        assert all("disabled" in cell_input(page, spending_type, month) for month in range(1, 7))
        assert all("disabled" not in cell_input(page, spending_type, month) for month in range(7, 13))


def test_a_posted_change_of_a_begun_month_is_ignored(officer, satker, dipa, today) -> None:
    first_plan(satker, dipa, officer)
    open_window(dipa, today)
    stored = planned(satker)
    client = client_for(officer)

    # January moved to December, as a browser that ignores "disabled" would post it: January keeps
    # its plan, so 52 no longer adds up and nothing is saved.
    response = client.post(rpd_url(satker, dipa), grid(dipa, moved((1, 12)), even(CAPITAL_EFFECTIVE)))
    assert response.status_code == 200
    assert "selisih Rp1.000.000" in response.content.decode()
    assert planned(satker) == stored and RpdRevision.objects.count() == 1

    # January zeroed and July changed as well: January stays, July's change is saved.
    goods = moved((7, 12))
    goods[0] = 0
    tampered = grid(dipa, goods, even(CAPITAL_EFFECTIVE))
    assert client.post(rpd_url(satker, dipa), tampered).status_code == 302
    assert planned(satker)[("52", 1)] == stored[("52", 1)]
    assert planned(satker)[("52", 7)] == stored[("52", 7)] - 1_000_000


def test_the_page_lists_the_versions_newest_first(officer, satker, dipa, today) -> None:
    first_plan(satker, dipa, officer)
    window = open_window(dipa, today)
    rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
            plan=plan_of(dipa, moved((7, 12)), even(CAPITAL_EFFECTIVE)))  # fmt: skip
    # A save from before versions were kept: listed, without its cells.
    old = RpdRevision.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, saved_by=officer)
    RpdRevision.objects.filter(pk=old.pk).update(saved_at=timezone.now() - timedelta(days=400))
    page = client_for(officer).get(rpd_url(satker, dipa)).content.decode()
    versions = page[page.index('id="rpd-versions"') :]
    share = GOODS_EFFECTIVE // 12
    change = f"Juli · 52 Belanja Barang: {share:,} → {share - 1_000_000:,}".replace(",", ".")
    first = f"Januari · 52 Belanja Barang: 0 → {share:,}".replace(",", ".")
    assert change in versions and "Desember · 52 Belanja Barang" in versions
    assert versions.index(str(window)) < versions.index(change) < versions.index("RPD awal") < versions.index(first)
    assert versions.index(first) < versions.index("Rincian tidak tercatat")
    assert officer.username in versions


def test_the_versions_cost_the_same_queries_however_many(officer, satker, dipa, today, django_assert_max_num_queries):
    first_plan(satker, dipa, officer)
    client = client_for(officer)
    with django_assert_max_num_queries(40) as few:
        assert client.get(rpd_url(satker, dipa)).status_code == 200
    for quarter in range(1, 5):
        window = RpdWindow.objects.create(fiscal_year=dipa.fiscal_year, quarter=quarter, opens_on=today,
                                          closes_on=today, satker=satker)  # fmt: skip
        RpdRevision.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, window=window, saved_by=officer,
                                   before={"52-7": 1}, after={"52-8": 1})  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(rpd_url(satker, dipa)).content.decode()
    assert page.count("Agustus · 52 Belanja Barang: 0 → 1</li>") == 4


def test_the_admin_cannot_write_a_plan(admin_user, officer, satker, dipa) -> None:
    first_plan(satker, dipa, officer)
    row = RpdPlan.objects.get(spending_type=dipa.goods, month=1)
    client = client_for(admin_user)
    assert client.get(reverse("admin:budgets_rpdplan_changelist")).status_code == 200
    assert client.get(reverse("admin:budgets_rpdplan_add")).status_code == 403
    assert client.post(reverse("admin:budgets_rpdplan_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    change = {"satker": satker.pk, "fiscal_year": dipa.fiscal_year.pk, "month": 1, "spending_type": dipa.goods.pk,
              "amount": 5}  # fmt: skip
    client.post(reverse("admin:budgets_rpdplan_change", args=[row.pk]), change)
    # simple_history's "revert" form would save a posted version for anyone who may view the row.
    version = reverse("admin:budgets_rpdplan_simple_history", args=[row.pk, row.history.first().history_id])
    assert client.get(version).status_code == 200
    assert client.post(version, change).status_code == 403
    row.refresh_from_db()
    assert row.amount == even(GOODS_EFFECTIVE)[0]


def test_past_months_keep_their_plan_and_deviation_in_the_monthly_report(officer, satker, dipa, today) -> None:
    SatkerAuthority.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, authority="DK")
    first_plan(satker, dipa, officer)
    for month in (1, 2, 3):  # realized: 5.000.000 of goods a month, submitted for review
        report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=month, by=officer,
                                 amounts={dipa.ovop.pk: 5_000_000}, expected_version=0)  # fmt: skip
        report_submit(report=report, by=officer, expected_version=report.version)
    filters = RealizationFilter(year=dipa.fiscal_year.year, basis="submitted")

    def by_month() -> dict[int, tuple]:
        rows = monthly_report(filters, fiscal_year=dipa.fiscal_year).rows
        return {row["month"]: (row["rpd"], row["rpd_kumulatif"], row["deviasi"], row["skor_deviasi"]) for row in rows}

    before = by_month()
    assert before[1][2] is not None and before[1][2] > 0  # January's realization differs from its plan
    window = open_window(dipa, today)

    # January-March planned as realized, the rest pushed into December: refused, the report unchanged.
    goods = even(GOODS_EFFECTIVE)
    for month in (1, 2, 3):
        goods[11] += goods[month - 1] - 5_000_000
        goods[month - 1] = 5_000_000
    with pytest.raises(ValidationError):
        rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
                plan=plan_of(dipa, goods, even(CAPITAL_EFFECTIVE)))  # fmt: skip
    assert by_month() == before

    # A change of the months to come: the months begun keep their RPD and deviation.
    rpd_set(satker=satker, fiscal_year=dipa.fiscal_year, by=officer,
            plan=plan_of(dipa, moved((7, 12)), even(CAPITAL_EFFECTIVE)))  # fmt: skip
    assert RpdRevision.objects.filter(window=window).exists()
    after = by_month()
    assert {month: after[month] for month in range(1, 7)} == {month: before[month] for month in range(1, 7)}
    assert after[7][0] == before[7][0] - 1_000_000


def test_a_typing_mistake_and_a_wrong_total_are_reported_in_one_save(officer, satker, dipa) -> None:
    """Issue 23: the goods total that does not add up is named in the same save as the capital row's
    typing mistake; the capital row's total is not judged (one of its cells could not be read)."""
    goods = even(GOODS_EFFECTIVE)
    goods[0] += 1_000_000
    data = grid(dipa, goods, even(CAPITAL_EFFECTIVE))
    data[f"rpd_{dipa.capital.pk}_3"] = "1,250"
    page = client_for(officer).post(rpd_url(satker, dipa), data).content.decode()
    assert "Jumlah RPD 52 Belanja Barang Rp141.000.000 harus sama dengan pagu efektifnya" in page
    assert "Tulis 1.250 atau 1250" in page
    assert "Jumlah RPD 53" not in page
    assert not RpdPlan.objects.exists() and not RpdRevision.objects.exists()
