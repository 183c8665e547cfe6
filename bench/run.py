"""`make bench`: national-scale data, then every measure of issue 7, one table, bench/results.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ikma_bench .venv/bin/python -m bench.run

1. bench/national_data.py loads (or tops up: seconds when complete) 4.400.000 registry rows,
   ten years of budget and programme records.
2. bench/import_export.py's subprocess measures: the 100.000-row `ikm` import (new, then every
   row changed) and the 1.000.000-row registry XLSX export (this year's registry: the
   background rows plus the imported ones), each with its own peak memory.
3. The product's summary rebuild (when it has one): the raw COPY and DELETE above bypass the
   services that keep summaries current.
4. gunicorn with the production settings and the page cache off (every request builds its
   page); over real HTTP, warm, p50/p95 of every CONTRACT report in JSON and HTML, national
   (reviewer) and for one province (officer), and of the registry list (first page, a page deep
   into the results, with filters, name searches); query counts of each page; each report's ORM
   time against hand-written SQL.
5. Throughput: gunicorn as deployed (pages cached under the data version, never stale);
   bench/loadgen.py in a second process, 16 keep-alive connections for 30 s on the dashboard and
   on a report page.
6. The load mix (bench/load.py, `make load`): every role's work, writes included, from Locust
   against two servers sharing the database and Redis; closed loop (32 users, no think time)
   and 60 req/s offered (kind load-mix: rps, p95_ms, errors).

Budget and programme reports are measured for the last complete year (twelve months of data:
the heaviest); /reports/ikm/ for the current year (the whole registry). Exit status 1 when a
target is missed (the list is printed), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import django

from bench import harness, load
from bench.harness import TARGET_MS, Budget, Result

RESULTS = Path(__file__).with_name("results.json")
EXPLAINS = Path(__file__).with_name("results-explain.json")
RATIO_PAIRS = 200
CONTRACT_REPORTS = ("realization", "provinces", "satkers", "monthly", "submissions", "outputs", "ikm", "ro", "ikpa")
PROVINCE = "33"  # Jawa Tengah: the province with the most IKM, the officer's
REVIEWER, OFFICER = "bench-reviewer", f"bench-officer-{PROVINCE}"
EXPORT_ADMIN = "bench-admin"  # bench/import_export.py's user


@dataclass(frozen=True)
class Page:
    name: str
    kind: str
    path: str
    user: str  # REVIEWER or OFFICER
    report: str | None = None  # the REPORTS name of a report page
    province: str | None = None  # the province parameter of a report page


# --- What is measured -------------------------------------------------------------------------------


def report_pages(year: int, current_year: int) -> list[Page]:
    """Every CONTRACT report, JSON and HTML, national for the reviewer and for one province for
    its officer."""
    from django.urls import reverse

    from reports.catalog import REPORTS

    pages = []
    for name in CONTRACT_REPORTS:
        spec = REPORTS[name]
        report_year = current_year if name == "ikm" else year
        for fmt in ("json", "html"):
            for user, province in ((REVIEWER, None), (OFFICER, PROVINCE)):
                path = f"{reverse('reports:' + spec.name)}?year={report_year}&format={fmt}"
                path += f"&province={province}" if province else ""
                label = f"province {province}" if province else "national"
                pages.append(Page(f"{name} {fmt} {label}", f"report-{fmt}", path, user, name, province))
    return pages


def registry_pages(users: dict[str, Any]) -> list[Page]:
    """The registry list: first pages and pages half-way through (a keyset cursor at the
    middle row, as a user following "next" would reach), with filters; then name searches."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("programs:registry-list")
    lists = [
        ("all", REVIEWER, {}),
        (f"province {PROVINCE}", REVIEWER, {"province": PROVINCE}),
        (f"province {PROVINCE} kbli 10 small", REVIEWER, {"province": PROVINCE, "kbli": "10", "size_class": "KECIL"}),
        ("kbli 31001 medium", REVIEWER, {"kbli": "31001", "size_class": "MENENGAH"}),
        (f"officer {PROVINCE}", OFFICER, {}),
    ]
    pages = []
    for label, user, params in lists:
        pages.append(Page(f"registry {label} first page", "registry-list", f"{url}?{urlencode(params)}", user))
        deep = {**params, "after": middle_cursor(users[user], params)}
        pages.append(Page(f"registry {label} middle page", "registry-list", f"{url}?{urlencode(deep)}", user))
    searches = [("common word", "sukamaju"), ("rare name", "roti sukamaju siti"), ("NIB", any_nib()),
                ("no match", "zzzz tidak ada")]  # fmt: skip
    for label, term in searches:
        pages.append(Page(f"registry search {label}", "registry-search", f"{url}?{urlencode({'q': term})}", REVIEWER))
    pages.append(Page(f"registry search in province {PROVINCE}", "registry-search",
                      f"{url}?{urlencode({'q': 'sukamaju', 'province': PROVINCE})}", REVIEWER))  # fmt: skip
    return pages


