"""The in-app inbox (core/inbox.py): notify, the bell's count and its one query, the page, marking
read by POST, and opening a notification without an open redirect."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core import inbox
from core.context_processors import notifications as bell
from core.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_notify_writes_one_per_active_user_in_one_query(officer, reviewer, viewer, django_assert_num_queries) -> None:
    viewer.is_active = False
    viewer.save()
    with django_assert_num_queries(1):
        written = inbox.notify([officer, reviewer, officer, viewer], "Subjek", "Isi", "/satkers/")
    assert len(written) == 2
    assert inbox.unread_count(officer) == 1 and inbox.unread_count(viewer) == 0


def test_the_bell_costs_no_query_for_anonymous_and_one_when_shown(officer, django_assert_num_queries) -> None:
    inbox.notify([officer], "a", "", "")
    inbox.notify([officer], "b", "", "")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert bell(request) == {"unread_notifications": 0}
    request.user = officer
    with django_assert_num_queries(1):
        count = bell(request)["unread_notifications"]
        assert int(str(count)) == 2 and bool(count) and str(count) == "2"


def test_the_bell_shows_the_unread_count_in_the_navbar(officer) -> None:
    client = client_for(officer)
    assert 'id="nav-bell"' in client.get(reverse("dashboard:home")).content.decode()
    for n in range(3):
        inbox.notify([officer], f"Pesan {n}", "", "")
    page = client.get(reverse("core:notifications")).content.decode()
    bell_html = page.split('id="nav-bell"')[1].split("</a>")[0]
    assert ">3<" in bell_html


def test_a_page_costs_one_query_more_with_the_bell(officer, django_assert_max_num_queries, settings) -> None:
    client = client_for(officer)
    url = reverse("core:notifications")
    client.get(url)
    with django_assert_max_num_queries(50) as with_bell:
        client.get(url)
    templates = [dict(settings.TEMPLATES[0])]
    options = dict(templates[0]["OPTIONS"])
    options["context_processors"] = [p for p in options["context_processors"] if "core.context_processors" not in p]
    templates[0]["OPTIONS"] = options
    with override_settings(TEMPLATES=templates), django_assert_max_num_queries(50) as without:
        client.get(url)
    counted = [q["sql"] for q in with_bell.captured_queries if "core_notification" in q["sql"] and "COUNT" in q["sql"]]
    assert len(counted) == 1
    assert len(with_bell.captured_queries) - len(without.captured_queries) == 1


def test_the_list_is_newest_first_and_only_ones_own(officer, other_officer) -> None:
    inbox.notify([officer], "lama", "", "")
    inbox.notify([officer], "baru", "", "")
    inbox.notify([other_officer], "orang lain", "", "")
    listed = client_for(officer).get(reverse("core:notifications")).context["notifications"]
    assert [n.subject for n in listed] == ["baru", "lama"]


def test_mark_one_and_all_read_by_post(officer, other_officer) -> None:
    first, second = (inbox.notify([officer], s, "", "")[0] for s in ("a", "b"))
    (theirs,) = inbox.notify([other_officer], "c", "", "")
    client = client_for(officer)
    assert client.get(reverse("core:notifications-read")).status_code == 405
    assert client.post(reverse("core:notifications-read"), {"pk": theirs.pk}).status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None  # not one's own: untouched
    client.post(reverse("core:notifications-read"), {"pk": first.pk})
    assert inbox.unread_count(officer) == 1
    assert client.post(reverse("core:notifications-read"), {"pk": "x"}).status_code == 400
    client.post(reverse("core:notifications-read"))
    assert inbox.unread_count(officer) == 0 and Notification.objects.get(pk=second.pk).read_at is not None


def test_marking_read_needs_the_csrf_token(officer) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    inbox.notify([officer], "a", "", "")
    assert client.post(reverse("core:notifications-read")).status_code == 403
    assert inbox.unread_count(officer) == 1


@override_settings(SITE_URL="https://monitoring.kemenperin.go.id")
@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/monthly-reports/7/", "/monthly-reports/7/"),
        ("https://monitoring.kemenperin.go.id/satkers/", "/satkers/"),
        ("https://monitoring.kemenperin.go.id.evil.example/x", None),
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_opening_follows_only_links_into_this_site(officer, url, target) -> None:
    assert inbox.safe_target(url) == target
    (notification,) = inbox.notify([officer], "s", "", url)
    response = client_for(officer).get(reverse("core:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == (target or reverse("core:notifications"))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_a_404(officer, other_officer) -> None:
    (theirs,) = inbox.notify([other_officer], "s", "", "/")
    assert client_for(officer).get(reverse("core:notification-open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
