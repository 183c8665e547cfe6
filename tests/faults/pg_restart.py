"""`make faults`: PostgreSQL restarted while users work (issue 18). Not part of `make test`.

Starts a PostgreSQL instance of its OWN (initdb in a temporary folder, port 5433 by default,
never the shared server), migrates a database ``ikma_faults`` into it, serves the site with
gunicorn (one worker, persistent connections: CONN_MAX_AGE=60 and the health check, as in
production) and, while a loop of users signs in (a write: the session row) and opens a page
(a read), restarts PostgreSQL. It reports the answers by status, how long the site answered
503 and when it answered 2xx/302 again, and checks that every sign-in confirmed with a 302 has
its session in the database afterwards (no confirmed write lost). Exit status 1 on a 500, on
a lost write or on no recovery within 30 s."""

# A local tool run by hand: it starts our own programs with fixed arguments, talks to its own
# server over http://127.0.0.1, and opens its temporary folder to the postgres user.
# ruff: noqa: S603, S310, S103

from __future__ import annotations

import collections
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("FAULTS_PG_PORT", "5433"))
WEB = int(os.environ.get("FAULTS_WEB_PORT", "8765"))
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN") or sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
USER, PASSWORD = "faults-officer", "Faults-sandi-12345"


def as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: then they run as the system's postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def pg(data: Path, *args: str) -> None:
    subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), *args]), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def session(base: str) -> tuple[int, str | None]:
    """Sign in (a write); (status, session key) — the key only when the sign-in was confirmed."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    try:
        page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": USER, "password": PASSWORD})
        request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(),
                                         headers={"Referer": f"{base}/accounts/login/"})  # fmt: skip
        status = opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, ConnectionError, AttributeError) as error:
        return 0, type(error).__name__
    key = next((c.value for c in jar if c.name == "sessionid"), None)
    return status, key if status == 302 else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="ikma-faults-"))
    data = work / "pgdata"
    os.chmod(work, 0o777)
    database_url = f"postgres://postgres@127.0.0.1:{PORT}/ikma_faults"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_FRESH_CACHE": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        subprocess.run(as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        pg(data, "-o", f"-p {PORT} -k {work} -c listen_addresses=127.0.0.1", "-l", str(work / "pg.log"), "-w", "start")
        subprocess.run(as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PORT), "ikma_faults"]),
                       check=True)  # fmt: skip
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-c", (
            "from django.contrib.auth import get_user_model; get_user_model().objects.create_user("
            f"{USER!r}, password={PASSWORD!r}, role='VIEWER')"
        )], cwd=ROOT, env=env, check=True)  # fmt: skip
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "ikmsite.wsgi", "-b", f"127.0.0.1:{WEB}", "-w", "1",
             "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{WEB}"
        for _ in range(60):
            if session(base)[0] == 302:
                break
            time.sleep(0.5)
        else:
            print("the site did not start")
            return 1

        results: list[tuple[float, int, str | None]] = []
        stop = threading.Event()

        def user() -> None:
            while not stop.is_set():
                status, key = session(base)
                results.append((time.monotonic(), status, key))

        users = [threading.Thread(target=user) for _ in range(3)]
        for thread in users:
            thread.start()
        time.sleep(5)
        restart_at = time.monotonic()
        pg(data, "-m", "fast", "-w", "restart", "-o", f"-p {PORT} -k {work} -c listen_addresses=127.0.0.1")
        back_at = time.monotonic()
        time.sleep(10)
        stop.set()
        for thread in users:
            thread.join()

        by_status = collections.Counter(status for _, status, _ in results)
        unavailable = [t for t, status, _ in results if status == 503]
        recovered = next((t for t, status, _ in results if t > back_at and status == 302), None)
        confirmed = [key for _, status, key in results if status == 302 and key]
        stored = subprocess.run(
            as_postgres([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PORT), "-d", "ikma_faults", "-Atc",
                         "SELECT session_key FROM django_session"]),
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        lost = set(confirmed) - set(stored)
        print(f"answers by status: {dict(sorted(by_status.items()))} (0 = no answer)")
        print(f"PostgreSQL restart took {back_at - restart_at:.1f} s")
        if unavailable:
            print(f"503 answers: {len(unavailable)}, from +{unavailable[0] - restart_at:.1f} s "
                  f"to +{unavailable[-1] - restart_at:.1f} s after the restart began")  # fmt: skip
        print(f"first confirmed write after PostgreSQL was back: "
              f"{'none' if recovered is None else f'+{recovered - back_at:.2f} s'}")  # fmt: skip
        print(f"confirmed writes: {len(confirmed)}, missing from the database afterwards: {len(lost)}")
        ok = by_status.get(500, 0) == 0 and not lost and recovered is not None and recovered - back_at < 30
        print("OK" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if (data / "postmaster.pid").exists():
            pg(data, "-m", "immediate", "stop")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
