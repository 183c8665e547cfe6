"""Indonesian and English throughout.

The source strings are Indonesian; ``locale/en/LC_MESSAGES/django.po`` carries the English. These
tests keep that catalogue whole and the committed ``django.mo`` in step with it, and walk the main
pages of every role in English (no Indonesian interface text may show) and in Indonesian (still
the default).
"""

from __future__ import annotations

import gettext
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import BudgetLine
from budgets.services.monthly_report import report_submit
from tests.access_world import World, build_world
from tests.conftest import client_for
from tests.personas import head_verifies
from tests.test_access_matrix import REPORT_PAGES, site_path

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"
# The same ignore patterns as the README's makemessages command.
MAKEMESSAGES_IGNORE = [".venv/*", "node_modules/*", "staticfiles/*", "var/*", "bench/*", "tests/*", "locale/*"]


# --- The catalogue ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], "\\" + m[1]), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (header included as the entry with msgid ""); enough of the
    format for what makemessages writes: flags, msgctxt, plurals, continued strings."""
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            continue
        elif line.startswith('"'):
            assert entry is not None and target is not None, line
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
        else:
            keyword, _space, value = line.partition(" ")
            if keyword in {"msgctxt", "msgid"} and (entry is None or entry.msgstr):
                entry = Entry(msgid="", flags=flags)
                entries.append(entry)
                flags = set()
            assert entry is not None, line
            found = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if found or keyword == "msgstr":
                index = int(found[1]) if found else 0
                entry.msgstr[index] = _unquote(value)
                target = ("msgstr", index)
            elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
                setattr(entry, keyword, _unquote(value))
                target = (keyword, 0)
            else:
                raise ValueError(f"unexpected PO line: {line}")
    return entries


CATALOGUE = [entry for entry in read_po(PO_FILE) if entry.msgid]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}")


def test_po_parser_reads_flags_contexts_plurals_and_continued_lines(tmp_path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py\n#, python-format\nmsgid "Satu %(n)s"\nmsgid_plural "Banyak %(n)s"\n'
        'msgstr[0] "One %(n)s"\nmsgstr[1] "Many %(n)s"\n\n'
        'msgctxt "status"\nmsgid "Kembali"\nmsgstr ""\n"Ret"\n"urned"\n\n'
        '#, fuzzy\nmsgid "Baris \\"x\\"\\n"\nmsgstr "Row"\n',
        encoding="utf-8",
    )
    header, plural, context, fuzzy = read_po(po)
    assert header.msgid == "" and "Language: en" in header.msgstr[0]
    assert (plural.msgid_plural, plural.msgstr, plural.flags) == (
        "Banyak %(n)s", {0: "One %(n)s", 1: "Many %(n)s"}, {"python-format"}
    )  # fmt: skip
    assert (context.msgctxt, context.msgid, context.msgstr[0]) == ("status", "Kembali", "Returned")
    assert (fuzzy.msgid, fuzzy.flags) == ('Baris "x"\n', {"fuzzy"})


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    assert len(CATALOGUE) > 1000
    untranslated = [e.msgid for e in CATALOGUE if not all(e.msgstr.values()) or len(e.msgstr) < 1]
    fuzzy = [e.msgid for e in CATALOGUE if "fuzzy" in e.flags]
    plurals = [e.msgid for e in CATALOGUE if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]]
    assert untranslated == [] and fuzzy == [] and plurals == []


def test_translations_keep_every_placeholder() -> None:
    wrong = []
    for entry in CATALOGUE:
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr.values():
            # A singular may spell out "one" instead of its count; every other placeholder stays.
            got = sorted(PLACEHOLDER.findall(text))
            if got != expected and not (entry.msgid_plural and set(got) <= set(expected)):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_committed_mo_matches_the_po() -> None:
    """The .mo is what Django reads; it must hold exactly the .po's translations (run
    ``manage.py compilemessages`` after editing the .po)."""
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in CATALOGUE:
        context = entry.msgctxt
        if entry.msgid_plural is None:
            got = {0: compiled.pgettext(context, entry.msgid) if context else compiled.gettext(entry.msgid)}
        else:
            got = {0: compiled.ngettext(entry.msgid, entry.msgid_plural, 1),
                   1: compiled.ngettext(entry.msgid, entry.msgid_plural, 2)}  # fmt: skip
        if got != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == []
    # Nothing more either: the header, then one key per singular and two per plural.
    expected_keys = 1 + sum(2 if entry.msgid_plural else 1 for entry in CATALOGUE)
    assert len(compiled._catalog) == expected_keys


def _source_copy(target: Path) -> None:
    """The files makemessages reads (Python, templates), without what the README's command
    ignores: makemessages writes into the ``locale`` directory nearest each file, so it runs on
    a copy and never touches the committed catalogue."""
    skipped = {name.removesuffix("/*") for name in MAKEMESSAGES_IGNORE}
    base = Path(settings.BASE_DIR)
    tops = [path for path in base.iterdir() if path.name not in skipped and not path.name.startswith(".")]
    for path in (found for top in tops for found in ([top] if top.is_file() else top.rglob("*"))):
        relative = path.relative_to(base)
        if path.is_file() and path.suffix in {".py", ".html", ".txt"} and "__pycache__" not in relative.parts:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext's xgettext")
def test_catalogue_has_every_string_of_the_code(tmp_path, monkeypatch, settings) -> None:
    """makemessages run afresh finds no msgid the committed catalogue lacks, and the catalogue
    keeps none the code no longer has: a newly marked string fails here until it is translated."""
    source = tmp_path / "source"
    _source_copy(source)
    settings.LOCALE_PATHS = [str(source / "locale")]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE, verbosity=0)
    fresh = {entry.key for entry in read_po(source / "locale" / "en" / "LC_MESSAGES" / "django.po") if entry.msgid}
    committed = {entry.key for entry in CATALOGUE}
    assert sorted(fresh - committed, key=str) == [], "not in locale/en: run makemessages and translate"
    assert sorted(committed - fresh, key=str) == [], "no longer in the code: run makemessages --no-obsolete"


# --- The pages ----------------------------------------------------------------------------------

# Scripts and styles are no text; <code> holds identifiers that are the same in every language
# (the import files' CONTRACT column names such as ``kode_satker``, ``tahun``, ``bulan``).
SKIPPED_ELEMENTS = {"script", "style", "template", "head", "code"}
TEXT_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a reader meets: text nodes, the attributes that are read out and the texts of
    the charts' JSON data (their labels, drawn by static/js), leaving out scripts, styles, code
    and every element marked as being in another language (``lang="id"``: the dashboard's
    Indonesian narrative shown beside the English one)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.parts: list[str] = []
        self.json_data = False

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        hidden = (
            self.hidden
            or tag in SKIPPED_ELEMENTS
            or (tag != "html" and lang is not None and not lang.startswith(self.language))
        )
        if not hidden:
            for name in TEXT_ATTRIBUTES & values.keys():
                self.parts.append(values[name] or "")
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(values.get("value") or "")
        self.json_data = tag == "script" and values.get("type") == "application/json" and not self.hidden
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
        elif self.json_data:
            self.parts.extend(_json_texts(json.loads(data)))

    def text(self) -> str:
        return "\n".join(" ".join(part.split()) for part in self.parts if part.strip())


def _json_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _json_texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _json_texts(item)]
    return []


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    return parser.text()


IDENTIFIER = re.compile(r"[a-z0-9_.-]+")


def data_values() -> list[str]:
    """Every text stored in the database (names of satkers, provinces, enterprises, record
    descriptions, file names...): data, not interface, so they are taken out of the page text
    before it is searched. Codes of choices are left in: they are never Indonesian words."""
    values: set[str] = set()

    def collect(value: object) -> None:
        # Lower-case identifiers (user names, data version names such as "reports") are left:
        # taken out, they would cut English words of the interface apart.
        if isinstance(value, str) and len(value) >= 3 and not IDENTIFIER.fullmatch(value):
            values.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    for model in apps.get_models():
        fields = [
            f.attname for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices
        ]  # fmt: skip
        if fields:
            for row in model._default_manager.values_list(*fields):
                collect(row)
    return sorted(values, key=len, reverse=True)


def without_data(text: str, values: list[str]) -> str:
    """``text`` with every whole occurrence of the data ``values`` (longest first) blanked."""
    for value in values:
        text = re.sub(r"(?<!\w)" + re.escape(value) + r"(?!\w)", " ", text)
    return text


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a msgid between its placeholders, each at least one word long."""
    pieces = PLACEHOLDER.split(msgid.replace("%%", "%"))
    return [piece.strip(" .,:;·()\"'“”/-") for piece in pieces if re.search(r"[A-Za-z]{3}", piece)]


