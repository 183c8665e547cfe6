"""HTTP load generator for the throughput measure of `make bench` (run as its own process, so the
server's CPU time and the client's are not mixed up in one interpreter); `make load`'s mixed
workload is Locust's (bench/locustfile.py).

    python -m bench.loadgen --port 8765 --path / --cookie sessionid=... --connections 16 --seconds 30

Each connection is a thread holding one keep-alive HTTP/1.1 connection and sending the next GET
as soon as the previous response is read (a closed loop: the request rate is what the server
sustains), every connection asking for ``--path`` with ``--cookie``. Prints one JSON line:
requests, requests per second, latency percentiles in ms, errors (non-2xx answers and
exceptions, with a few samples) and 5xx answers among them.

No Django here: only the standard library, so it also serves the harness's sequential latency
measure (``KeepAliveClient``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SAMPLE_ERRORS = 5


@dataclass(frozen=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class KeepAliveClient:
    """One persistent HTTP/1.1 connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int, cookie: str = "", timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {"Host": f"{host}:{port}", "Connection": "keep-alive", "Accept-Encoding": "identity"}
        if cookie:
            self.headers["Cookie"] = cookie
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``: (status, body)."""
        response = self.request("GET", path)
        return response.status, response.body

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        """One request. A connection the server closed while idle is reopened once; any other
        failure raises."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Response(response.status, response.getheaders(), content)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Observed:
    """What the threads observed of one page (or of everything)."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    server_errors: int = 0  # 5xx answers, also counted in errors
    samples: list[str] = field(default_factory=list)

    def add(self, ms: float, error: str | None = None, server_error: bool = False) -> None:
        self.latencies_ms.append(ms)
        if error is not None:
            self.errors += 1
            self.server_errors += server_error
            if len(self.samples) < SAMPLE_ERRORS:
                self.samples.append(error)

    def figures(self, elapsed: float) -> dict[str, Any]:
        count = len(self.latencies_ms)
        return {
            "requests": count,
            "rps": round(count / elapsed, 1),
            "p50_ms": _round(percentile(self.latencies_ms, 0.50)),
            "p95_ms": _round(percentile(self.latencies_ms, 0.95)),
            "p99_ms": _round(percentile(self.latencies_ms, 0.99)),
            "max_ms": _round(max(self.latencies_ms, default=None)),
            "errors": self.errors,
            "server_errors": self.server_errors,
            "error_samples": self.samples,
        }


@dataclass
class Tally:
    """Observations per page; one lock around the appends."""

    pages: dict[str, Observed] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, ms: float, error: str | None = None, server_error: bool = False) -> None:
        with self.lock:
            self.pages.setdefault(path, Observed()).add(ms, error, server_error)

    def overall(self) -> Observed:
        every = Observed()
        for page in self.pages.values():
            every.latencies_ms += page.latencies_ms
            every.errors += page.errors
            every.server_errors += page.server_errors
            every.samples += page.samples[: SAMPLE_ERRORS - len(every.samples)]
        return every


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (the value at or below which ``fraction`` of them lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))  # round: 0.95 * 20 must be 19, not 19.000000000000004
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def worker(client: KeepAliveClient, paths: Sequence[str], start: int, deadline: float, tally: Tally) -> None:
    turn = start
    while time.perf_counter() < deadline:
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            status, _body = client.get(path)
        except Exception as error:  # every failure is an error to count, not a reason to stop
            tally.add(path, (time.perf_counter() - started) * 1000, f"{path}: {type(error).__name__}: {error}")
            client.close()
            continue
        ms = (time.perf_counter() - started) * 1000
        if 200 <= status < 300:
            tally.add(path, ms)
        else:
            tally.add(path, ms, f"{path}: HTTP {status}", server_error=status >= 500)
    client.close()


@dataclass(frozen=True)
class Connection:
    """One client connection of a plan: its session and the pages it goes round."""

    cookie: str
    paths: Sequence[str]


def run_plan(host: str, port: int, connections: Sequence[Connection], seconds: float) -> dict[str, Any]:
    """Every connection in its own thread for ``seconds``; figures per page and overall."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=worker, args=(KeepAliveClient(host, port, c.cookie), c.paths, i, deadline, tally),
                         daemon=True)
        for i, c in enumerate(connections)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started  # includes the requests in flight at the deadline
    return {
        "connections": len(connections),
        "seconds": round(elapsed, 2),
        "pages": {path: observed.figures(elapsed) for path, observed in tally.pages.items()},
        "overall": tally.overall().figures(elapsed),
    }


def run(host: str, port: int, path: str, cookie: str, connections: int, seconds: float) -> dict[str, Any]:
    """``connections`` connections on one page with one session (`make bench`'s throughput)."""
    result = run_plan(host, port, [Connection(cookie, [path])] * connections, seconds)
    return {"path": path, "connections": connections, "seconds": result["seconds"], **result["overall"]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--cookie", default="", help="Cookie header, e.g. sessionid=...")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    options = parser.parse_args()
    result = run(options.host, options.port, options.path, options.cookie, options.connections, options.seconds)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
