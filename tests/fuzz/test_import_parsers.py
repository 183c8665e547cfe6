"""Real .xlsx workbooks with hostile cells, for every import kind, through ``import_file`` (what
the upload's background task and ``manage.py import_xlsx`` run). A good workbook of each kind has
some of its cells (and now and then its header) replaced by hostile values: text with markup, SQL,
control characters and 10.000+ characters, numbers of every size and spelling, infinities,
booleans, dates and times. Properties: the import answers with an imported plan or with row
errors, never an exception, and never calls a well-formed workbook damaged; a refused file writes
nothing; an imported file imports again without a change, and the pages that show the imported
rows escape them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from budgets.models import (
    BudgetLine,
    IkpaTreasuryFigure,
    MonthlyReport,
    OutputAchievement,
    Realization,
    Regency,
    RpdPlan,
)
from imports.catalog import KINDS, get_kind
from imports.importer import import_file
from imports.models import Upload
from programs.models import Enterprise, Facilitation, NewEntrepreneur, OvopCoaching, Sentra
from tests.fuzz.strategies import INF, NEG_INF, cell_values, hostile
from tests.fuzz.support import (
    assert_handled,
    assert_pages_escaped,
    assert_rows_fit_postgresql,
    changes,
    database_snapshot,
    rolled_back,
)
from tests.ro_world import dipa_ros

pytestmark = pytest.mark.django_db


@pytest.fixture
def dipa(dipa):
    """The shared DIPA with its ROs, which the `capaian_ro` rows name (no test here submits a month)."""
    dipa_ros(dipa)
    return dipa


@pytest.fixture
def regencies(province, other_province) -> list[Regency]:
    return [
        Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota"),
        Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota"),
    ]


def even(total: int) -> list[int]:
    share = total // 12
    return [share] * 11 + [total - share * 11]


def good_rows(kind: str, year: int) -> list[list[Any]]:
    """Rows of ``kind`` that import as they are, against the ``dipa`` and ``regencies`` fixtures."""
    if kind == "realisasi":
        return [["170019", year, 1, "051", "521211", "1.250.000"], ["170019", year, 1, "051", "524111", 300_000]]
    if kind == "rpd":
        plan = {"52": even(140_000_000), "53": even(30_000_000)}
        return [["170019", year, month, code, amount]
                for code, amounts in plan.items() for month, amount in enumerate(amounts, start=1)]  # fmt: skip
    if kind == "pagu":
        return [["170019", year, "051", "521211", "120.000.000", "0", None],
                ["170019", year, "051", "532111", 30_000_000, 0, None]]  # fmt: skip
    if kind == "ikm":
        return [["0220551017193", "Keripik Sanjai Amak", "Siti Aminah", "17.71", "Jl. Soekarno-Hatta 12", "10794", 3,
                 5, "250.000.000", 600_000_000, year],
                [None, "Batik Besurek", "Rahmat", 1771, "Pasar Baru", 13134, 2, 0, 0, "0", str(year)]]  # fmt: skip
    if kind == "wub":
        return [["170019", year, 1, "Rahmat Hidayat", "17.71", "Keripik pisang", None, None],
                ["170019", year, 1, "Siti Aminah", 1771, "Tenun", "0220551017193", f"05-01-{year}"]]  # fmt: skip
    if kind == "ovop":
        return [["170019", "Sentra Tenun Songket", "17.71", "Pasar Baru", "TENUN", 12, year, 3]]
    if kind == "fasilitasi":
        return [["170019", year, 1, "PAMERAN", None, "UD Maju", "46.900.000", "Pameran Inacraft", None, None],
                ["170019", year, 1, "PRODUK", None, "CV Kopi", 0, None, None, None]]  # fmt: skip
    if kind == "kemiskinan":
        return [["170019", year, 1, "17.71", "PELATIHAN", "Olahan ikan", 25, "15.000.000"],
                ["170019", year, 1, 1771, "PERALATAN", None, "10", 0]]  # fmt: skip
    if kind == "capaian_ro":
        return [
            ["170019", year, 1, "6503.RBS.001", "2,5", 40, "Pelatihan"],
            ["170019", year, 1, "6503.RBS.002", 0, 0, None],
        ]
    if kind == "ikpa":
        return [["170019", year, 1, "100", "98,5", 95.25, None], ["170019", year, 2, 100, 97, "-", "100"]]
    raise AssertionError(f"no good rows for {kind}")


def workbook_bytes(header: list[Any], rows: list[list[Any]]) -> bytes:
    """The workbook openpyxl writes, with the infinity stand-ins made real infinities."""
    book = Workbook()
    for values in [header, *rows]:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{NEG_INF!r}</v>".encode(), b"<v>-1e999</v>")
                data = data.replace(f"<v>{INF!r}</v>".encode(), b"<v>1e999</v>")
            target.writestr(info.filename, data)
    return out.getvalue()


@dataclass(frozen=True)
class Hostile:
    cells: dict[tuple[int, int], Any]  # (row index, column index) -> value
    header: dict[int, str]
    extra_rows: list[list[Any]]


def hostile_changes(rows: int, columns: int) -> st.SearchStrategy[Hostile]:
    cell = st.tuples(st.integers(0, rows - 1), st.integers(0, columns - 1))
    return st.builds(
        Hostile,
        cells=st.dictionaries(cell, cell_values(), max_size=3),
        header=st.one_of(st.just({}), st.just({}), st.just({}), st.dictionaries(st.integers(0, columns), hostile(),
                                                                                 max_size=1)),
        extra_rows=st.one_of(st.just([]), st.just([]), st.lists(st.lists(cell_values(), min_size=columns,
                                                                         max_size=columns), max_size=2)),
    )  # fmt: skip


def hostile_workbook(kind: str, year: int, change: Hostile) -> tuple[list[Any], list[list[Any]]]:
    header: list[Any] = list(get_kind(kind).column_names)
    for index, name in change.header.items():
        if index < len(header):
            header[index] = name
        else:
            header.append(name)
    rows = [list(row) for row in good_rows(kind, year)]
    for (row, column), value in change.cells.items():
        rows[row][column] = value
    return header, [*rows, *change.extra_rows]


def pages_of(kind: str, satker, year: int) -> list[str]:
    """The pages that show what an import of ``kind`` wrote."""
    pages = {
        "realisasi": [reverse("budgets:realization-entry", args=[satker.code, year, 1])],
        "rpd": [reverse("budgets:rpd-entry", args=[satker.code, year])],
        "pagu": [reverse("budgets:pagu", args=[satker.code, year])],
        "ikm": [reverse("programs:registry-list")]
        + [reverse("programs:registry-detail", args=[pk]) for pk in Enterprise.objects.values_list("pk", flat=True)],
        "wub": [reverse("programs:records", args=[satker.code, year, 1])],
        "fasilitasi": [reverse("programs:records", args=[satker.code, year, 1])],
        "kemiskinan": [reverse("programs:records", args=[satker.code, year, 1])],
        "ovop": [reverse("programs:ovop", args=[satker.code, year])],
        "ikpa": [reverse("imports:index")],  # (the satker's IKPA page is the ikpa branch's)
        "capaian_ro": [
            reverse("budgets:report-detail", args=[pk])
            for pk in MonthlyReport.objects.filter(satker=satker, month=1).values_list("pk", flat=True)
        ],
    }
    return pages[kind]


def persona_for(kind: str) -> str:
    return "admin_user" if get_kind(kind).capability != "import" else "officer"


def run(path: Path, kind: str, user, *, dry_run: bool = False):
    return import_file(path, kind, user=user, dry_run=dry_run, reason=f"fuzz {kind}")


def test_every_import_kind_is_fuzzed() -> None:
    assert set(KINDS) == {
        "realisasi",
        "rpd",
        "pagu",
        "ikm",
        "wub",
        "ovop",
        "fasilitasi",
        "capaian_ro",
        "kemiskinan",
        "ikpa",
    }


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_good_workbooks_import(request, tmp_path, kind, dipa, regencies) -> None:
    """The fuzz starts from these: each imports as it is (so a refusal is the hostile cell's doing)."""
    user = request.getfixturevalue(persona_for(kind))
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(workbook_bytes(get_kind(kind).column_names, good_rows(kind, dipa.fiscal_year.year)))
    result = run(path, kind, user)
    assert result.imported, [str(e) for e in result.plan.errors]


@pytest.mark.parametrize("kind", list(KINDS))
@given(data=st.data())
def test_hostile_cells_are_refused_by_row_or_imported_and_shown_escaped(
    request, tmp_path, kind, dipa, satker, regencies, as_officer, as_admin, data
) -> None:
    year = dipa.fiscal_year.year
    columns = len(get_kind(kind).column_names)
    change = data.draw(hostile_changes(len(good_rows(kind, year)), columns))
    header, rows = hostile_workbook(kind, year, change)
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(workbook_bytes(header, rows))
    user = request.getfixturevalue(persona_for(kind))  # (created with the clients, before the examples)
    with rolled_back():
        before = database_snapshot()
        result = run(path, kind, user)
        event("imported" if result.imported else "refused")
        for error in result.plan.errors:
            assert isinstance(error.row, int) and error.row >= 0 and isinstance(error.message, str) and error.message
            assert "rusak" not in error.message  # a well-formed workbook is not "damaged"
            str(error)
        if not result.imported:
            assert result.plan.errors
            assert changes(before, database_snapshot()) == {}, "a refused import wrote to the database"
            return
        assert not result.plan.errors
        assert_rows_fit_postgresql(
            Realization,
            RpdPlan,
            BudgetLine,
            Enterprise,
            NewEntrepreneur,
            Facilitation,
            Sentra,
            OvopCoaching,
            OutputAchievement,
            IkpaTreasuryFigure,
        )
        again = run(path, kind, user, dry_run=True)
        assert again.plan.ok and again.plan.counts["new"] == again.plan.counts["changed"] == 0, again.plan.counts
        client = as_admin if get_kind(kind).capability != "import" else as_officer
        assert_pages_escaped(client, *pages_of(kind, satker, year))


# What an upload records by itself, whatever its file: the upload and its background tasks.
UPLOAD_BOOKKEEPING = ("imports.Upload", "imports.HistoricalUpload", "django_tasks_db.DBTaskResult")


@given(data=st.data(), kind=st.sampled_from(list(KINDS)), name=hostile(), confirm=st.booleans())
def test_the_upload_pages_show_hostile_files_escaped(tmp_path, dipa, satker, regencies, as_officer, as_admin, data,
                                                     kind, name, confirm) -> None:  # fmt: skip
    """The same workbooks through the upload page, under a hostile file name: the preview or the
    list of errors comes back escaped; only the upload itself is recorded until it is confirmed."""
    year = dipa.fiscal_year.year
    change = data.draw(hostile_changes(len(good_rows(kind, year)), len(get_kind(kind).column_names)))
    content = workbook_bytes(*hostile_workbook(kind, year, change))
    client = as_admin if get_kind(kind).capability != "import" else as_officer
    with rolled_back():
        before = database_snapshot()
        upload_file = SimpleUploadedFile((name or "x")[:200] + ".xlsx", content)
        response = client.post(reverse("imports:upload", args=[kind]), {"file": upload_file})
        assert_handled(response, (302, 400))
        written = {key for key in changes(before, database_snapshot()) if not key.startswith(UPLOAD_BOOKKEEPING)}
        assert written == set(), "an upload wrote data before its confirmation"
        if response.status_code != 302:
            return
        upload = Upload.objects.get()
        event(upload.status)
        assert_pages_escaped(client, response["Location"], reverse("imports:index"))
        if confirm and upload.status == Upload.Status.READY:
            assert_handled(client.post(reverse("imports:confirm", args=[upload.pk])), (302,))
            upload.refresh_from_db()
            assert upload.status == Upload.Status.IMPORTED
            assert_pages_escaped(client, reverse("imports:detail", args=[upload.pk]), *pages_of(kind, satker, year))
