"""`make load`: the dashboard and every report page under concurrent users, as deployed.

    make load [LOAD_SECONDS=60] [LOAD_CONNECTIONS=32] [LOAD_DATABASE_URL=postgres://...]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_load .venv/bin/python -m bench.load

1. The database (PostgreSQL; created when missing) is migrated and, when it holds no budget
   data yet, filled with the master data and the demo data (`load_demo_data`: 2022, 2023 and the
   current year); the demo accounts are created when missing.
2. gunicorn serves the site with the production settings (DJANGO_ENV=production, collected static
   files, pages cached under the data version as deployed; plain HTTP on loopback), started by
   `make bench`'s harness.
3. The demo users sign in through the login form with the demo password: the reviewer, the viewer
   and officers of six provinces. Every page is fetched once by every user first (a page that
   answers anything but 200 is named before the run).
4. bench/loadgen.py, in a second process, keeps ``--connections`` keep-alive connections busy for
   ``--seconds``: each connection is one signed-in user going round the pages (dashboard and the
   README's /reports/ pages, HTML), the users taking the connections in turn.

Prints requests per second and latency p50/p95/p99/max per page and overall, the errors (non-2xx
answers and failed requests) and the 5xx among them. Exit status 1 when there was any error or
5xx (in the first pass or under load), 0 otherwise.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
from typing import Any

import django

from bench import harness
from bench.loadgen import KeepAliveClient, SignInError, sign_in

STATIC_ROOT = harness.ROOT / "var" / "load-static"  # its own: `make bench` may be collecting into its folder
USERS = ("reviewer", "viewer", "officer-11", "officer-17", "officer-33", "officer-35", "officer-64", "officer-94")


def pages() -> list[str]:
    """The dashboard and every /reports/ page of the README, as a user opens them from the menu
    (the current fiscal year, HTML)."""
    from django.urls import reverse

    from reports.catalog import REPORTS

    reports = [reverse(f"reports:{spec.name}") for spec in REPORTS.values()]
    return [reverse("dashboard:home"), *reports, reverse("dashboard:narrative")]


def prepare_database() -> None:
    """Migrated, with master data, demo accounts (as published) and, when it has no budget data yet,
    the demo data."""
    from django.core.management import call_command

    from bench.db import ensure_database
    from budgets.models import MonthlyReport, Regency

    ensure_database()
    call_command("migrate", verbosity=0)
    if not Regency.objects.exists():
        print("master data (first run)", flush=True)
        call_command("load_master_data", stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO())  # leaves existing accounts as they are
    if not MonthlyReport.objects.exists():
        print("demo data for 2022, 2023 and the current year (first run, about a minute)", flush=True)
        call_command("load_demo_data", stdout=io.StringIO())
    demo_accounts_as_published()


def demo_accounts_as_published() -> None:
    """The load users with the demo password and no failed sign-ins counted against them: a
    previous run may have given them a password of its own (``signed_in``), and django-axes
    locks an account after five failures."""
    from axes.utils import reset
    from django.contrib.auth import get_user_model

    from accounts.demo import DEMO_PASSWORD

    for user in get_user_model().objects.filter(username__in=USERS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        reset(username=user.username)


def signed_in(port: int) -> dict[str, str]:
    """The session cookie of every load user, signed in through the login form with the demo
    password. Production may send a session signed in with the published demo password only to
    the password change page (accounts/middleware.py); then the load users get a password of this
    run, in the load database, and sign in again with it (the next run puts the demo password back)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from accounts.demo import DEMO_PASSWORD

    cookies = {user: sign_in("127.0.0.1", port, user, DEMO_PASSWORD) for user in USERS}
    probe = KeepAliveClient("127.0.0.1", port, cookies[USERS[0]])
    try:
        answer = probe.request("GET", reverse("dashboard:home"))
    finally:
        probe.close()
    location = dict((name.lower(), value) for name, value in answer.headers).get("location", "")
    if answer.status != 302 or reverse("accounts:password-change") not in location:
        return cookies
    password = secrets.token_urlsafe(24)
    print("production sends the demo password to the password change: the load users sign in with a password "
          "of this run", flush=True)  # fmt: skip
    for user in get_user_model().objects.filter(username__in=USERS):
        user.set_password(password)
        user.save(update_fields=["password"])
    return {user: sign_in("127.0.0.1", port, user, password) for user in USERS}


