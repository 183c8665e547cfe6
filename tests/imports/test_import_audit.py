"""Imports leave a structured audit event: who imported which kind, with what counts; a write
refused under the services' locks leaves a warning."""

from __future__ import annotations

import json
import logging

import pytest

from core.log_format import JsonFormatter
from imports.importer import import_file
from tests.imports.test_upload_flow import good_rows, import_while_the_month_gets_submitted, xlsx

pytestmark = pytest.mark.django_db


def audit_events(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "ikma.audit"]


def test_an_import_is_logged_with_its_counts(tmp_path, officer, dipa, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(xlsx(good_rows(dipa)))
    result = import_file(path, "realisasi", user=officer, dry_run=False, reason="Impor realisasi #1: realisasi.xlsx")
    assert result.imported
    [event] = [e for e in audit_events(caplog) if e["event"] == "import"]
    assert event["kind"] == "realisasi" and event["user"] == "officer-17" and event["new"] == 2
    assert event["reason"] == "Impor realisasi #1: realisasi.xlsx"


def test_a_dry_run_logs_nothing(tmp_path, officer, dipa, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(xlsx(good_rows(dipa)))
    import_file(path, "realisasi", user=officer, dry_run=True, reason="uji")
    assert [e for e in audit_events(caplog) if e["event"].startswith("import")] == []


def test_a_write_refused_under_lock_is_a_warning(tmp_path, officer, satker, dipa, caplog) -> None:
    caplog.set_level(logging.INFO, logger="ikma.audit")
    assert not import_while_the_month_gets_submitted(tmp_path, officer, satker, dipa).imported
    [event] = [e for e in audit_events(caplog) if e["event"].startswith("import")]
    assert event["event"] == "import_refused" and event["level"] == "WARNING" and event["errors"]
