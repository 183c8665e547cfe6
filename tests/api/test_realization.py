"""PUT /api/v1/realization/<satker>/<year>/<month>/: through realization_set, as the token's
account with its system as the reason; the entry grid's rules refuse what they refuse there, and
a refusal changes nothing."""

from __future__ import annotations

import json

import pytest

from budgets.models import MonthlyReport, Realization
from tests.api.conftest import api_client, issue

pytestmark = pytest.mark.django_db


def url(satker: str, year: int, month: int = 1) -> str:
    return f"/api/v1/realization/{satker}/{year}/{month}/"


def push(user, path: str, lines: list[dict], **extra) -> tuple[int, dict]:
    response = api_client(issue(user, name="SAKTI Bengkulu")).put(
        path, {"lines": lines, **extra}, content_type="application/json"
    )
    return response.status_code, json.loads(response.content)


def line(account: str, amount: int, component: str = "051") -> dict:
    return {"kode_komponen": component, "kode_akun": account, "realisasi": amount}


def stored() -> dict[str, int]:
    return {r.line.account.code: r.amount for r in Realization.objects.select_related("line__account")}


def test_a_push_is_stored_by_the_service_with_history(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    status, body = push(officer, url("170019", year), [line("521211", 5_000_000), line("524111", 2_000_000)])
    assert status == 200, body
    assert body == {
        "satker": "170019", "year": year, "month": 1, "total": 7_000_000,
        "lines": [line("521211", 5_000_000), line("524111", 2_000_000)],
        "report": {"status": "DRAFT", "version": body["report"]["version"]},
    }  # fmt: skip
    history = Realization.history.get(line=dipa.ovop)
    assert history.history_user == officer and history.history_change_reason.startswith("API: SAKTI Bengkulu (")
    # A second push changes one line; the other keeps its amount; the version moves on.
    version = body["report"]["version"]
    status, body = push(officer, url("170019", year), [line("521211", 6_000_000)], version=version)
    assert status == 200 and body["total"] == 8_000_000 and body["report"]["version"] > version
    assert stored() == {"521211": 6_000_000, "524111": 2_000_000}


def test_the_admin_writes_every_province(admin_user, dipa) -> None:
    status, _body = push(admin_user, url("110019", dipa.fiscal_year.year), [line("521211", 1_000)])
    assert status == 200 and stored() == {"521211": 1_000}


@pytest.mark.parametrize(
    ("lines", "key", "words"),
    [
        ([line("521211", 90_000_001)], "051.521211", "melebihi pagu efektif"),
        ([line("521211", -1)], "051.521211", "tidak boleh negatif"),
        ([line("999999", 1)], "051.999999", "tidak ada di DIPA"),
        ([line("521211", 1), line("521211", 2)], "051.521211", "lebih dari sekali"),
        ([line("524111", 1_000), line("521211", 100_000_000)], "051.521211", "melebihi pagu efektif"),
    ],
)
def test_a_refused_line_is_400_and_nothing_is_stored(lines, key, words, officer, dipa) -> None:
    status, body = push(officer, url("170019", dipa.fiscal_year.year), lines)
    assert status == 400 and words in " ".join(body["errors"][key]), body
    assert not Realization.objects.exists() and not MonthlyReport.objects.exists()


def test_a_locked_month_or_a_stale_version_is_409(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    status, body = push(officer, url("170019", year), [line("521211", 1_000)], version=5)
    assert status == 409 and "sudah diubah orang lain" in body["errors"]["__all__"][0]
    MonthlyReport.objects.create(satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, month=2,
                                 due_date=f"{year}-03-06", status="APPROVED")  # fmt: skip
    status, body = push(officer, url("170019", year, 2), [line("521211", 1_000)])
    assert status == 409 and "terkunci" in body["errors"]["__all__"][0]
    assert not Realization.objects.exists()


def test_a_month_not_started_is_409(officer, dipa, today) -> None:
    if today.month == 12:
        pytest.skip("December: every month of the year has started")
    status, body = push(officer, url("170019", dipa.fiscal_year.year, 12), [line("521211", 1_000)])
    assert status == 409 and "belum berjalan" in body["errors"]["__all__"][0]


@pytest.mark.parametrize(("persona", "expected"), [("other_officer", 404), ("viewer", 403), ("reviewer", 403),
                                                     ("head", 403)])  # fmt: skip
def test_out_of_scope_is_404_and_a_read_only_token_403(persona, expected, request, dipa) -> None:
    user = request.getfixturevalue(persona)
    status, body = push(user, url("170019", dipa.fiscal_year.year), [line("521211", 1_000)])
    assert status == expected and body["error"]
    assert not Realization.objects.exists() and not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("170019/{year}/13/", {"lines": [line("521211", 1)]}),
        ("999999/{year}/1/", {"lines": [line("521211", 1)]}),
        ("170019/1990/1/", {"lines": [line("521211", 1)]}),
        ("170019/{year}/1/", {"lines": []}),
        ("170019/{year}/1/", {"lines": [{"kode_akun": "521211"}]}),
        ("170019/{year}/1/", {"lines": [line("521211", 10**16)]}),
        ("170019/{year}/1/", "not json"),
    ],
)
def test_malformed_requests_are_4xx(path, payload, officer, dipa) -> None:
    client = api_client(issue(officer))
    response = client.put("/api/v1/realization/" + path.format(year=dipa.fiscal_year.year), payload,
                          content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 404)
    assert "error" in json.loads(response.content)
    assert not Realization.objects.exists()


def test_other_methods_are_refused(officer, dipa) -> None:
    client = api_client(issue(officer))
    assert client.get(url("170019", dipa.fiscal_year.year)).status_code == 405
    assert client.post(url("170019", dipa.fiscal_year.year), {}, content_type="application/json").status_code == 405
