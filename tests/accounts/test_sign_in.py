"""Sign-in, wrong passwords, accounts without a role, and the (username, IP) lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE_IP = "10.17.0.5"
OTHER_IP = "10.11.0.9"


def sign_in(username: str, password: str, ip: str = OFFICE_IP, client: Client | None = None):
    client = client or Client()
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip), client


def test_officer_signs_in_and_lands_on_home(officer) -> None:
    response, client = sign_in("officer-17", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_login_page_is_indonesian(anonymous) -> None:
    page = anonymous.get(reverse("accounts:login")).content.decode()
    assert 'lang="id"' in page
    assert "Masuk ke Monitoring IKMA" in page
    assert "Nama pengguna" in page and "Kata sandi" in page


def test_wrong_password_gives_indonesian_message_without_hint(officer) -> None:
    wrong_password, _ = sign_in("officer-17", "not-the-password")
    unknown_user, _ = sign_in("nobody-here", "not-the-password")
    assert wrong_password.status_code == 200
    message = "Nama pengguna atau kata sandi salah"
    assert message in wrong_password.content.decode()
    # The same words whether the username or the password was wrong.
    assert wrong_password.context["form"].non_field_errors() == unknown_user.context["form"].non_field_errors()
    assert "_auth_user_id" not in wrong_password.wsgi_request.session


@pytest.mark.parametrize(
    ("role", "with_province", "message"),
    [("", False, "belum diberi peran"), ("OFFICER", False, "belum dikaitkan dengan provinsi")],
)
def test_account_without_usable_role_cannot_sign_in(role, with_province, message, province) -> None:
    UserFactory(username="incomplete", role=role, province=province if with_province else None)
    response, client = sign_in("incomplete", TEST_PASSWORD)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_signed_in_user_whose_role_was_removed_sees_clear_403(officer) -> None:
    _, client = sign_in("officer-17", TEST_PASSWORD)
    officer.role = ""
    officer.province = None
    officer.save()
    response = client.get(reverse("budgets:satker-list"))
    assert response.status_code == 403
    assert "belum diberi peran" in response.content.decode()


def test_five_failures_lock_the_username_from_that_address(officer) -> None:
    for _ in range(4):
        response, _ = sign_in("officer-17", "typo-typo-typo")
        assert response.status_code == 200
    fifth, _ = sign_in("officer-17", "typo-typo-typo")
    assert fifth.status_code == 429
    locked, client = sign_in("officer-17", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Akun terkunci sementara" in locked.content.decode()
    assert client.get(reverse("dashboard:home")).status_code == 302  # not signed in


def test_lockout_does_not_block_colleagues_behind_the_same_address(officer, other_officer) -> None:
    for _ in range(5):
        sign_in("officer-17", "typo-typo-typo")
    colleague, _ = sign_in("officer-11", TEST_PASSWORD, ip=OFFICE_IP)
    assert colleague.status_code == 302
    # Nor the same person signing in from another address.
    elsewhere, _ = sign_in("officer-17", TEST_PASSWORD, ip=OTHER_IP)
    assert elsewhere.status_code == 302


def test_lockout_ends_after_fifteen_minutes(officer) -> None:
    for _ in range(5):
        sign_in("officer-17", "typo-typo-typo")
    assert sign_in("officer-17", TEST_PASSWORD)[0].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in("officer-17", TEST_PASSWORD)[0].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in("officer-17", TEST_PASSWORD)[0].status_code == 302


def test_success_resets_the_failure_count(officer) -> None:
    for _ in range(4):
        sign_in("officer-17", "typo-typo-typo")
    assert sign_in("officer-17", TEST_PASSWORD)[0].status_code == 302
    for _ in range(4):
        assert sign_in("officer-17", "typo-typo-typo")[0].status_code == 200
    assert sign_in("officer-17", TEST_PASSWORD)[0].status_code == 302


def test_logout_needs_post_and_signs_out(officer) -> None:
    _, client = sign_in("officer-17", TEST_PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_password_change_in_indonesian(officer) -> None:
    _, client = sign_in("officer-17", TEST_PASSWORD)
    page = client.get(reverse("accounts:password-change"))
    assert "Ganti kata sandi" in page.content.decode()
    too_short = client.post(
        reverse("accounts:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": "pendek1", "new_password2": "pendek1"},
    )
    assert too_short.status_code == 200
    assert "terlalu pendek" in too_short.content.decode()
    new_password = "Pindang-Bengkulu-2026"
    changed = client.post(
        reverse("accounts:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert changed.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new_password)


def test_pages_stay_indonesian_whatever_the_browser_language(anonymous) -> None:
    page = anonymous.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
    assert "Nama pengguna" in page


def test_language_switch_is_remembered(anonymous) -> None:
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = anonymous.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in page
    assert "Username" in page
