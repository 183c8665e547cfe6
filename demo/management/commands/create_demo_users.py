from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD
from budgets.models import Province
from demo.api_tokens import demo_api_tokens_create
from demo.users import demo_users_create


class Command(BaseCommand):
    help = (
        "Buat akun demo (admin, reviewer, viewer, officer-<kode BPS>) dan token API demo, lalu cetak daftarnya. "
        "Aman diulang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Province.objects.exists():
            raise CommandError("Belum ada provinsi: jalankan load_master_data lebih dulu.")
        accounts = demo_users_create()
        created = sum(account.created for account in accounts)
        self.stdout.write(f"Akun demo ({created} baru), kata sandi semua akun: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role:<22} {account.scope}")
        self.stdout.write('Token API demo (README "API"; tidak berlaku di produksi):')
        for system, _created in demo_api_tokens_create():
            self.stdout.write(f"  {system.username:<20} {system.key}")
