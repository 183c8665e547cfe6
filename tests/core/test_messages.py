"""core/messages.py: a message id and JSON parameters, rendered in the active language."""

from __future__ import annotations

import json

from django.utils import translation

from core.messages import joined, message, month, msgid_of, render, spaced, words
from programs.models import FacilitationKind


def test_parameters_survive_json_and_render_in_the_active_language() -> None:
    params = json.loads(json.dumps({
        "kind": message(msgid_of(FacilitationKind.HALAL.label)), "name": "UD Rasa",
    }))  # fmt: skip
    msgid = "%(kind)s untuk %(name)s dicatat tanpa nomor sertifikat/pendaftaran."
    with translation.override("id"):
        assert render(msgid, params) == "Sertifikasi halal untuk UD Rasa dicatat tanpa nomor sertifikat/pendaftaran."
    with translation.override("en"):
        assert render(msgid, params).startswith("Halal certification for UD Rasa is recorded")


def test_months_lists_and_joins() -> None:
    plans = words([spaced(month(1), "Rp5"), spaced(month(2), "Rp6"), spaced(month(3), "Rp7")])
    more = message("%(places)s, dan %(count)s lainnya", places=joined([month(11), month(12)], ", "), count=2)
    with translation.override("id"):
        assert render("%(p)s", {"p": plans}) == "Januari Rp5, Februari Rp6, dan Maret Rp7"
        assert render("%(m)s", {"m": more}) == "November, Desember, dan 2 lainnya"
    with translation.override("en"):
        assert render("%(p)s", {"p": plans}) == "January Rp5, February Rp6, and March Rp7"
        assert render("%(m)s", {"m": more}) == "November, December, and 2 more"
    assert render("Tanpa parameter") == "Tanpa parameter"
