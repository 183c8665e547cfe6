"""Row locks reach only the rows they mean to: PostgreSQL's FOR UPDATE locks every table of its
statement, so a lock taken with a join (select_related, or first() ordering by a related field)
also locked the fiscal year's row, and every writer of the year, in every province, queued
behind each other and deadlocked (make load, issue 25: 503s). Every FOR UPDATE that joins must
name its table (FOR UPDATE OF)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import MonthlyReport
from tests.budgets.test_report_workflow import act, enter
from tests.conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Status = MonthlyReport.Status


def locks_with_joins(queries: list[dict]) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "FOR UPDATE" in query["sql"] and " JOIN " in query["sql"] and "FOR UPDATE OF" not in query["sql"]
    ]


def test_no_row_lock_of_the_monthly_workflow_reaches_a_joined_table(officer, head, reviewer, satker, dipa) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("FOR UPDATE is PostgreSQL's (SQLite locks the whole database)")
    with CaptureQueriesContext(connection) as queries:
        assert enter(client_for(officer), satker, dipa, "10.000.000").status_code == 302
        report = MonthlyReport.objects.get(satker=satker, fiscal_year=dipa.fiscal_year, month=1)
        assert act(client_for(officer), report, "submit").status_code == 302
        assert act(client_for(head), report, "verify", note="Sesuai SP2D.").status_code == 302
        # The reviewer's page refreshes the quality flags under a lock and records the review start.
        assert client_for(reviewer).get(reverse("budgets:report-detail", args=[report.pk])).status_code == 200
        assert act(client_for(reviewer), report, "approve").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    locks = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    assert len(locks) >= 4  # the save, and each step's lock of the report
    assert locks_with_joins(queries.captured_queries) == []
    assert not any(re.search(r'FOR UPDATE OF .*"budgets_fiscalyear"', sql) for sql in locks)
