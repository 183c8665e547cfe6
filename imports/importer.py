"""Importing a workbook: check the file, read the rows, validate every row into a plan
(new / changed / unchanged, or errors with row, column and message), and apply the plan in one
transaction through the same services the web forms use. Nothing is written unless the whole
file is valid; re-importing the same file changes nothing (upsert on the natural key)."""

from __future__ import annotations

import gc
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts import permissions
from core.audit_log import audit
from imports.file_checks import ImportFileError, check_xlsx
from imports.kinds import KINDS
from imports.reader import RowError, Sheet, read_sheet

if TYPE_CHECKING:
    from accounts.models import User


PHASE_CHECK = "check"  # the file's container (size, zip, macros, declared sizes)
PHASE_READ = "read"  # reading rows
PHASE_VALIDATE = "validate"  # the kind's rules against the database
PHASE_WRITE = "write"  # applying in one transaction


@dataclass
class PlannedRow:
    row: int
    key: tuple
    action: str  # "new" | "changed" | "unchanged"
    values: dict[str, Any]


@dataclass
class ImportPlan:
    kind: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Rows left out on purpose (a pre-filled template line whose value the officer left empty).
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows)
        return {action: counted.get(action, 0) for action in ("new", "changed", "unchanged")}

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


class KindImporter(Protocol):
    def plan(self, sheet: Sheet, user: User, today: Any) -> ImportPlan: ...

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None: ...


def refuse_readers(plan: ImportPlan, user: User) -> bool:
    """Reviewers and viewers read every province but change nothing (CONTRACT): their file is
    refused as a whole, before any row is looked at."""
    if permissions.may_import(user):
        return False
    plan.error(0, "", _("Peran Anda hanya membaca data; impor dilakukan oleh petugas provinsi atau admin direktorat."))
    return True


# Each kind's importer, by dotted path: a kind module imports the services it writes through,
# and only the kind being imported needs loading.
IMPORTERS: dict[str, str] = {
    "realisasi": "budgets.import_kinds.RealizationImporter",
    "rpd": "budgets.import_kinds.RpdImporter",
    "pagu": "budgets.import_kinds.PaguImporter",
    "ikm": "programs.registry.import_kind.EnterpriseImporter",
    "wub": "programs.records.import_kinds.NewEntrepreneurImporter",
    "ovop": "programs.records.import_ovop.OvopImporter",
    "fasilitasi": "programs.records.import_kinds.FacilitationImporter",
}


def importer_for(kind: str) -> KindImporter:
    if kind not in IMPORTERS:
        raise ImportFileError(_("Jenis impor %(kind)s tidak dikenal.") % {"kind": kind})
    return import_string(IMPORTERS[kind])()


@dataclass
class ImportResult:
    plan: ImportPlan
    imported: bool


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Hundreds of thousands of small objects alive (the sheet's rows, the plan) make every
    collection of the cyclic garbage collector walk them all: with it reading, planning and
    writing a 100.000-row file ran 20 % to 3 times slower. Nothing here builds cycles; the
    collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Progress of a long import: (phase, done, total); the upload page shows it.
Progress = Callable[[str, int, int], None]


def import_file(
    path: str | Path, kind: str, *, user: User, dry_run: bool, reason: str, progress: Progress | None = None
) -> ImportResult:
    """Check, read, plan and (unless ``dry_run`` or any error) apply. Raises ImportFileError when
    the file itself is unacceptable."""
    with without_cyclic_gc():
        return _import_file(path, kind, user=user, dry_run=dry_run, reason=reason, progress=progress)


def _import_file(
    path: str | Path, kind: str, *, user: User, dry_run: bool, reason: str, progress: Progress | None
) -> ImportResult:
    report = progress or (lambda phase, done, total: None)
    refused = ImportPlan(kind)
    if refuse_readers(refused, user):
        return ImportResult(refused, imported=False)
    report(PHASE_CHECK, 0, 0)
    check_xlsx(path)
    spec = KINDS[kind]
    max_rows = getattr(settings, "IMPORT_MAX_ROWS", 200_000)
    sheet = read_sheet(
        path, columns=spec.column_names, max_rows=max_rows, progress=lambda done, total: report(PHASE_READ, done, total)
    )
    importer = importer_for(kind)
    if sheet.errors:
        return ImportResult(ImportPlan(kind, errors=list(sheet.errors)), imported=False)
    report(PHASE_VALIDATE, 0, len(sheet.rows))
    plan = importer.plan(sheet, user, timezone.localdate())
    if not plan.ok or dry_run:
        return ImportResult(plan, imported=False)
    report(PHASE_WRITE, 0, len(plan.rows))
    try:
        with transaction.atomic():
            importer.apply(plan, user, reason)
    except (ValidationError, PermissionDenied) as refusal:
        # The services re-check every rule under their row locks: something changed between the
        # plan and the write (a month submitted, access withdrawn). Rolled back: nothing written.
        messages = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
        plan.errors = [RowError(0, "", message) for message in messages]
        audit("import_refused", level=logging.WARNING, kind=kind, user=user.get_username(), reason=reason,
              errors=messages[:5])  # fmt: skip
        return ImportResult(plan, imported=False)
    audit("import", kind=kind, user=user.get_username(), reason=reason, **plan.counts)
    return ImportResult(plan, imported=True)
