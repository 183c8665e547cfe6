"""Start the demo again: every row of the database is deleted (``flush``) and the master data,
the demo accounts and the demo data are loaded as ``make data`` loads them (``make demo-reset``).

It replaces everything, so it asks first (``--noinput``: make demo-reset FORCE=1) and it refuses
in production mode (DJANGO_ENV=production) unless ``--force``: a demo reset on the ministry's
database would erase a year of the provinces' reports."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

CONFIRMATION = "hapus"


class Command(BaseCommand):
    help = (
        "Hapus SELURUH data basis data lalu muat ulang data induk, akun demo dan data demo (make demo-reset). "
        "Meminta konfirmasi kecuali --noinput; ditolak pada mode produksi kecuali --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Jangan meminta konfirmasi (untuk skrip; make demo-reset FORCE=1).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Jalankan juga pada mode produksi (DJANGO_ENV=production)."
        )

    def handle(self, *args: Any, interactive: bool, force: bool, **options: Any) -> None:
        if getattr(settings, "IS_PRODUCTION", False) and not force:
            raise CommandError(
                "Mode produksi (DJANGO_ENV=production): reset demo menghapus seluruh data dan ditolak. "
                "Tambahkan --force hanya bila basis data ini memang basis data demo."
            )
        name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        if interactive:
            self.confirm(str(name))
        call_command("flush", interactive=False, verbosity=0)
        self.stdout.write(f"Basis data '{name}' dikosongkan.")
        # The same steps as `make data`, in its order (the users need the provinces, the data both).
        call_command("load_master_data", stdout=self.stdout, stderr=self.stderr)
        call_command("create_demo_users", stdout=self.stdout, stderr=self.stderr)
        call_command("load_demo_data", stdout=self.stdout, stderr=self.stderr)

    def confirm(self, name: str) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                "Reset demo menghapus seluruh data dan perlu konfirmasi, tetapi tidak ada terminal untuk bertanya. "
                "Jalankan dengan --noinput (make demo-reset FORCE=1) bila memang dimaksudkan."
            )
        answer = input(
            f"Reset demo akan MENGHAPUS seluruh data basis data '{name}' lalu memuat data demo lagi.\n"
            f"Ketik '{CONFIRMATION}' untuk melanjutkan: "
        )
        if answer.strip().lower() != CONFIRMATION:
            raise CommandError("Reset demo dibatalkan; tidak ada yang diubah.")
