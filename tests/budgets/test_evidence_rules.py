"""Evidence rules (budgets.EvidenceRule) and completeness (budgets/evidence_rules.py), and
/reports/evidence/ (CONTRACT): rules per kind of record and condition, the number a rule may
require, removed evidence not counting, figures against plain counts computed here from the rows,
the report's JSON keys and figures, an officer's scope, the queue helper, a constant query count."""

from __future__ import annotations

import hashlib
import itertools
import json
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.evidence_rules import evidence_completeness, with_evidence_completeness
from budgets.models import Authority, Evidence, EvidenceRule, MonthlyReport, SatkerAuthority
from budgets.services.realization import report_get_or_create
from programs.models import Facilitation, FacilitationKind, PovertyActivity
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = reverse("reports:evidence")
SERIAL = itertools.count()
KEYS = ["satker", "province", "month", "records", "records_with_evidence", "completeness", "flags_open"]


@pytest.fixture
def year(dipa, satker, other_satker):
    for each in (satker, other_satker):
        SatkerAuthority.objects.get_or_create(satker=each, fiscal_year=dipa.fiscal_year,
                                              defaults={"authority": Authority.DK})  # fmt: skip
    return dipa.fiscal_year


def report(satker, fiscal_year, month: int) -> MonthlyReport:
    return report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=month)[0]


def facilitation(satker, fiscal_year, month: int, kind: str, **extra) -> Facilitation:
    return Facilitation.objects.create(satker=satker, fiscal_year=fiscal_year, month=month,
                                       report=report(satker, fiscal_year, month), kind=kind,
                                       enterprise_name=f"IKM {kind} {month}", **extra)  # fmt: skip


def poverty(satker, fiscal_year, month: int, kind: str, regency) -> PovertyActivity:
    return PovertyActivity.objects.create(satker=satker, fiscal_year=fiscal_year, month=month,
                                          report=report(satker, fiscal_year, month), kind=kind, regency=regency,
                                          beneficiaries=10)  # fmt: skip


def put(target, kind: str, *, number: str = "", user, sha256: str | None = None, removed: bool = False) -> Evidence:
    """Evidence straight into the table (the attach service is test_evidence.py's business)."""
    place_report = getattr(target, "report", None)
    return Evidence.objects.create(
        satker=target.satker, fiscal_year=target.fiscal_year, month=target.month, monthly_report=place_report,
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk, kind=kind, number=number,
        file=f"e{next(SERIAL)}.pdf", content_type="application/pdf", size=100,
        sha256=sha256 or hashlib.sha256(f"{target.pk}-{kind}-{next(SERIAL)}".encode()).hexdigest(),
        uploaded_by=user, removed_at=timezone.now() if removed else None, removed_by=user if removed else None,
    )  # fmt: skip


def test_default_rules_are_seeded_and_the_admin_edits_them(admin_user) -> None:
    active = set(EvidenceRule.objects.filter(active=True).values_list("target", "condition"))
    assert active == {
        ("programs.facilitation", "certified"), ("programs.facilitation", "exhibition"),
        ("programs.facilitation", "restructuring"), ("programs.povertyactivity", "goods_handed"),
    }  # fmt: skip
    certified = EvidenceRule.objects.get(condition="certified")
    assert certified.kinds == ["CERTIFICATE"] and certified.needs_number
    assert EvidenceRule.objects.get(condition="exhibition").kinds == ["REPORT", "ATTENDANCE"]
    client = client_for(admin_user)
    page = client.get(reverse("admin:budgets_evidencerule_add"))
    assert page.status_code == 200 and "programs.facilitation" in page.content.decode()
    response = client.post(reverse("admin:budgets_evidencerule_add"), {
        "target": "programs.newentrepreneur", "condition": "always", "kinds": ["PHOTO"], "active": "on", "note": "x",
    })  # fmt: skip
    assert response.status_code == 302
    rule = EvidenceRule.objects.get(target="programs.newentrepreneur", active=True)
    assert rule.kinds == ["PHOTO"] and rule.history.count() == 1
    assert client.get(reverse("admin:budgets_evidencerule_history", args=[rule.pk])).status_code == 200


def test_a_rule_names_a_condition_of_its_kind_of_record() -> None:
    with pytest.raises(ValidationError) as error:
        EvidenceRule(target="programs.povertyactivity", condition="certified", kinds=["BAST"]).full_clean()
    assert "condition" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        EvidenceRule(target="nowhere.model", kinds=[]).full_clean()
    assert {"target", "kinds"} <= set(error.value.message_dict)
    EvidenceRule(target="budgets.realization", condition="paid", kinds=["SP2D"]).full_clean()