def _english_words() -> str:
    return "\n".join(text for entry in CATALOGUE for text in entry.msgstr.values())


def indonesian_phrases() -> list[tuple[str, re.Pattern[str]]]:
    """Pieces of the Indonesian source text that English pages must never show: every msgid
    whose English differs, cut at its placeholders, leaving out pieces that are also English
    (loanwords such as "Satker", "Pagu", "OVOP" or "Batik" appear in the translations too)."""
    english = _english_words()
    phrases: dict[str, re.Pattern[str]] = {}
    for entry in CATALOGUE:
        if entry.msgstr.get(0) == entry.msgid:
            continue
        for piece in _fragments(entry.msgid):
            pattern = re.compile(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])")
            if piece and not pattern.search(english):
                phrases[piece] = pattern
    return sorted(phrases.items())


PHRASES = indonesian_phrases()
# Words of Indonesian that no English text uses: a string that escaped gettext shows one of them.
INDONESIAN_WORDS = re.compile(
    r"\b(?:yang|dan|untuk|dengan|belum|tidak|dari|ke|atau|oleh|pada|ini|Simpan|Tambah|Laporan)\b", re.IGNORECASE
)


def untranslated(text: str) -> list[str]:
    found = {phrase for phrase, pattern in PHRASES if pattern.search(text)}
    found |= {match.group(0) for match in INDONESIAN_WORDS.finditer(text)}
    return sorted(found)