def middle_cursor(user: Any, params: dict[str, str]) -> str:
    """The list's own cursor for the middle row of the filtered registry (through the view's
    filter and encoder, so it follows the product)."""
    from accounts.scoping import scoped
    from programs.models import Enterprise
    from programs.registry.filters import EnterpriseFilter
    from programs.registry.views import encode_cursor

    rows = EnterpriseFilter(params, queryset=scoped(Enterprise.objects.all(), user), user=user).qs
    middle = rows.count() // 2
    name, pk = rows.order_by("name_normalized", "id").values_list("name_normalized", "id")[middle]
    return encode_cursor(Enterprise(name_normalized=name, pk=pk))


def any_nib() -> str:
    from programs.models import Enterprise

    return Enterprise.objects.filter(nib__startswith="97").values_list("nib", flat=True).order_by("nib")[1000]


# --- Measuring ----------------------------------------------------------------------------------------


def measure_pages(pages: Sequence[Page], port: int, cookies: dict[str, str], clients: dict[str, Any],
                  budget: Budget) -> list[Result]:  # fmt: skip
    from bench.loadgen import KeepAliveClient

    http = {user: KeepAliveClient("127.0.0.1", port, cookie) for user, cookie in cookies.items()}
    results = []
    for page in pages:
        timings, error = harness.time_requests(http[page.user], page.path, budget)
        extra = {"runs": len(timings), "path": page.path, "user": page.user}
        if page.report:
            extra.update(report=page.report, province=page.province)
        if error:
            extra["error"] = error
        profile = harness.profile_queries(clients[page.user], page.path)
        extra.update(slowest_query_ms=profile.slowest_ms, slowest_query=profile.slowest_sql)
        result = Result(page.name, page.kind, **harness.summary(timings), target_ms=TARGET_MS[page.kind],
                        queries=profile.count, extra=extra)  # fmt: skip
        print(f"  {result.name:<48} p50 {result.p50_ms} p95 {result.p95_ms} ms, {result.queries} queries", flush=True)
        results.append(result)
    for client in http.values():
        client.close()
    return results


def orm_against_sql(results: list[Result], users: dict[str, Any], year: int, current_year: int,
                    budget: Budget) -> None:  # fmt: skip
    """Each report-json result gets its report function's time (ORM), the hand-written SQL's
    time for the same figures, their ratio, and whether the figures agree."""
    from django.utils import timezone

    from accounts import permissions
    from accounts.scoping import scoped
    from budgets.models import FiscalYear, Satker
    from budgets.reports.queries import RealizationFilter
    from core.reporting.spec import BuildContext
    from reports.catalog import REPORTS

    # Calls of 2 to 40 ms, on a machine whose speed drifts by a fifth within a minute: 200 pairs
    # (a few seconds a report) give a ratio that repeats within a few hundredths. The time limit
    # still stops a slow statement (the registry's hand-written GROUP BY takes seconds).
    ratio_budget = replace(budget, runs=max(budget.runs, RATIO_PAIRS))
    for result in results:
        if result.kind != "report-json":
            continue
        name, province = result.extra["report"], result.extra["province"]
        spec = REPORTS[name]
        report_year = current_year if name == "ikm" else year
        # As the view builds it: below province level the officer's satkers only.
        user = users[result.extra["user"]]
        below_scope = (spec.below_province or spec.scoped_satker_rows) and not permissions.reads_all_provinces(user)
        satkers = scoped(Satker.objects.all(), user) if below_scope else None
        filters = RealizationFilter(year=report_year, province=province, satkers=satkers)
        context = BuildContext(FiscalYear.objects.get(year=report_year), None, False, timezone.localdate())

        def build(spec=spec, filters=filters, context=context):
            return spec.build(filters, context)

        hand = harness.HAND_SQL.get(name)
        if hand is None:
            result.extra["orm_p50_ms"] = harness.summary(harness.time_calls(build, budget))["p50_ms"]
            continue
        params, statement = harness.sql_params(filters, context.today), hand.statement
        orm, sql = harness.time_alternately(
            build, lambda statement=statement, params=params: harness.run_sql_report(statement, params), ratio_budget
        )
        result.extra["orm_p50_ms"] = harness.summary(orm)["p50_ms"]
        result.extra["sql_p50_ms"] = harness.summary(sql)["p50_ms"]
        result.extra["orm_sql_ratio"] = harness.paired_ratio(orm, sql)
        mismatch = harness.differences(hand.keyed_report(spec.build(filters, context)),
                                       hand.keyed_sql(harness.run_sql(statement, params)))  # fmt: skip
        if mismatch:
            result.extra["sql_mismatch"] = mismatch
        print(f"  {result.name:<48} ORM {result.extra['orm_p50_ms']} ms, SQL {result.extra['sql_p50_ms']} ms, "
              f"ratio {result.extra['orm_sql_ratio']}{' MISMATCH' if mismatch else ''}", flush=True)  # fmt: skip


