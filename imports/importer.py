"""Importing a workbook: check the file, read the rows, validate every row into a plan
(new / changed / unchanged, or errors with row, column and message), and apply the plan in one
transaction through the same services the web forms use. Nothing is written unless the whole
file is valid; re-importing the same file changes nothing (upsert on the natural key). What
each kind reads and writes is the kind's (imports/catalog.py names them)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from core.audit_log import audit
from imports.catalog import UnknownKind, get_kind
from imports.file_checks import ImportFileError, check_xlsx
from imports.plan import ImportPlan, without_cyclic_gc
from imports.reader import RowError

if TYPE_CHECKING:
    from accounts.models import User
    from imports.kinds import ImportKind


PHASE_CHECK = "check"  # the file's container (size, zip, macros, declared sizes)
PHASE_READ = "read"  # reading rows
PHASE_VALIDATE = "validate"  # the kind's rules against the database
PHASE_WRITE = "write"  # applying in one transaction


def import_refusal(user: User, kind: ImportKind) -> str | None:
    """Why this user may not import this kind, or None. Reviewers and viewers read every
    province but change nothing (CONTRACT): their file is refused as a whole, before any row is
    looked at; a kind may need more (the pagu: the directorate's admins)."""
    if not permissions.may_import(user):
        return _("Peran Anda hanya membaca data; impor dilakukan oleh petugas provinsi atau admin direktorat.")
    if not permissions.can(user, kind.capability):
        return str(kind.refusal)
    return None


@dataclass
class ImportResult:
    plan: ImportPlan
    imported: bool


# Progress of a long import: (phase, done, total); the upload page shows it.
Progress = Callable[[str, int, int], None]


def import_file(
    path: str | Path,
    kind: str,
    *,
    user: User,
    dry_run: bool,
    reason: str,
    progress: Progress | None = None,
    upload_id: int | None = None,
) -> ImportResult:
    """Check, read, plan and (unless ``dry_run`` or any error) apply. Raises ImportFileError when
    the file itself is unacceptable. ``upload_id``: the Upload of the file, handed to the kind's
    apply on the plan."""
    with without_cyclic_gc():
        return _import_file(path, kind, user=user, dry_run=dry_run, reason=reason, progress=progress,
                            upload_id=upload_id)  # fmt: skip


def _import_file(
    path: str | Path,
    kind: str,
    *,
    user: User,
    dry_run: bool,
    reason: str,
    progress: Progress | None,
    upload_id: int | None = None,
) -> ImportResult:
    report = progress or (lambda phase, done, total: None)
    try:
        importer = get_kind(kind)
    except UnknownKind:
        raise ImportFileError(_("Jenis impor %(kind)s tidak dikenal.") % {"kind": kind}) from None
    refused = import_refusal(user, importer)
    if refused is not None:
        return ImportResult(ImportPlan(kind, errors=[RowError(0, "", refused)]), imported=False)
    report(PHASE_CHECK, 0, 0)
    check_xlsx(path)
    max_rows = getattr(settings, "IMPORT_MAX_ROWS", 200_000)
    sheet = importer.read(path, max_rows=max_rows, progress=lambda done, total: report(PHASE_READ, done, total))
    if sheet.errors:
        return ImportResult(ImportPlan(kind, errors=list(sheet.errors)), imported=False)
    report(PHASE_VALIDATE, 0, len(sheet.rows))
    plan = importer.plan(sheet, user, timezone.localdate())
    if not plan.ok or dry_run:
        return ImportResult(plan, imported=False)
    report(PHASE_WRITE, 0, len(plan.rows))
    plan.upload_id = upload_id
    try:
        with transaction.atomic():
            importer.apply(plan, user, reason)
    except (ValidationError, PermissionDenied) as refused_now:
        # The services re-check every rule under their row locks: something changed between the
        # plan and the write (a month submitted, access withdrawn). Rolled back: nothing written.
        messages = refused_now.messages if isinstance(refused_now, ValidationError) else [str(refused_now)]
        plan.errors = [RowError(0, "", message) for message in messages]
        audit("import_refused", level=logging.WARNING, kind=kind, user=user.get_username(), reason=reason,
              errors=messages[:5])  # fmt: skip
        return ImportResult(plan, imported=False)
    audit("import", kind=kind, user=user.get_username(), reason=reason, **plan.counts)
    return ImportResult(plan, imported=True)
