"""Retention of uploads that imported nothing: refused, failed and cancelled uploads older than
IMPORT_REFUSED_RETENTION_DAYS are deleted with their stored files (run daily, e.g. from cron).
Imported uploads are kept: the history of every change names them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from imports.stored import purge_old_uploads
from imports.worker import release_stuck_uploads


class Command(BaseCommand):
    help = (
        "Hapus unggahan impor yang ditolak, gagal atau dibatalkan (catatan dan berkasnya) yang lebih tua dari "
        "IMPORT_REFUSED_RETENTION_DAYS hari, dan lepaskan unggahan yang macet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Umur minimum dalam hari (bawaan: pengaturan).")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        released = release_stuck_uploads()
        deleted = purge_old_uploads(settings.IMPORT_REFUSED_RETENTION_DAYS if days is None else days)
        self.stdout.write(f"{deleted} unggahan dihapus, {released} unggahan macet dilepaskan.")