def test_rules_per_kind_of_record_and_the_number(year, satker, officer, regency) -> None:
    sni_ok = facilitation(satker, year, 1, FacilitationKind.SNI)
    put(sni_ok, "CERTIFICATE", number="SNI-1", user=officer)
    sni_no_number = facilitation(satker, year, 1, FacilitationKind.HALAL)
    put(sni_no_number, "CERTIFICATE", user=officer)  # the rule needs its number
    iso_wrong_kind = facilitation(satker, year, 1, FacilitationKind.ISO)
    put(iso_wrong_kind, "PHOTO", number="P-1", user=officer)
    haccp_removed = facilitation(satker, year, 1, FacilitationKind.HACCP)
    put(haccp_removed, "CERTIFICATE", number="H-1", user=officer, removed=True)
    exhibition = facilitation(satker, year, 1, FacilitationKind.EXHIBITION)
    put(exhibition, "ATTENDANCE", user=officer)  # its list of IKM; no number needed
    facilitation(satker, year, 1, FacilitationKind.PRODUCT)  # no rule: not counted
    equipment = poverty(satker, year, 1, PovertyActivity.Kind.EQUIPMENT, regency)
    put(equipment, "BAST", number="BAST/01", user=officer)
    poverty(satker, year, 1, PovertyActivity.Kind.EQUIPMENT, regency)  # goods handed, no BAST
    poverty(satker, year, 1, PovertyActivity.Kind.TRAINING, regency)  # no rule
    entry = evidence_completeness(years=[year.year])[(satker.pk, year.year, 1)]
    assert (entry.records, entry.records_with_evidence) == (7, 3)
    assert str(entry.completeness) == "42.86"

    # Two rules on one record: it meets both or it does not count; an inactive rule is no rule.
    EvidenceRule.objects.create(target="programs.facilitation", condition="always", kinds=["PHOTO"])
    entry = evidence_completeness(years=[year.year])[(satker.pk, year.year, 1)]
    assert (entry.records, entry.records_with_evidence) == (8, 1)  # the product one now; only ISO has a photo
    EvidenceRule.objects.filter(condition="always").update(active=False)
    EvidenceRule.objects.filter(condition="goods_handed").update(active=False)
    entry = evidence_completeness(years=[year.year])[(satker.pk, year.year, 1)]
    assert (entry.records, entry.records_with_evidence) == (5, 2)


def test_no_record_subject_no_percentage(year, satker, officer) -> None:
    facilitation(satker, year, 1, FacilitationKind.PRODUCT)
    assert evidence_completeness(years=[year.year]) == {}
    client = client_for(officer)
    data = json.loads(client.get(URL, {"year": year.year, "month": 1, "format": "json"}).content)
    assert data["rows"] == [] and data["totals"]["completeness"] is None


def _world(year, satker, other_satker, officer, other_officer, regency, other_regency, seed: int, size: int):
    """Random records over three months of both provinces with random evidence, and one file
    attached in both provinces."""
    rng = random.Random(seed)  # noqa: S311 - test data
    kinds = [FacilitationKind.SNI, FacilitationKind.EXHIBITION, FacilitationKind.PRODUCT, FacilitationKind.HKI]
    for each, user, place in ((satker, officer, regency), (other_satker, other_officer, other_regency)):
        for _ in range(size):
            month = rng.randint(1, 3)
            if rng.random() < 0.7:
                record = facilitation(each, year, month, rng.choice(kinds))
                evidence_kind = rng.choice(["CERTIFICATE", "CERTIFICATE", "REPORT", "PHOTO"])
            else:
                record = poverty(each, year, month, rng.choice(list(PovertyActivity.Kind)), place)
                evidence_kind = rng.choice(["BAST", "BAST", "PHOTO"])
            for _ in range(rng.choice([0, 1, 1, 2])):
                put(record, evidence_kind, number=rng.choice(["", "N-1"]), user=user, removed=rng.random() < 0.1)
    twin = "f" * 64
    put(Facilitation.objects.filter(satker=satker).first(), "PHOTO", user=officer, sha256=twin)
    put(Facilitation.objects.filter(satker=other_satker).first(), "PHOTO", user=other_officer, sha256=twin)


def plain_counts(year) -> dict[tuple[str, int], tuple[int, int, int]]:
    """(satker code, month) -> (records, with evidence, flags), by reading every row in Python."""
    rules = list(EvidenceRule.objects.filter(active=True))
    live = [e for e in Evidence.objects.select_related("satker") if e.removed_at is None]
    conditions = {
        ("programs.facilitation", "certified"): lambda r: r.kind in {"SNI", "ISO", "HACCP", "HALAL", "HKI"},
        ("programs.facilitation", "exhibition"): lambda r: r.kind == "PAMERAN",
        ("programs.facilitation", "restructuring"): lambda r: r.kind == "RESTRUKTURISASI",
        ("programs.povertyactivity", "goods_handed"): lambda r: r.kind == "PERALATAN",
    }
    counts: dict[tuple[str, int], list[int]] = {}
    for model in (Facilitation, PovertyActivity):
        label = model._meta.label_lower
        for record in model.objects.select_related("satker"):
            applying = [rule for rule in rules if rule.target == label and conditions[(label, rule.condition)](record)]
            if not applying:
                continue
            mine = [e for e in live if e.target_type.model_class() is model and e.target_id == record.pk]
            ok = all(any(e.kind in rule.kinds and (e.number or not rule.needs_number) for e in mine)
                     for rule in applying)  # fmt: skip
            entry = counts.setdefault((record.satker.code, record.month), [0, 0, 0])
            entry[0] += 1
            entry[1] += ok
    for e in live:
        if any(o.sha256 == e.sha256 and o.satker.province_id != e.satker.province_id for o in live):
            counts.setdefault((e.satker.code, e.month), [0, 0, 0])[2] += 1
    return {key: tuple(value) for key, value in counts.items()}