def explain_slowest(results: Sequence[Result], count: int) -> None:
    """EXPLAIN ANALYZE of the slowest query of the ``count`` pages that miss their target by the
    most, to bench/results-explain.json (the evidence for what to index or summarise)."""
    missing = [
        r for r in results if r.p95_ms and r.target_ms and r.p95_ms > r.target_ms and r.extra.get("slowest_query")
    ]
    worst = sorted(missing, key=lambda r: r.p95_ms / r.target_ms, reverse=True)[:count]
    plans = []
    for result in worst:
        plan = harness.explain(result.extra["slowest_query"])
        plans.append({"name": result.name, "p95_ms": result.p95_ms, "queries": result.queries,
                      "slowest_query_ms": result.extra["slowest_query_ms"], "sql": result.extra["slowest_query"],
                      "plan": plan})  # fmt: skip
        first = plan.splitlines()[0] if plan else "(not a SELECT)"
        print(f"  {result.name}: slowest query {result.extra['slowest_query_ms']} ms: {first[:110]}", flush=True)
    EXPLAINS.write_text(json.dumps(plans, indent=2) + "\n")


def throughput(name: str, port: int, path: str, cookie: str, connections: int, seconds: float) -> Result:
    """bench/loadgen.py in its own process against the running server."""
    command = [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--path", path, "--cookie", cookie,
               "--connections", str(connections), "--seconds", str(seconds)]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    load = json.loads(output.strip().splitlines()[-1])
    result = Result(name, "throughput", load["p50_ms"], load["p95_ms"], TARGET_MS["throughput"], rps=load["rps"],
                    extra={key: load[key] for key in ("p99_ms", "max_ms", "requests", "errors", "error_samples",
                                                      "connections", "seconds", "path")})  # fmt: skip
    print(f"  {name}: {load['rps']} req/s, p99 {load['p99_ms']} ms, {load['errors']} errors", flush=True)
    return result


# --- Import and export (bench/import_export.py's subprocess measures) ---------------------------------


def import_export(workdir: Path) -> list[Result]:
    from django.utils import timezone

    from bench import import_export as ie
    from programs.models import Enterprise

    ie.delete_imported()
    rows = ie.IMPORT_ROWS
    first, changed = workdir / "ikm-bench.xlsx", workdir / "ikm-bench-changed.xlsx"
    ie.write_import_workbook(workdir / "write-only.xlsx", rows)
    ie.write_import_workbook(workdir / "write-only-changed.xlsx", rows, changed=True)
    ie.like_excel(workdir / "write-only.xlsx", first, rows)
    ie.like_excel(workdir / "write-only-changed.xlsx", changed, rows)
    results = []
    for name, path, expected in [(f"import {rows} new", first, "new"), (f"import {rows} changed", changed, "changed")]:
        outcome, _wall, _rss = ie.measured(["--child-import", str(path), name])
        extra = {"counts": outcome["counts"], "phases": outcome["phases"]}
        if not outcome["imported"] or outcome["counts"][expected] != rows:
            extra["error"] = f"expected {rows} {expected}: {outcome['counts']} {outcome['errors']}"
        # Issue 25's target for new rows (bench/import_export.py); the changed rows keep the import's.
        target = ie.NEW_IMPORT_LIMIT_SECONDS * 1000 if expected == "new" else None
        results.append(single_run(name, "import", outcome, extra, target_ms=target))
    year = timezone.localdate().year
    count = Enterprise.objects.filter(data_year=year).count()
    outcome, _wall, _rss = measured_export({"data_year": str(year)})
    extra = {"bytes": outcome["bytes"], "filter": f"data_year={year}"}
    if outcome["status"] != 200:
        extra["error"] = f"HTTP {outcome['status']}"
    results.append(single_run(f"export {count} registry rows to xlsx", "export", outcome, extra))
    return results


