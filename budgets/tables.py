from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from budgets.models import Satker

RECENT_YEARS_SHOWN = 3


class SatkerTable(tables.Table):
    code = tables.Column(verbose_name=_("Kode"))
    name = tables.Column(verbose_name=_("Nama satker"))
    province = tables.Column(verbose_name=_("Provinsi"), accessor="province__name", order_by="province__bps_code")
    authority = tables.Column(verbose_name=_("Kewenangan"), orderable=False, empty_values=())

    class Meta:
        model = Satker
        fields = ["code", "name", "province", "authority"]
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("Tidak ada satker yang cocok dengan filter.")

    def render_code(self, record: Satker, value: str) -> SafeString | str:
        """A link to the satker's year page (the drill-down from the dashboard's province): the
        year asked for in ``?year=`` when the satker has it, else its latest year."""
        years = [authority.fiscal_year.year for authority in record.all_authorities]
        if not years:
            return value
        request = getattr(self, "request", None)
        wanted = request.GET.get("year", "") if request is not None else ""
        year = int(wanted) if wanted.isdigit() and int(wanted) in years else years[0]
        return format_html('<a href="{}">{}</a>', reverse("budgets:satker-year", args=[record.code, year]), value)

    def render_authority(self, record: Satker) -> str:
        # all_authorities comes from SatkerListView's prefetch, newest year first: no query per row.
        recent = record.all_authorities[:RECENT_YEARS_SHOWN]
        return ", ".join(f"{a.fiscal_year.year}: {a.get_authority_display()}" for a in recent) or "-"