def first_pass(port: int, cookies: dict[str, str], paths: list[str]) -> list[str]:
    """Every page once for every user: what does not answer 200 (a role refused, a broken page)."""
    failures = []
    for user, cookie in cookies.items():
        client = KeepAliveClient("127.0.0.1", port, cookie)
        try:
            for path in paths:
                status, _body = client.get(path)
                if status != 200:
                    failures.append(f"{user} {path}: HTTP {status}")
        finally:
            client.close()
    return failures


def drive(port: int, cookies: dict[str, str], paths: list[str], connections: int, seconds: float) -> dict[str, Any]:
    """bench/loadgen.py in its own process (the plan, with the session cookies, on its stdin)."""
    users = list(cookies)
    plan = {
        "seconds": seconds,
        "connections": [{"cookie": cookies[users[i % len(users)]], "paths": paths} for i in range(connections)],
    }
    command = [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--plan", "-"]
    done = subprocess.run(command, input=json.dumps(plan), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"bench.loadgen failed with status {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(result: dict[str, Any], paths: list[str]) -> None:
    header = f"{'page':<34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    print(f"\n{header} {'errors':>6} {'5xx':>4}")
    rows = [
        *((path, result["pages"][path]) for path in paths if path in result["pages"]),
        ("overall", result["overall"]),
    ]
    for name, r in rows:
        print(f"{name:<34} {r['requests']:>8} {r['rps']:>7.1f} {fmt(r['p50_ms'])} {fmt(r['p95_ms'])} "
              f"{fmt(r['p99_ms'])} {fmt(r['max_ms'])} {r['errors']:>6} {r['server_errors']:>4}")  # fmt: skip


def fmt(value: float | None) -> str:
    return f"{'-':>7}" if value is None else f"{value:>7.1f}"


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    from accounts.demo import DEMO_PASSWORD

    prepare_database()
    paths = pages()
    env = {**harness.production_env(harness.new_secret_key(), None), "DJANGO_STATIC_ROOT": str(STATIC_ROOT)}
    harness.collect_static(env)
    server = harness.start_server(env, options.workers, options.threads)
    try:
        try:
            cookies = signed_in(server.port)
        except SignInError as error:
            sys.exit(f"sign-in refused: {error} (the demo accounts with password {DEMO_PASSWORD} are needed)")
        failures = first_pass(server.port, cookies, paths)
        for failure in failures:
            print(f"FAILED first pass: {failure}", file=sys.stderr)
        print(f"\nload: {options.connections} connections x {options.seconds:.0f} s, {len(USERS)} signed-in users "
              f"({', '.join(USERS)}), {len(paths)} pages; {server.description}, database "
              f"{settings.DATABASES['default']['NAME']}; load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)  # fmt: skip
        result = drive(server.port, cookies, paths, options.connections, options.seconds)
    finally:
        server.stop()
    print_table(result, paths)
    overall = result["overall"]
    for sample in overall["error_samples"]:
        print(f"error: {sample}", file=sys.stderr)
    failed = bool(failures or overall["errors"] or overall["server_errors"])
    print(f"\n{overall['errors']} errors, {overall['server_errors']} 5xx under load; "
          f"{len(failures)} pages failed the first pass -> {'FAILED' if failed else 'ok'}")  # fmt: skip
    return 1 if failed else 0


def arguments() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    return parser.parse_args()


def main() -> int:
    options = arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmsite.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("make load needs PostgreSQL: LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_load")
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
