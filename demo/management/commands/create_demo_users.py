from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD
from budgets.models import Province
from demo.users import demo_users_create


class Command(BaseCommand):
    help = "Buat akun demo (admin, reviewer, viewer, officer-<kode BPS>) dan cetak daftarnya. Aman diulang."

    def handle(self, *args: Any, **options: Any) -> None:
        if not Province.objects.exists():
            raise CommandError("Belum ada provinsi: jalankan load_master_data lebih dulu.")
        accounts = demo_users_create()
        created = sum(account.created for account in accounts)
        self.stdout.write(f"Akun demo ({created} baru), kata sandi semua akun: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role:<22} {account.scope}")
