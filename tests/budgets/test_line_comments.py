"""Comments on one line of the monthly report (issue 22): the report's reviewers (the head, the
acting head of the day, the directorate's reviewers and admins) open a thread on a realization
line or an RO row; the officer or a reviewer answers; only the opener resolves; another
province's report or thread is a 404; threads stay with their line across resubmission; the
report page's queries do not grow with the threads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation
from budgets.models import LineComment, MonthlyReport
from budgets.services import realization_set, report_return, report_submit
from budgets.services.comments import comment_answer, comment_open, comment_resolve
from budgets.services.realization import report_get_or_create
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status


@pytest.fixture
def report(officer, satker, dipa) -> MonthlyReport:
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000},
                             expected_version=None, by=officer)  # fmt: skip
    ro_rows_filled(report)
    return report_submit(report=report, by=officer)


@pytest.fixture
def acting(head, province):
    deputy = UserFactory(username="sekdis-17", role="OFFICER", province=province)
    today = timezone.localdate()
    delegation = Delegation(head=head, acting=deputy, starts_on=today - timedelta(days=1),
                            ends_on=today + timedelta(days=1), decree="800/1/2026")  # fmt: skip
    delegation.full_clean()
    delegation.save()
    return deputy


def open_url(report) -> str:
    return reverse("budgets:comment-open", args=[report.pk])


def post_open(user, report, target: str, body: str = "Lampirkan SP2D."):
    return client_for(user).post(open_url(report), {"target": target, "body": body})


@pytest.mark.parametrize("who", ["head", "acting", "reviewer", "admin_user"])
def test_reviewers_open_a_thread_on_one_line(request, who, report, dipa) -> None:
    user = request.getfixturevalue(who)
    response = post_open(user, report, f"line-{dipa.ovop.pk}")
    assert response.status_code == 302 and response["Location"].endswith("#komentar")
    thread = LineComment.objects.get()
    assert (thread.line, thread.author, thread.body, thread.thread) == (dipa.ovop, user, "Lampirkan SP2D.", None)
    assert thread.history.count() == 1


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("viewer", 403), ("other_officer", 404),
                                             ("other_head", 404)])  # fmt: skip
def test_others_cannot_open_a_thread(request, who, status, report, dipa) -> None:
    response = post_open(request.getfixturevalue(who), report, f"line-{dipa.ovop.pk}")
    assert response.status_code == status
    assert not LineComment.objects.exists()


def test_a_thread_on_an_ro_row_and_a_foreign_target_is_refused(head, report, dipa) -> None:
    from tests.ro_world import dipa_ros

    ros = dipa_ros(dipa)
    assert post_open(head, report, f"ro-{ros['wub'].pk}").status_code == 302
    assert LineComment.objects.get().output == ros["wub"]
    # Another province's line is no choice of this report: nothing opened.
    post_open(head, report, f"line-{dipa.other_line.pk}")
    with pytest.raises(ValidationError):
        comment_open(report=report, target=dipa.other_line, body="x", by=head)
    assert LineComment.objects.count() == 1


@pytest.fixture
def thread(head, report, dipa) -> LineComment:
    return comment_open(report=report, target=dipa.ovop, body="Angka ini tidak cocok dengan SP2D.", by=head)


def answer_url(thread) -> str:
    return reverse("budgets:comment-answer", args=[thread.report_id, thread.pk])


def resolve_url(thread) -> str:
    return reverse("budgets:comment-resolve", args=[thread.report_id, thread.pk])


@pytest.mark.parametrize("who", ["officer", "head", "reviewer", "admin_user", "acting"])
def test_the_officer_and_the_reviewers_answer(request, who, thread) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).post(answer_url(thread), {"body": "SP2D terlampir."}).status_code == 302
    reply = LineComment.objects.get(thread=thread)
    assert (reply.author, reply.line_id, reply.report_id) == (user, thread.line_id, thread.report_id)


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("other_officer", 404), ("other_head", 404),
                                             (None, 302)])  # fmt: skip
def test_others_cannot_answer(request, who, status, thread) -> None:
    client = client_for(request.getfixturevalue(who)) if who else request.getfixturevalue("anonymous")
    response = client.post(answer_url(thread), {"body": "x"})
    assert response.status_code == status
    if who is None:
        assert "/login" in response["Location"] or "masuk" in response["Location"]
    assert not LineComment.objects.filter(thread=thread).exists()


def test_a_thread_of_another_report_is_a_404(thread, other_satker, dipa, head) -> None:
    foreign, _created = report_get_or_create(satker=other_satker, fiscal_year=dipa.fiscal_year, month=1)
    url = reverse("budgets:comment-answer", args=[foreign.pk, thread.pk])
    assert client_for(UserFactory(username="dir", role="REVIEWER")).post(url, {"body": "x"}).status_code == 404


def test_only_the_opener_resolves(thread, head, reviewer, officer, acting) -> None:
    for user in (reviewer, officer, acting):
        assert client_for(user).post(resolve_url(thread)).status_code == 403
        with pytest.raises(PermissionDenied):
            comment_resolve(thread=thread, by=user)
    thread.refresh_from_db()
    assert thread.resolved_at is None
    assert client_for(head).post(resolve_url(thread)).status_code == 302
    thread.refresh_from_db()
    assert thread.resolved_by == head and thread.resolved_at is not None
    # A resolved thread takes no answer and is not resolved twice.
    with pytest.raises(ValidationError):
        comment_answer(thread=thread, body="terlambat", by=officer)
    with pytest.raises(ValidationError):
        comment_resolve(thread=thread, by=head)


def test_replies_are_not_threads(thread, officer, head) -> None:
    reply = comment_answer(thread=thread, body="SP2D terlampir.", by=officer)
    with pytest.raises(ValidationError):
        comment_answer(thread=reply, body="x", by=head)
    with pytest.raises(ValidationError):
        comment_resolve(thread=reply, by=officer)


def test_an_empty_comment_is_refused(head, report, dipa) -> None:
    response = post_open(head, report, f"line-{dipa.ovop.pk}", body="   ")
    assert response.status_code == 302
    assert not LineComment.objects.exists()


def test_threads_stay_with_the_line_across_return_and_resubmission(thread, head, officer, satker, dipa) -> None:
    report = report_return(report=thread.report, by=head, comment="Perbaiki baris OVOP.")
    # The officer sees the open thread next to the line in the grid while fixing.
    grid = (
        client_for(officer)
        .get(reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1]))
        .content.decode()
    )
    assert "data-line-thread" in grid and "Angka ini tidak cocok dengan SP2D." in grid
    comment_answer(thread=thread, body="Sudah diperbaiki.", by=officer)
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 2_000},
                             expected_version=None, by=officer)  # fmt: skip
    report = report_submit(report=report, by=officer)
    page = client_for(head).get(reverse("budgets:report-detail", args=[report.pk])).content.decode()
    assert "Angka ini tidak cocok dengan SP2D." in page and "Sudah diperbaiki." in page
    assert f'data-comment-line="{dipa.ovop.pk}"' in page
    assert LineComment.objects.filter(report=report, line=dipa.ovop).count() == 2


def test_the_page_shows_forms_by_role(thread, head, officer, viewer) -> None:
    url = reverse("budgets:report-detail", args=[thread.report_id])
    head_page = client_for(head).get(url).content.decode()
    assert reverse("budgets:comment-open", args=[thread.report_id]) in head_page
    assert resolve_url(thread) in head_page
    officer_page = client_for(officer).get(url).content.decode()
    assert answer_url(thread) in officer_page and resolve_url(thread) not in officer_page
    assert f'action="{reverse("budgets:comment-open", args=[thread.report_id])}"' not in officer_page
    viewer_page = client_for(viewer).get(url).content.decode()
    assert "Angka ini tidak cocok dengan SP2D." in viewer_page and answer_url(thread) not in viewer_page


def test_report_page_queries_do_not_grow_with_threads(head, officer, report, dipa, regency,
                                                      django_assert_max_num_queries):  # fmt: skip
    from programs.models import NewEntrepreneur

    where = {"satker": report.satker, "fiscal_year": report.fiscal_year, "month": 1, "report": report}
    records = [NewEntrepreneur.objects.create(**where, name=f"Usaha {index}", regency=regency,
                                              business_type="Kopi") for index in range(3)]  # fmt: skip
    url = reverse("budgets:report-detail", args=[report.pk])
    client = client_for(officer)
    comment_answer(thread=comment_open(report=report, target=dipa.ovop, body="a", by=head), body="b", by=officer)
    comment_answer(thread=comment_open(report=report, target=records[0], body="c", by=head), body="d", by=officer)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    for target in (dipa.ovop, dipa.travel, dipa.machine, *records):
        for index in range(3):
            thread = comment_open(report=report, target=target, body=f"t{index}", by=head)
            comment_answer(thread=thread, body=f"r{index}", by=officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("data-reply") == 20 and page.count("data-thread-record") == 10