def single_run(
    name: str, kind: str, outcome: dict[str, Any], extra: dict[str, Any], target_ms: float | None = None
) -> Result:
    """A one-off measure (import, export): its time stands in both percentiles."""
    ms = round(outcome["seconds"] * 1000)
    target = TARGET_MS[kind] if target_ms is None else target_ms
    result = Result(name, kind, ms, ms, target, peak_mb=round(outcome["peak_mb"], 1), extra={"runs": 1, **extra})
    print(f"  {name}: {outcome['seconds']:.1f} s, peak {outcome['peak_mb']:.0f} MB", flush=True)
    return result


def measured_export(query: dict[str, str]) -> tuple[dict[str, Any], float, float]:
    """bench/import_export.py's ``measured``, for this module's filtered export child."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bench.run", "--child-export", json.dumps(query)],  # noqa: S603
                             stdout=subprocess.PIPE)  # fmt: skip
    output = child.stdout.read() if child.stdout else b""
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"export child failed with status {os.waitstatus_to_exitcode(status)}")
    return json.loads(output.decode().strip().splitlines()[-1]), time.perf_counter() - started, usage.ru_maxrss / 1024


def child_export(query: dict[str, str]) -> dict[str, Any]:
    """The registry list's XLSX export through the real view, filtered (the whole registry is
    4,5 million rows; the target is about 1.000.000)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bench.import_export import own_peak_mb

    client = Client()
    client.force_login(get_user_model().objects.get(username=EXPORT_ADMIN))
    started = time.perf_counter()
    response = client.get(reverse("programs:registry-list"), {**query, "format": "xlsx"})
    size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
    seconds = time.perf_counter() - started
    response.close()
    return {"seconds": seconds, "status": response.status_code, "bytes": size, "peak_mb": own_peak_mb()}


# --- Output ---------------------------------------------------------------------------------------------


def print_table(results: Sequence[Result]) -> None:
    print(f"\n{'name':<50} {'kind':<15} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'queries':>7} {'peak MB':>7} "
          f"{'req/s':>6}  notes")  # fmt: skip
    for r in results:
        notes = []
        if "orm_sql_ratio" in r.extra:
            notes.append(f"ORM {r.extra['orm_p50_ms']} / SQL {r.extra['sql_p50_ms']} ms = {r.extra['orm_sql_ratio']}")
        elif "orm_p50_ms" in r.extra:
            notes.append(f"ORM {r.extra['orm_p50_ms']} ms")
        if r.kind == "throughput":
            notes.append(f"p99 {r.extra['p99_ms']} ms, {r.extra['errors']} errors")
        if r.kind == "load-mix":
            notes.append(f"{r.extra['errors']} errors, {r.extra['writes']} writes, load {r.extra['load_before'][0]}")
        if r.extra.get("error"):
            notes.append(str(r.extra["error"]))
        print(f"{r.name:<50} {r.kind:<15} {fmt(r.p50_ms):>8} {fmt(r.p95_ms):>8} {fmt(r.target_ms):>8} "
              f"{fmt(r.queries):>7} {fmt(r.peak_mb):>7} {fmt(r.rps):>6}  {'; '.join(notes)}")  # fmt: skip


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 100 or float(value).is_integer() else f"{value:.1f}"


# --- The run ----------------------------------------------------------------------------------------


