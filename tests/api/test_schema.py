"""The generated OpenAPI document: valid, with every route, and schemathesis' requests to every GET
endpoint (generated from the document, valid and invalid) answered without a server error, with a
documented status, content type and body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reports.catalog import REPORTS
from tests.api.conftest import issue
from tests.programs.registry.support import make_many

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app(db) -> Iterator[Any]:
    """The project's WSGI application in this test's transaction: Django closes the database
    connection at the end of every request (close_old_connections), which would end the test's
    transaction; its test client leaves that out the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_document_is_valid_openapi_with_every_route(client, wsgi_app) -> None:
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.1") and document["info"]["version"] == "1"
    paths = set(document["paths"])
    assert paths == {*(f"/api/v1/reports/{name}/" for name in REPORTS), "/api/v1/registry/",
                     "/api/v1/realization/{satker}/{year}/{month}/"}  # fmt: skip
    assert document["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    satkers = document["paths"]["/api/v1/reports/satkers/"]["get"]
    assert {p["name"] for p in satkers["parameters"]} == set(REPORTS["satkers"].params)
    # schemathesis reads it as valid: every operation, none refused.
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = list(loaded.get_all_operations())
    assert len(operations) == len(paths) and all(result.ok() for result in operations)


# Read at collection (schemathesis' lazy fixture loader does not run under this pytest): the document
# is built from the code alone, no database is read.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def viewer_key(viewer, approved, regency, other_regency) -> str:
    make_many(regency, 5)
    make_many(other_regency, 2, prefix="Aceh")
    return issue(viewer, rate_per_minute=10_000)


@schema.include(method="GET").parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_generated_requests_get_documented_answers(case, wsgi_app, viewer_key) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {viewer_key}"}, checks=CHECKS)
