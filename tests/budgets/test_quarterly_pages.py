"""The quarterly report's page and actions per role, and the obstacle board (filters, figures,
scope)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from budgets.models import Obstacle, QuarterlyReport
from budgets.services import quarterly as service
from tests import quarterly_world as qw
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


@pytest.fixture
def world(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer) -> qw.World:
    world = qw.build(satker, other_satker, officer, other_officer, reviewer, admin_user, viewer)
    qw.first_quarter_on_target(world)
    return world


def page(world, q="1"):
    return reverse("budgets:quarterly-detail", args=[world.satker.code, qw.YEAR, q])


def act(client, world, action, q="1", **data):
    return client.post(reverse("budgets:quarterly-action", args=[world.satker.code, qw.YEAR, q, action]), data)


def test_officer_prepares_writes_and_submits_through_the_page(world) -> None:
    client = client_for(world.officer)
    response = client.get(page(world))
    assert response.status_code == 200 and "Siapkan laporan" in response.content.decode()
    assert act(client, world, "prepare").status_code == 302
    report = qw.quarterly(world)
    assert report.status == Status.DRAFT
    body = client.get(page(world)).content.decode()
    assert "40,00 %" in body and "6503.RBS.001" in body
    assert act(client, world, "narrative", version=report.version, narrative="Berjalan baik.").status_code == 302
    report.refresh_from_db()
    stale = act(client, world, "narrative", version=report.version - 1, narrative="lama")
    assert stale.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "Berjalan baik."
    answer = act(client, world, "obstacle-add", version=report.version, category="STAFF", description="PPK mutasi",
                 amount_at_risk="0", follow_up="Tunjuk PPK baru", owner="KPA", status="OPEN")  # fmt: skip
    assert answer.status_code == 302 and Obstacle.objects.get().category == "STAFF"
    report.refresh_from_db()
    assert act(client, world, "submit", version=report.version).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_obstacle_form_errors_come_back_on_the_page(world) -> None:
    client = client_for(world.officer)
    act(client, world, "prepare")
    report = qw.quarterly(world)
    response = act(client, world, "obstacle-add", version=report.version, category="STAFF", description="",
                   amount_at_risk="-5", follow_up="x", owner="y", status="OPEN")  # fmt: skip
    assert response.status_code == 200 and not Obstacle.objects.exists()


def test_head_verifies_and_reviewer_approves_through_the_page(world) -> None:
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    report = service.quarterly_submit(report=report, by=world.officer, today=date(2024, 4, 2))
    head = client_for(world.head)
    assert "Verifikasi laporan" in head.get(page(world)).content.decode()
    assert act(head, world, "verify", version=report.version).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.VERIFIED
    reviewer = client_for(world.reviewer)
    assert "Setujui laporan" in reviewer.get(page(world)).content.decode()
    assert act(reviewer, world, "approve", version=report.version).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED


@pytest.mark.parametrize("who", ["viewer", "reviewer", "head"])
def test_roles_that_do_not_prepare_get_403(world, who) -> None:
    assert act(client_for(getattr(world, who)), world, "prepare").status_code == 403
    assert not QuarterlyReport.objects.exists()


def test_other_province_sees_404(world) -> None:
    assert client_for(world.other_officer).get(page(world)).status_code == 404
    assert client_for(world.other_head).get(page(world)).status_code == 404
    assert act(client_for(world.other_head), world, "verify", version=1).status_code == 404


def test_year_end_page_and_satker_year_links(world) -> None:
    client = client_for(world.officer)
    body = client.get(page(world, "year-end")).content.decode()
    assert "Laporan akhir tahun 2024" in body
    year_page = client.get(reverse("budgets:satker-year", args=[world.satker.code, qw.YEAR])).content.decode()
    assert page(world, "year-end") in year_page and page(world, "3") in year_page
    assert client.get(f"/satkers/{world.satker.code}/2024/quarterly/5/").status_code == 404


# --- The obstacle board ---------------------------------------------------------------------


@pytest.fixture
def board(world):
    q1 = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    blokir = service.obstacle_add(report=q1, by=world.officer, category="BLOKIR", description="Blokir",
                                  follow_up="Buka blokir", owner="KPA")  # fmt: skip
    q2 = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=2, by=world.officer)
    service.obstacle_close(report=q2, obstacle=blokir, by=world.officer, outcome="Dibuka", resolved=True)
    service.obstacle_add(report=q2, by=world.officer, category="PROCUREMENT", description="Lelang gagal",
                         follow_up="Ulang", owner="PPK")  # fmt: skip
    aceh = service.quarterly_prepare(satker=world.other_satker, fiscal_year=world.fiscal_year, period=1,
                                     by=world.other_officer)  # fmt: skip
    service.obstacle_add(report=aceh, by=world.other_officer, category="DISASTER", description="Banjir",
                         follow_up="Jadwal ulang", owner="Kabid")  # fmt: skip
    return world


def test_board_counts_recurring_and_follow_ups_that_worked(board) -> None:
    response = client_for(board.reviewer).get(reverse("budgets:obstacles"))
    summary = response.context["summary"]
    assert {row["category"]: (row["total"], row["open"], row["resolved"]) for row in summary["categories"]} == {
        "BLOKIR": (1, 0, 1), "PROCUREMENT": (1, 1, 0), "DISASTER": (1, 1, 0)
    }  # fmt: skip
    assert [(row["province"], row["category"], row["reports"]) for row in summary["recurring"]] == [("17", "BLOKIR", 2)]
    filtered = client_for(board.reviewer).get(reverse("budgets:obstacles"), {"category": "DISASTER"})
    assert [row.record.category for row in filtered.context["table"].page.object_list] == ["DISASTER"]
    by_status = client_for(board.reviewer).get(reverse("budgets:obstacles"), {"status": "CLOSED", "year": 2024})
    assert [row.record.category for row in by_status.context["table"].page.object_list] == ["BLOKIR"]
    assert client_for(board.reviewer).get(reverse("budgets:obstacles"), {"year": 2023}).context["summary"]["total"] == 0


def test_officer_sees_only_its_province_on_the_board(board) -> None:
    response = client_for(board.officer).get(reverse("budgets:obstacles"))
    assert {row.record.satker.code for row in response.context["table"].page.object_list} == {"170019"}
    assert "DISASTER" not in {row["category"] for row in response.context["summary"]["categories"]}
    other = client_for(board.officer).get(reverse("budgets:obstacles"), {"province": board.other_satker.province.pk})
    assert other.context["summary"]["total"] == 0


def test_officer_edits_and_closes_an_obstacle_through_the_page(world) -> None:
    client = client_for(world.officer)
    act(client, world, "prepare")
    report = qw.quarterly(world)
    obstacle = service.obstacle_add(report=report, by=world.officer, category="STAFF", description="d",
                                    follow_up="f", owner="o")  # fmt: skip
    report.refresh_from_db()
    body = client.get(page(world)).content.decode()
    assert f'id="id_obstacle{obstacle.pk}_description"' in body and "Version" not in body
    answer = act(client, world, "obstacle-update", version=report.version, obstacle=obstacle.pk, category="STAFF",
                 description="PPK mutasi", amount_at_risk="5000000", follow_up="f", owner="o",
                 status="IN_PROGRESS")  # fmt: skip
    assert answer.status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.description == "PPK mutasi" and obstacle.status == "IN_PROGRESS"
    report.refresh_from_db()
    refused = act(client, world, "obstacle-close", version=report.version, obstacle=obstacle.pk, outcome="")
    assert refused.status_code == 200
    answer = act(client, world, "obstacle-close", version=report.version, obstacle=obstacle.pk, outcome="PPK baru",
                 resolved="yes")  # fmt: skip
    assert answer.status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.status == "CLOSED" and obstacle.resolved is True


def test_page_query_count_does_not_grow_with_obstacles(world, django_assert_max_num_queries) -> None:
    client = client_for(world.officer)
    report = service.quarterly_prepare(satker=world.satker, fiscal_year=world.fiscal_year, period=1, by=world.officer)
    service.obstacle_add(report=report, by=world.officer, category="STAFF", description="d", follow_up="f", owner="o")
    client.get(page(world))
    with django_assert_max_num_queries(60) as one:
        assert client.get(page(world)).status_code == 200
    for category in ("BLOKIR", "PROCUREMENT", "DISASTER", "OTHER"):
        service.obstacle_add(report=report, by=world.officer, category=category, description="d", follow_up="f",
                             owner="o")  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(page(world)).status_code == 200


def test_board_query_count_does_not_grow_with_obstacles(board, django_assert_max_num_queries) -> None:
    client = client_for(board.reviewer)
    client.get(reverse("budgets:obstacles"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("budgets:obstacles"))
    q3 = service.quarterly_prepare(satker=board.satker, fiscal_year=board.fiscal_year, period=3, by=board.officer)
    for category in ("STAFF", "REGULATION", "OTHER", "PARTICIPANTS"):
        service.obstacle_add(report=q3, by=board.officer, category=category, description="d", follow_up="f", owner="o")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("budgets:obstacles")).context["table"].page.object_list) == 7
