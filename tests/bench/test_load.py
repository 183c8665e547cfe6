"""The load test without a load run: the locustfile loads under Locust, the officer's typing goes
through the real realization view and repeats run after run, locust's figures become load-mix
rows of bench/results.json, and a miss is reported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from bench import load
from bench.harness import ROOT, TARGET_LOAD_RPS, TARGET_MS, Result
from bench.pages import alternate, form_actions, report_links, typed_grid
from budgets.models import Realization
from tests.conftest import client_for


def test_the_locustfile_loads_under_locust_with_every_role(tmp_path) -> None:
    # In its own process, as bench/load.py runs it: locust patches the standard library with gevent.
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"counts": load.counts(32)}))
    listed = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--list"],
        cwd=ROOT, env={"LOAD_PLAN": str(plan), "PATH": ""}, capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert {"Officer", "Head", "Reviewer", "Admin", "Leadership", "ReportReader", "PublicReader"} <= set(listed.split())


def test_the_mix_of_32_users_and_its_multiples() -> None:
    assert load.counts(32) == {"officers": 10, "heads": 4, "reviewers": 4, "admins": 1, "viewers": 13}
    assert load.counts(96) == {"officers": 30, "heads": 12, "reviewers": 12, "admins": 3, "viewers": 39}
    assert sum(load.counts(50).values()) == 50


def test_an_amount_alternates_between_two_values() -> None:
    assert [alternate(0), alternate(1000), alternate(24_000), alternate(25_000)] == [1000, 0, 25_000, 24_000]


@pytest.mark.django_db
def test_the_officers_typing_is_saved_by_the_real_view_and_repeats(officer, satker, dipa, today) -> None:
    client = client_for(officer)
    url = reverse("budgets:realization-entry", args=[satker.code, today.year, today.month])
    saved = []
    for _ in range(3):  # a run, the next run, and the one after: back and forth
        data = typed_grid(client.get(url).content.decode())
        assert data is not None
        answer = client.post(url, {**data, "action": "save"})
        assert answer.status_code == 302, answer.content.decode()[:500]
        saved.append(sorted(Realization.objects.filter(report__month=today.month).values_list("amount", flat=True)))
    assert saved == [[1000, 1000, 1000], [0, 0, 0], [1000, 1000, 1000]]


def test_a_queue_links_its_reports_once_and_forms_are_found_by_action() -> None:
    page = ('<a href="/monthly-reports/7/?next=%2Fmonthly-reports%2F">a</a> <a href="/monthly-reports/7/#komentar">'
            '</a><a href="/monthly-reports/9/">b</a>'
            '<form method="post" action="/monthly-reports/9/approve/"><input type="hidden" '
            'name="csrfmiddlewaretoken" value="t&amp;1"></form>')  # fmt: skip
    assert report_links(page) == ["/monthly-reports/7/", "/monthly-reports/9/"]
    assert list(form_actions(page)) == ["/monthly-reports/9/approve/"]


# Locust's stats CSV as bench/load.py reads it (the columns it uses).
COLUMNS = [
    "Type",
    "Name",
    "Request Count",
    "Failure Count",
    "Requests/s",
    "50%",
    "95%",
    "99%",
    "Max Response Time",
    "Average Response Time",
]


def row(kind: str, name: str, requests: int, failures: int, p95: float) -> dict[str, str]:
    values = [
        kind,
        name,
        str(requests),
        str(failures),
        "1.0",
        "10",
        str(p95),
        str(p95 + 10),
        str(p95 + 20),
        str(p95 / 2),
    ]
    return dict(zip(COLUMNS, values, strict=True))


def figures(offered: float | None, requests: int, failures: int, p95: float, side: dict | None = None) -> dict:
    rows = [row("GET", "viewer: dashboard", requests - 10, failures, p95), row("POST", "officer: save", 10, 0, 90),
            row("", "Aggregated", requests, failures, p95)]  # fmt: skip
    side = side if side is not None else {"measured_from": 100.0, "measured_until": 160.0, "login_failures": []}
    return {"mode": "closed-loop" if offered is None else "offered", "users": 32, "offered_rps": offered,
            "seconds": 60, "load_before": [1.0, 1.0, 1.0], "load_after": [2.0, 1.0, 1.0], "cpu": {},
            **load.figures_from_rows(rows, [], side)}  # fmt: skip


def test_a_closed_loop_becomes_a_load_mix_row() -> None:
    result = load.as_result(figures(None, 12_000, 0, 180.0))
    row = result.as_json()
    assert row["kind"] == "load-mix" and row["rps"] == 200.0 and row["p95_ms"] == 180.0 and row["errors"] == 0
    assert row["writes"] == 10 and row["writes_p95_ms"] == 90.0 and row["target_rps"] == TARGET_LOAD_RPS
    assert row["worst_pages"][0]["name"] == "viewer: dashboard"
    # 11.990 requests at 90 ms on average against 10 at 45 ms: where the time went.
    assert [page["share"] for page in row["worst_pages"]] == [100.0, 0.0]
    assert result.misses() == []


def test_a_closed_loop_below_its_rate_or_with_errors_misses() -> None:
    slow = load.as_result(figures(None, 6_000, 0, 180.0))  # 100 req/s
    assert slow.misses() == [f"{slow.name}: 100 req/s < {TARGET_LOAD_RPS}"]
    failing = load.as_result(figures(None, 12_000, 3, 180.0))
    assert len(failing.misses()) == 1 and "3 errors" in failing.misses()[0]


def test_the_offered_load_is_judged_on_p95_and_the_rate_achieved() -> None:
    held = load.as_result(figures(60.0, 3_600, 0, 250.0))
    assert held.target_ms == TARGET_MS["load-mix"] == 300 and held.misses() == []
    slow = load.as_result(figures(60.0, 3_600, 0, 420.0))
    assert slow.misses() == [f"{slow.name}: p95 420 ms > 300 ms"]
    behind = load.as_result(figures(60.0, 3_000, 0, 250.0))  # 50 of 60 req/s
    assert behind.misses() == [f"{behind.name}: achieved 50.0 req/s of 60 offered"]


def public_figures(public_requests: int, reader_p95: float, failures: int = 0) -> dict:
    rows = [row("GET", "reader: report html", 240, failures, reader_p95),
            row("GET", "public: page", public_requests, 0, 40.0), row("GET", "public: csv", 10, 0, 30.0),
            row("", "Aggregated", 250 + public_requests, failures, 45.0)]  # fmt: skip
    side = {"measured_from": 100.0, "measured_until": 160.0, "login_failures": []}
    return {"mode": "public-burst", "users": 54, "offered_rps": 204.0, "seconds": 60,
            "load_before": [1.0, 1.0, 1.0], "load_after": [2.0, 1.0, 1.0], "cpu": {},
            **load.figures_from_rows(rows, [], side)}  # fmt: skip


def test_the_public_burst_is_judged_on_the_signed_in_readers_report_pages() -> None:
    held = load.as_result(public_figures(11_990, 60.0))
    row = held.as_json()
    assert row["p95_ms"] == 60.0 and held.target_ms == TARGET_MS["report-html"]
    assert row["public_requests"] == 12_000 and row["public_rps"] == 200.0 and row["public_p95_ms"] == 40.0
    assert held.misses() == []
    slowed = load.as_result(public_figures(11_990, 180.0))
    assert slowed.misses() == [f"{slowed.name}: p95 180 ms > {TARGET_MS['report-html']:.0f} ms"]
    behind = load.as_result(public_figures(6_000, 60.0))  # the servers could not take the burst
    assert any("achieved" in miss for miss in behind.misses())


def test_the_public_modes_read_reports_as_leadership_beside_anonymous_readers() -> None:
    options = load.LoadOptions(60, 32, 96, 60, 3, 4, "")
    quiet, burst = (mode for mode in load.modes(options) if mode.name.startswith("public"))
    assert load.counts(quiet.users, quiet.mix) == {"officers": 0, "heads": 0, "reviewers": 0, "admins": 0,
                                                   "readers": 4, "viewers": 0}  # fmt: skip
    assert (quiet.public_users, burst.public_users, burst.total_users) == (0, 50, 54)
    assert burst.offered_rps == 204.0 and quiet.offered_rps == 4.0


def test_a_refused_sign_in_is_an_error_and_a_window_that_never_started_a_miss() -> None:
    side = {"login_failures": ["bench-load-viewer-1: HTTP 403"]}
    result = load.as_result(figures(60.0, 3_600, 0, 250.0, side))
    assert result.extra["errors"] == 1
    assert any("never started" in miss for miss in result.misses())
    assert isinstance(result, Result)


def test_make_bench_passes_its_load_options_and_prints_the_rows(monkeypatch, capsys) -> None:
    from bench import run

    monkeypatch.setattr(sys, "argv", ["bench.run", "--load-seconds", "5", "--load-users", "8", "--seconds", "9"])
    options = load.LoadOptions.of(run.arguments(), "load-")
    assert (options.seconds, options.users, options.offered_users, options.offered_rps) == (5, 8, 96, 60)
    run.print_table([load.as_result(figures(60.0, 3_600, 0, 250.0))])
    assert "load-mix offered (32 users offering 60 req/s)" in capsys.readouterr().out
