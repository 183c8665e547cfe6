from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from budgets.notifications import send_due_reminders
from core.mail_outbox import deliver_unsent


class Command(BaseCommand):
    help = (
        "Kirim pengingat berjenjang untuk laporan yang terlambat (hari kerja ke-5 bulan berikutnya): petugas, "
        "lalu Kepala Dinas (5 hari kerja), lalu daftar direktorat (10 hari kerja), tiap tahap sekali. Jalankan harian."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini)."
        )

    def handle(self, *args: Any, date: date | None, **options: Any) -> None:
        today = date or timezone.localdate()
        # E-mails that failed earlier (mail server down) go out first, so a daily run retries them.
        retried, unsent = deliver_unsent()
        satkers, emails = send_due_reminders(today)
        self.stdout.write(
            f"Pengingat {today:%d-%m-%Y}: {satkers} satker dengan laporan terlambat, {emails} e-mail terkirim; "
            f"e-mail tertunda: {retried} terkirim, {unsent} masih gagal."
        )