@pytest.fixture
def world(year, satker, other_satker, officer, other_officer, regency, other_regency):
    _world(year, satker, other_satker, officer, other_officer, regency, other_regency, seed=7, size=30)
    return year


def test_report_json_against_plain_counts(world, reviewer) -> None:
    response = client_for(reviewer).get(URL, {"year": world.year, "month": 3, "format": "json"})
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert data["report"] == "evidence" and all(key in data["columns"] for key in KEYS)
    expected = plain_counts(world)
    got = {(row["satker"], row["month"]): (row["records"], row["records_with_evidence"], row["flags_open"])
           for row in data["rows"]}  # fmt: skip
    assert got == expected
    assert sum(flags for _r, _w, flags in got.values()) == 2  # the twin file, once in each province
    for row in data["rows"]:
        assert row["province"] in {"17", "11"}
        if row["records"]:
            assert row["completeness"] == round(row["records_with_evidence"] * 100 / row["records"], 2)
        else:
            assert row["completeness"] is None
    totals = data["totals"]
    assert totals["records"] == sum(v[0] for v in expected.values())
    assert totals["records_with_evidence"] == sum(v[1] for v in expected.values())
    # Up to January only: January's rows alone.
    january = json.loads(client_for(reviewer).get(URL, {"year": world.year, "month": 1, "format": "json"}).content)
    assert {row["month"] for row in january["rows"]} == {1}
    for fmt in ("html", "csv", "xlsx"):
        assert client_for(reviewer).get(URL, {"year": world.year, "month": 3, "format": fmt}).status_code == 200


def test_an_officer_sees_their_province_only(world, officer) -> None:
    client = client_for(officer)
    data = json.loads(client.get(URL, {"year": world.year, "month": 3, "format": "json"}).content)
    assert data["rows"] and {row["province"] for row in data["rows"]} == {"17"}
    assert client.get(URL, {"year": world.year, "province": "11", "format": "json"}).status_code == 404


def test_queue_helper_gives_each_report_its_percentage(world, satker) -> None:
    expected = plain_counts(world)
    reports = list(MonthlyReport.objects.filter(satker=satker).select_related("fiscal_year", "satker"))
    with CaptureQueriesContext(connection) as queries:
        with_evidence_completeness(reports)
    assert len(queries) <= 5
    for each in reports:
        records, met, flags = expected.get((satker.code, each.month), (0, 0, 0))
        assert each.evidence_flags == flags
        assert each.evidence_completeness == (round(met * 100 / records, 2) if records else None)


def test_query_count_is_constant(year, satker, other_satker, officer, other_officer, regency, other_regency,
                                 reviewer) -> None:  # fmt: skip
    client = client_for(reviewer)
    params = {"year": year.year, "month": 3, "format": "json"}
    _world(year, satker, other_satker, officer, other_officer, regency, other_regency, seed=1, size=5)
    client.get(URL, params)  # warm the content types
    with CaptureQueriesContext(connection) as small:
        client.get(URL, params)
    _world(year, satker, other_satker, officer, other_officer, regency, other_regency, seed=2, size=40)
    with CaptureQueriesContext(connection) as large:
        client.get(URL, params)
    assert len(small) == len(large)


def test_open_quality_flags_count_in_flags_open(world, reviewer, satker) -> None:
    """An open data-quality flag of a satker-month counts; an explained one does not."""
    from django.utils import timezone

    from budgets.models import MonthlyReport, QualityFlag

    report, _ = MonthlyReport.objects.get_or_create(satker=satker, fiscal_year=world, month=2,
                                                    defaults={"due_date": f"{world.year}-03-07"})  # fmt: skip
    QualityFlag.objects.create(report=report, code="MONTH_SPIKE", target_key="satker", target_label="x", reason="x")
    QualityFlag.objects.create(report=report, code="CERTIFIED_NO_NUMBER", target_key="f:1", target_label="y",
                               reason="y", status=QualityFlag.Status.EXPLAINED, decided_by=reviewer,
                               decided_at=timezone.now(), note="Benar.")  # fmt: skip
    rows = json.loads(client_for(reviewer).get(URL, {"year": world.year, "month": 3, "format": "json"}).content)["rows"]
    got = next(row["flags_open"] for row in rows if row["satker"] == satker.code and row["month"] == 2)
    expected = plain_counts(world).get((satker.code, 2), (0, 0, 0))[2] + 1
    assert got == expected
