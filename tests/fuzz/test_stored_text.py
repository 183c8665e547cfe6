"""Every hostile text of the list stored where users type free text (an enterprise's name, owner
and address, a WUB's name, a facilitation's name and note, an OVOP centre's name and village), then
every page and export that shows it: never a server error (openpyxl refuses control characters,
PostgreSQL refuses NUL), never the markup unescaped. Deterministic: one pass over the list."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from programs.models import Enterprise, Facilitation, NewEntrepreneur, Sentra
from programs.records import ovop as ovop_services
from programs.records import services
from programs.registry.rules import normalize_name, size_class_for
from tests.fuzz.strategies import HOSTILE
from tests.fuzz.support import assert_handled

pytestmark = pytest.mark.django_db

# What a form would store: the services fold whitespace; NUL never passes a form.
TEXTS = [" ".join(text.split())[:100] for text in HOSTILE if text.strip() and "\x00" not in text]


def test_stored_hostile_text_is_shown_and_exported_escaped(
    officer, as_officer, as_reviewer, satker, fiscal_year, regency
) -> None:
    common = {"satker": satker, "fiscal_year": fiscal_year, "month": 1, "by": officer}
    for index, text in enumerate(dict.fromkeys(TEXTS)):
        Enterprise.objects.create(
            nib=f"17{index:011d}", name=text, name_normalized=normalize_name(text)[:200], owner=text, address=text,
            regency=regency, province_id=regency.province_id, kbli="10792", data_year=fiscal_year.year,
            size_class=size_class_for(1, 0), satker=satker,
        )  # fmt: skip
        services.new_entrepreneur_create(**common, name=text, regency=regency, business_type=text)
        services.facilitation_create(**common, kind="PRODUK", enterprise_name=text, note=text)
        ovop_services.sentra_create(satker=satker, name=f"{index} {text}", regency=regency, village=text,
                                    commodity=text, commodity_group="TENUN", unit_count=10, decree_number=text[:100],
                                    decree_date=date(2020, 1, 2), by=officer)  # fmt: skip
    assert NewEntrepreneur.objects.count() == Facilitation.objects.count() == Sentra.objects.count() > 70
    year, code = fiscal_year.year, satker.code
    records = reverse("programs:records", args=[code, year, 1])
    ovop = reverse("programs:ovop", args=[code, year])
    registry = reverse("programs:registry-list")
    pages = [records, records + "?format=xlsx", ovop, ovop + "?format=xlsx", registry, registry + "?format=json",
             registry + "?format=csv", registry + "?format=xlsx", registry + "?q=" + TEXTS[0],
             reverse("reports:ikm"), reverse("reports:ikm") + "?format=json",
             reverse("reports:ovop") + "?format=csv"]  # fmt: skip
    pages += [reverse("programs:registry-detail", args=[pk]) for pk in Enterprise.objects.values_list("pk", flat=True)]
    for client in (as_officer, as_reviewer):
        for page in pages:
            assert_handled(client.get(page), (200,))
