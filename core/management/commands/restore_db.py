"""restore_db: put a backup of backup_db back (`make restore FILE=...`); see core/backup.py.

A restore replaces every row of the database, so it asks first; --noinput (make ... FORCE=1) is
for scripts. Without a terminal to ask on and without --noinput it refuses rather than guess."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, check_backup_file, pending_migrations, restore

CONFIRMATION = "ya"


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dari berkas cadangan backup_db. SELURUH data saat ini diganti dengan isi cadangan "
        "(PostgreSQL: pg_restore --clean dalam satu transaksi; SQLite: API backup sqlite3). Hentikan aplikasi dulu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="Berkas cadangan (.dump PostgreSQL atau .sqlite3).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Jangan meminta konfirmasi (untuk skrip; make restore ... FORCE=1).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Alias basis data (bawaan: default).")

    def handle(self, *args: Any, file: Path | None, interactive: bool, database: str, **options: Any) -> None:
        if file is None:
            raise CommandError(
                "Sebutkan berkas cadangan: make restore FILE=var/backups/<berkas> (atau manage.py restore_db BERKAS)."
            )
        try:
            db = check_backup_file(file, alias=database)
            if interactive:
                self.confirm(db.name, file)
            restore(file, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Basis data {db.name} dipulihkan dari {file}.")
        pending = pending_migrations(database)
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"Cadangan ini lebih lama dari kode: {len(pending)} migrasi belum diterapkan "
                    f"({', '.join(pending[:3])}{', ...' if len(pending) > 3 else ''}). Jalankan: manage.py migrate"
                )
            )

    def confirm(self, name: str, file: Path) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                "Pemulihan mengganti seluruh data dan perlu konfirmasi, tetapi tidak ada terminal untuk bertanya. "
                "Jalankan dengan --noinput (make restore FILE=... FORCE=1) bila memang dimaksudkan."
            )
        answer = input(
            f"Pemulihan akan MENGGANTI seluruh data basis data '{name}' dengan isi {file}.\n"
            f"Ketik '{CONFIRMATION}' untuk melanjutkan: "
        )
        if answer.strip().lower() != CONFIRMATION:
            raise CommandError("Pemulihan dibatalkan; tidak ada yang diubah.")
