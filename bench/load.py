"""`make load`: the mixed workload of every role (reads and writes) against two app servers, as
deployed, on the national-scale database; `make bench` runs it too (results of kind load-mix).

    make load [LOAD_SECONDS=60] [LOAD_DATABASE_URL=postgres://...] [LOAD_REDIS_URL=redis://127.0.0.1:6379/3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_bench .venv/bin/python -m bench.load

1. The database must hold the national data (`make bench` loads it: bench/national_data.py).
   The load accounts (``bench-load-*``: officers and heads of provinces, reviewers, admins,
   leadership) are created when missing and all get a password of this run (one hash; bench
   accounts, never the demo's), with no failed sign-ins counted against them (django-axes).
2. Two gunicorn servers (production settings: DJANGO_ENV=production, collected static files,
   pages cached under the data version, plain HTTP on loopback) on two ports, sharing the
   database and one Redis database (REDIS_URL; flushed before each mode).
3. Locust (bench/locustfile.py: what each role does, and the sign-off cycle that keeps the
   reviewers supplied) in its own process, headless, users alternating between the servers:
   - closed loop: ``--users`` (32) without think time: the rate the servers sustain;
   - offered load: ``--offered-users`` (96) each at ``--offered-rps / users`` requests a second
     (locust's constant_throughput): achieved rate and latency at 60 req/s;
   - public burst (issue 26): ``--public-users`` (50) anonymous readers of the public page
     offering ``--public-rps`` (200) together, beside ``--readers`` (4) signed-in leadership users
     each reading a report page every ``1 / --reader-rps`` seconds; and public quiet, the same
     readers alone: the report pages' p95 with the burst against without it, and against the
     report page's target (harness.TARGET_MS["report-html"]). The year read is the running one,
     published on the bench database for the run when it is not.
   Every user signs in through the login form first; the measured window (``--seconds``) starts
   when all have.

Prints per mode the requests per second, p50/p95/p99, errors (a GET not 200, a form's POST not
302, failed requests, a sign-in refused), the worst pages, the load average and where the CPU
went (the servers' processes, locust's, the rest of the machine: PostgreSQL and whatever else
runs). Exit status 1 when a target is missed (harness.Result.misses), 0 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django

from bench import harness
from bench.harness import Result

STATIC_ROOT = harness.ROOT / "var" / "load-static"  # its own: `make bench` may be collecting into its folder
SERVER_LOG = harness.ROOT / "var" / "load-servers.log"  # the servers' output of the last run (var/ is git-ignored)
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
# Users of each role per 32 (the closed loop's mix; the offered load takes a multiple of it).
MIX = {"officers": 10, "heads": 4, "reviewers": 4, "admins": 1, "viewers": 13}
# The signed-in readers of the public modes: leadership reading report pages only.
READERS = {"readers": 1}
PUBLIC_PREFIX = "public: "  # the anonymous readers' pages in locust's statistics (bench/locustfile.py)
READER_PAGE = "reader: report html"
SIGN_IN_ALLOWANCE = 240  # seconds locust may take to sign every user in before the window
WORST_PAGES = 6


@dataclass(frozen=True)
class Mode:
    name: str
    users: int  # signed-in users
    rate: float  # requests a second per user; 0: closed loop (no think time)
    mix: dict[str, int] | None = None  # the roles of the mode's users (None: the run's, MIX by default)
    public_users: int = 0  # anonymous readers of the public page
    public_rate: float = 0.0  # requests a second per anonymous reader

    @property
    def offered_rps(self) -> float | None:
        offered = self.users * self.rate + self.public_users * self.public_rate
        return round(offered, 1) if self.rate else None

    @property
    def total_users(self) -> int:
        return self.users + self.public_users

    @property
    def public(self) -> bool:
        return self.mix == READERS


def modes(options: LoadOptions) -> list[Mode]:
    readers = Mode("public-quiet", options.readers, options.reader_rps, READERS)
    return [
        Mode("closed-loop", options.users, 0.0),
        Mode("offered", options.offered_users, options.offered_rps / options.offered_users),
        readers,
        Mode("public-burst", options.readers, options.reader_rps, READERS, options.public_users,
             options.public_rps / options.public_users),
    ]  # fmt: skip


def counts(users: int, mix: dict[str, int] | None = None) -> dict[str, int]:
    """Users of each role for ``users`` in all: ``mix`` (MIX) scaled, the rounding to leadership;
    a role of the mix has at least one user."""
    mix = {**dict.fromkeys(MIX, 0), **(mix or MIX)}
    scale = users / sum(mix.values())
    scaled = {role: max(1, round(n * scale)) if n else 0 for role, n in mix.items() if role != "viewers"}
    return {**scaled, "viewers": max(1 if mix["viewers"] else 0, users - sum(scaled.values()))}


def parse_mix(text: str) -> dict[str, int] | None:
    """``--mix viewers=1`` (the roles and their shares; none: MIX) for a diagnosis, e.g. reads only."""
    if not text:
        return None
    mix = {role: int(share) for role, share in (part.split("=", 1) for part in text.split(","))}
    unknown = set(mix) - set(MIX)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown roles {sorted(unknown)}: the roles are {sorted(MIX)}")
    return mix


# --- Accounts and the plan ----------------------------------------------------------------------


def provincial_satkers(year: int) -> list[tuple[str, str]]:
    """(province BPS code, satker code) of every province's own satker with a DIPA in ``year``,
    the provinces with the most IKM first (bench/national_data.py's weights)."""
    from bench.national_data import province_weight
    from budgets.models import Satker

    satkers = Satker.objects.filter(is_central=False, authorities__fiscal_year__year=year).select_related("province")
    pairs = {(s.province.bps_code, s.code) for s in satkers}
    return sorted(pairs, key=lambda pair: (-province_weight(pair[0]), pair[0]))


def accounts(role_counts: dict[str, int], year: int, password: str) -> dict[str, list[dict[str, Any]]]:
    """The load accounts of every role (created when missing), all with ``password``; officers
    with their satker, the first ``heads`` of them (``cycle``) with their province's head."""
    from axes.utils import reset
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    satkers = provincial_satkers(year)
    if role_counts["officers"] > len(satkers):
        sys.exit(f"{role_counts['officers']} officers need as many provinces; there are {len(satkers)}")
    if role_counts["heads"] > role_counts["officers"]:
        sys.exit("every head's province needs an officer of the load")
    plan: dict[str, list[dict[str, Any]]] = {"officers": [], "heads": [], "reviewers": [], "admins": [], "viewers": [],
                                             "readers": []}  # fmt: skip
    # Provinces evenly spaced over the list by weight (Jawa Tengah, the heaviest, first): a month's
    # programme records, which the report page lists, differ tenfold between provinces.
    officers = role_counts["officers"]
    sample = [satkers[i * len(satkers) // officers] for i in range(officers)]
    for i, (bps, satker) in enumerate(sample):
        cycle = i < role_counts["heads"]
        plan["officers"].append({"username": f"bench-load-officer-{bps}", "satker": satker, "cycle": cycle,
                                 "role": "OFFICER", "province": bps})  # fmt: skip
        if cycle:
            plan["heads"].append({"username": f"bench-load-head-{bps}", "satker": satker, "role": "HEAD",
                                  "province": bps})  # fmt: skip
    for role, name in (("reviewers", "REVIEWER"), ("admins", "ADMIN"), ("viewers", "VIEWER"), ("readers", "VIEWER")):
        prefix = "bench-load-reader" if role == "readers" else f"bench-load-{name.lower()}"
        plan[role] = [{"username": f"{prefix}-{i + 1}", "role": name, "province": None}
                      for i in range(role_counts.get(role, 0))]  # fmt: skip
    hashed = make_password(password)  # one hash for every account: a hash costs a few hundred ms
    names = []
    for account in (account for role in plan.values() for account in role):
        harness.bench_user(account["username"], account["role"], account["province"])
        names.append(account["username"])
    get_user_model().objects.filter(username__in=names).update(password=hashed, is_active=True)
    for name in names:
        reset(username=name)
    return plan


def cycle_month(today: Any) -> tuple[int, int]:
    """The month before the running one: due, so submitted, verified and approved as reports are."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def cycle_reports(officers: list[dict[str, Any]], year: int, month: int) -> list[int]:
    from budgets.models import MonthlyReport

    satkers = [officer["satker"] for officer in officers if officer["cycle"]]
    reports = MonthlyReport.objects.filter(satker__code__in=satkers, fiscal_year__year=year, month=month)
    found = list(reports.order_by("satker__code").values_list("pk", flat=True))
    if len(found) != len(satkers):
        sys.exit(f"the cycle month {month}/{year} needs a monthly report of {satkers}: found {len(found)}")
    return found


def report_pages() -> list[str]:
    """Every report of the catalogue (its page; ?format= json, xlsx, csv give the rest)."""
    from django.urls import reverse

    from reports.catalog import REPORTS

    return [reverse(f"reports:{spec.name}") for spec in REPORTS.values()]


def published_for_the_run(year: int) -> int:
    """The year the public page's readers read: published on the bench database when it is not
    (by a bench admin account, through the service, as the directorate would)."""
    from budgets.models import FiscalYear
    from budgets.services.publication import publication_set

    admin = harness.bench_user("bench-load-publisher", "ADMIN")
    publication_set(fiscal_year=FiscalYear.objects.get(year=year), published=True, by=admin)
    return year


def plan(
    mode: Mode, ports: list[int], password: str, side_file: Path, mix: dict[str, int] | None = None
) -> dict[str, Any]:
    from django.utils import timezone

    today = timezone.localdate()
    role_counts = {**counts(mode.users, mode.mix or mix), "public": mode.public_users}
    year, month = cycle_month(today)
    if year != today.year:
        sys.exit("in January the cycle month is last year's December: run the load test from February")
    people = accounts(role_counts, today.year, password)
    return {
        "hosts": [f"http://127.0.0.1:{port}" for port in ports],
        "password": password,
        "counts": role_counts,
        **people,
        "year": today.year,
        "draft_month": today.month,
        "cycle_month": month,
        "cycle_reports": cycle_reports(people["officers"], year, month),
        "report_pages": report_pages(),
        "public_year": published_for_the_run(today.year) if mode.public else None,
        "public_rate": mode.public_rate,
        "side_file": str(side_file),
    }


# --- Running locust -------------------------------------------------------------------------------


def flush_redis(url: str) -> None:
    """The shared cache from empty: each mode starts with the same cold cache."""
    import redis

    redis.Redis.from_url(url).flushdb()


class CpuMeter:
    """CPU seconds of the servers' processes and of the whole machine over a run (locust's own:
    from its exit, ``os.wait4``)."""

    def __init__(self, server_pids: list[int]) -> None:
        import psutil

        self.psutil = psutil
        self.groups = {"servers": server_pids}
        self.started = time.monotonic()
        self.before = self.sample()

    def processes(self, pids: list[int]) -> list[Any]:
        found = []
        for pid in pids:
            try:
                parent = self.psutil.Process(pid)
                found += [parent, *parent.children(recursive=True)]
            except self.psutil.NoSuchProcess:
                pass
        return found

    def sample(self) -> dict[str, Any]:
        per_process: dict[str, dict[int, float]] = {}
        for group, pids in self.groups.items():
            per_process[group] = {}
            for process in self.processes(pids):
                try:
                    times = process.cpu_times()
                    per_process[group][process.pid] = times.user + times.system
                except self.psutil.NoSuchProcess:
                    pass
        machine = self.psutil.cpu_times()
        return {"processes": per_process, "busy": sum(machine) - machine.idle - getattr(machine, "iowait", 0)}

    def seconds(self) -> dict[str, float]:
        """CPU seconds used since the start (a process that started meanwhile counts from zero)."""
        after, wall = self.sample(), time.monotonic() - self.started
        used = {group: round(sum(t - self.before["processes"][group].get(pid, 0.0) for pid, t in times.items()), 1)
                for group, times in after["processes"].items()}  # fmt: skip
        busy = round(after["busy"] - self.before["busy"], 1)
        return {**used, "machine_busy": busy, "rest": round(busy - sum(used.values()), 1), "wall": round(wall, 1),
                "cores": os.cpu_count() or 1}  # fmt: skip


def run_locust(mode: Mode, servers: list[harness.Server], password: str, seconds: float, workdir: Path,
               mix: dict[str, int] | None = None) -> dict[str, Any]:  # fmt: skip
    """One mode: locust in its own process against the servers; its figures."""
    side_file = workdir / f"{mode.name}-side.json"
    plan_file = workdir / f"{mode.name}-plan.json"
    plan_file.write_text(json.dumps(plan(mode, [server.port for server in servers], password, side_file, mix)))
    plan_file.chmod(0o600)  # the run's password
    prefix = workdir / mode.name
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", str(mode.total_users),
               "--spawn-rate", str(mode.total_users), "--run-time", f"{int(seconds + SIGN_IN_ALLOWANCE)}s",
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30",
               "--exit-code-on-error", "0"]  # fmt: skip
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_RATE": str(mode.rate), "LOAD_SECONDS": str(seconds)}
    load_before = os.getloadavg()
    process = subprocess.Popen(command, cwd=harness.ROOT, env=env, stdout=subprocess.PIPE,  # noqa: S603
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    meter = CpuMeter([server.process.pid for server in servers])
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)  # locust's own CPU time, once it has ended
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = {**meter.seconds(), "locust": round(usage.ru_utime + usage.ru_stime, 1)}
    cpu["rest"] = round(cpu["machine_busy"] - cpu["servers"] - cpu["locust"], 1)
    if process.returncode != 0 or not (prefix.parent / f"{prefix.name}_stats.csv").exists():
        sys.exit(f"locust failed with status {process.returncode}:\n{output[-3000:]}")
    side = json.loads(side_file.read_text()) if side_file.exists() else {}
    figures = read_stats(prefix, side)
    return {"mode": mode.name, "users": mode.users, "offered_rps": mode.offered_rps, "seconds": seconds,
            **figures, "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()], "cpu": cpu}  # fmt: skip


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(prefix: Path, side: dict[str, Any]) -> dict[str, Any]:
    """Locust's CSV files (``<prefix>_stats.csv``, ``<prefix>_failures.csv``) and the side file
    as the figures of one mode: overall, the writes (POST) and every page."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    failures_path = Path(f"{prefix}_failures.csv")
    failures = list(csv.DictReader(failures_path.open(newline=""))) if failures_path.exists() else []
    return figures_from_rows(rows, failures, side)


def figures_from_rows(rows: list[dict[str, str]], failures: list[dict[str, str]],
                      side: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    def page(row: dict[str, str]) -> dict[str, Any]:
        return {"name": row["Name"], "method": row["Type"], "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]), "rps": _number(row["Requests/s"]),
                "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"]), "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
                "total_ms": int(row["Request Count"]) * (_number(row.get("Average Response Time")) or 0)}  # fmt: skip

    pages = [page(row) for row in rows if row["Name"] != "Aggregated"]
    total = next((page(row) for row in rows if row["Name"] == "Aggregated"), None)
    if total is None:
        raise ValueError("locust wrote no Aggregated row")
    window = None
    if side.get("measured_from") and side.get("measured_until"):
        window = side["measured_until"] - side["measured_from"]
    login_failures = list(side.get("login_failures", []))
    samples = [f"{f['Method']} {f['Name']}: {f['Error']} (x{f['Occurrences']})" for f in failures][:5]
    writes = [p for p in pages if p["method"] == "POST"]
    # Each page's share of the time users waited: in a closed loop, where the servers' time went.
    waited = sum(p["total_ms"] for p in pages) or 1
    for p in pages:
        p["share"] = round(100 * p.pop("total_ms") / waited, 1)
    return {
        "requests": total["requests"],
        "rps": round(total["requests"] / window, 1) if window else total["rps"],
        "p50_ms": total["p50_ms"], "p95_ms": total["p95_ms"], "p99_ms": total["p99_ms"], "max_ms": total["max_ms"],
        "errors": total["errors"] + len(login_failures),
        "error_samples": login_failures[:5] + samples,
        "measured": side.get("measured_from") is not None,
        "writes": sum(p["requests"] for p in writes),
        "writes_p95_ms": max((p["p95_ms"] or 0 for p in writes), default=None),
        "pages": sorted(pages, key=lambda p: -(p["p95_ms"] or 0)),
    }  # fmt: skip


# --- Results ----------------------------------------------------------------------------------------


def public_result(figures: dict[str, Any]) -> Result:
    """A public mode's row: the signed-in readers' report pages (their p95 against the report
    page's target) and, beside them, what the anonymous readers got."""
    pages = {page["name"]: page for page in figures["pages"]}
    reader = pages.get(READER_PAGE, {})
    public = [page for name, page in pages.items() if name.startswith(PUBLIC_PREFIX)]
    public_requests = sum(page["requests"] for page in public)
    extra = {key: figures[key] for key in ("users", "offered_rps", "seconds", "requests", "errors", "error_samples",
                                           "load_before", "load_after", "cpu")}  # fmt: skip
    extra.update({
        "reader_requests": reader.get("requests"), "reader_p99_ms": reader.get("p99_ms"),
        "public_requests": public_requests, "public_rps": round(public_requests / figures["seconds"], 1),
        "public_p95_ms": max((page["p95_ms"] or 0 for page in public), default=None),
        "server_errors": figures.get("server_errors", []),
    })  # fmt: skip
    if not figures.get("measured", True):
        extra["error"] = "the measured window never started (not every user signed in)"
    label = f"{reader.get('requests', 0)} report pages by signed-in readers" + (
        f", {extra['public_rps']:g} req/s public" if public_requests else ", no public load")  # fmt: skip
    return Result(f"load-mix {figures['mode']} ({label})", "load-mix", reader.get("p50_ms"), reader.get("p95_ms"),
                  harness.TARGET_MS["report-html"], rps=figures["rps"], extra=extra)  # fmt: skip


def as_result(figures: dict[str, Any]) -> Result:
    """One mode's figures as a row of bench/results.json (kind load-mix: rps, p95_ms, errors)."""
    if figures["mode"].startswith("public"):
        return public_result(figures)
    closed = figures["offered_rps"] is None
    extra = {key: figures[key] for key in ("users", "offered_rps", "seconds", "requests", "errors", "error_samples",
                                           "p99_ms", "max_ms", "writes", "writes_p95_ms", "load_before",
                                           "load_after", "cpu")}  # fmt: skip
    extra["server_errors"] = figures.get("server_errors", [])
    extra["worst_pages"] = [
        {key: page[key] for key in ("name", "requests", "p50_ms", "p95_ms", "errors", "share")}
        for page in figures["pages"][:WORST_PAGES]
    ]
    if closed:
        extra["target_rps"] = harness.TARGET_LOAD_RPS
    if not figures.get("measured", True):
        extra["error"] = "the measured window never started (not every user signed in)"
    label = f"{figures['users']} users, no think time" if closed else \
        f"{figures['users']} users offering {figures['offered_rps']:g} req/s"  # fmt: skip
    return Result(f"load-mix {figures['mode']} ({label})", "load-mix", figures["p50_ms"], figures["p95_ms"],
                  None if closed else harness.TARGET_MS["load-mix"], rps=figures["rps"], extra=extra)  # fmt: skip


def server_errors(offset: int, limit: int = 5) -> list[str]:
    """The servers' error lines (a 503 and its cause, a 500) logged since ``offset``."""
    with SERVER_LOG.open() as log:
        log.seek(offset)
        lines = [line.strip() for line in log if '"level": "ERROR"' in line or "answered 503" in line]
    return lines[:limit]


def print_mode(figures: dict[str, Any]) -> None:
    cpu = figures["cpu"]
    offered = f", offered {figures['offered_rps']:g} req/s" if figures["offered_rps"] else ", no think time"
    print(f"\n{figures['mode']}: {figures['users']} users{offered}, {figures['seconds']:.0f} s measured")
    print(f"  {figures['rps']} req/s, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"p99 {figures['p99_ms']} ms, {figures['errors']} errors; {figures['writes']} writes "
          f"(worst p95 {figures['writes_p95_ms']} ms)")  # fmt: skip
    print(f"  load average {' '.join(map(str, figures['load_before']))} before, "
          f"{' '.join(map(str, figures['load_after']))} after ({cpu['cores']} cores); CPU seconds over "
          f"{cpu['wall']} s: servers {cpu['servers']}, locust {cpu['locust']}, rest of the machine "
          f"(PostgreSQL, others) {cpu['rest']}")  # fmt: skip
    print(f"  {'page':<40} {'method':>6} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'% time':>6}")  # fmt: skip
    for page in figures["pages"]:
        print(f"  {page['name']:<40} {page['method']:>6} {page['requests']:>8} {fmt(page['p50_ms'])} "
              f"{fmt(page['p95_ms'])} {fmt(page['p99_ms'])} {page['errors']:>6} {page['share']:>6.1f}")  # fmt: skip
    for sample in figures["error_samples"]:
        print(f"  error: {sample}", file=sys.stderr)
    for line in figures.get("server_errors", []):
        print(f"  server ({SERVER_LOG.relative_to(harness.ROOT)}): {line[:300]}", file=sys.stderr)


def fmt(value: float | None) -> str:
    return f"{'-':>7}" if value is None else f"{value:>7.0f}"


# --- The run ------------------------------------------------------------------------------------------


def load_mix(options: LoadOptions, wanted: Callable[[str], bool] = lambda name: True) -> list[Result]:
    """Both modes against two fresh servers; a Result per mode (``wanted``: by mode name)."""
    selected = [mode for mode in modes(options) if wanted(f"load-mix {mode.name}")]
    if not selected:
        return []
    password = secrets.token_urlsafe(24)
    env = {**harness.production_env(harness.new_secret_key(), None), "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
           "REDIS_URL": options.redis_url}  # fmt: skip
    harness.collect_static(env)
    results = []
    with tempfile.TemporaryDirectory(prefix="ikma-load-") as workdir, ExitStack() as stack:
        servers: list[harness.Server] = []
        try:
            SERVER_LOG.parent.mkdir(exist_ok=True)
            log = stack.enter_context(SERVER_LOG.open("w"))
            for _ in range(2):
                servers.append(harness.start_server(env, options.workers, options.threads, log=log))
            print(f"\nload mix: two servers (ports {', '.join(str(s.port) for s in servers)}), each "
                  f"{servers[0].description}; Redis {options.redis_url}", flush=True)  # fmt: skip
            for mode in selected:
                flush_redis(options.redis_url)
                logged = SERVER_LOG.stat().st_size
                figures = run_locust(mode, servers, password, options.seconds, Path(workdir), options.mix)
                figures["server_errors"] = server_errors(logged)
                print_mode(figures)
                results.append(as_result(figures))
        finally:
            for server in servers:
                server.stop()
    return results


@dataclass(frozen=True)
class LoadOptions:
    seconds: float
    users: int
    offered_users: int
    offered_rps: float
    workers: int
    threads: int
    redis_url: str
    mix: dict[str, int] | None = None
    readers: int = 4
    reader_rps: float = 1.0
    public_users: int = 50
    public_rps: float = 200.0

    @classmethod
    def of(cls, namespace: argparse.Namespace, prefix: str = "") -> LoadOptions:
        dest = prefix.replace("-", "_")
        return cls(**{name: getattr(namespace, dest + name, None) for name in cls.__dataclass_fields__})


def add_arguments(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """The load test's options (``prefix``: `make bench` names them --load-...)."""
    cores = os.cpu_count() or 2
    dest = prefix.replace("-", "_")

    def option(name: str, **kwargs: Any) -> None:
        parser.add_argument(f"--{prefix}{name}", dest=dest + name.replace("-", "_"), **kwargs)

    option("seconds", type=float, default=60.0, help="measured seconds of each mode")
    option("users", type=int, default=32, help="closed loop: users")
    option("offered-users", type=int, default=96, help="offered load: users")
    option("offered-rps", type=float, default=60.0, help="offered load: requests a second of all users together")
    option("workers", type=int, default=cores + 1, help="gunicorn workers of each of the two servers")
    option("threads", type=int, default=4, help="threads per gunicorn worker")
    option("readers", type=int, default=4, help="public modes: signed-in readers of report pages")
    option("reader-rps", type=float, default=1.0, help="public modes: requests a second of each reader")
    option("public-users", type=int, default=50, help="public burst: anonymous readers of the public page")
    option("public-rps", type=float, default=200.0, help="public burst: their requests a second together")
    option("redis-url", default=os.environ.get("LOAD_REDIS_URL") or DEFAULT_REDIS_URL,
           help="the servers' shared cache (its database is flushed before each mode)")  # fmt: skip


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--mode", choices=[mode.name for mode in modes(LoadOptions(60, 1, 1, 1, 1, 1, ""))],
                        help="run only this mode")  # fmt: skip
    parser.add_argument("--mix", type=parse_mix, default=None,
                        help="another mix of roles for a diagnosis, e.g. viewers=1 (reads only); "
                             f"default {','.join(f'{k}={v}' for k, v in MIX.items())}")  # fmt: skip
    return parser.parse_args(argv)


def main() -> int:
    options = arguments()
    mode = options.mode
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmsite.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    django.setup()
    from django.db import connection

    from budgets.models import MonthlyReport

    if connection.vendor != "postgresql":
        sys.exit("make load needs PostgreSQL: LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_bench")
    if not MonthlyReport.objects.exists():
        sys.exit("no budget data: load the national data first (`make bench`, or python -m bench.national_data)")
    results = load_mix(LoadOptions.of(options), lambda name: mode is None or name == f"load-mix {mode}")
    misses = [miss for result in results for miss in result.misses()]
    for miss in misses:
        print(f"MISS {miss}", file=sys.stderr)
    print(f"\n{len(misses)} targets missed" if misses else "\nevery target holds")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
