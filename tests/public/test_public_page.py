"""The public page and its files on the demo data (which publishes 2022 and 2023): only the
published years, only province-level figures and above (every satker, person and enterprise of the
database is searched for), the same figures as the signed-in reports, cheap when cached, gone as
soon as a year is withdrawn."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from budgets.models import FiscalYear, Satker
from budgets.reports.queries import month_approved_everywhere
from budgets.selectors import published_years
from budgets.services.publication import publication_set
from programs.models import Enterprise, Facilitation, NewEntrepreneur, Sentra
from public.figures import DATASETS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLISHED = (2023, 2022)


def answers(client: Client, year: int) -> dict[str, str]:
    """Every public answer about ``year``: the page and the JSON in both languages, every CSV."""
    texts = {}
    for lang in ("id", "en"):
        texts[f"page {lang}"] = client.get(f"/public/?year={year}&lang={lang}")
        texts[f"json {lang}"] = client.get(f"/public/data.json?year={year}&lang={lang}")
    for dataset in DATASETS:
        for dialect in ("", "id"):
            path = f"/public/{dataset.slug}.csv?year={year}&dialect={dialect}"
            texts[f"{dataset.slug}.csv {dialect}"] = client.get(path)
    for name, response in texts.items():
        assert response.status_code == 200, name
    return {name: response.content.decode("utf-8-sig") for name, response in texts.items()}


def test_the_demo_publishes_2022_and_2023_and_nothing_else(demo_data) -> None:
    assert published_years() == list(PUBLISHED)
    client = Client()
    assert f"TA {PUBLISHED[0]}" in client.get("/public/").content.decode()  # the newest by default
    for year in FiscalYear.objects.exclude(year__in=PUBLISHED).values_list("year", flat=True):
        for path in (f"/public/?year={year}", f"/public/data.json?year={year}", f"/public/provinsi.csv?year={year}"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert str(year) in response.content.decode()  # says which year is not published


def words_below_province_level() -> dict[str, set[str]]:
    """What must never be public: satkers (code, name), enterprises (name, owner, NIB), people and
    businesses of the programme records, OVOP centres, and the accounts' names."""
    people = get_user_model().objects.exclude(first_name="", last_name="")
    return {
        "satker code": set(Satker.objects.values_list("code", flat=True)),
        "satker name": set(Satker.objects.values_list("name", flat=True)),
        "enterprise": set(Enterprise.objects.values_list("name", flat=True)),
        "owner": set(Enterprise.objects.exclude(owner="").values_list("owner", flat=True)),
        "nib": set(Enterprise.objects.exclude(nib=None).values_list("nib", flat=True))
        | set(NewEntrepreneur.objects.exclude(nib=None).values_list("nib", flat=True)),
        "new entrepreneur": set(NewEntrepreneur.objects.values_list("name", flat=True)),
        "facilitated business": set(Facilitation.objects.values_list("enterprise_name", flat=True)),
        "sentra": set(Sentra.objects.values_list("name", flat=True)),
        "person": {user.get_full_name() for user in people},
    }


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def phrases(text: str, longest: int) -> set[str]:
    """Every run of up to ``longest`` consecutive words of the text (HTML and JSON escapes undone):
    a forbidden name is found wherever its words stand together, a code wherever it stands alone
    (a satker code inside a rupiah figure, 102.513.585.000, is not that code)."""
    words = tokens(html.unescape(text))
    return {" ".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


def readable(name: str, body: str) -> str:
    return json.dumps(json.loads(body), ensure_ascii=False) if name.startswith("json") else body


def test_nothing_below_province_level_is_ever_public(demo_data) -> None:
    forbidden = {kind: {" ".join(tokens(word)) for word in words if tokens(word)}
                 for kind, words in words_below_province_level().items()}  # fmt: skip
    assert len(forbidden["satker code"]) > 38 and forbidden["new entrepreneur"] and forbidden["person"]
    longest = max(len(word.split()) for words in forbidden.values() for word in words)
    client = Client()
    for year in PUBLISHED:
        for name, body in answers(client, year).items():
            seen = phrases(readable(name, body), longest)
            for kind, words in forbidden.items():
                assert not words & seen, f"{kind} {sorted(words & seen)[:5]} in {year} {name}"


def test_the_public_figures_are_the_reports_figures_at_the_cut_off(demo_data) -> None:
    reviewer = client_for(get_user_model().objects.get(username="reviewer"))
    client = Client()
    for year in PUBLISHED:
        month = month_approved_everywhere(year, today=FiscalYear.objects.get(year=year).published_at.date())
        published = json.loads(client.get(f"/public/data.json?year={year}").content)
        assert published["as_of_month"] == month == 12
        assert published["as_of"] == f"{year}-12-31"
        assert published["licence"]["name"] == "CC BY 4.0"
        queries = {"realisasi": "realization/", "provinsi": "realization/provinces/", "output": "outputs/",
                   "ro": "ro/?level=ro&"}  # fmt: skip
        for slug, dataset in published["datasets"].items():
            path = queries[slug]
            joiner = "" if path.endswith("&") else "?"
            report = json.loads(reviewer.get(f"/reports/{path}{joiner}year={year}&month={month}&format=json").content)
            keys = dataset["columns"]
            completeness = {"months_approved", "months_expected"}  # as of today on the public page
            assert [{k: row[k] for k in keys if k not in completeness} for row in report["rows"]] == [
                {k: row[k] for k in keys if k not in completeness} for row in dataset["rows"]
            ], f"{year} {slug}"
            assert (
                dataset["totals"]["persen" if "persen" in dataset["totals"] else next(iter(dataset["totals"]))]
                == (report["totals"]["persen" if "persen" in report["totals"] else next(iter(report["totals"]))])
            )
    # DOMAIN.md: in 2022 the deconcentration part realized 97,97 %, the whole DG 98,68 %.
    national = json.loads(client.get("/public/data.json?year=2022").content)["datasets"]["realisasi"]
    by_key = {(row["group"], row["key"]): row["persen"] for row in national["rows"]}
    assert by_key[("authority", "DK")] == 97.97
    assert national["totals"]["persen"] == 98.68
    ranking = json.loads(client.get("/public/data.json?year=2022").content)["datasets"]["provinsi"]
    top_five = [row["province_name"] for row in ranking["rows"] if row["top_five"]]
    assert top_five == ["Bengkulu", "Kalimantan Utara", "Nusa Tenggara Timur", "Sulawesi Tengah", "Sulawesi Barat"]


def test_the_page_states_its_cut_off_its_methods_and_its_licence_in_both_languages(demo_data) -> None:
    client = Client()
    page = client.get("/public/?year=2022").content.decode()
    assert '<html lang="id">' in page
    assert "Angka per 31 Desember 2022" in page and "Rata-rata tertimbang" in page and "CC BY 4.0" in page
    english = client.get("/public/?year=2022&lang=en").content.decode()
    assert '<html lang="en">' in english
    assert "Figures as of 31 December 2022" in english and "weighted average" in english.lower()
    assert "/public/provinsi.csv?year=2022&amp;lang=en" in english


def test_the_open_data_files_are_open(demo_data) -> None:
    csv = Client().get("/public/provinsi.csv?year=2023")
    assert csv["Access-Control-Allow-Origin"] == "*" and csv["Content-Type"].startswith("text/csv")
    assert csv["Cache-Control"] == "public, max-age=60"
    assert 'filename="ikma-provinsi-2023.csv"' in csv["Content-Disposition"]


def test_withdrawing_a_year_takes_it_off_at_once(demo_data) -> None:
    client = Client()
    assert client.get("/public/?year=2022").status_code == 200
    assert client.get("/public/data.json?year=2022").status_code == 200
    admin = get_user_model().objects.get(username="admin")
    publication_set(fiscal_year=FiscalYear.objects.get(year=2022), published=False, by=admin)
    assert client.get("/public/?year=2022").status_code == 404
    assert client.get("/public/data.json?year=2022").status_code == 404
    assert client.get("/public/provinsi.csv?year=2022").status_code == 404
    assert "2022" not in client.get("/public/").content.decode().split("<main", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/public/?year=dua", 400, "Tahun tidak valid"),
        ("/public/data.json?year=dua", 400, "Tahun tidak valid"),
        ("/public/provinsi.csv?year=2023&dialect=xx", 400, "Dialek CSV tidak dikenal"),
        ("/public/?year=1999", 404, "Angka tahun 1999 belum dipublikasikan"),
        ("/public/gaji.csv?year=2023", 404, ""),
    ],
)
def test_bad_input_is_a_clear_answer(demo_data, path: str, status: int, message: str) -> None:
    response = Client().get(path)
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_public_answers_only_read(demo_data) -> None:
    client = Client()
    for path in ("/public/", "/public/data.json", "/public/provinsi.csv"):
        assert client.post(path).status_code == 405
