"""The API's interactive documentation (/api/v1/docs, django-ninja's Swagger UI from its own static
files) in a real browser under the site's Content-Security-Policy: it renders every operation, and
"Try it out" with a token reads a report. A script, style or request the policy refused fails the
test (tests/e2e/conftest.py's ``new_page`` watches the console)."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_works_under_the_csp(new_page, viewer, dipa) -> None:
    _token, key = ApiToken.issue(name="Uji dokumentasi", user=viewer, created_by=None)
    page = new_page()
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", state="visible")
    assert page.locator(".opblock").count() == 14  # 12 reports, the registry, the realization push
    assert "Monitoring Ditjen IKMA API" in page.locator(".information-container").inner_text()
    # Authorize with the token, then try one report: the answer is the report's JSON.
    page.locator(".auth-wrapper button.authorize").click()
    page.locator(".auth-container input").first.fill(key)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    operation = page.locator("#operations-reports-report_provinces")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .response-col_description pre").first
    body.wait_for(state="visible")
    assert '"report": "provinces"' in body.inner_text()