def run(options: argparse.Namespace) -> int:
    from django.utils import timezone

    from bench import national_data
    from bench.db import vacuum_analyze

    current_year = timezone.localdate().year
    year = options.year or current_year - 1
    results: list[Result] = []
    if not options.skip_load:
        national_data.load(national_data.arguments([]))
    if not options.skip_import_export:
        print("\nimport and export", flush=True)
        with tempfile.TemporaryDirectory(prefix="ikm-bench-") as workdir:
            results += import_export(Path(workdir))
    # Always: the COPY, the import benchmark's raw DELETE and migrations that add a summary table
    # all leave summaries behind the base tables.
    started = time.perf_counter()
    rebuilt = national_data.refresh_summaries()
    settled = vacuum_analyze()  # a settled database's statistics and visibility maps
    print(f"summary tables rebuilt by: {', '.join(rebuilt) or '(no summary command in the product)'}, "
          f"{len(settled)} tables vacuumed and analyzed, in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"load average before measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores: "
          "other work on the machine shows in the figures)", flush=True)  # fmt: skip
    users = {
        REVIEWER: harness.bench_user(REVIEWER, "REVIEWER"),
        OFFICER: harness.bench_user(OFFICER, "OFFICER", PROVINCE),
    }
    clients = {name: harness.logged_in_client(user) for name, user in users.items()}
    cookies = {name: harness.session_cookie(user) for name, user in users.items()}
    budget = Budget(runs=options.runs, seconds=options.item_seconds)
    only = re.compile(options.only) if options.only else None

    def wanted(name: str) -> bool:
        return only is None or only.search(name) is not None

    env = harness.production_env(os.environ["DJANGO_SECRET_KEY"], options.conn_max_age)
    harness.collect_static(env)
    # Latency: every page built afresh (the fresh cache off): what a request costs after any
    # change, and what the targets are measured on.
    server = harness.start_server({**env, "DJANGO_FRESH_CACHE": "0"}, options.workers, options.threads)
    try:
        print(f"\npages over HTTP, built on every request ({server.description}, port {server.port})", flush=True)
        pages = [page for page in report_pages(year, current_year) + registry_pages(users) if wanted(page.name)]
        page_results = measure_pages(pages, server.port, cookies, clients, budget)
        print("\nORM against hand-written SQL", flush=True)
        orm_against_sql(page_results, users, year, current_year, budget)
        results += page_results
        print(f"\nEXPLAIN ANALYZE of the worst pages' slowest queries -> {EXPLAINS.name}", flush=True)
        explain_slowest(page_results, options.explain)
    finally:
        server.stop()
    # Throughput: as deployed, pages cached under the data version (core/fresh_cache.py).
    server = harness.start_server(env, options.workers, options.threads)
    try:
        print(f"\nthroughput, as deployed: {options.connections} connections x {options.seconds:.0f} s", flush=True)
        for name, path in (
            ("throughput dashboard", "/"),
            ("throughput report provinces html", f"/reports/realization/provinces/?year={year}"),
        ):
            if not wanted(name):
                continue
            results.append(throughput(name, server.port, path, cookies[REVIEWER],
                                      options.connections, options.seconds))  # fmt: skip
    finally:
        server.stop()
    # The mixed workload of every role, writes included, on two servers sharing Redis (bench/load.py).
    if not options.skip_load_mix:
        results += load.load_mix(load.LoadOptions.of(options, "load-"), wanted)
    print_table(results)
    RESULTS.write_text(json.dumps([r.as_json() for r in results], indent=2, default=str) + "\n")
    print(f"\nwritten {RESULTS}")
    misses = [miss for result in results for miss in result.misses()]
    for miss in misses:
        print(f"MISS {miss}", file=sys.stderr)
    print(f"{len(misses)} targets missed" if misses else "every target holds")
    return 1 if misses else 0


def arguments() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=None, help="report year (default: last complete year)")
    parser.add_argument("--runs", type=int, default=40, help="measured requests per page (after 3 warm-ups)")
    parser.add_argument("--item-seconds", type=float, default=20.0, help="stop a slow page after this, >= 10 runs")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--conn-max-age", type=int, default=None, help="DJANGO_CONN_MAX_AGE of the server")
    parser.add_argument("--connections", type=int, default=16, help="throughput: concurrent connections")
    parser.add_argument("--seconds", type=float, default=30.0, help="throughput: seconds per page")
    parser.add_argument("--skip-load", action="store_true", help="measure the database as it is")
    parser.add_argument("--skip-import-export", action="store_true", help="leave out the import and export")
    parser.add_argument("--only", help="measure only the pages and throughput items whose name matches this regex")
    parser.add_argument("--explain", type=int, default=8, help="pages whose slowest query is EXPLAINed")
    parser.add_argument("--skip-load-mix", action="store_true", help="leave out the load mix (bench/load.py)")
    load.add_arguments(parser, "load-")
    parser.add_argument("--child-export", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    options = arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmsite.settings")
    # The server and this process share the key: sessions made here hold there.
    os.environ.setdefault("DJANGO_SECRET_KEY", harness.new_secret_key())
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # not a line per login of the bench users
    django.setup()
    if options.child_export:
        print(json.dumps(child_export(json.loads(options.child_export))))
        return 0
    from bench.db import ensure_database
    from bench.import_export import prepare_database

    ensure_database()
    prepare_database()  # migrations (the product may have new ones), master data, the export's admin
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
