"""HTTP load generator for the throughput measure of `make bench` (run as its own process, so
the server's CPU time and the client's are not mixed up in one interpreter).

    python -m bench.loadgen --port 8765 --path / --cookie sessionid=... --connections 16 --seconds 30

Each of ``--connections`` threads holds one keep-alive HTTP/1.1 connection and sends the next
GET as soon as the previous response is read (a closed loop: the request rate is what the
server sustains). Prints one JSON line: requests, requests per second, latency percentiles in
ms, and errors (non-2xx answers and exceptions, with a few samples).

No Django here: only the standard library, so it can also serve the harness's sequential
latency measure (``KeepAliveClient``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SAMPLE_ERRORS = 5


class KeepAliveClient:
    """One persistent HTTP/1.1 connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int, cookie: str = "", timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {"Host": f"{host}:{port}", "Connection": "keep-alive", "Accept-Encoding": "identity"}
        if cookie:
            self.headers["Cookie"] = cookie
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``: (status, body). A connection the server closed while idle is reopened
        once; any other failure raises."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, body
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Tally:
    """What the threads observed; one lock around the appends."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, ms: float) -> None:
        with self.lock:
            self.latencies_ms.append(ms)

    def error(self, ms: float, what: str) -> None:
        with self.lock:
            self.latencies_ms.append(ms)
            self.errors += 1
            if len(self.samples) < SAMPLE_ERRORS:
                self.samples.append(what)


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (the value at or below which ``fraction`` of them lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))  # round: 0.95 * 20 must be 19, not 19.000000000000004
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def worker(client: KeepAliveClient, path: str, deadline: float, tally: Tally) -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            status, _body = client.get(path)
        except Exception as error:  # every failure is an error to count, not a reason to stop
            tally.error((time.perf_counter() - started) * 1000, f"{type(error).__name__}: {error}")
            client.close()
            continue
        ms = (time.perf_counter() - started) * 1000
        if 200 <= status < 300:
            tally.ok(ms)
        else:
            tally.error(ms, f"HTTP {status}")
    client.close()


def run(host: str, port: int, path: str, cookie: str, connections: int, seconds: float) -> dict[str, Any]:
    tally = Tally()
    clients = [KeepAliveClient(host, port, cookie) for _ in range(connections)]
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=worker, args=(c, path, deadline, tally), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started  # includes the requests in flight at the deadline
    count = len(tally.latencies_ms)
    return {
        "path": path,
        "connections": connections,
        "seconds": round(elapsed, 2),
        "requests": count,
        "rps": round(count / elapsed, 1),
        "p50_ms": _round(percentile(tally.latencies_ms, 0.50)),
        "p95_ms": _round(percentile(tally.latencies_ms, 0.95)),
        "p99_ms": _round(percentile(tally.latencies_ms, 0.99)),
        "max_ms": _round(max(tally.latencies_ms, default=None)),
        "errors": tally.errors,
        "error_samples": tally.samples,
    }


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
