"""The realization narrative: number formats of each language, the text on plain figures, and
the 2022 text (dashboard and download) against the demo data, which reproduces the published
figures of the seed article."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import FiscalYear
from dashboard.narrative.realization import (
    NarrativeFigures,
    Ranked,
    Share,
    narrative_text,
)
from tests.conftest import client_for

TOP_FIVE_ID = ["Bengkulu", "Kalimantan Utara", "Nusa Tenggara Timur", "Sulawesi Tengah", "Sulawesi Barat"]
TOP_FIVE_EN = ["Bengkulu", "North Kalimantan", "East Nusa Tenggara", "Central Sulawesi", "West Sulawesi"]


# --- Pure: the text on plain figures -----------------------------------------------------------


def figures(**changes: object) -> NarrativeFigures:
    values: dict[str, object] = {
        "year": 2022,
        "directorate": Share(100_000_000_000, 98_680_000_000, Decimal("98.68")),
        "authority": "DK",
        "provincial": Share(49_050_000_000, 48_054_285_000, Decimal("97.97")),
        "average": Decimal("97.97"),
        "average_unweighted": Decimal("97.05"),
        "provinces_ranked": 38,
        "above_average": 20,
        "below_average_unweighted": 5,
        "top": [Ranked("Bengkulu", "Bengkulu", Decimal("99.91")), Ranked("Aceh", "Aceh", Decimal("99.00"))],
        "threshold": Decimal("91.20"),
        "below_threshold": 1,
        "below_named": [Ranked("Dinas Perindustrian Provinsi Papua Pegunungan", "", Decimal("88.74"))],
    }
    values.update(changes)
    return NarrativeFigures(**values)


def test_indonesian_text_has_every_figure_in_indonesian_format() -> None:
    text = narrative_text(figures(), "id")
    assert text.startswith("Realisasi anggaran Direktorat Jenderal IKMA tahun 2022 mencapai 98,68 %")
    assert "(Rp98,68 miliar dari pagu efektif Rp100 miliar)" in text
    assert "realisasi dekonsentrasi sebesar 97,97 % (Rp48,05 miliar dari pagu efektif Rp49,05 miliar)" in text
    # Each average says which it is (the statement of 2022 quotes both).
    assert (
        "Sebanyak 20 provinsi mencatat realisasi dekonsentrasi di atas rata-rata tertimbang (97,97 %, total "
        "realisasi dibagi total pagu efektif), dan 5 provinsi di bawah rata-rata sederhana persentase provinsi "
        "(97,05 %)."
    ) in text
    assert "Bengkulu (99,91 %) dan Aceh (99,00 %)" in text
    assert "Tercatat 1 satker yang realisasinya masih di bawah 91,20 %, yaitu Dinas Perindustrian Provinsi " in text
    assert "98.68" not in text and "IDR" not in text
    assert "\n\n" in text and text.endswith("\n")


def test_english_text_has_every_figure_in_english_format() -> None:
    text = narrative_text(figures(), "en")
    assert text.startswith("The realization of the IKMA Directorate General's budget in 2022 reached 98.68%")
    assert "(IDR 98.68 billion of an effective ceiling of IDR 100 billion)" in text
    assert "deconcentration realization of 97.97% (IDR 48.05 billion of IDR 49.05 billion)" in text
    assert (
        "A total of 20 provinces realized their deconcentration budget above the weighted average (97.97%, total "
        "realization over total effective ceiling), and 5 provinces below the plain average of the provinces' "
        "percentages (97.05%)."
    ) in text
    assert "There is 1 work unit (satker) whose realization is still below 91.20%:" in text
    assert "98,68" not in text and "Rp" not in text and "miliar" not in text


def test_running_year_says_as_of_when_and_co_administration() -> None:
    text = narrative_text(figures(year=2026, as_of=date(2026, 11, 28), authority="TP"), "id")
    assert text.startswith("Hingga 28 November 2026, realisasi anggaran Direktorat Jenderal IKMA tahun 2026 telah")
    assert "realisasi tugas pembantuan sebesar" in text
    english = narrative_text(figures(year=2026, as_of=date(2026, 11, 28), authority="TP"), "en")
    assert english.startswith("As of 28 November 2026, the realization")
    assert "co-administration realization" in english


def test_satkers_outside_the_readers_scope_are_counted_not_named() -> None:
    hidden = figures(below_threshold=3, below_named=[])
    assert "Tercatat 3 satker yang realisasinya masih di bawah 91,20 %." in narrative_text(hidden, "id")
    assert "There are 3 work units (satker) whose realization is still below 91.20%." in narrative_text(hidden, "en")
    some = figures(below_threshold=3, below_named=[Ranked("Satker A", "Satker A", Decimal("80"))])
    assert "di antaranya Satker A (80,00 %)" in narrative_text(some, "id")
    assert "among them Satker A (80.00%)" in narrative_text(some, "en")
    none = figures(below_threshold=0, below_named=[])
    assert "Tidak ada satker dengan realisasi di bawah 91,20 %." in narrative_text(none, "id")


def test_a_year_without_pagu_says_so() -> None:
    empty = figures(directorate=Share(0, 0, None), provincial=None, provinces_ranked=0, top=[], threshold=None)
    assert narrative_text(empty, "id") == "Belum ada pagu Direktorat Jenderal IKMA untuk tahun anggaran 2022.\n"
    assert "no budget ceiling" in narrative_text(empty, "en")


# --- The 2022 demo data: the seed article's figures ------------------------------------------------


@pytest.fixture
def demo(demo_data: str) -> None:
    """The demo data of the whole run (tests/conftest.py: loaded once, rolled back at the end)."""


def signed_in(username: str) -> Client:
    return client_for(get_user_model().objects.get(username=username))


@pytest.mark.django_db
def test_2022_dashboard_narrative_in_indonesian(demo) -> None:
    response = signed_in("viewer").get(reverse("dashboard:home"), {"year": 2022})
    assert response.status_code == 200
    text = " ".join(response.context["narrative"])
    assert "98,68 %" in text and "97,97 %" in text
    for name in TOP_FIVE_ID:
        assert name in text
    assert "20 provinsi" in text
    assert "Dinas Perindustrian Provinsi Aceh (77,60 %)" in text
    assert "Rp" in text and "miliar" in text
    assert response.context["narrative_language"] == "id"
    page = response.content.decode()
    assert "Lima besar provinsi dengan realisasi tertinggi adalah Bengkulu (99,91 %)" in page
    assert f"{reverse('dashboard:narrative')}?year=2022&amp;lang=en" in page


# Words only the Indonesian narrative uses (realization and programme paragraphs).
INDONESIAN_WORDS = ("Hingga", "Realisasi", "mencapai", "provinsi", "dari pagu efektif", "Lima besar", "satker yang",
                    "dihitung dari laporan", "wirausaha baru", "miliar", "sebesar")  # fmt: skip


@pytest.mark.django_db
def test_2022_dashboard_narrative_in_english_only_when_english_is_chosen(demo) -> None:
    client = signed_in("reviewer")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("dashboard:home"), {"year": 2022})
    assert response.context["narrative_language"] == "en"
    english = " ".join(response.context["narrative"])
    assert "98.68%" in english and "97.97%" in english and "20 provinces" in english
    for name in TOP_FIVE_EN:
        assert name in english
    for word in INDONESIAN_WORDS:
        assert word not in english, word
    page = response.content.decode()
    assert "Lima besar" not in page and "dari pagu efektif" not in page
    assert '<div lang="en" id="narrative">' in page


@pytest.mark.django_db
def test_cached_dashboard_does_not_leak_the_language(demo) -> None:
    """The dashboard body is cached per data version: the key holds the language, so an English
    reader after an Indonesian one (same data, same scope) gets the English narrative."""
    indonesian = signed_in("reviewer").get(reverse("dashboard:home"), {"year": 2022}).content.decode()
    client = signed_in("reviewer")
    client.cookies["django_language"] = "en"
    english = client.get(reverse("dashboard:home"), {"year": 2022}).content.decode()
    again = signed_in("reviewer").get(reverse("dashboard:home"), {"year": 2022}).content.decode()
    assert "Lima besar provinsi" in indonesian and "Lima besar provinsi" in again
    assert "The top five provinces" in english and "Lima besar provinsi" not in english
    assert "The top five provinces" not in again


@pytest.mark.django_db
def test_narrative_download_defaults_to_the_readers_language(demo) -> None:
    client = signed_in("reviewer")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("dashboard:narrative"), {"year": 2022})
    assert response["Content-Language"] == "en"
    text = response.content.decode()
    assert "The top five provinces" in text
    for word in INDONESIAN_WORDS:
        assert word not in text, word


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["reviewer", "viewer", "admin", "officer-17"])
def test_2022_narrative_download_in_indonesian(demo, username) -> None:
    response = signed_in(username).get(reverse("dashboard:narrative"), {"year": 2022, "lang": "id"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="narasi-realisasi-2022-id.txt"'
    text = response.content.decode()
    assert "98,68 %" in text and "97,97 %" in text and "20 provinsi" in text
    assert (
        "Bengkulu (99,91 %), Kalimantan Utara (99,84 %), Nusa Tenggara Timur (99,76 %), Sulawesi Tengah (99,69 %), "
        "dan Sulawesi Barat (99,62 %)."
    ) in text
    # One wording for the whole statement (the realization and the programme paragraphs): lists with a
    # comma before "dan", amounts with no trailing zero ("Rp46,9 miliar", as the seed article writes).
    assert re.findall(r"Rp[\d.,]+ miliar", text) and not re.findall(r"Rp[\d.]+,\d0 miliar", text)
    assert "Rp46,9 miliar" in text
    assert "Tercatat 1 satker yang realisasinya masih di bawah 91,20 %" in text
    # The one satker under the threshold is in Aceh: an officer elsewhere gets the count only.
    assert ("Aceh (77,60 %)" in text) is (username != "officer-17")


@pytest.mark.django_db
def test_2022_narrative_download_in_english(demo) -> None:
    response = signed_in("reviewer").get(reverse("dashboard:narrative"), {"year": 2022, "lang": "en"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="narasi-realisasi-2022-en.txt"'
    text = response.content.decode()
    assert "reached 98.68%" in text and "deconcentration realization of 97.97%" in text
    assert "IDR" in text and "billion" in text and "Rp" not in text
    assert "A total of 20 provinces" in text
    assert (
        "The top five provinces are Bengkulu (99.91%), North Kalimantan (99.84%), East Nusa Tenggara (99.76%), "
        "Central Sulawesi (99.69%), and West Sulawesi (99.62%)."
    ) in text
    assert "Aceh (77.60%)" in text


@pytest.mark.django_db
def test_narrative_download_defaults_to_indonesian_and_the_current_fiscal_year(demo) -> None:
    response = signed_in("viewer").get(reverse("dashboard:narrative"))
    assert response.status_code == 200
    year = FiscalYear.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first().year
    assert response["Content-Disposition"] == f'attachment; filename="narasi-realisasi-{year}-id.txt"'
    assert response["Content-Language"] == "id"


@pytest.mark.django_db
def test_2022_tile_map_has_38_tiles_4_not_yet_created(demo) -> None:
    response = signed_in("reviewer").get(reverse("dashboard:home"), {"year": 2022, "authority": "DK"})
    page = response.content.decode()
    assert page.count('<a class="tile"') == 38
    tiles = response.context["dashboard"].tiles
    # The four Papua provinces of 2022 had no DIPA that year: their tiles have no figure.
    assert len(tiles.tiles) == 38
    assert {tile.bps_code for tile in tiles.tiles if tile.persen is None} == {"92", "95", "96", "97"}
    assert len(tiles.bands) == 5
    assert response.context["dashboard"].above_average == 20
    assert [row["satker"] for row in response.context["dashboard"].below_threshold] == ["110019"]


def test_running_year_holds_satkers_against_the_quarters_target_not_the_year_end_threshold() -> None:
    from budgets.reports.queries import ReportResult
    from dashboard.narrative.realization import narrative_figures

    def satkers(threshold: str) -> ReportResult:
        row = {"satker": "170019", "satker_name": "Dinas Perindustrian Provinsi Bengkulu", "persen": Decimal("53.48"),
               "below_threshold": True}  # fmt: skip
        return ReportResult("satkers", [row], {}, {"threshold": Decimal(threshold)})

    totals = {"pagu_efektif": 100, "realisasi": 50, "persen": Decimal("50.00")}
    running = narrative_figures(year=2026, directorate=totals, as_of=date(2026, 11, 30), satkers=satkers("70"),
                                yardstick_quarter=3)  # fmt: skip
    assert "91,20" not in narrative_text(running, "id")
    assert "di bawah target penyerapan TW III (70,00 %), yaitu Dinas" in narrative_text(running, "id")
    assert "below the Q3 absorption target (70.00%): Dinas" in narrative_text(running, "en")
    ended = narrative_figures(year=2025, directorate=totals, satkers=satkers("91.20"))
    assert "di bawah 91,20 %" in narrative_text(ended, "id")
