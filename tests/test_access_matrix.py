"""The access matrix: every URL pattern of the project (read from the resolver, so a new URL
without an entry here fails), for every persona, for GET and POST, with the outcome each must
get. Object URLs carry objects of Bengkulu: the officer's own province, and another province's
for ``other_officer``. Every response an officer gets is also searched for the other province's
secret word (``access_world.secret_of``), exports included (xlsx unzipped).

The API (``/api/v1/``) is called with the persona's API token (``Authorization: Bearer``), never
its session: anonymous is no token (401); its write (PUT) has a table of its own (API_WRITES).

Outcomes: ``200``, ``L`` (sent to the sign-in page), ``302`` (redirected elsewhere, after an
action or to the canonical page), ``400``, ``401`` (the API without a token), ``403``, ``404``,
``405``. Each request runs in a savepoint rolled back afterwards: a submit or a delete by one
persona does not change what the next one meets.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from accounts.models import ApiToken
from budgets.models import Satker
from tests import personas
from tests.access_world import World, build_world, secret_of
from tests.conftest import client_for
from tests.evidence_support import evidence_storages
from tests.shared_rows import rolled_back_at_end

pytestmark = pytest.mark.django_db

# The head is Bengkulu's Kepala Dinas: reads the province like its officer, writes nothing, verifies.
PERSONAS = ("anonymous", "officer", "other_officer", "reviewer", "viewer", "admin", "head")

# name: (GET outcomes, POST outcomes), one per persona in PERSONAS' order.
SITE: dict[str, tuple[str, str]] = {
    "dashboard:home": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "accounts:login": ("200 302 302 302 302 302 302", "200 302 302 302 302 302 302"),
    "accounts:logout": ("405 405 405 405 405 405 405", "L L L L L L L"),
    "accounts:password-change": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    # The head's delegations to an acting head: the head's page alone (an empty POST: the form again).
    "accounts:delegations": ("L 403 403 403 403 403 200", "L 403 403 403 403 403 200"),
    "accounts:password-change-done": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "set_language": ("302 302 302 302 302 302 302", "302 302 302 302 302 302 302"),
    "dashboard:narrative": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    # Budget execution: the officer's own satker; reviewers and viewers read, only the officer
    # of the province and the admin write; the pagu is revised by the admin alone.
    "budgets:satker-list": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:satker-year": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    "budgets:realization-entry": ("L 200 404 200 200 200 200", "L 200 404 403 403 200 403"),
    "budgets:rpd-entry": ("L 200 404 200 200 200 200", "L 200 404 403 403 200 403"),
    # The RPD planner: read like the RPD; its apply (POST, through rpd_set) by who writes the RPD,
    # back to the planner with the outcome as a message.
    "budgets:rpd-planner": ("L 200 404 200 200 200 200", "L 302 404 403 403 302 403"),
    "budgets:pagu": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    "budgets:satker-ikpa": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:pagu-revise": ("L 403 403 403 403 200 403", "L 403 403 403 403 200 403"),
    # The month against the treasury's figure (issue 24): whoever reads the satker; read-only.
    "budgets:reconciliation": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:report-list": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:report-detail": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    # The report's official documents (PDF, XLSX): whoever reads the report; read-only.
    "budgets:report-pdf": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:report-xlsx": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    # Transitions (the month is a draft): the officer submits; the head verifies and the
    # directorate's reviewers and admin review (a draft cannot be verified or approved: back to
    # the report page with the reason; a return without a comment shows the form again; the
    # head's return of it, a step the head does not decide now, too); only the admin reopens.
    "budgets:report-submit": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    "budgets:report-verify": ("L 405 405 405 405 405 405", "L 403 404 403 403 403 302"),
    "budgets:report-approve": ("L 405 405 405 405 405 405", "L 403 404 302 403 302 403"),
    # The queue's batch decision on clean reports (POST only): the head and the directorate's
    # deciders; nothing picked sends back to the queue.
    "budgets:report-batch": ("L 405 405 405 405 405 405", "L 403 403 302 403 302 302"),
    "budgets:report-return": ("L 405 405 405 405 405 405", "L 403 404 200 403 200 302"),
    "budgets:report-reopen": ("L 405 405 405 405 405 405", "L 403 404 403 403 200 403"),
    "budgets:report-withdraw": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    # The month's capaian RO (a draft): written by whoever may write its realization; an empty
    # POST shows the page again with the form's errors.
    "budgets:report-outputs": ("L 405 405 405 405 405 405", "L 200 404 403 403 200 403"),
    # A data-quality flag of the month's report: decided by the province's head and the
    # directorate's reviewers (and the admin); an empty decision goes back to the report with
    # the reason; another province's flag is a 404.
    "budgets:flag-decide": ("L 405 405 405 405 405 405", "L 403 404 302 403 302 302"),
    # Comments on one line (issue 22): the head and the directorate's reviewers and admin open a
    # thread; the officer and they answer; only the opener (in the world a directorate reviewer
    # who is none of the personas) resolves. An empty POST is back to the report page.
    "budgets:comment-open": ("L 405 405 405 405 405 405", "L 403 404 302 403 302 302"),
    "budgets:comment-answer": ("L 405 405 405 405 405 405", "L 302 404 302 403 302 302"),
    "budgets:comment-resolve": ("L 405 405 405 405 405 405", "L 403 404 403 403 403 403"),
    # The quarterly report (TW I of the world's year, not prepared yet): read like the satker's
    # year; prepared by the province's officer or the admin; the obstacle board lists what the
    # user's scope allows.
    "budgets:quarterly-detail": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    "budgets:quarterly-action": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    # The year-end report's official documents (a draft of the world's year): whoever reads the
    # report; read-only.
    "budgets:quarterly-pdf": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:quarterly-xlsx": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:obstacles": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    # The late-report ledger: every role reads it (a province's roles their own satkers); the
    # directorate's reviewers (and the admin) propose sanctions, the admin decides (an empty
    # decision shows the form again); another province's proposal is a 404.
    "budgets:ledger": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:sanction-propose": ("L 403 403 405 403 405 403", "L 403 403 302 403 302 403"),
    "budgets:sanction-detail": ("L 200 404 200 200 200 200", "L 403 404 403 403 200 403"),
    # Evidence (bukti dukung): the file is read by whoever reads its satker (another province's is a
    # 404); attached and removed by POST by whoever writes the satker while the report is open (an
    # empty attach names no target: 400); the directorate's readers and the head write nothing.
    "budgets:evidence-download": ("L 200 404 200 200 200 200", "L 405 405 405 405 405 405"),
    "budgets:evidence-attach": ("L 405 405 405 405 405 405", "L 400 400 403 403 400 403"),
    "budgets:evidence-remove": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    # The in-app inbox: one's own notifications only (the world's is the officer's).
    "core:notifications": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "core:notifications-read": ("L 405 405 405 405 405 405", "L 302 302 302 302 302 302"),
    "core:notification-open": ("L 302 404 404 404 404 404", "L 405 405 405 405 405 405"),
    # Reports: every signed-in role; below province level an officer's rows are their own.
    "reports:realization": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:provinces": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:satkers": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:monthly": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:submissions": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:ikm": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:outputs": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:ovop": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:ro": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:quarterly": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:evidence": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    "reports:ikpa": ("L 200 200 200 200 200 200", "L 200 200 200 200 200 200"),
    # The quarter's consolidation as a PDF: every signed-in role (a province's roles their own rows).
    "reports:quarterly-pdf": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    # The registry: officers keep their province's enterprises; reviewers and viewers read.
    "programs:registry-list": ("L 200 200 200 200 200 200", "L 405 405 405 405 405 405"),
    "programs:registry-create": ("L 200 200 403 403 200 403", "L 200 200 403 403 200 403"),
    "programs:registry-detail": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    "programs:registry-edit": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    # Programme records, sentra and their coaching, OVOP candidates and targets of the officer's satker.
    "programs:records": ("L 200 404 200 200 200 200", "L 200 404 200 200 200 200"),
    "programs:record-add": ("L 405 405 405 405 405 405", "L 200 404 403 403 200 403"),
    "programs:record-edit": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    "programs:record-delete": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    "programs:ovop": ("L 200 404 200 200 200 200", "L 200 404 403 403 200 403"),
    "programs:ovop-edit": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    "programs:ovop-coaching": ("L 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    "programs:ovop-awards": ("L 200 404 200 200 200 200", "L 200 404 403 403 200 403"),
    "programs:ovop-candidate": ("L 200 404 200 200 200 200", "L 403 404 403 403 302 403"),
    # The cycle's stars grid: POST only, the directorate admin's (as the candidate's results).
    "programs:ovop-award-stars": ("L 405 405 405 405 405 405", "L 403 404 403 403 302 403"),
    "programs:targets": ("L 200 404 200 200 200 200", "L 403 404 403 403 302 403"),
    # Imports: officers (their province's uploads) and the admin; the stored file is the admin's.
    "imports:index": ("L 200 200 403 403 200 403", "L 200 200 403 403 200 403"),
    "imports:upload": ("L 200 200 403 403 200 403", "L 400 400 403 403 400 403"),
    "imports:template": ("L 200 200 403 403 200 403", "L 200 200 403 403 200 403"),
    "imports:detail": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    "imports:status": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    "imports:errors": ("L 200 404 403 403 200 403", "L 200 404 403 403 200 403"),
    "imports:confirm": ("405 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    "imports:cancel": ("405 405 405 405 405 405 405", "L 302 404 403 403 302 403"),
    "imports:file": ("L 403 403 403 403 200 403", "L 403 403 403 403 200 403"),
    # The public page (issue 26): anyone, signed in or not, reads it; nothing posts. The world's
    # year is not published: the page says so, and its files are not found.
    "public:page": ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "public:json": ("404 404 404 404 404 404 404", "405 405 405 405 405 405 405"),
    "public:csv": ("404 404 404 404 404 404 404", "405 405 405 405 405 405 405"),
    # The API, with each persona's token (README "API"). Its document and docs page hold no data:
    # everyone reads them, GET only. Its root is no page. Every report and the registry: every
    # token (the scope narrows the rows: an officer's token its province's), anonymous 401; reads
    # are GET only (405 before any token is checked). The realization push is PUT only (API_WRITES).
    "api-v1:openapi-json": ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "api-v1:openapi-view": ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "api-v1:api-root": ("404 404 404 404 404 404 404", "404 404 404 404 404 404 404"),
    **{
        f"api-v1:report-{name}": ("401 200 200 200 200 200 200", "405 405 405 405 405 405 405")
        for name in (
            "realization",
            "provinces",
            "satkers",
            "monthly",
            "submissions",
            "outputs",
            "ovop",
            "ikm",
            "ro",
            "quarterly",
            "evidence",
            "ikpa",
        )
    },
    "api-v1:registry": ("401 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "api-v1:realization": ("405 405 405 405 405 405 405", "405 405 405 405 405 405 405"),
}
# The API's write, PUT with a valid body (the month's one line, its amount unchanged): the token of
# who writes the satker (its province's officer, the admin) stores it; another province's officer
# finds no such satker; the readers' tokens may not write.
API_WRITES: dict[str, str] = {
    "api-v1:realization": "401 200 404 403 403 200 403",
}

REPORT_PAGES = ("reports:realization", "reports:provinces", "reports:satkers",
                "reports:monthly", "reports:submissions", "reports:ikm",
                "reports:outputs", "reports:ovop", "reports:ro", "reports:quarterly",
                "reports:evidence", "reports:ikpa")  # fmt: skip
# Exports: the same outcomes as the page's GET, in every format the page offers.
EXPORTS: dict[str, tuple[str, ...]] = {
    **{name: ("xlsx", "csv", "json") for name in REPORT_PAGES},
    "programs:registry-list": ("xlsx", "csv", "json"),
    "budgets:satker-list": ("xlsx",),
    "budgets:report-list": ("xlsx",),
    "programs:records": ("xlsx",),
    "programs:ovop": ("xlsx",),
    "programs:targets": ("xlsx",),
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced; "admin:" for the admin's unnamed patterns
    route: str  # as the resolver spells it

    @property
    def key(self) -> str:
        return self.route if self.name == "admin:" else self.name


def routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield Route(namespace + (pattern.name or ""), prefix + str(pattern.pattern))


ALL_ROUTES = list(routes())
SITE_ROUTES = [route for route in ALL_ROUTES if not route.route.startswith("admin/")]
ADMIN_ROUTES = [route for route in ALL_ROUTES if route.route.startswith("admin/")]


def test_every_url_pattern_has_an_entry() -> None:
    assert len(ALL_ROUTES) > 200
    assert sorted(route.name for route in SITE_ROUTES) == sorted(SITE), "a URL without an access entry"


# -- building the URLs -------------------------------------------------------------------------


def site_path(name: str, world: World) -> str:
    own, year = world.own, world.fiscal_year.year
    satker_month = [own.satker.code, year, 1]
    args: dict[str, list] = {
        "budgets:satker-year": [own.satker.code, year],
        "budgets:realization-entry": satker_month,
        "budgets:rpd-entry": [own.satker.code, year],
        "budgets:rpd-planner": [own.satker.code, year],
        "budgets:pagu": [own.satker.code, year],
        "budgets:satker-ikpa": [own.satker.code, year],
        "budgets:pagu-revise": [own.satker.code, year],
        "budgets:reconciliation": satker_month,
        "api-v1:realization": satker_month,
        "programs:records": satker_month,
        "programs:record-add": [*satker_month, "wub"],
        "programs:record-edit": [*satker_month, "wub", own.records["wub"].pk],
        "programs:record-delete": [*satker_month, "wub", own.records["wub"].pk],
        "programs:ovop": [own.satker.code, year],
        "programs:ovop-edit": [own.satker.code, year, own.centre.pk],
        "programs:ovop-coaching": [own.satker.code, year, own.centre.pk],
        "programs:ovop-awards": [own.satker.code, year],
        "programs:ovop-candidate": [own.satker.code, year, own.candidate.pk],
        "programs:ovop-award-stars": [own.satker.code, year],
        "programs:targets": [own.satker.code, year],
        "budgets:quarterly-detail": [own.satker.code, year, 1],
        "budgets:quarterly-action": [own.satker.code, year, 1, "prepare"],
        "budgets:quarterly-pdf": [own.satker.code, year, own.quarterly.url_period],
        "budgets:quarterly-xlsx": [own.satker.code, year, own.quarterly.url_period],
        "programs:registry-detail": [own.enterprise.pk],
        "programs:registry-edit": [own.enterprise.pk],
        "budgets:sanction-propose": [year, own.satker.code],
        "budgets:sanction-detail": [own.sanction.pk],
        "budgets:flag-decide": [own.flag.pk],
        "budgets:evidence-download": [own.evidence.pk],
        "budgets:evidence-remove": [own.evidence.pk],
        "core:notification-open": [own.notification.pk],
        "imports:upload": ["realisasi"],
        "imports:template": ["realisasi"],
        "public:csv": ["provinsi"],
    }
    for report_url in (
        "detail",
        "submit",
        "verify",
        "approve",
        "return",
        "reopen",
        "withdraw",
        "outputs",
        "pdf",
        "xlsx",
    ):
        args[f"budgets:report-{report_url}"] = [own.report.pk]
    for comment_url in ("answer", "resolve"):
        args[f"budgets:comment-{comment_url}"] = [own.report.pk, own.thread.pk]
    args["budgets:comment-open"] = [own.report.pk]
    for upload_url in ("detail", "status", "confirm", "cancel", "errors", "file"):
        args[f"imports:{upload_url}"] = [own.upload.pk]
    return reverse(name, args=args.get(name, []))


def admin_path(route: Route, world: World) -> str:
    """The admin URL with a real object of its model where it takes one."""
    found = re.match(r"admin/(\w+)/(\w+)/", route.route)
    model = None
    if found:
        try:
            model = apps.get_model(found[1], found[2])
        except LookupError:
            model = None
    instance = model._default_manager.order_by("pk").first() if model else None
    object_id = instance.pk if instance else 0
    name = route.name
    if name.endswith("_simple_history"):
        version = instance.history.order_by("-history_id").first().history_id if instance else 0
        return reverse(name, args=[object_id, version])
    if name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Satker)
        return reverse(name, kwargs={"content_type_id": content_type.pk, "object_id": world.own.satker.pk})
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "budgets"})
    if name == "admin:":  # the unnamed object redirect and the catch-all
        return "/" + route.route.replace("<path:object_id>", str(object_id)) if model else "/admin/no-such-page/"
    if "<path:object_id>" in route.route:
        return reverse(name, kwargs={"object_id": object_id})
    if "<id>" in route.route:
        return reverse(name, kwargs={"id": object_id})
    return reverse(name)


# -- requesting --------------------------------------------------------------------------------


@dataclass
class Matrix:
    world: World
    people: dict  # persona -> user (None: anonymous)
    upload_dir: Path  # where the world's uploads are stored
    keys: dict  # persona -> the key of an API token of its user (None: anonymous)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Matrix]:
    """The personas and their world, built once for the module (about 150 tests) and rolled back
    at its end; every request runs in a savepoint of its own (``outcome``)."""
    upload_dir = tmp_path_factory.mktemp("matrix-uploads")

    def build() -> Matrix:
        own, other = personas.bengkulu(), personas.aceh()
        satker, other_satker = personas.bengkulu_satker(own), personas.aceh_satker(other)
        officer, other_officer = personas.officer_of(own), personas.officer_of(other)
        storages = evidence_storages(upload_dir / "evidence")
        with override_settings(IMPORT_UPLOAD_DIR=upload_dir, STORAGES=storages):
            world = build_world(satker, other_satker, officer, other_officer)
        people = {"anonymous": None, "officer": officer, "other_officer": other_officer,
                  "reviewer": personas.directorate("REVIEWER"), "viewer": personas.directorate("VIEWER"),
                  "admin": personas.directorate("ADMIN"), "head": personas.head_of(own)}  # fmt: skip
        # A generous rate: the matrix calls each token far more often than a system would.
        keys = {persona: ApiToken.issue(name=f"Sistem {persona}", user=user, created_by=None,
                                        rate_per_minute=100_000)[1] if user else None
                for persona, user in people.items()}  # fmt: skip
        return Matrix(world, people, upload_dir, keys)

    yield from rolled_back_at_end(django_db_blocker, build)


@pytest.fixture(autouse=True)
def _uploads_of_the_world(settings, matrix: Matrix) -> None:
    settings.IMPORT_UPLOAD_DIR = matrix.upload_dir
    settings.STORAGES = evidence_storages(matrix.upload_dir / "evidence")


@pytest.fixture
def world(matrix: Matrix) -> World:
    return matrix.world


@pytest.fixture
def people(matrix: Matrix) -> dict:
    return matrix.people


@pytest.fixture
def keys(matrix: Matrix) -> dict:
    return matrix.keys


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def client_of(user, key: str | None, path: str) -> Client:
    """The persona's client: its API token for the API (no session there), its session elsewhere."""
    if is_api(path):
        return Client(headers={"Authorization": f"Bearer {key}"}) if key else Client()
    return client_for(user) if user else Client()


