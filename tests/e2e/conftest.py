"""End-to-end tests: Debian's chromium, driven by Playwright's sync API, against pytest-django's
live server (a thread of this process, on the test database, so the tests build their data with
the ORM and services and check it there).

Chromium is never downloaded by Playwright: ``make test`` installs Debian's package
(``apt-get install chromium``) when /usr/bin/chromium is missing; where that was impossible the
tests skip and say so. Screenshots of the key pages go to docs/screenshots/ (the README shows
them) only when asked (`make screenshots`, which sets SCREENSHOTS=1); otherwise to a temporary
folder, so that `make test` leaves the checkout as it found it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright import sync_api

from tests.factories import TEST_PASSWORD

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1280, "height": 800}
README_SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    """Chromium for one test module. Module, not session: Playwright's sync API keeps an event
    loop running in this thread while it is open, and the other tests of the run must not find one."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"chromium is not installed at {CHROMIUM}: `make test` installs Debian's package with apt-get "
            "(as root or with password-less sudo); run `apt-get install chromium` to run the end-to-end tests"
        )
    # Django refuses ORM calls from a thread with a running event loop unless told that this is
    # safe; it is here (nothing is async: the loop only carries Playwright's messages).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[[], sync_api.Page]]:
    """Pages of their own browser contexts (one per person: own cookies, own session), on the live
    server, 1280x800; JavaScript errors and CSP violations fail the test."""
    contexts: list[sync_api.BrowserContext] = []
    problems: list[str] = []

    def make() -> sync_api.Page:
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="id-ID")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: _console_problem(page, message, problems))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, problems


def _console_problem(page: sync_api.Page, message: sync_api.ConsoleMessage, problems: list[str]) -> None:
    # A script or style refused by the Content-Security-Policy is only reported on the console.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        problems.append(f"{page.url}: {message.text}")


def sign_in(page: sync_api.Page, username: str, password: str = TEST_PASSWORD) -> None:
    """Through the real login form, as a person does."""
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert reverse("accounts:login") not in page.url, page.locator("main").inner_text()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where screenshots go: the README's folder when asked (SCREENSHOTS=1), a temporary one otherwise."""
    if os.environ.get("SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


def screenshot(page: sync_api.Page, folder: Path, name: str) -> Path:
    """<folder>/<name>.png, the whole page."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


@pytest.fixture
def demo() -> Iterator[None]:
    """The demo data (what `make run` loads) in a test's own database, for the tests of pages as the
    demo users see them (the live server needs committed rows: ``transaction=True`` tests)."""
    quiet = io.StringIO()
    call_command("load_master_data", through_year=timezone.localdate().year, stdout=quiet)
    call_command("load_demo_data", stdout=quiet)
    call_command("create_demo_users", stdout=quiet)
    yield
