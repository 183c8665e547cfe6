from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.mail_outbox import deliver_unsent


class Command(BaseCommand):
    help = (
        "Kirim ulang e-mail yang belum terkirim (mis. server e-mail sedang mati saat laporan dikembalikan). "
        "Jalankan berkala, mis. dari cron tiap 10 menit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent, unsent = deliver_unsent()
        self.stdout.write(f"E-mail tertunda: {sent} terkirim, {unsent} masih gagal.")
