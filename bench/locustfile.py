"""The load test's users (Locust): officers, heads, reviewers, an admin and leadership, signed in
through the login form, over two app servers. Run by bench/load.py (`make load`, `make bench`) as
``locust --headless -f bench/locustfile.py`` in a process of its own (Locust patches the standard
library with gevent: never imported into the Django process), with the run's plan in a JSON file
named by LOAD_PLAN (accounts and their password, servers, satkers, report pages; see
bench/load.py ``plan``). No Django here.

Every user goes round a journey, one request per step (a redirect after a POST is the next step,
as a browser follows it), so that ``constant_throughput(rate)`` offers exactly ``rate`` requests
a second per user; LOAD_RATE=0 is the closed loop (no think time). Every answer is checked: a GET
must answer 200, a form's POST 302 (a form shown again with errors, a 403 or a 5xx is a failure).

The month's sign-off runs as a cycle, so that approvals always have supply, run after run: a run
ends with each report at some step of it, and the next run carries on from there (each step adds
its transition and history rows, as it does in use):

    officer: the month before the running one, RETURNED -> typed and "Simpan dan ajukan" (SUBMITTED)
    head (Kepala Dinas): verifies from the head's queue (VERIFIED)
    reviewer: from the directorate's queue (the cockpit), approves, or returns every second time
              (RETURNED: back to the officer)
    admin: reopens the approved month for a correction, with a reason (RETURNED)

The bench data approves every month once due; the running month is a draft that cannot be
submitted before it ends: the officers type and save it (the save alternates each line between two
amounts within its pagu, so runs repeat); the month before it, in the heads' provinces, goes round
the cycle above (the admin's reopening starts it). Leadership (viewer)
reads the dashboard, report pages in HTML and JSON and exports reports to XLSX and CSV.

The measured window starts when every user has signed in (the sign-ins, a password hash each,
are not measured: the statistics are reset then) and lasts LOAD_SECONDS; what happened before
and anything the statistics cannot hold (sign-in failures) goes to the plan's ``side_file``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, constant_throughput, events, task

from bench.pages import csrf_token, editable_grid, form_actions, form_ending, report_links, typed_grid

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
RATE = float(os.environ.get("LOAD_RATE", "0"))  # requests per second per user; 0: closed loop
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))

LOGIN = "/accounts/login/"


# --- Users --------------------------------------------------------------------------------------

_server = itertools.count()  # users alternate between the servers, whatever their role
_signed_in = itertools.count(1)
SIDE: dict[str, Any] = {"login_failures": [], "measured_from": None, "signed_in": 0}


class Journey(FastHttpUser):
    """A signed-in user going round ``journey()``, one request per task run."""

    abstract = True
    role = ""  # the plan's list of accounts this class takes its accounts from
    signs_in = True  # False: an anonymous reader (the public page)
    wait_time = constant_throughput(RATE) if RATE > 0 else constant(0)
    connection_timeout = 60.0
    network_timeout = 120.0
    _accounts: itertools.count

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._accounts = itertools.count()
        cls.fixed_count = PLAN.get("counts", {}).get(cls.role, 0)

    def __init__(self, environment: Any) -> None:
        hosts = PLAN.get("hosts") or ["http://127.0.0.1:8000"]
        self.host = hosts[next(_server) % len(hosts)]
        super().__init__(environment)
        # Production marks its cookies Secure: the browser behind the TLS proxy sends them, and
        # so does this client on loopback's plain HTTP.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        accounts = PLAN.get(self.role) or [{}]
        self.account = accounts[next(self._accounts) % len(accounts)]
        self.random = random.Random(f"{self.role}-{self.account.get('username')}")  # noqa: S311
        self.steps: Iterator[Callable[[], None]] = iter(())
        self.signed_in = False

    def on_start(self) -> None:
        try:
            if self.signs_in:
                self.sign_in()
            else:
                self.signed_in = True
        finally:
            if next(_signed_in) == sum(PLAN.get("counts", {}).values()):
                start_measuring(self.environment)

    def sign_in(self) -> None:
        """The login form, as a browser sends it (the CSRF cookie and the form's token)."""
        page = self.client.get(LOGIN, name="sign-in")
        token = csrf_token(page.text or "")
        answer = self.client.post(LOGIN, name="sign-in", allow_redirects=False, data={
            "username": self.account["username"], "password": PLAN["password"], "csrfmiddlewaretoken": token or "",
        })  # fmt: skip
        if answer.status_code != 302 or "sessionid" not in {cookie.name for cookie in self.client.cookiejar}:
            SIDE["login_failures"].append(f"{self.account['username']}: HTTP {answer.status_code}")
            self.signed_in = False
        else:
            self.signed_in = True

    @task
    def step(self) -> None:
        if not self.signed_in:
            time.sleep(1)
            return
        try:
            next(self.steps)()
        except StopIteration:
            self.steps = self.journey()
            next(self.steps)()

    def journey(self) -> Iterator[Callable[[], None]]:
        raise NotImplementedError

    # One request, checked: ``expect`` is the status the step must get.
    def get(self, path: str, name: str, expect: int = 200, check: Callable[[str], str | None] | None = None) -> Any:
        """``check``: what is wrong with the page's HTML (None: nothing)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != expect:
                answer.failure(f"{path}: HTTP {answer.status_code}, expected {expect}")
            elif check is not None and (problem := check(answer.text or "")):
                answer.failure(f"{path}: {problem}")
            return answer

    def post(self, path: str, name: str, data: dict[str, str]) -> Any:
        """A form's POST: a redirect when it was done; the form again (200) is a refusal."""
        with self.client.post(path, name=name, data=data, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"{path}: HTTP {answer.status_code} (form refused or failed)")
            return answer

    def follow(self, answer: Any, name: str) -> None:
        """The page a POST redirected to (the browser's next request)."""
        location = (answer.headers or {}).get("location") or (answer.headers or {}).get("Location")
        if answer.status_code == 302 and location:
            self.get(location, name)


class Officer(Journey):
    """A provincial officer: the satker's year, the open month typed and saved; November, when
    it came back (returned or reopened), typed and submitted."""

    role = "officers"

    def journey(self) -> Iterator[Callable[[], None]]:
        satker, year = self.account["satker"], PLAN["year"]
        page: dict[str, Any] = {}
        yield lambda: self.get(f"/satkers/{satker}/{year}/", "officer: satker year")
        draft = f"/satkers/{satker}/{year}/realization/{PLAN['draft_month']}/"
        yield lambda: page.update(draft=self.get(draft, "officer: entry (draft month)", check=editable_grid))
        data = typed_grid(page["draft"].text or "")
        if data is not None:
            yield lambda: page.update(saved=self.post(draft, "officer: save realization (POST)",
                                                      {**data, "action": "save"}))  # fmt: skip
            yield lambda: self.follow(page["saved"], "officer: entry after save")
        if not self.account.get("cycle"):
            return
        cycle = f"/satkers/{satker}/{year}/realization/{PLAN['cycle_month']}/"
        yield lambda: page.update(cycle=self.get(cycle, "officer: entry (cycle month)"))
        data = typed_grid(page["cycle"].text or "")
        if data is not None:  # returned or reopened: fixed and submitted again
            yield lambda: page.update(sent=self.post(cycle, "officer: save and submit (POST)",
                                                     {**data, "action": "submit"}))  # fmt: skip
            yield lambda: self.follow(page["sent"], "officer: report after submit")


class Decider(Journey):
    """Someone who decides reports from a queue page: opens one it lists, decides by its form."""

    abstract = True
    queue = "/monthly-reports/"
    label = ""

    def decision(self, forms: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        """The form to send (its action and data) among the report page's forms; None: none."""
        raise NotImplementedError

    def journey(self) -> Iterator[Callable[[], None]]:
        page: dict[str, Any] = {}
        yield lambda: page.update(queue=self.get(self.queue, f"{self.label}: queue"))
        links = report_links(page["queue"].text or "")
        if not links:
            yield from self.idle()
            return
        link = self.random.choice(links[:10])
        yield lambda: page.update(report=self.get(link, f"{self.label}: report"))
        chosen = self.decision(form_actions(page["report"].text or ""))
        if chosen is None:  # decided meanwhile by a colleague, or not this user's step
            return
        action, data = chosen
        verb = action.rstrip("/").rsplit("/", 1)[-1]
        yield lambda: page.update(done=self.post(action, f"{self.label}: {verb} (POST)", data))
        yield lambda: self.follow(page["done"], f"{self.label}: report after decision")

    def idle(self) -> Iterator[Callable[[], None]]:
        yield lambda: self.get("/", f"{self.label}: dashboard")


class Head(Decider):
    """The Kepala Dinas: verifies the province's submitted reports (the head's queue)."""

    role = "heads"
    label = "head"

    def decision(self, forms: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        found = form_ending(forms, "/verify/")
        if found is None:
            return None
        action, form = found
        return action, {"csrfmiddlewaretoken": csrf_token(form) or "", "note": ""}


class Reviewer(Decider):
    """The directorate's reviewer: the cockpit's queue (verified reports); approves, and returns
    every second one to the satker with a comment."""

    role = "reviewers"
    label = "reviewer"

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.decisions = itertools.count()

    def decision(self, forms: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        approve, back = form_ending(forms, "/approve/"), form_ending(forms, "/return/")
        if approve is None or back is None:
            return None
        if next(self.decisions) % 2 == 0:
            return approve[0], {"csrfmiddlewaretoken": csrf_token(approve[1]) or "", "note": "Sesuai."}
        comment = "Mohon periksa kembali realisasi bulan ini."
        return back[0], {"csrfmiddlewaretoken": csrf_token(back[1]) or "", "comment": comment}

    def idle(self) -> Iterator[Callable[[], None]]:
        report = self.random.choice(PLAN["report_pages"])
        yield lambda: self.get(report, "reviewer: report page")


class Admin(Journey):
    """The directorate's admin: reopens the heads' provinces' approved November for a correction."""

    role = "admins"

    def journey(self) -> Iterator[Callable[[], None]]:
        page: dict[str, Any] = {}
        for pk in PLAN["cycle_reports"]:
            path = f"/monthly-reports/{pk}/"
            yield lambda path=path: page.update(report=self.get(path, "admin: report"))
            reopen = f"{path}reopen/"
            form = form_actions(page["report"].text or "").get(reopen)
            if form is not None:
                data = {"csrfmiddlewaretoken": csrf_token(form) or "", "reason": "Koreksi realisasi (uji beban)."}
                yield lambda reopen=reopen, data=data: page.update(done=self.post(reopen, "admin: reopen (POST)", data))
                yield lambda: self.follow(page["done"], "admin: report after reopen")
        yield lambda: self.get("/monthly-reports/", "admin: report list")


class Leadership(Journey):
    """Leadership (read only): the dashboard, report pages in HTML and JSON, exports."""

    role = "viewers"

    def journey(self) -> Iterator[Callable[[], None]]:
        reports = PLAN["report_pages"]
        yield lambda: self.get("/", "viewer: dashboard")
        for _ in range(3):
            path = self.random.choice(reports)
            yield lambda path=path: self.get(path, "viewer: report html")
        path = self.random.choice(reports)
        yield lambda: self.get(f"{path}?format=json", "viewer: report json")
        path, kind = self.random.choice(reports), self.random.choice(("xlsx", "csv"))
        yield lambda: self.get(f"{path}?format={kind}", f"viewer: export {kind}")


class ReportReader(Journey):
    """Leadership reading report pages only (the public modes' signed-in users, whose report pages'
    p95 the public burst must leave within its target)."""

    role = "readers"

    def journey(self) -> Iterator[Callable[[], None]]:
        path = self.random.choice(PLAN["report_pages"])
        yield lambda: self.get(path, "reader: report html")


class PublicReader(Journey):
    """An anonymous reader of the public page (no sign-in): mostly the page, now and then its
    open data files, as a burst of press readers and crawlers would."""

    role = "public"
    signs_in = False
    wait_time = constant_throughput(float(PLAN.get("public_rate") or 1))

    def journey(self) -> Iterator[Callable[[], None]]:
        year = PLAN["public_year"]
        for _ in range(8):
            yield lambda: self.get(f"/public/?year={year}", "public: page")
        yield lambda: self.get(f"/public/data.json?year={year}", "public: data.json")
        yield lambda: self.get(f"/public/provinsi.csv?year={year}", "public: csv")


def start_measuring(environment: Any) -> None:
    """Every user has signed in: statistics from zero, and the run ends LOAD_SECONDS later."""
    environment.runner.stats.reset_all()
    SIDE["measured_from"] = time.time()
    SIDE["signed_in"] = sum(PLAN.get("counts", {}).values()) - len(SIDE["login_failures"])
    gevent.spawn_later(SECONDS, environment.runner.quit)


@events.quitting.add_listener
def write_side_file(environment: Any, **_kwargs: Any) -> None:
    side = PLAN.get("side_file")
    if side:
        SIDE["measured_until"] = time.time()
        Path(side).write_text(json.dumps(SIDE))
