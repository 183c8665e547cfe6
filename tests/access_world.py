"""A small world for the access matrix: two provinces (Bengkulu 17, the officer's; Aceh 11, the
other officer's), each with a satker that has a DIPA, a month's report with realization, one
programme record of every kind, an enterprise, a sentra coached in the year, an OVOP candidate, output targets and
an upload. Every object URL of the site can then be filled in with an object of Bengkulu, which
is the officer's own and another province's for the other officer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from budgets.models import (
    Account,
    BudgetComponent,
    BudgetLine,
    FiscalYear,
    LineComment,
    MonthlyReport,
    QualityFlag,
    QuarterlyReport,
    SanctionProposal,
    SatkerAuthority,
    SpendingType,
)
from budgets.quarterly_rules import quarter_due_date
from budgets.services.evidence import evidence_attach
from budgets.services.realization import report_get_or_create
from core.inbox import notify
from imports.models import Upload
from programs.models import (
    Facilitation,
    FacilitationKind,
    NewEntrepreneur,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    PovertyActivity,
    Sentra,
)
from tests.evidence_support import png_bytes
from tests.evidence_support import upload as evidence_upload
from tests.factories import RegencyFactory, UserFactory
from tests.programs.registry.support import make_enterprise
from tests.writes import add_realization


@dataclass
class ProvinceObjects:
    """One province's objects, by the URL keyword they fill in."""

    satker: Any
    report: MonthlyReport
    enterprise: Any
    records: dict[str, Any]  # record kind (URL slug) -> record
    centre: Sentra
    candidate: OvopCandidate
    upload: Upload
    sanction: Any = None  # a sanction proposal for the satker (by a directorate reviewer)
    notification: Any = None  # a notification in the officer's inbox
    quarterly: Any = None  # the satker's year-end report of the year (a draft), for its documents
    flag: Any = None  # an open data-quality flag of the month's report
    thread: Any = None  # a comment thread on the report's line (issue 22)
    evidence: Any = None  # a photo attached to the month's WUB record (its original name carries the secret)


@dataclass
class World:
    fiscal_year: FiscalYear
    own: ProvinceObjects  # Bengkulu: the officer's province
    other: ProvinceObjects  # Aceh


def build_world(satker, other_satker, officer, other_officer) -> World:
    fiscal_year = FiscalYear.objects.create(year=timezone.localdate().year)
    goods = SpendingType.objects.create(code="52", name="Belanja Barang", name_en="Goods")
    component = BudgetComponent.objects.create(code="051", name="Pembinaan OVOP", name_en="OVOP")
    account = Account.objects.create(code="521211", name="Belanja Bahan", spending_type=goods)
    return World(
        fiscal_year,
        _province_objects(satker, officer, fiscal_year, component, account),
        _province_objects(other_satker, other_officer, fiscal_year, component, account),
    )


def secret_of(province) -> str:
    """A word that only this province's own objects carry: a page showing it to an officer of
    another province leaks that province's detail."""
    return f"RAHASIA{province.bps_code}"


def _province_objects(satker, officer, fiscal_year, component, account) -> ProvinceObjects:
    secret = secret_of(satker.province)
    SatkerAuthority.objects.create(satker=satker, fiscal_year=fiscal_year, authority="DK")
    line = BudgetLine.objects.create(
        satker=satker, fiscal_year=fiscal_year, component=component, account=account, pagu=100_000_000
    )
    report, _created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=1)
    add_realization(report=report, line=line, amount=10_000_000)
    regency = RegencyFactory(province=satker.province)
    enterprise = make_enterprise(regency, f"IKM {secret}")
    common = {"satker": satker, "fiscal_year": fiscal_year, "month": 1, "report": report}
    records = {
        "wub": NewEntrepreneur.objects.create(
            **common, name=f"Siti {secret}", regency=regency, business_type="Keripik"
        ),
        "poverty": PovertyActivity.objects.create(
            **common, regency=regency, kind="PELATIHAN", beneficiaries=25, description=f"Pelatihan {secret}"
        ),
        "facilitation": Facilitation.objects.create(
            **common, kind=FacilitationKind.values[0], enterprise_name=f"UD {secret}", value=1_000_000
        ),
    }
    centre = Sentra.objects.create(
        satker=satker, name=f"Sentra {secret}", regency=regency, village="Desa", commodity_group="TENUN", unit_count=8
    )
    OvopCoaching.objects.create(sentra=centre, year=fiscal_year.year, stars=3)
    cycle = OvopCycle.objects.get_or_create(year=fiscal_year.year, defaults={"name": "OVOP"})[0]
    candidate = OvopCandidate.objects.create(cycle=cycle, enterprise=enterprise, product=f"Produk {secret}",
                                             group="PANGAN", regency=regency, satker=satker)  # fmt: skip
    upload = Upload.objects.create(
        kind="realisasi", original_name=f"realisasi-{secret}.xlsx", uploaded_by=officer, province=satker.province,
        status=Upload.Status.REJECTED, stored_name=f"{secret}.xlsx",
        errors=[[2, "realisasi", f"Baris {secret} salah"]], error_count=1,
    )  # fmt: skip
    (Path(settings.IMPORT_UPLOAD_DIR) / upload.stored_name).write_bytes(b"PK stored upload")
    proposer = UserFactory(username=f"proposer-{satker.province.bps_code}", role="REVIEWER")
    sanction = SanctionProposal.objects.create(
        satker=satker, fiscal_year=fiscal_year, kind=SanctionProposal.Kind.POSTPONE_NEXT_QUARTER,
        note=f"Alasan {secret}", proposed_by=proposer,
    )  # fmt: skip
    # A thread on the report's line, opened by a directorate reviewer (none of the personas).
    thread = LineComment.objects.create(report=report, line=line, author=proposer, body=f"Komentar {secret}")
    (notification,) = notify([officer], f"Laporan {secret}", "", f"/monthly-reports/{report.pk}/")
    quarterly = QuarterlyReport.objects.create(
        satker=satker, fiscal_year=fiscal_year, kind=QuarterlyReport.Kind.YEAR_END, period=4,
        due_date=quarter_due_date(fiscal_year.year, 4), narrative=f"Uraian {secret}",
    )  # fmt: skip
    flag = QualityFlag.objects.create(report=report, code="CERTIFIED_NO_NUMBER", target_key=f"flag:{secret}",
                                      target_label=f"UD {secret}", reason=f"Tanpa nomor {secret}")  # fmt: skip
    evidence = evidence_attach(
        target=records["wub"], kind="PHOTO", number=f"Foto {secret}", by=officer,
        file=evidence_upload(f"foto-{secret}.png", png_bytes(color=f"#{satker.province.bps_code:0>6}")),
    )  # fmt: skip
    return ProvinceObjects(satker, report, enterprise, records, centre, candidate, upload, sanction, notification,
                           quarterly, flag, thread, evidence)  # fmt: skip
