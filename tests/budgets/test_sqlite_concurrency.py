"""Issue 18, finding 5: simultaneous workflow steps on SQLite (the `make run` database).

Real concurrency needs real connections to one database FILE: the test database of the suite
is in memory and private to this process, so each test copies it (SQLite's backup API, after
the fixtures committed: ``transaction=True``) to a temporary file and starts one process per
user (tests/sqlite_worker.py) with DATABASE_URL pointing at that file; the processes are
released together and each runs its request on its own connection, as gunicorn workers do."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from budgets.models import MonthlyReport
from budgets.services import realization_set, report_submit
from tests.factories import UserFactory
from tests.personas import head_verifies

pytestmark = pytest.mark.django_db(transaction=True)
Status = MonthlyReport.Status


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL's row locks: tests/budgets/test_concurrency.py")


class Worker:
    def __init__(self, database: Path, user, timeout: float) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SQLITE_TIMEOUT": str(timeout)}
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.sqlite_worker", str(user.pk)],
            cwd=settings.BASE_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout.readline().strip() == "ready"

    def send(self, method: str, path: str, data: dict | None = None) -> None:
        self.process.stdin.write(json.dumps({"method": method, "path": path, "data": data or {}}) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict:
        return json.loads(self.process.stdout.readline())

    def request(self, method: str, path: str, data: dict | None = None) -> dict:
        self.send(method, path, data)
        return self.answer()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def all_at_once(workers: list[Worker], path: str) -> list[dict]:
    """Each worker POSTs ``path``; all requests are sent before any answer is read."""
    for worker in workers:
        worker.send("post", path)
    return [worker.answer() for worker in workers]


def entered_report(officer, satker, dipa) -> MonthlyReport:
    return realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000_000},
                           expected_version=0, by=officer)  # fmt: skip


def test_three_simultaneous_approvals_one_wins_the_others_are_told(
    officer, reviewer, satker, dipa, tmp_path, workers
) -> None:
    report = head_verifies(report_submit(report=entered_report(officer, satker, dipa), by=officer))
    reviewers = [reviewer, *(UserFactory(username=f"reviewer-{n}", role="REVIEWER") for n in (2, 3))]
    database = _copy(tmp_path)
    workers.extend(Worker(database, user, timeout=20) for user in reviewers)

    answers = all_at_once(workers, reverse("budgets:report-approve", args=[report.pk]))

    # All go back to the report, the winner with "approved", the others with why not (it is
    # approved already): no 500, no "database is locked".
    assert [a["status"] for a in answers] == [302, 302, 302], [a["status"] for a in answers]
    said = sorted((level, text) for a in answers for level, text in a["messages"])
    assert [level for level, _ in said] == ["error", "error", "success"], said
    assert all("langkah ini tidak dapat dilakukan" in text for level, text in said if level == "error")
    shared = sqlite3.connect(database)
    assert shared.execute("SELECT status FROM budgets_monthlyreport WHERE id = ?", [report.pk]).fetchone() == (
        Status.APPROVED,
    )
    approvals = shared.execute(
        "SELECT COUNT(*) FROM budgets_reporttransition WHERE report_id = ? AND to_status = ?",
        [report.pk, Status.APPROVED],
    ).fetchone()
    assert approvals == (1,)


def test_three_simultaneous_submissions_one_wins_the_others_are_told(officer, satker, dipa, tmp_path, workers) -> None:
    report = entered_report(officer, satker, dipa)
    officers = [
        officer,
        *(UserFactory(username=f"officer-{n}", role="OFFICER", province=satker.province) for n in (2, 3)),
    ]
    database = _copy(tmp_path)
    workers.extend(Worker(database, user, timeout=20) for user in officers)

    answers = all_at_once(workers, reverse("budgets:report-submit", args=[report.pk]))

    # All go back to the report, the winner with "submitted", the others with why not.
    assert [a["status"] for a in answers] == [302, 302, 302], [a["status"] for a in answers]
    said = sorted((level, text) for a in answers for level, text in a["messages"])
    assert [level for level, _ in said] == ["error", "error", "success"], said
    assert all("langkah ini tidak dapat dilakukan" in text for level, text in said if level == "error")
    shared = sqlite3.connect(database)
    submissions = shared.execute(
        "SELECT COUNT(*) FROM budgets_reporttransition WHERE report_id = ? AND to_status = ?",
        [report.pk, Status.SUBMITTED],
    ).fetchone()
    assert submissions == (1,)


def test_a_lock_held_past_the_wait_is_a_503_then_the_site_recovers(officer, satker, dipa, tmp_path, workers) -> None:
    """The safety net: a lock still held when the wait runs out (here another process holds it)
    answers 503 "coba lagi" with Retry-After, JSON when JSON was asked for; once the lock is
    released the same request succeeds, with nothing half-written in between."""
    report = entered_report(officer, satker, dipa)
    database = _copy(tmp_path)
    worker = Worker(database, officer, timeout=0.5)
    workers.append(worker)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # no one else reads or writes until it ends

    page = worker.request("post", reverse("budgets:report-submit", args=[report.pk]))
    as_json = worker.request("get", reverse("budgets:report-list"), {"format": "json"})
    holder.execute("ROLLBACK")
    after = worker.request("post", reverse("budgets:report-submit", args=[report.pk]))

    assert page["status"] == 503 and page["retry_after"] == "5"
    assert "Coba lagi" in page["body"] and "Traceback" not in page["body"]
    assert as_json["status"] == 503 and json.loads(as_json["body"])["error"] == "database_unavailable"
    assert after["status"] == 302 and [level for level, _ in after["messages"]] == ["success"]
    shared = sqlite3.connect(database)
    assert shared.execute(
        "SELECT COUNT(*) FROM budgets_reporttransition WHERE report_id = ? AND to_status = ?",
        [report.pk, Status.SUBMITTED],
    ).fetchone() == (1,)  # only the successful try: the refused one left nothing behind


def _copy(tmp_path: Path) -> Path:
    """The suite's test database as it is now (its fixtures committed), in a file to share."""
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path
