"""backup_db: the whole database to one file (`make backup`); see core/backup.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, backup
from core.formats import format_megabytes


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh basis data ke satu berkas: PostgreSQL dengan pg_dump (format custom), SQLite dengan "
        "API backup sqlite3 (salinan yang konsisten walau aplikasi berjalan). Bawaan: var/backups/<nama>-<waktu>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="Berkas cadangan (bawaan: var/backups/<nama>-<waktu>.dump|.sqlite3)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Alias basis data (bawaan: default).")

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        try:
            target = backup(output, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = format_megabytes(target.stat().st_size)
        self.stdout.write(f"Cadangan selesai ({size} MB):")
        self.stdout.write(str(target))