def test_untranslated_text_is_found() -> None:
    page = '<html lang="en"><body><p>Monthly reports</p><button title="Simpan">Save</button></body></html>'
    assert untranslated(visible_text(page, "en")) == ["Simpan"]
    indonesian = '<html lang="en"><body><h1>Laporan bulanan</h1><div lang="id">Realisasi dan pagu</div></body></html>'
    assert untranslated(visible_text(indonesian, "en")) == ["Laporan", "Laporan bulanan"]
    chart = '<html lang="en"><script type="application/json">{"label": "Rata-rata", "values": [1]}</script></html>'
    assert untranslated(visible_text(chart, "en")) == ["Rata-rata"]
    assert untranslated("Target output %(year)s disimpan.".replace("%(year)s", "2026")) == [
        "Target output", "disimpan"
    ]  # fmt: skip


@pytest.fixture
def world(satker, other_satker, officer, other_officer) -> World:
    built = build_world(satker, other_satker, officer, other_officer)
    # A report in the reviewers' queue (submitted and verified by its head), so that their list
    # has a row (the officer's own month stays a draft: its entry pages show the forms).
    head_verifies(report_submit(report=built.other.report, by=other_officer))
    return built


def pages(world: World) -> list[tuple[str, str, int]]:
    """(persona, path, status) of the main pages of every role, and of our error pages."""
    own = world.own
    return [
        ("anonymous", reverse("accounts:login"), 200),
        *(("officer", site_path(name, world), 200) for name in (
            "dashboard:home", "budgets:satker-list", "budgets:satker-year", "budgets:realization-entry",
            "budgets:rpd-entry", "budgets:pagu", "programs:records", "programs:record-edit", "programs:ovop",
            "programs:ovop-edit",
            "programs:targets", "programs:registry-list", "programs:registry-detail", "programs:registry-create",
            "programs:registry-edit", "imports:index", "imports:upload", "imports:detail", "budgets:report-detail",
            "accounts:password-change", "accounts:password-change-done",
        )),
        ("reviewer", reverse("dashboard:home"), 200),
        ("reviewer", reverse("budgets:report-list"), 200),
        ("reviewer", reverse("budgets:report-list") + "?status=", 200),
        ("reviewer", reverse("budgets:report-detail", args=[world.other.report.pk]), 200),
        ("viewer", reverse("dashboard:home"), 200),
        *(("viewer", site_path(name, world), 200) for name in REPORT_PAGES),
        ("viewer", reverse("reports:satkers") + "?below=", 200),
        ("viewer", reverse("reports:provinces") + "?year=abc", 400),
        ("viewer", reverse("imports:index"), 403),
        ("viewer", "/no-such-page/", 404),
        ("admin", site_path("budgets:pagu-revise", world), 200),
        ("admin", reverse("admin:index"), 200),
        ("admin", reverse("admin:budgets_monthlyreport_changelist"), 200),
        ("admin", reverse("admin:budgets_monthlyreport_change", args=[own.report.pk]), 200),
        ("admin", reverse("admin:programs_enterprise_change", args=[own.enterprise.pk]), 200),
        ("admin", reverse("admin:imports_upload_changelist"), 200),
    ]  # fmt: skip


def english_client(user) -> Client:
    client = Client() if user is None else client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_problems(response, values: list[str]) -> list[str]:
    html = response.content.decode()
    assert '<html lang="en"' in html
    return untranslated(without_data(visible_text(html, "en"), values))


@pytest.mark.django_db
def test_english_pages_show_no_indonesian_interface_text(world, officer, reviewer, viewer, admin_user) -> None:
    personas = {"anonymous": None, "officer": officer, "reviewer": reviewer, "viewer": viewer, "admin": admin_user}
    values = data_values()
    problems: dict[str, list[str]] = {}
    for persona, path, status in pages(world):
        response = english_client(personas[persona]).get(path)
        assert response.status_code == status, (persona, path, response.status_code)
        found = english_problems(response, values)
        if found:
            problems[f"{persona} {path}"] = found
    assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())


