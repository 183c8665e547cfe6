"""Hostile query strings on every report and list: year=abc, month=99, province=<script>,
below=-1e999, page=999999999, NUL, 10.000 characters, invalid percent-encodings, repeated and
unknown parameters, every format. The answer is the page, a 400 that names the problem or a 404,
never a server error, and none of the typed markup comes back unescaped (HTML, JSON or CSV)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from budgets.services import realization_set, report_submit
from tests.fuzz.strategies import IMG, SCRIPT, hostile
from tests.fuzz.support import assert_handled, assert_no_raw_markup, body
from tests.programs.registry.support import make_enterprise

pytestmark = pytest.mark.django_db

REPORT_PARAMS = ["year", "month", "province", "component", "authority", "basis", "below", "format", "sort"]
# (url name, args from the fixtures, the parameters it reads)
ENDPOINTS = {
    **{
        name: (f"reports:{name}", None, REPORT_PARAMS)
        for name in ("realization", "provinces", "satkers", "monthly", "submissions", "outputs", "ikm", "ovop")
    },
    "monthly-reports": ("budgets:report-list", None, ["province", "year", "month", "status", "page", "sort", "format"]),
    "satkers": ("budgets:satker-list", None, ["q", "province", "is_central", "page", "sort", "format"]),
    "registry": ("programs:registry-list", None, ["q", "province", "regency", "kbli", "size_class", "data_year",
                                                  "after", "before", "format", "sort"]),
    "dashboard": ("dashboard:home", None, ["year", "authority"]),
    "narrative": ("dashboard:narrative", None, ["year", "lang"]),
    "satker-year": ("budgets:satker-year", "satker-year", ["format"]),
    "records": ("programs:records", "satker-year-month", ["format"]),
    "ovop": ("programs:ovop", "satker-year", ["format"]),
    "targets": ("programs:targets", "satker-year", ["format"]),
    "imports": ("imports:index", None, ["page"]),
    "import-template": ("imports:template", "kind", ["satker"]),
    "quarterly": ("reports:quarterly", None, ["year", "quarter", "province", "authority", "format", "sort"]),
    "evidence": ("reports:evidence", None, ["year", "month", "province", "authority", "format", "sort"]),
    "ikpa": ("reports:ikpa", None, ["year", "month", "province", "authority", "basis", "format", "sort"]),
    "satker-ikpa": ("budgets:satker-ikpa", "satker-year", ["format"]),
    "obstacles": ("budgets:obstacles", None, ["category", "province", "status", "year", "page", "sort"]),
}  # fmt: skip

# Plausible values of each parameter, to be mixed with the hostile ones (so that the other
# parameters' hostile values are what the page has to answer).
PLAUSIBLE = {
    "year": ["2026", "2022", "1999", "abc", "-1", "99999999999999999999", "2026.0", "2026,5"],
    "month": ["3", "12", "0", "13", "99", "-1", "1e2"],
    "province": ["17", "11", "99", "017", SCRIPT],
    "component": ["051", "999"],
    "authority": ["DK", "KP", "TP", "dk", "XX"],
    "basis": ["approved", "submitted", "all"],
    "below": ["91.20", "91,20", "", "-1e999", "1e999", "NaN", "-0", "100.001", "1e-999"],
    "format": ["html", "json", "csv", "xlsx", "pdf", "JSON", ""],
    "sort": ["satker", "-persen", "nonexistent", "-" * 50],
    "page": ["1", "2", "999999999", "0", "-1", "last", "1e9", "9" * 30],
    "status": ["SUBMITTED", "APPROVED", "x"],
    "q": ["batik", "1700000000001", "%", "_", "'", "\\"],
    "regency": ["1", "0", "-1", "999999999999999999999"],
    "kbli": ["10", "10792", "1", "abcde"],
    "size_class": ["KECIL", "x"],
    "data_year": ["2024", "1999", "2101", "abc"],
    "after": ["WyJiYXRpayIsMV0", "AAAA", "!!!", "W10", "WyJhIiwgMWUxMDBd"],
    "before": ["WyJiYXRpayIsMV0", "%%%", "eyJhIjoxfQ"],
    "lang": ["id", "en", "fr"],
    "is_central": ["true", "false", "unknown", "2"],
    "satker": ["170019", "110019", "999999", ""],
    "quarter": ["1", "4", "year-end", "5", "0", "YEAR-END"],
    "category": ["BLOKIR", "OTHER", "x"],
}
# Percent-encodings that do not decode to UTF-8, NUL and friends, written into the raw query.
RAW = ["%ff%fe", "%00", "%C0%AF", "%E2%80%AE", "%", "%zz", "%2500", "%0d%0aSet-Cookie:x=1", "+%2B+", "%u0041"]


def query(names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """Known parameters with plausible or hostile values (sometimes repeated) and unknown ones."""
    value = st.one_of(st.sampled_from([v for values in PLAUSIBLE.values() for v in values]), hostile())
    known = st.dictionaries(st.sampled_from(names), st.lists(value, min_size=1, max_size=2), max_size=len(names))
    unknown = st.dictionaries(hostile(), st.lists(hostile(), min_size=1, max_size=1), max_size=1)
    own = st.fixed_dictionaries({}, optional={name: st.lists(st.sampled_from(PLAUSIBLE.get(name, [""])), min_size=1,
                                                             max_size=1) for name in names})  # fmt: skip
    return st.builds(lambda a, b, c: {**a, **b, **c}, own, known, st.one_of(st.just({}), st.just({}), unknown))


@pytest.fixture
def data(officer, satker, dipa, regency) -> None:
    """Something for the pages to show: a submitted January and an enterprise in the registry."""
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                             amounts={dipa.ovop.pk: 1_000_000}, expected_version=0, by=officer)  # fmt: skip
    report_submit(report=report, by=officer)
    make_enterprise(regency, "Batik Besurek Rafflesia", nib="1700000000001", satker=satker)


def url_of(name: str, satker, year: int) -> str:
    url_name, args, _params = ENDPOINTS[name]
    arguments = {
        None: [],
        "satker-year": [satker.code, year],
        "satker-year-month": [satker.code, year, 1],
        "kind": ["realisasi"],
    }[args]
    return reverse(url_name, args=arguments)


def check(response) -> None:
    assert_handled(response, (200, 400, 404))
    event(f"{response.status_code} {response.get('Content-Type', '').split(';')[0]}")
    if response.status_code == 400 and "json" in response.get("Content-Type", ""):
        assert b"error" in body(response)


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@given(params=st.data(), raw=st.lists(st.sampled_from(RAW), max_size=2), directorate=st.booleans())
def test_hostile_query_strings_are_answered(
    endpoint, data, satker, dipa, as_officer, as_reviewer, as_admin, params, raw, directorate
) -> None:
    """As the officer (one province) or a directorate role: the reviewer, or the admin for the
    imports, which reviewers do not use."""
    if directorate:
        client = as_admin if endpoint.startswith("import") else as_reviewer
    else:
        client = as_officer
    names = ENDPOINTS[endpoint][2]
    values = params.draw(query(names))
    encoded = urlencode([(key, v) for key, vs in values.items() for v in vs])
    extra = "&".join(f"{names[i % len(names)]}={fragment}" for i, fragment in enumerate(raw))
    url = url_of(endpoint, satker, dipa.fiscal_year.year) + "?" + "&".join(part for part in (encoded, extra) if part)
    check(client.get(url))


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("reports:realization", {"province": IMG + SCRIPT, "format": "json"}),
        ("reports:ikm", {"authority": IMG + SCRIPT, "format": "json"}),
        ("programs:registry-list", {"regency": IMG + SCRIPT, "format": "json"}),
        ("budgets:report-list", {"month": IMG + SCRIPT, "format": "xlsx"}),
    ],
)
def test_json_errors_echo_the_typed_value_escaped(as_reviewer, dipa, url_name, params) -> None:
    """A 400 in JSON names the wrong value; its markup is written as \\u003c... escapes."""
    response = as_reviewer.get(reverse(url_name), params)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert_no_raw_markup(response)
    assert b"\\u003cscript\\u003e" in response.content
    assert SCRIPT in json.dumps(json.loads(response.content), ensure_ascii=False)


@pytest.mark.parametrize("typed", ["a\x07b", "\x1b[31m", SCRIPT, "\u202etxt", "=1+1"])
def test_typed_filters_in_an_export_title(as_reviewer, satker, typed) -> None:
    """The satker list's export names its filters (the search text as typed) in its title row;
    a control character there made openpyxl raise."""
    response = as_reviewer.get(reverse("budgets:satker-list"), {"q": typed, "format": "xlsx"})
    assert_handled(response, (200,))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


PATHS = ["budgets:satker-year", "budgets:realization-entry", "budgets:rpd-entry", "budgets:rpd-planner", "budgets:pagu",
         "programs:records",
         "programs:ovop", "programs:targets", "programs:record-edit", "programs:ovop-edit", "budgets:report-detail",
         "programs:registry-detail"]  # fmt: skip


@given(
    url_name=st.sampled_from(PATHS),
    code=st.one_of(st.sampled_from(["170019", "110019", "\x00", "17001\x00", "1" * 7]), hostile()),
    number=st.one_of(st.sampled_from([0, 1, 12, 13, 2026, 2**31, 2**63, 10**30, 10**400]), st.integers(0, 10**50)),
)
def test_hostile_path_segments_are_a_404_or_the_page(data, dipa, as_officer, url_name, code, number) -> None:
    """Satker codes, years, months and ids in the path as anyone can type them: NUL, 10.000
    characters, numbers past every integer column."""
    pattern = reverse(url_name, args=_path_args(url_name, "CODE", 424242)).replace("424242", "{number}")
    url = pattern.replace("CODE", quote(code, safe="")).format(number=number)
    response = as_officer.get(url)
    assert_handled(response, (200, 400, 404))


def _path_args(url_name: str, code: str, number: int) -> list:
    return {
        "budgets:satker-year": [code, number], "budgets:realization-entry": [code, number, number],
        "budgets:rpd-entry": [code, number], "budgets:rpd-planner": [code, number], "budgets:pagu": [code, number],
        "programs:records": [code, number, number],
        "programs:ovop": [code, number], "programs:targets": [code, number],
        "programs:record-edit": [code, number, number, "wub", number], "programs:ovop-edit": [code, number, number],
        "budgets:report-detail": [number], "programs:registry-detail": [number],
    }[url_name]  # fmt: skip
