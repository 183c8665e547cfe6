"""The reviewer's cockpit (issue 23): the queue's figures against plainly computed values, sorting
by every column, the clean marker and filter, the default order, approve-and-next, the batch
decision (confirmation, one transition per report, refusals with their reason, scoping) and a
constant number of queries for the page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from budgets.cockpit import figures, with_cockpit_figures
from budgets.models import (
    Evidence,
    EvidenceRule,
    FiscalYear,
    LineComment,
    MonthlyReport,
    OutputAchievement,
    QualityFlag,
    Realization,
    ReportTransition,
    RpdPlan,
)
from budgets.output_rules import weighted_progress
from core.reporting.spec import percent
from tests.conftest import client_for
from tests.factories import SatkerFactory
from tests.ro_world import dipa_ros
from tests.writes import add_realization

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status
D = Decimal
LIST = reverse("budgets:report-list")
QUEUE = {"status": "AWAITING_DIRECTORATE"}


@pytest.fixture(autouse=True)
def _no_seeded_evidence_rules(db) -> None:
    # Each test says which evidence rules apply (the seeded defaults would judge every record).
    EvidenceRule.objects.update(active=False)


def make(satker, fiscal_year, month: int, status: str = Status.VERIFIED, amounts=(), minutes: int = 0):
    report = MonthlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, month=month, status=status,
        due_date=date(fiscal_year.year, month, 10) + timedelta(days=31),
        submitted_at=timezone.now() - timedelta(days=30) + timedelta(minutes=minutes),
    )  # fmt: skip
    for line, amount in amounts:
        add_realization(report=report, line=line, amount=amount)
    return report


@pytest.fixture
def world(dipa, satker, other_satker, reviewer):
    """Bengkulu: January approved (10 jt), February verified (25 jt against an RPD of 20 jt, RO
    rows, one open comment thread); Aceh: February verified (8 jt) with an open flag."""
    year = dipa.fiscal_year
    ros = dipa_ros(dipa)
    january = make(satker, year, 1, Status.APPROVED, [(dipa.ovop, 10_000_000)])
    february = make(satker, year, 2, amounts=[(dipa.ovop, 20_000_000), (dipa.machine, 5_000_000)], minutes=1)
    aceh = make(other_satker, year, 2, amounts=[(dipa.other_line, 8_000_000)], minutes=2)
    RpdPlan.objects.create(satker=satker, fiscal_year=year, month=2, spending_type=dipa.goods, amount=10_000_000)
    RpdPlan.objects.create(satker=satker, fiscal_year=year, month=2, spending_type=dipa.capital, amount=10_000_000)
    RpdPlan.objects.create(satker=satker, fiscal_year=year, month=1, spending_type=dipa.goods, amount=5_000_000)
    OutputAchievement.objects.create(report=february, output=ros["wub"], volume=D(3), physical_progress=D(40))
    OutputAchievement.objects.create(report=february, output=ros["centres"], volume=D(1), physical_progress=D(10))
    thread = LineComment.objects.create(report=february, line=dipa.ovop, author=reviewer, body="SP2D?")
    LineComment.objects.create(report=february, line=dipa.ovop, author=reviewer, body="Ya", thread=thread)
    LineComment.objects.create(report=february, line=dipa.travel, author=reviewer, body="Selesai",
                               resolved_at=timezone.now(), resolved_by=reviewer)  # fmt: skip
    QualityFlag.objects.create(report=aceh, code="MONTH_SPIKE", target_key="satker", target_label="Satker",
                               reason="Lonjakan")  # fmt: skip
    return {"january": january, "february": february, "aceh": aceh, "ros": ros, "dipa": dipa}


def rows(response) -> list[MonthlyReport]:
    return [row.record for row in response.context["table"].page.object_list]


def test_figures_against_plain_computation(world, reviewer) -> None:
    dipa = world["dipa"]
    response = client_for(reviewer).get(LIST)
    by_pk = {report.pk: report for report in rows(response)}
    assert set(by_pk) == {world["february"].pk, world["aceh"].pk}
    february = by_pk[world["february"].pk]
    pagu_efektif = sum(line.pagu - line.blokir for line in (dipa.ovop, dipa.travel, dipa.machine))
    assert (february.realized_total, february.cumulative, february.pagu_efektif) == (25_000_000, 35_000_000,
                                                                                      pagu_efektif)  # fmt: skip
    shown = figures(february)
    assert shown.absorption == percent(35_000_000, pagu_efektif) == D("20.59")
    assert shown.deviation == D("25.00")  # |25 - 20| / 20
    assert february.change == 15_000_000 and shown.change_percent == D("150.00")
    ro_pagu = {"wub": dipa.ovop.pagu + dipa.travel.pagu, "centres": dipa.machine.pagu}
    assert shown.ro_progress == weighted_progress([(ro_pagu["wub"], D(40)), (ro_pagu["centres"], D(10)), (0, None)])
    assert shown.ro_progress == D("35.00")
    assert (february.open_flags, february.open_threads, february.is_clean) == (0, 1, True)
    assert shown.evidence is None
    aceh = by_pk[world["aceh"].pk]
    assert (aceh.cumulative, aceh.change, aceh.open_flags, aceh.is_clean) == (8_000_000, 8_000_000, 1, False)
    # Aceh spent 8.000.000 without any RPD: the whole realization deviates (issue 24: the one
    # formula, ikpa.rules.type_deviation, scores spending without a plan as 100 %, not as nothing).
    assert figures(aceh).deviation == D(100) and figures(aceh).ro_progress is None
    page = response.content.decode()
    assert "Rp25.000.000" in page and "20,59 %" in page and "+Rp15.000.000 (+150,00 %)" in page
    assert f"/monthly-reports/{february.pk}/?next=%2Fmonthly-reports%2F#komentar" in page
    assert page.count('name="reports"') == 1  # only the clean report may be picked


def test_evidence_completeness_is_annotated_and_decides_clean(world, reviewer, officer) -> None:
    EvidenceRule.objects.create(target="budgets.realization", condition="paid", kinds=["SP2D"], needs_number=True)
    february = world["february"]
    paid = list(Realization.objects.filter(report=february))
    evidence = Evidence.objects.create(
        satker=february.satker, fiscal_year=february.fiscal_year, month=2, monthly_report=february,
        target_type=ContentType.objects.get_for_model(Realization), target_id=paid[0].pk, kind="SP2D", number="1",
        file="sp2d.pdf", content_type="application/pdf", size=10, sha256="a" * 64, uploaded_by=officer,
    )  # fmt: skip
    report = with_cockpit_figures(MonthlyReport.objects.filter(pk=february.pk)).get()
    assert (report.evidence_records, report.evidence_met, report.is_clean) == (2, 1, False)
    assert figures(report).evidence == D("50.00")
    Evidence.objects.create(**{**{f.name: getattr(evidence, f.name) for f in Evidence._meta.concrete_fields
                                  if f.name not in {"id", "target_id", "sha256"}},
                               "target_id": paid[1].pk, "sha256": "b" * 64})  # fmt: skip
    report = with_cockpit_figures(MonthlyReport.objects.filter(pk=february.pk)).get()
    assert figures(report).evidence == D("100.00") and report.is_clean


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("realized_total", lambda r: r.realized_total),
        ("cumulative", lambda r: r.cumulative),
        ("absorption", lambda r: figures(r).absorption),
        ("deviation", lambda r: figures(r).deviation),
        ("change", lambda r: r.change),
        ("ro_progress", lambda r: figures(r).ro_progress),
        ("evidence_completeness", lambda r: figures(r).evidence),
        ("open_flags", lambda r: r.open_flags),
        ("open_threads", lambda r: r.open_threads),
    ],
)
def test_every_column_sorts(world, reviewer, column, key) -> None:
    dipa = world["dipa"]
    third = SatkerFactory(code="190019", province=world["february"].satker.province)
    make(third, dipa.fiscal_year, 3, amounts=[], minutes=3)
    client = client_for(reviewer)
    for sort, reverse_order in ((column, False), (f"-{column}", True)):
        values = [key(report) for report in rows(client.get(LIST, {**QUEUE, "sort": sort}))]
        assert len(values) == 3
        known = [value for value in values if value is not None]
        assert known == sorted(known, reverse=reverse_order), (sort, values)


def test_clean_marker_and_filter(world, reviewer) -> None:
    client = client_for(reviewer)
    page = client.get(LIST).content.decode()
    assert page.count('badge text-bg-success">Bersih') == 1
    only_clean = rows(client.get(LIST, {**QUEUE, "clean": "on"}))
    assert [report.pk for report in only_clean] == [world["february"].pk]
    assert len(rows(client.get(LIST, {**QUEUE}))) == 2


def test_default_order_puts_old_years_last(world, reviewer, satker) -> None:
    year = world["dipa"].fiscal_year.year
    old = make(satker, FiscalYear.objects.create(year=2023), 12, minutes=-99999)
    closed_last_year = FiscalYear.objects.create(year=year - 1, is_closed=True)
    closed = make(satker, closed_last_year, 11, minutes=-9999)
    last_december = make(SatkerFactory(code="180019"), closed_last_year, 12, minutes=5)
    FiscalYear.objects.filter(pk=closed_last_year.pk).update(is_closed=False)
    order = [report.pk for report in rows(client_for(reviewer).get(LIST))]
    # Previous year's December first (the oldest open period), then this year's February by
    # submission; the leftovers of old years at the end, newest first.
    assert order == [closed.pk, last_december.pk, world["february"].pk, world["aceh"].pk, old.pk]
    FiscalYear.objects.filter(pk=closed_last_year.pk).update(is_closed=True)
    order = [report.pk for report in rows(client_for(reviewer).get(LIST))]
    assert order == [world["february"].pk, world["aceh"].pk, last_december.pk, closed.pk, old.pk]


def test_approve_and_next_goes_to_the_next_report_of_the_same_queue(world, reviewer, satker) -> None:
    later = make(satker, world["dipa"].fiscal_year, 3, minutes=10)
    client = client_for(reviewer)
    queue = f"{LIST}?status=AWAITING_DIRECTORATE&sort=-realized_total"
    order = [report.pk for report in rows(client.get(queue))]
    assert order == [world["february"].pk, world["aceh"].pk, later.pk]
    page = client.get(reverse("budgets:report-detail", args=[world["february"].pk]), {"next": queue})
    assert "Setujui dan buka berikutnya" in page.content.decode()
    assert f'name="next" value="{queue.replace("&", "&amp;")}"' in page.content.decode()
    response = client.post(reverse("budgets:report-approve", args=[world["february"].pk]),
                           {"note": "", "and_next": "1", "next": queue})  # fmt: skip
    assert response.status_code == 302
    assert response.url.startswith(reverse("budgets:report-detail", args=[world["aceh"].pk]) + "?next=")
    world["february"].refresh_from_db()
    assert world["february"].status == Status.APPROVED
    # The last one of the queue: back to the queue with a message.
    for pk in (world["aceh"].pk,):
        client.post(reverse("budgets:report-approve", args=[pk]), {"and_next": "1", "next": queue})
    response = client.post(reverse("budgets:report-approve", args=[later.pk]),
                           {"and_next": "1", "next": queue}, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == queue
    assert "Tidak ada laporan lain di antrean ini." in response.content.decode()


def test_approve_and_next_refuses_a_foreign_next(world, reviewer, satker) -> None:
    make(satker, world["dipa"].fiscal_year, 3, minutes=10)
    client = client_for(reviewer)
    for foreign in ("https://evil.example/monthly-reports/", "//evil.example/monthly-reports/", "/admin/"):
        report = MonthlyReport.objects.filter(status=Status.VERIFIED).order_by("pk").first()
        response = client.post(reverse("budgets:report-approve", args=[report.pk]),
                               {"and_next": "1", "next": foreign})  # fmt: skip
        assert response.status_code == 302
        assert "evil" not in response.url and "admin" not in response.url
        assert response.url.startswith("/monthly-reports/")
    pending = make(satker, world["dipa"].fiscal_year, 4, minutes=11)
    page = client.get(reverse("budgets:report-detail", args=[pending.pk]), {"next": "https://evil.example/"}).content
    # The page's own links and its decision form's next: the default queue, never the foreign URL
    # (the language switcher's return path is the page's own address, quoted).
    assert 'href="https://evil' not in page.decode() and 'value="https://evil' not in page.decode()
    assert f'name="next" value="{LIST}"' in page.decode()


def test_head_verifies_and_opens_the_next(world, head, satker) -> None:
    year = world["dipa"].fiscal_year
    first = make(satker, year, 4, Status.SUBMITTED, minutes=20)
    second = make(satker, year, 5, Status.SUBMITTED, minutes=21)
    client = client_for(head)
    page = client.get(reverse("budgets:report-detail", args=[first.pk])).content.decode()
    assert "Verifikasi dan buka berikutnya" in page
    response = client.post(reverse("budgets:report-verify", args=[first.pk]), {"and_next": "1", "next": LIST})
    assert response.url.startswith(reverse("budgets:report-detail", args=[second.pk]))
    first.refresh_from_db()
    assert first.status == Status.VERIFIED


def test_batch_approve_needs_confirmation_and_decides_each_report(world, reviewer, satker, other_satker) -> None:
    year = world["dipa"].fiscal_year
    clean_one = make(other_satker, year, 3, minutes=30)
    awaiting_head = make(satker, year, 6, Status.SUBMITTED, minutes=31)
    client = client_for(reviewer)
    picked = [world["february"].pk, clean_one.pk, world["aceh"].pk, awaiting_head.pk]
    url = reverse("budgets:report-batch")
    confirm = client.post(url, {"reports": picked, "next": LIST})
    assert confirm.status_code == 200
    assert "Putuskan 4 laporan" in confirm.content.decode()
    assert not ReportTransition.objects.exists()  # nothing decided before the confirmation
    response = client.post(url, {"reports": picked, "next": LIST, "confirm": "1"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == LIST
    for report in (world["february"], clean_one):
        report.refresh_from_db()
        assert report.status == Status.APPROVED
        assert list(report.transitions.values_list("to_status", "by")) == [(Status.APPROVED, reviewer.pk)]
    world["aceh"].refresh_from_db()
    awaiting_head.refresh_from_db()
    assert (world["aceh"].status, awaiting_head.status) == (Status.VERIFIED, Status.SUBMITTED)
    assert "2 laporan diputuskan" in page
    assert "110019 Februari" in page and "belum bersih" in page
    assert "Hanya Kepala Dinas provinsi ini" in page


def test_batch_refuses_a_report_changed_meanwhile_and_its_duty_conflict(world, reviewer, other_satker) -> None:
    year = world["dipa"].fiscal_year
    clean_one = make(other_satker, year, 3, minutes=30)
    ReportTransition.objects.create(report=clean_one, from_status=Status.DRAFT, to_status=Status.SUBMITTED,
                                    by=reviewer)  # fmt: skip  # the reviewer submitted it: a conflict of duty
    MonthlyReport.objects.filter(pk=world["february"].pk).update(status=Status.RETURNED)  # changed meanwhile
    response = client_for(reviewer).post(reverse("budgets:report-batch"), {
        "reports": [world["february"].pk, clean_one.pk], "confirm": "1"}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "170019 Februari" in page and "Dikembalikan" in page
    clean_one.refresh_from_db()
    assert clean_one.status == Status.VERIFIED


def test_batch_of_the_head_ignores_another_province(world, head, officer, satker, other_satker) -> None:
    year = world["dipa"].fiscal_year
    own = make(satker, year, 6, Status.SUBMITTED, minutes=40)
    foreign = make(other_satker, year, 6, Status.SUBMITTED, minutes=41)
    # Who decides nothing sees no batch form, and may not post a batch at all.
    listing = client_for(officer).get(LIST).content.decode()
    assert 'id="batch-form"' not in listing and 'name="reports"' not in listing
    refused = client_for(officer).post(reverse("budgets:report-batch"), {"reports": [own.pk], "confirm": "1"})
    assert refused.status_code == 403
    client = client_for(head)
    confirm = client.post(reverse("budgets:report-batch"), {"reports": [own.pk, foreign.pk]})
    assert "110019" not in confirm.content.decode() and "1 laporan tidak ditemukan" in confirm.content.decode()
    response = client.post(reverse("budgets:report-batch"), {"reports": [own.pk, foreign.pk], "confirm": "1"},
                           follow=True)  # fmt: skip
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.status, foreign.status) == (Status.VERIFIED, Status.SUBMITTED)
    assert "1 laporan tidak ditemukan atau di luar wilayah Anda." in response.content.decode()
    # Nothing picked, or garbage: back to the queue with a message, no error.
    response = client.post(reverse("budgets:report-batch"), {"reports": ["x", ""]}, follow=True)
    assert response.status_code == 200 and "Pilih dahulu laporan bersih" in response.content.decode()


def test_queue_costs_the_same_for_5_and_25_reports(dipa, reviewer, django_assert_max_num_queries) -> None:
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            report = make(SatkerFactory(code=f"{700000 + index}"), dipa.fiscal_year, 1, minutes=index)
            LineComment.objects.create(report=report, author=reviewer, body="?", line=dipa.ovop)

    client = client_for(reviewer)
    EvidenceRule.objects.create(target="budgets.realization", condition="paid", kinds=["SP2D"])
    add(5, 0)
    with django_assert_max_num_queries(30) as small:
        assert len(rows(client.get(LIST))) == 5
    add(20, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(rows(client.get(LIST))) == 25


def test_review_page_sets_rpd_against_realization(world, reviewer) -> None:
    response = client_for(reviewer).get(reverse("budgets:report-detail", args=[world["february"].pk]))
    by_type = {row["spending_type"].code: row for row in response.context["rpd_rows"]}
    goods, capital = by_type["52"], by_type["53"]
    # Goods: February's RPD 10 jt, realized 20 jt; to date RPD 15 jt, realized 10 + 20 jt.
    assert (goods["rpd"], goods["realisasi"], goods["deviasi"]) == (10_000_000, 20_000_000, D("100.00"))
    assert (goods["rpd_kumulatif"], goods["realisasi_kumulatif"], goods["deviasi_kumulatif"]) == (
        15_000_000, 30_000_000, D("100.00"))  # fmt: skip
    assert (capital["rpd"], capital["realisasi"], capital["deviasi"]) == (10_000_000, 5_000_000, D("50.00"))
    assert (capital["rpd_kumulatif"], capital["realisasi_kumulatif"]) == (10_000_000, 5_000_000)
    assert "RPD dan realisasi per jenis belanja" in response.content.decode()


def test_review_page_shows_the_months_ikpa_deviation(world, reviewer, dipa) -> None:
    """Issue 24: the month's page III deviation the treasury's way under the year's rules (from
    2024 weighted by effective pagu; no IkpaYearRule row: the regulation of the year), with the
    linear curve (5, 100)-(105, 0). Effective pagu: goods 90 + 50 = 140 jt, capital 30 jt.
    February: goods 100 %, capital 50 % -> (100 x 140 + 50 x 30) / 170 = 15500 / 170 = 91.18 %;
    score 100 - (91.18 - 5) = 13.82."""
    from budgets.models import IkpaDeviationPoint

    IkpaDeviationPoint.objects.create(fiscal_year=dipa.fiscal_year, deviation=D(105), score=D(0))
    response = client_for(reviewer).get(reverse("budgets:report-detail", args=[world["february"].pk]))
    assert response.context["rpd_ikpa"] == {"deviation": D("91.18"), "score": D("13.82"), "weighted": True}
    page = response.content.decode()
    assert "Deviasi bulan ini (IKPA, tertimbang pagu jenis belanja)" in page and "13,82" in page
