"""Every URL that serves a file, for every persona (issue 22: "scoping of every file URL for
every role").

The files: the evidence download (``/evidence/<id>/``) of every kind of target evidence may be
attached to, the monthly and quarterly reports' PDF/XLSX documents, the consolidated quarterly
PDF, the imports' template, error workbook and stored upload, the dashboard's narrative text,
and every page's export (xlsx/csv/json). Objects are Bengkulu's (the officer's province);
``other_officer`` and ``other_head`` are Aceh's, ``head`` Bengkulu's. Outcomes as in
tests/test_access_matrix.py (``L``: sent to the sign-in page); every file an officer or a head
receives is searched for the other province's secret word.

``test_every_file_url_is_listed`` asks every URL of the site (GET, as the admin) and fails when
one answers with a file that is not listed here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfWriter

from budgets.models import Activity, Obstacle, Output, OutputAchievement, OutputClass, Realization
from budgets.services.evidence import evidence_attach
from programs.models import OvopCoaching
from tests import personas
from tests.access_world import World, build_world, secret_of
from tests.conftest import client_for
from tests.evidence_support import evidence_storages, png_bytes, upload
from tests.shared_rows import rolled_back_at_end
from tests.test_access_matrix import EXPORTS, SITE_ROUTES, body_text, site_path

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "officer", "other_officer", "head", "other_head", "reviewer", "viewer", "admin")
# Readers of the satker: its province's officer and head, the directorate; Aceh's a 404.
SATKER_FILE = "L 200 404 200 404 200 200 200"
# Every signed-in role; a province's roles get their own province's rows only.
EVERY_ROLE = "L 200 200 200 200 200 200 200"

# The targets evidence may be attached to (budgets.evidence_targets and settings.EVIDENCE_TARGETS).
TARGET_KINDS = ("realization", "ro_row", "wub", "poverty", "facilitation", "ovop_coaching", "obstacle", "quarterly")

# name: GET outcome per persona (PERSONAS' order); the evidence download is per target kind below.
FILE_URLS: dict[str, str] = {
    "budgets:report-pdf": SATKER_FILE,
    "budgets:report-xlsx": SATKER_FILE,
    "budgets:quarterly-pdf": SATKER_FILE,
    "budgets:quarterly-xlsx": SATKER_FILE,
    "reports:quarterly-pdf": EVERY_ROLE,
    "dashboard:narrative": EVERY_ROLE,
    # Imports: the province's officers and the admin; the stored upload is the admin's alone.
    "imports:template": "L 200 200 403 403 403 403 200",
    "imports:errors": "L 200 404 403 403 403 403 200",
    "imports:file": "L 403 403 403 403 403 403 200",
}
# Exports of a satker's pages, and of the lists and reports every role reads.
SATKER_EXPORTS = ("programs:records", "programs:ovop", "programs:targets")
EXPORT_URLS: dict[tuple[str, str], str] = {
    (name, fmt): SATKER_FILE if name in SATKER_EXPORTS else EVERY_ROLE
    for name, formats in EXPORTS.items()
    for fmt in formats
}


@dataclass
class Files:
    world: World
    people: dict
    evidence: dict[str, int]  # target kind -> evidence id (Bengkulu's)
    upload_dir: Path


def _evidence_on_every_target(world: World, officer) -> dict[str, int]:
    """One file on each kind of target of Bengkulu's: January's realization and RO rows and
    programme records, the year's OVOP coaching, the year-end report and an obstacle in it."""
    own = world.own
    row = Realization.objects.filter(report=own.report).first()
    line = row.line
    activity = Activity.objects.create(code="6503", name="Pengembangan IKM", name_en="SME development")
    kro = OutputClass.objects.create(activity=activity, code="RBS", name="Pelayanan publik lainnya")
    output = Output.objects.create(output_class=kro, code="001", name="Wirausaha baru", name_en="New entrepreneurs",
                                   unit="orang")  # fmt: skip
    line.output = output
    line.save(update_fields=["output"])
    ro_row = OutputAchievement.objects.create(report=own.report, output=output, volume=Decimal(1),
                                              physical_progress=Decimal(10))  # fmt: skip
    obstacle = Obstacle.objects.create(satker=own.satker, category="OTHER", description="Lambat", follow_up="Rapat",
                                       owner="Kabid", opened_in=own.quarterly)  # fmt: skip
    obstacle.reported_in.add(own.quarterly)
    targets = {
        "realization": row,
        "ro_row": ro_row,
        "wub": own.records["wub"],
        "poverty": own.records["poverty"],
        "facilitation": own.records["facilitation"],
        "ovop_coaching": OvopCoaching.objects.get(sentra=own.centre, year=world.fiscal_year.year),
        "obstacle": obstacle,
        "quarterly": own.quarterly,
    }
    assert set(targets) == set(TARGET_KINDS)
    secret = secret_of(own.satker.province)
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    pdf = io.BytesIO()
    writer.write(pdf)
    found = {}
    for number, (kind, target) in enumerate(targets.items()):
        content = pdf.getvalue() if number % 2 else png_bytes(color=f"#{number:0>6}")
        name = f"{kind}-{secret}.{'pdf' if number % 2 else 'png'}"
        found[kind] = evidence_attach(target=target, kind="OTHER", number=f"{kind} {secret}",
                                      file=upload(name, content), by=officer).pk  # fmt: skip
    return found


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Files]:
    upload_dir = tmp_path_factory.mktemp("file-url-uploads")

    def build() -> Files:
        own, other = personas.bengkulu(), personas.aceh()
        satker, other_satker = personas.bengkulu_satker(own), personas.aceh_satker(other)
        officer, other_officer = personas.officer_of(own), personas.officer_of(other)
        with override_settings(IMPORT_UPLOAD_DIR=upload_dir, STORAGES=evidence_storages(upload_dir / "evidence")):
            world = build_world(satker, other_satker, officer, other_officer)
            evidence = _evidence_on_every_target(world, officer)
        people = {"anonymous": None, "officer": officer, "other_officer": other_officer,
                  "head": personas.head_of(own), "other_head": personas.head_of(other),
                  "reviewer": personas.directorate("REVIEWER"), "viewer": personas.directorate("VIEWER"),
                  "admin": personas.directorate("ADMIN")}  # fmt: skip
        return Files(world, people, evidence, upload_dir)

    yield from rolled_back_at_end(django_db_blocker, build)


