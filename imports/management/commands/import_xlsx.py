from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.catalog import KINDS, TREASURY_KINDS
from imports.file_checks import ImportFileError
from imports.importer import import_file


class Command(BaseCommand):
    help = (
        "Impor berkas Excel dengan kode yang sama seperti unggahan web. Keluar 0 bila diimpor, 1 bila ditolak "
        "(semua kesalahan dicetak, tidak ada yang ditulis)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted({*KINDS, *TREASURY_KINDS}))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja; jangan tulis apa pun.")
        parser.add_argument("--user", default="admin", help="Pengguna yang tercatat sebagai pengimpor (bawaan: admin).")

    def handle(self, *args: Any, kind: str, file: Path, dry_run: bool, user: str, **options: Any) -> None:
        try:
            importer = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna {user} tidak ada.") from None
        if not file.exists():
            raise CommandError(f"Berkas {file} tidak ada.")
        try:
            result = import_file(file, kind, user=importer, dry_run=dry_run, reason=f"import_xlsx {kind} {file.name}")
        except ImportFileError as error:
            self.stderr.write(f"Ditolak: {error}")
            raise SystemExit(1) from None
        counts = result.plan.counts
        summary = f"{counts['new']} baru, {counts['changed']} berubah, {counts['unchanged']} tetap"
        if result.plan.errors:
            self.stderr.write(f"Ditolak: {len(result.plan.errors)} kesalahan; tidak ada yang ditulis.")
            for error in result.plan.errors:
                self.stderr.write(str(error))
            raise SystemExit(1)
        if dry_run:
            self.stdout.write(f"Pemeriksaan lolos ({summary}); tidak ada yang ditulis (--dry-run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Diimpor: {summary}."))
