from __future__ import annotations

import django_tables2 as tables
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

    def render_authority(self, record: Satker) -> str:
        # all_authorities comes from SatkerListView's prefetch, newest year first: no query per row.
        recent = record.all_authorities[:RECENT_YEARS_SHOWN]
        return ", ".join(f"{a.fiscal_year.year}: {a.get_authority_display()}" for a in recent) or "-"