@pytest.fixture(autouse=True)
def _stored_files_of_the_world(settings, files: Files) -> None:
    settings.IMPORT_UPLOAD_DIR = files.upload_dir
    settings.STORAGES = evidence_storages(files.upload_dir / "evidence")


def outcome(client: Client, path: str) -> tuple[str, str, object]:
    with transaction.atomic():
        response = client.get(path)
        text = body_text(response) if response.status_code == 200 else ""
        transaction.set_rollback(True)
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("accounts:login")):
        return "L", text, response
    return str(response.status_code), text, response


def observe(files: Files, path: str) -> dict[str, str]:
    seen = {}
    own, other = files.world.own.satker.province, files.world.other.satker.province
    for persona, user in files.people.items():
        code, text, _response = outcome(client_for(user) if user else Client(), path)
        seen[persona] = code
        # A province's roles never receive the other province's detail, in any file.
        if persona in ("officer", "head"):
            assert secret_of(other) not in text, f"{persona} receives {other.name}'s data at {path}"
        if persona in ("other_officer", "other_head"):
            assert secret_of(own) not in text, f"{persona} receives {own.name}'s data at {path}"
    return seen


def expected(outcomes: str) -> dict[str, str]:
    return dict(zip(PERSONAS, outcomes.split(), strict=True))


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_evidence_download_of_every_target_kind(kind: str, files: Files) -> None:
    evidence_id = files.evidence[kind]
    path = reverse("budgets:evidence-download", args=[evidence_id])
    assert observe(files, path) == expected(SATKER_FILE), path
    # The file itself answered.
    response = client_for(files.people["officer"]).get(path)
    assert response.streaming and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", sorted(FILE_URLS))
def test_file_url(name: str, files: Files) -> None:
    path = site_path(name, files.world)
    assert observe(files, path) == expected(FILE_URLS[name]), path
    response = client_for(files.people["admin"]).get(path)
    assert not response["Content-Type"].startswith("text/html"), path


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPORT_URLS))
def test_export_url(name: str, fmt: str, files: Files) -> None:
    path = f"{site_path(name, files.world)}?format={fmt}"
    assert observe(files, path) == expected(EXPORT_URLS[(name, fmt)]), path
    response = client_for(files.people["admin"]).get(path)
    assert not response["Content-Type"].startswith("text/html"), path


def is_file(response) -> bool:
    """A download: streamed, named (Content-Disposition), or neither a page nor a JSON answer."""
    kind = response.get("Content-Type", "").split(";")[0]
    return response.status_code == 200 and (
        getattr(response, "streaming", False)
        or "Content-Disposition" in response
        or kind not in ("text/html", "application/json")
    )


def test_every_file_url_is_listed(files: Files) -> None:
    """No URL of the site serves a file without a row above: each asked plainly and with
    ``?format=xlsx`` (the exports' switch), as the admin."""
    client = client_for(files.people["admin"])
    served, exported = set(), set()
    for route in SITE_ROUTES:
        path = site_path(route.name, files.world)
        for found, query in ((served, ""), (exported, "?format=xlsx")):
            with transaction.atomic():
                response = client.get(path + query)
                if is_file(response):
                    found.add(route.name)
                transaction.set_rollback(True)
    assert "budgets:evidence-download" in served and "programs:ovop" in exported
    assert served - {"budgets:evidence-download"} == set(FILE_URLS), "a file URL without a scoping row"
    assert exported - served <= {name for name, fmt in EXPORT_URLS if fmt == "xlsx"}, "an export without a row"