def body_text(response) -> str:
    """What the user receives, as text: an xlsx is unzipped (its sheets and shared strings), a
    PDF's text extracted (its streams are compressed)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                return " ".join(book.read(part).decode("utf-8", "replace") for part in book.namelist())
        except zipfile.BadZipFile:
            pass
    if content[:5] == b"%PDF-":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def outcome(client: Client, method: str, path: str, body: dict | None = None) -> tuple[str, str]:
    """The outcome's code and the body. The admin's own login page is followed one step: for a
    signed-in user of another role it answers 403, for an anonymous one it sends to the sign-in.
    ``body``: sent as JSON (the API's writes)."""
    with transaction.atomic():
        if body is None:
            response = getattr(client, method)(path)
        else:
            response = getattr(client, method)(path, body, content_type="application/json")
        location = response.get("Location", "")
        if response.status_code == 302 and location.startswith(reverse("admin:login")):
            response = client.get(location)
            location = response.get("Location", "")
        text = body_text(response)
        transaction.set_rollback(True)
    if response.status_code == 302 and location.startswith(reverse("accounts:login")):
        return "L", text
    return str(response.status_code), text


def observe(people: dict, world: World, method: str, path: str, keys: dict | None = None,
            body: dict | None = None) -> dict[str, str]:  # fmt: skip
    seen = {}
    for persona, user in people.items():
        if is_api(path):
            assert keys is not None, f"{path}: the API is called with the personas' tokens"
        code, text = outcome(client_of(user, (keys or {}).get(persona), path), method, path, body)
        seen[persona] = code
        # An officer never receives another province's detail, in any page or export.
        if persona in ("officer", "other_officer"):
            province = world.other.satker.province if persona == "officer" else world.own.satker.province
            assert secret_of(province) not in text, f"{persona} sees {province.name}'s data at {method} {path}"
    return seen


def expected(outcomes: str) -> dict[str, str]:
    return dict(zip(PERSONAS, outcomes.split(), strict=True))


@pytest.mark.parametrize("name", sorted(SITE))
def test_site_url(name: str, world: World, people: dict, keys: dict) -> None:
    path = site_path(name, world)
    get, post = SITE[name]
    assert observe(people, world, "get", path, keys) == expected(get), f"GET {path}"
    assert observe(people, world, "post", path, keys) == expected(post), f"POST {path}"


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_api_write(name: str, world: World, people: dict, keys: dict) -> None:
    path = site_path(name, world)
    # The month's one line (tests/access_world.py), at the amount it holds: a valid push that changes nothing.
    body = {"lines": [{"kode_komponen": "051", "kode_akun": "521211", "realisasi": 10_000_000}]}
    assert observe(people, world, "put", path, keys, body) == expected(API_WRITES[name]), f"PUT {path}"


@pytest.mark.parametrize(("name", "fmt"), [(name, fmt) for name, formats in EXPORTS.items() for fmt in formats])
def test_export(name: str, fmt: str, world: World, people: dict) -> None:
    path = f"{site_path(name, world)}?format={fmt}"
    assert observe(people, world, "get", path) == expected(SITE[name][0]), f"GET {path}"
    # The export itself answered, not the page.
    response = client_for(people["admin"]).get(path)
    assert not response["Content-Type"].startswith("text/html"), path


ADMIN_ONLY = {
    "anonymous": "L",
    "officer": "403",
    "other_officer": "403",
    "reviewer": "403",
    "viewer": "403",
    "head": "403",
}
# The admin's own outcome is Django's ModelAdmin's (read-only models refuse changes with 403, a
# missing object redirects): what matters here is that nobody else gets in, and that nothing
# in the admin answers with a server error.
ADMIN_OUTCOMES = {"200", "302", "403", "404", "405", "L"}
# The admin's sign-in is the site's (a signed-in admin goes on to the admin, others get 403).
# Its sign-out is POST only; Django sends everyone else to the admin index (where they get the
# same 403 / sign-in as above).
ADMIN_SIGN_IN_OUT = {
    "admin:login": ("L 403 403 403 403 302 403", "L 403 403 403 403 302 403"),
    "admin:logout": ("302 302 302 302 302 405 302", "302 302 302 302 302 L 302"),
}


def admin_group(route: Route) -> str:
    """The admin's URLs by model (``admin/budgets/satker/...``), the site-wide ones by themselves:
    one test per group builds the world once for all of a model's pages."""
    found = re.match(r"admin/(\w+)/(\w+)/", route.route)
    return f"{found[1]}.{found[2]}" if found and route.name != "admin:app_list" else route.key


ADMIN_GROUPS: dict[str, list[Route]] = {}
for _route in ADMIN_ROUTES:
    ADMIN_GROUPS.setdefault(admin_group(_route), []).append(_route)


@pytest.mark.parametrize("group", sorted(ADMIN_GROUPS))
def test_admin_urls(group: str, world: World, people: dict) -> None:
    for route in ADMIN_GROUPS[group]:
        path = admin_path(route, world)
        for method in ("get", "post"):
            seen = observe(people, world, method, path)
            if route.name in ADMIN_SIGN_IN_OUT:
                assert seen == expected(ADMIN_SIGN_IN_OUT[route.name][method == "post"]), f"{method.upper()} {path}"
                continue
            admin = seen.pop("admin")
            assert seen == ADMIN_ONLY, f"{method.upper()} {path}"
            assert admin in ADMIN_OUTCOMES, f"{method.upper()} {path}: admin got {admin}"


def test_admin_reads_every_model_it_administers(world: World, people: dict) -> None:
    """The admin column, pinned where it must be 200: the list and an existing object's page of
    every model registered in the admin."""
    client = client_for(people["admin"])
    checked = 0
    for route in ADMIN_ROUTES:
        if route.name.endswith("_changelist") or (route.name.endswith("_change") and "object_id" in route.route):
            path = admin_path(route, world)
            if path.endswith("/0/change/"):
                continue  # no object of that model in the world
            assert client.get(path).status_code == 200, path
            checked += 1
    assert checked > 40


def test_the_secret_words_are_on_the_pages_that_may_show_them(world: World, people: dict, keys: dict) -> None:
    """The leak check above is not vacuous: the pages do carry the provinces' words, each where
    it belongs (the registry lists every enterprise to a reviewer, the officer's own to them)."""
    own, other = secret_of(world.own.satker.province), secret_of(world.other.satker.province)
    registry = reverse("programs:registry-list")
    _code, reviewer_sees = outcome(client_for(people["reviewer"]), "get", registry)
    _code, officer_sees = outcome(client_for(people["officer"]), "get", registry)
    _code, officer_export = outcome(client_for(people["officer"]), "get", f"{registry}?format=xlsx")
    assert own in reviewer_sees and other in reviewer_sees
    assert own in officer_sees and own in officer_export
    # And the API's registry, with the tokens (its other province's absence is checked above).
    _code, reviewer_reads = outcome(
        client_of(people["reviewer"], keys["reviewer"], "/api/"), "get", "/api/v1/registry/"
    )
    _code, officer_reads = outcome(client_of(people["officer"], keys["officer"], "/api/"), "get", "/api/v1/registry/")
    assert own in reviewer_reads and other in reviewer_reads and own in officer_reads
