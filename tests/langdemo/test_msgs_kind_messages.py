"""The import kinds' own row messages and the amount messages of ``parse_rupiah`` are stored as
msgid + parameters (core/messages.py) like the shared checks' messages: an upload checked in
Indonesian reads in English for an English reader."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.urls import reverse

from imports.catalog import get_kind
from imports.models import Upload
from tests.conftest import client_for
from tests.imports.test_upload_flow import post_file, xlsx

pytestmark = pytest.mark.django_db


def test_kind_and_amount_messages_of_a_refused_upload_read_in_english(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    client = client_for(officer)
    post_file(client, "realisasi", xlsx([
        ["170019", year, 1, "051", "521211", "1,250"],  # parse_rupiah: thousands or sen?
        ["999999", year, 1, "051", "521211", 1],  # the kind's own check: no such satker
        ["170019", year, 2, "051", "524111", 5],
        ["170019", year, 2, "051", "524111", 5],  # the kind's own check: a duplicate row
    ]))  # fmt: skip
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    kept = {entry[3]["msg"] for entry in upload.errors if len(entry) > 3}
    assert "Satker %(code)s tidak ada atau di luar cakupan Anda." in kept, upload.errors
    assert "Baris ganda: sama dengan baris %(row)s." in kept, upload.errors

    url = reverse("imports:detail", args=[upload.pk])
    indonesian = html.unescape(client.get(url).content.decode())
    assert "Satker 999999 tidak ada atau di luar cakupan Anda." in indonesian
    english_client = client_for(officer)
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = " ".join(html.unescape(english_client.get(url).content.decode()).split())
    assert "Satker 999999 does not exist or is outside your scope." in page
    assert "Duplicate row: same as row 4." in page
    assert "'1,250' could mean 1.250 rupiah or 1 rupiah" in page
    for indonesian_words in ("tidak ada atau di luar", "Baris ganda", "bisa dibaca"):
        assert indonesian_words not in page


def test_pagu_blocked_over_pagu_reads_in_english(admin_user, dipa) -> None:
    client = client_for(admin_user)
    header = ["kode_satker", "tahun", "kode_komponen", "kode_akun", "pagu", "blokir"]
    post_file(client, "pagu", xlsx([["170019", dipa.fiscal_year.year, "051", "521211", 10, 20]], header), "pagu.xlsx")
    upload = Upload.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html.unescape(client.get(reverse("imports:detail", args=[upload.pk])).content.decode())
    assert "Blocked funds exceed the pagu." in page and "Blokir melebihi pagu" not in page


def test_programme_kinds_messages_read_in_english(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    wub = [["170019", year, 1, "Rahmat Hidayat", "17.99", "Keripik pisang", None]]  # unknown regency
    post_file(client, "wub", xlsx(wub, get_kind("wub").column_names), "wub.xlsx")
    ikm = [["0220551017193", "Keripik Amak", "Siti Aminah", "17.71", "Jl. Soekarno-Hatta 12", "10794", -3, 5,
            "250.000.000", "600.000.000", year]]  # fmt: skip
    post_file(client, "ikm", xlsx(ikm, get_kind("ikm").column_names), "ikm.xlsx")
    pages = " ".join(
        " ".join(html.unescape(client.get(reverse("imports:detail", args=[upload.pk])).content.decode()).split())
        for upload in Upload.objects.order_by("pk")
    )
    assert "Regency/city 17.99 is unknown." in pages and "tidak dikenal" not in pages
    assert "The number of workers may not be negative." in pages and "tidak boleh negatif" not in pages