@pytest.mark.django_db
def test_english_form_errors_and_messages(world, officer, reviewer) -> None:
    """Refusals (ours and Django's own field errors) and the messages after a save."""
    own, year = world.own, world.fiscal_year.year
    line = BudgetLine.objects.get(satker=own.satker)
    entry = site_path("budgets:realization-entry", world)
    client = english_client(officer)
    values = data_values()
    refused = {
        "realization": client.post(entry, {"version": own.report.version, f"line_{line.pk}": "12abc"}),
        "registry": client.post(reverse("programs:registry-create"), {"name": "", "workers_male": "x"}),
        "wub": client.post(reverse("programs:record-add", args=[own.satker.code, year, 1, "wub"]), {"nib": "12"}),
        "return": english_client(reviewer).post(
            reverse("budgets:report-return", args=[world.other.report.pk]), {"comment": ""}
        ),
    }  # fmt: skip
    for name, response in refused.items():
        assert response.status_code == 200, name
        assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode(), name
        assert english_problems(response, values) == [], name
    assert "is not a rupiah amount" in refused["realization"].content.decode()
    assert "This field is required." in refused["registry"].content.decode()
    saved = client.post(entry, {"version": own.report.version, f"line_{line.pk}": "1.000"}, follow=True)
    assert "Realization for January saved." in saved.content.decode()
    assert english_problems(saved, values) == []


@pytest.mark.django_db
def test_indonesian_stays_the_default(world, officer, reviewer, viewer) -> None:
    expected = {
        (None, reverse("accounts:login")): ["Masuk ke Monitoring IKMA", "Kata sandi"],
        (officer, site_path("budgets:realization-entry", world)): ["Simpan dan ajukan", "Realisasi bulan ini"],
        (officer, site_path("programs:records", world)): ["Catatan program", "Wirausaha baru (WUB)"],
        (reviewer, reverse("budgets:report-list")): ["Laporan bulanan", "Diajukan"],
        (viewer, site_path("reports:provinces", world)): ["Peringkat realisasi provinsi", "Pagu efektif"],
    }
    for (user, path), labels in expected.items():
        for cookie in (None, "id"):
            client = Client() if user is None else client_for(user)
            if cookie:
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
            response = client.get(path)
            html = response.content.decode()
            assert response.status_code == 200 and '<html lang="id"' in html, path
            for label in labels:
                assert label in html, (path, label)


# --- Exports ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_english_xlsx_export_has_english_title_and_headers(world, viewer) -> None:
    year = world.fiscal_year.year
    path = reverse("reports:provinces")
    sheets = {}
    for language in ("en", "id"):
        client = client_for(viewer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(path, {"year": year, "format": "xlsx"})
        assert response.status_code == 200
        sheets[language] = load_workbook(io.BytesIO(response.content)).active
    english, indonesian = sheets["en"], sheets["id"]
    assert english.title == "Province realization ranking"
    assert english["A1"].value.startswith(f"Province realization ranking · Year {year}")
    header = [cell.value for cell in english[3]]
    assert header == ["Rank", "BPS code", "Province", "Pagu", "Blocked funds", "Effective pagu", "RPD", "Realization",
                      "Realization (%)", "Top five", "Below the weighted average", "Months approved",
                      "Months due"]  # fmt: skip
    assert [cell.value for cell in indonesian[3]][:3] == ["Peringkat", "Kode BPS", "Provinsi"]
    assert indonesian.title == "Peringkat realisasi provinsi"


@pytest.mark.django_db
def test_csv_export_keeps_the_contract_keys_in_every_language(world, viewer) -> None:
    """CSV and JSON name their columns by CONTRACT keys (``rank``, ``top_five``...), which
    programs read: they do not follow the language; only XLSX carries the labels."""
    headers = {}
    for language in ("en", "id"):
        client = client_for(viewer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("reports:provinces"), {"year": world.fiscal_year.year, "format": "csv"})
        assert response.status_code == 200
        headers[language] = response.content.decode().splitlines()[0]
    assert headers["en"] == headers["id"]
    assert headers["en"].startswith("rank,province,province_name,pagu,")


@pytest.mark.django_db
def test_english_list_exports_have_english_headers(world, officer) -> None:
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    registry = client.get(reverse("programs:registry-list"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(registry.streaming_content)))
    sheet = book.worksheets[0]
    assert sheet.title == "IKM registry"
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "NIB")
    assert "Business name" in header and "Regency/city" in header and "Size class" in header
    satkers = client.get(reverse("budgets:satker-list"), {"format": "xlsx"})
    text = "\n".join(
        str(value)
        for row in load_workbook(io.BytesIO(b"".join(satkers.streaming_content))).active.iter_rows(values_only=True)
        for value in row if value
    )  # fmt: skip
    assert "Satker name" in text and untranslated(without_data(text, data_values())) == []
