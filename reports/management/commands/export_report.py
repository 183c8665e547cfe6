from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.test import RequestFactory

from accounts.models import User
from reports.catalog import REPORTS
from reports.views import report_view


class Command(BaseCommand):
    help = "Ekspor laporan realisasi (nama CONTRACT) ke XLSX, CSV atau JSON, dengan filter yang sama seperti di web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(REPORTS), help="Nama laporan.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, help="Berkas keluaran (bawaan: nama berkas laporan).")
        for option in ("month", "province", "component", "authority", "basis", "below", "ro", "level"):
            parser.add_argument(f"--{option}")

    def handle(self, *args: Any, name: str, output: Path | None, **options: Any) -> None:
        query = QueryDict(mutable=True)
        for key in ("year", "format", "month", "province", "component", "authority", "basis", "below", "ro", "level"):
            if options.get(key) is not None:
                query[key] = str(options[key])
        request = RequestFactory().get("/", data=query)
        # The command runs for the directorate: the whole national scope, as an admin sees it.
        request.user = User(username="export_report", role=User.Role.ADMIN, is_active=True)
        response = report_view(request, name=name)
        if response.status_code != 200:
            raise CommandError(response.content.decode(errors="replace")[:2000])
        disposition = response.get("Content-Disposition", "")
        default = disposition.split('filename="')[-1].rstrip('"') if "filename=" in disposition else f"{name}.json"
        target = output or Path(default)
        target.write_bytes(response.content)
        self.stdout.write(f"Laporan {name} ditulis ke {target} ({len(response.content)} bita).")
