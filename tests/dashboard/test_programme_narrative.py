"""The programme paragraph of the narrative summary (dashboard/narrative/programmes.py), in the seed
article's style, on plain figures; and joined to the realization summary on the home page and
in the download. (The 2022 demo figures in words: tests/reports/test_outputs_reports.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from budgets.models import FiscalYear, MonthlyReport, SatkerAuthority
from dashboard.narrative.programmes import ProgrammeFigures, programme_paragraphs
from programs.models import Facilitation, NewEntrepreneur
from programs.records.report import KEYS
from tests.conftest import client_for
from tests.writes import outputs_written

ZERO = dict.fromkeys(KEYS, 0)
DG_2022 = {
    **ZERO, "wub": 13_220, "ovop_centres": 1_574, "product_development": 1_133, "exhibition_ikm": 306,
    "exhibition_value": 46_900_000_000, "i40": 20, "restructuring_ikm": 99, "restructuring_value": 10_860_000_000,
    "sni": 41, "iso": 13, "haccp": 29, "hki": 472, "partnership": 67,
}  # fmt: skip
DK_2022 = {**ZERO, "wub": 4_579, "wub_legal": 2_572}


def figures(**changes: object) -> ProgrammeFigures:
    values = {"year": 2022, "directorate": DG_2022, "authority": "DK", "provincial": DK_2022, "as_of": None}
    return ProgrammeFigures(**{**values, **changes})


def test_indonesian_paragraph_says_what_the_statement_says() -> None:
    text = " ".join(programme_paragraphs(figures(), "id"))
    assert text.startswith(
        "Kinerja kegiatan dekonsentrasi bidang industri telah menumbuhkan 4.579 wirausaha baru (WUB), 2.572 di "
        "antaranya telah memperoleh legalitas usaha, sepanjang 2022."
    )
    assert (
        "Direktorat Jenderal IKMA telah membina 1.574 sentra OVOP dan memfasilitasi pengembangan produk kepada "
        "1.133 pelaku IKM."
    ) in text
    assert (
        "Capaian lainnya meliputi penumbuhan 13.220 wirausaha baru, fasilitasi pameran bagi 306 pelaku IKM dengan "
        "total transaksi mencapai Rp46,9 miliar, dan fasilitasi penerapan teknologi industri 4.0 kepada 20 IKM."
    ) in text
    assert (
        "Sebanyak 99 pelaku IKM telah menerima fasilitas restrukturisasi mesin dan/atau peralatan dengan total "
        "nilai Rp10,86 miliar."
    ) in text
    assert (
        "fasilitasi sertifikasi SNI kepada 41 IKM, sertifikasi ISO kepada 13 IKM, pendaftaran kekayaan intelektual "
        "kepada 472 IKM, HACCP kepada 29 IKM, dan kemitraan kepada 67 IKM."
    ) in text
    assert "halal" not in text and "kemiskinan" not in text  # nothing is said about a zero
    assert text.endswith("Capaian output dihitung dari laporan bulanan yang telah disetujui.")


def test_english_paragraph() -> None:
    text = " ".join(programme_paragraphs(figures(), "en"))
    assert text.startswith(
        "The performance of the deconcentration activity in the field of industry has grown 4,579 new "
        "entrepreneurs (WUB), 2,572 of whom have obtained business legality, throughout 2022."
    )
    assert "fostered 1,574 OVOP centres and facilitated product development for 1,133 IKM actors" in text
    assert "exhibitions for 306 IKM players with total transactions of IDR 46.9 billion" in text
    assert "A total of 99 IKM players received machine and/or equipment restructuring worth IDR 10.86 billion." in text
    assert "HACCP for 29 IKM, and partnerships for 67 IKM." in text
    assert "Rp" not in text and text.endswith("Outputs are counted from approved monthly reports.")


def test_running_year_co_administration_and_beneficiaries() -> None:
    running = figures(
        year=2026, authority="TP", as_of=date(2026, 11, 28),
        directorate={**DG_2022, "halal": 5, "poverty_beneficiaries": 1_250}, provincial={**ZERO, "wub": 12},
    )  # fmt: skip
    text = " ".join(programme_paragraphs(running, "id"))
    assert text.startswith(
        "Kinerja kegiatan tugas pembantuan bidang industri telah menumbuhkan 12 wirausaha baru (WUB), hingga "
        "28 November 2026."
    )
    assert "sertifikasi halal kepada 5 IKM" in text
    assert "Kegiatan penanganan kemiskinan ekstrem menjangkau 1.250 penerima manfaat." in text
    english = " ".join(programme_paragraphs(running, "en"))
    assert "co-administration activity" in english and "as of 28 November 2026" in english
    assert "Extreme poverty handling reached 1,250 beneficiaries." in english


def test_a_year_without_outputs_has_no_paragraph() -> None:
    assert programme_paragraphs(figures(directorate=ZERO, provincial=ZERO), "id") == []
    assert programme_paragraphs(figures(directorate=ZERO, provincial=None, authority=None), "en") == []
    only_central = programme_paragraphs(figures(provincial=ZERO), "id")
    assert not only_central[0].startswith("Kinerja") and "13.220" in only_central[0]


# --- Joined to the realization summary -----------------------------------------------------------------


@pytest.fixture
def year_2022(satker, other_satker, central_satker, regency):
    """2022: three WUB (two with an NIB) in Bengkulu's approved January report, an exhibition
    of the central unit; a draft report with WUB that does not count."""
    fiscal_year = FiscalYear.objects.create(year=2022)
    for unit, authority in ((satker, "DK"), (other_satker, "DK"), (central_satker, "KP")):
        SatkerAuthority.objects.create(satker=unit, fiscal_year=fiscal_year, authority=authority)

    def report(unit, month, status):
        return MonthlyReport.objects.create(satker=unit, fiscal_year=fiscal_year, month=month, status=status,
                                            due_date="2022-12-31")  # fmt: skip

    approved, draft = report(satker, 1, "APPROVED"), report(other_satker, 1, "DRAFT")
    for index, nib in enumerate(["0123456789012", "9120000000001", None]):
        NewEntrepreneur.objects.create(satker=satker, fiscal_year=fiscal_year, month=1, report=approved,
                                       name=f"WUB {index}", regency=regency, business_type="Kue", nib=nib)  # fmt: skip
    NewEntrepreneur.objects.create(satker=other_satker, fiscal_year=fiscal_year, month=1, report=draft,
                                   name="Draf", regency=regency, business_type="Kue")  # fmt: skip
    central = report(central_satker, 2, "APPROVED")
    Facilitation.objects.create(satker=central_satker, fiscal_year=fiscal_year, month=2, report=central,
                                kind="PAMERAN", enterprise_name="IKM Pameran", value=1_500_000_000)  # fmt: skip
    outputs_written([approved, draft, central])
    return fiscal_year


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "other_officer", "reviewer", "viewer", "admin_user"])
def test_download_adds_the_outputs_after_the_realization(request, year_2022, persona) -> None:
    client = client_for(request.getfixturevalue(persona))
    text = client.get(reverse("dashboard:narrative"), {"year": 2022, "lang": "id"}).content.decode()
    assert (
        "Kinerja kegiatan dekonsentrasi bidang industri telah menumbuhkan 3 wirausaha baru (WUB), 2 di antaranya "
        "telah memperoleh legalitas usaha, sepanjang 2022."
    ) in text
    assert "fasilitasi pameran bagi 1 pelaku IKM dengan total transaksi mencapai Rp1,5 miliar" in text
    # The realization summary comes first (this year has no pagu: it says so), then the outputs.
    assert text.startswith("Belum ada pagu Direktorat Jenderal IKMA untuk tahun anggaran 2022.\n\nKinerja")
    english = client.get(reverse("dashboard:narrative"), {"year": 2022, "lang": "en"}).content.decode()
    assert "has grown 3 new entrepreneurs (WUB), 2 of whom have obtained business legality" in english


@pytest.mark.django_db
def test_home_shows_the_paragraph_and_the_directorate_its_output_figures(reviewer, officer, year_2022) -> None:
    response = client_for(reviewer).get(reverse("dashboard:home"), {"year": 2022})
    assert "menumbuhkan 3 wirausaha baru" in " ".join(response.context["narrative"])
    assert response.context["programmes"]["totals"]["wub"] == 3
    page = response.content.decode()
    assert 'data-kpi="wub">3<' in page and 'data-kpi="exhibition_value">transaksi Rp1.500.000.000<' in page
    kp = client_for(reviewer).get(reverse("dashboard:home"), {"year": 2022, "authority": "KP"})
    assert (kp.context["programmes"]["totals"]["wub"], kp.context["programmes"]["totals"]["exhibition_ikm"]) == (0, 1)
    own = client_for(officer).get(reverse("dashboard:home"), {"year": 2022})
    assert "menumbuhkan 3 wirausaha baru" in " ".join(own.context["narrative"])
    assert "programmes" not in own.context  # the officer's home has its own figures


@pytest.mark.django_db
def test_a_year_without_programme_data_keeps_the_realization_summary_only(reviewer, satker) -> None:
    fiscal_year = FiscalYear.objects.create(year=2022)
    SatkerAuthority.objects.create(satker=satker, fiscal_year=fiscal_year, authority="DK")
    text = client_for(reviewer).get(reverse("dashboard:narrative"), {"year": 2022, "lang": "id"}).content.decode()
    assert text == "Belum ada pagu Direktorat Jenderal IKMA untuk tahun anggaran 2022.\n"
