"""The monthly report's official documents (issue 21): the PDF (WeasyPrint) read back with pypdf
and the XLSX with openpyxl carry the report page's figures in thousands of rupiah, the
letterhead, the head's signature (or DRAF), and the report page's gate; a document never makes
the server fetch a URL."""

from __future__ import annotations

import io
import re
import socket
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Delegation
from budgets.documents.common import head_title, kop_lines
from budgets.models import MonthlyReport, Realization
from core.formats import format_thousands, rupiah_thousands
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.ro_world import dipa_ros

Status = MonthlyReport.Status


FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")


def _pdf_ready() -> str:
    """Why the PDFs cannot be printed here ("" when they can): pango and a font (Makefile)."""
    try:
        import weasyprint  # noqa: F401 (loads pango)
    except OSError as missing:
        return f"WeasyPrint cannot load pango: {missing}"
    fonts = next((font for folder in FONT_FOLDERS if folder.is_dir() for font in folder.rglob("*.[ot]tf")), None)
    return "" if fonts else "no font installed (make test installs fonts-dejavu-core)"


needs_pdf = pytest.mark.skipif(bool(_pdf_ready()), reason=_pdf_ready() or "ready")


def make_report(satker, dipa, month: int, amounts: dict) -> MonthlyReport:
    report = MonthlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=month,
                                          due_date=date(dipa.fiscal_year.year, month, 10))  # fmt: skip
    for line, amount in amounts.items():
        Realization.objects.create(report=report, line=line, amount=amount)
    return report


@pytest.fixture
def february(satker, dipa) -> MonthlyReport:
    """January 1.234.567 + 2.500.000, February 10.000.499: cumulative 13.735.066 of 170.000.000."""
    make_report(satker, dipa, 1, {dipa.ovop: 1_234_567, dipa.travel: 2_500_000})
    return make_report(satker, dipa, 2, {dipa.ovop: 10_000_499})


@pytest.fixture
def head(province):
    return UserFactory(username="head-17", role="HEAD", province=province, first_name="Rahmat",
                       last_name="Hidayat", nip="197001012000031001")  # fmt: skip


def verify(report: MonthlyReport, signer, delegation: Delegation | None = None) -> None:
    MonthlyReport.objects.filter(pk=report.pk).update(
        status=Status.VERIFIED, submitted_at=timezone.now(), verified_by=signer, verified_under=delegation,
        verified_at=timezone.make_aware(datetime(report.fiscal_year.year, 3, 5, 9, 30)),
    )  # fmt: skip


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@needs_pdf
def test_pdf_carries_the_satker_the_month_and_the_page_totals_in_thousands(officer, february) -> None:
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[february.pk]))
    response = client.get(reverse("budgets:report-pdf", args=[february.pk]))
    assert (
        response["Content-Disposition"]
        == f'inline; filename="laporan-bulanan-170019-{february.fiscal_year.year}-02.pdf"'
    )
    text = one_line(pdf_text(response))
    assert "PEMERINTAH PROVINSI BENGKULU" in text
    assert "DINAS PERINDUSTRIAN PROVINSI BENGKULU" in text
    assert "170019 Dinas Perindustrian Provinsi Bengkulu" in text
    assert f"Februari {february.fiscal_year.year}" in text
    assert "ribuan rupiah" in text
    # The "Jumlah" row: the page's totals, added in rupiah, printed in thousands.
    totals = [page.context[key] for key in ("total_pagu_efektif", "total_this_month", "total_cumulative")]
    assert totals == [170_000_000, 10_000_499, 13_735_066]
    printed = " ".join(format_thousands(total) for total in totals)
    assert f"Jumlah 180.000 {printed} 8,08" in text  # pagu 180.000, then the page's three totals
    assert printed == "170.000 10.000 13.735"
    # Unsigned: said so, and watermarked.
    assert "Belum diverifikasi Kepala Dinas" in text
    assert "DRAF" in text
    assert "NIP" not in text


@needs_pdf
def test_documents_are_in_indonesian_whatever_the_interface_language(officer, february, settings) -> None:
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = one_line(pdf_text(client.get(reverse("budgets:report-pdf", args=[february.pk]))))
    assert f"Bulan : Februari {february.fiscal_year.year}" in text and "Status : Draf" in text
    assert "February" not in text


@needs_pdf
def test_pdf_of_a_verified_report_is_signed_by_the_head(officer, head, february) -> None:
    verify(february, head)
    text = one_line(pdf_text(client_for(officer).get(reverse("budgets:report-pdf", args=[february.pk]))))
    assert f"Bengkulu, 5 Maret {february.fiscal_year.year}" in text
    assert "Kepala Dinas" in text and "Plh." not in text
    assert "Rahmat Hidayat" in text
    assert "NIP 197001012000031001" in text
    assert "DRAF" not in text and "Belum diverifikasi" not in text


@needs_pdf
@pytest.mark.parametrize(("kind", "prefix"), [(Delegation.Kind.PLH, "Plh."), (Delegation.Kind.PLT, "Plt.")])
def test_pdf_signed_by_an_acting_head_says_plh_or_plt(officer, head, province, february, kind, prefix) -> None:
    acting = UserFactory(username="sekretaris-17", role="OFFICER", province=province, first_name="Siti",
                         last_name="Aminah", nip="198002022005012002")  # fmt: skip
    year = february.fiscal_year.year
    delegation = Delegation.objects.create(head=head, acting=acting, kind=kind, starts_on=date(year, 3, 1),
                                           ends_on=date(year, 3, 31), decree="800/123/Disperin/2026")  # fmt: skip
    verify(february, acting, delegation)
    text = one_line(pdf_text(client_for(officer).get(reverse("budgets:report-pdf", args=[february.pk]))))
    assert f"{prefix} Kepala Dinas" in text
    assert "Siti Aminah" in text and "NIP 198002022005012002" in text
    assert "Rahmat Hidayat" not in text


@needs_pdf
def test_a_returned_report_is_no_longer_signed(officer, head, february) -> None:
    verify(february, head)
    MonthlyReport.objects.filter(pk=february.pk).update(status=Status.RETURNED)
    text = one_line(pdf_text(client_for(officer).get(reverse("budgets:report-pdf", args=[february.pk]))))
    assert "Belum diverifikasi Kepala Dinas" in text and "DRAF" in text


@needs_pdf
def test_pdf_shows_form_a_per_ro_with_its_money(officer, satker, dipa) -> None:
    ros = dipa_ros(dipa)
    report = make_report(satker, dipa, 1, {dipa.ovop: 1_234_567, dipa.machine: 3_000_000})
    text = one_line(pdf_text(client_for(officer).get(reverse("budgets:report-pdf", args=[report.pk]))))
    assert "Form A" in text
    wub = ros["wub"]
    assert wub.full_code in text and "Wirausaha baru IKM yang ditumbuhkan" in text and "orang" in text
    # The WUB RO: lines ovop (90.000.000 effective) and travel (50.000.000): 140.000, realized 1.235.
    assert "140.000 1.235 0,88" in text
    assert "Baris pagu tanpa RO" not in text


def test_xlsx_has_the_same_figures_as_numbers(officer, february) -> None:
    response = client_for(officer).get(reverse("budgets:report-xlsx", args=[february.pk]))
    assert response.status_code == 200
    assert f'filename="laporan-bulanan-170019-{february.fiscal_year.year}-02.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "PEMERINTAH PROVINSI BENGKULU"
    totals = [row for row in rows if row[0] == "Jumlah"]
    assert len(totals) == 2
    money = totals[0][2:6]  # pagu, pagu efektif, this month, cumulative: in thousands, exact
    assert [Decimal(str(value)) * 1000 for value in money] == [180_000_000, 170_000_000, 10_000_499, 13_735_066]
    assert all(isinstance(value, int | float | Decimal) for value in money)
    total_row = next(row for row in sheet.iter_rows() if row[0].value == "Jumlah")
    assert total_row[5].number_format == "#,##0"
    assert "Belum diverifikasi Kepala Dinas" in [row[0] for row in rows]


def test_another_provinces_officer_gets_404_and_anonymous_signs_in(other_officer, anonymous, february) -> None:
    for name in ("budgets:report-pdf", "budgets:report-xlsx"):
        url = reverse(name, args=[february.pk])
        assert client_for(other_officer).get(url).status_code == 404
        response = anonymous.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["budgets:report-pdf", "budgets:report-xlsx"])
def test_queries_are_bounded_whatever_the_rows(officer, satker, dipa, name, django_assert_max_num_queries) -> None:
    dipa_ros(dipa)
    report = make_report(satker, dipa, 1, {dipa.ovop: 1_000, dipa.travel: 2_000, dipa.machine: 3_000})
    make_report(satker, dipa, 2, {dipa.ovop: 4_000})
    client = client_for(officer)
    if name == "budgets:report-pdf" and _pdf_ready():
        pytest.skip(_pdf_ready())
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name, args=[report.pk]))
    assert response.status_code == 200


@needs_pdf
def test_a_document_never_fetches_a_url(monkeypatch, tmp_path) -> None:
    from core.documents.pdf import LocalFilesOnly, render_pdf, static_root

    fetcher = LocalFilesOnly(static_root())
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connections.append(address))
    for url in ("http://127.0.0.1:9/x.css", "https://example.org/logo.png", "ftp://example.org/a",
                "file:///etc/passwd", f"{static_root().as_uri()}/../../etc/passwd"):  # fmt: skip
        with pytest.raises(ValueError, match="fetch no URL"):
            fetcher.fetch(url)
    assert fetcher.fetch(f"{static_root().as_uri()}/css/documents.css").read()
    # A template that asks for outside resources still renders, without them and without a connection.
    template = tmp_path / "outside.html"
    template.write_text('{% extends "documents/base.html" %}{% block head %}'
                        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">{% endblock %}'
                        '{% block tables %}<img src="https://example.org/pixel.png">'
                        '<div style="background: url(http://127.0.0.1:9/bg.png)">x</div>{% endblock %}')  # fmt: skip
    from django.template import engines

    html_engine = engines["django"]
    document = _sample_document()
    html = html_engine.from_string(template.read_text()).render({"document": document})
    assert "http://127.0.0.1:9/evil.css" in html
    watcher = LocalFilesOnly(static_root())
    from weasyprint import HTML

    HTML(string=html, base_url=static_root().as_uri() + "/", url_fetcher=watcher).write_pdf()
    assert set(watcher.refused) == {"http://127.0.0.1:9/evil.css", "https://example.org/pixel.png",
                                    "http://127.0.0.1:9/bg.png"}  # fmt: skip
    assert connections == []
    assert render_pdf("documents/base.html", {"document": document}).startswith(b"%PDF")


def _sample_document():
    from core.documents import Document, Signature

    return Document(kop=["PEMERINTAH PROVINSI X"], title="T", facts=[], tables=[],
                    signature=Signature(place="X", signed=False), filename="x")  # fmt: skip


def test_kop_of_a_central_unit_and_the_thousands_rounding(central_satker) -> None:
    assert kop_lines(central_satker)[0] == "KEMENTERIAN PERINDUSTRIAN REPUBLIK INDONESIA"
    assert head_title(None) == "Kepala Dinas"
    assert (rupiah_thousands(1_234_499), rupiah_thousands(1_234_500), format_thousands(180_000_000)) == (
        1_234,
        1_235,
        "180.000",
    )


def test_the_report_pages_buttons_link_the_documents(february) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("budgets/_report_documents.html", {"report": february})
    assert reverse("budgets:report-pdf", args=[february.pk]) in html
    assert reverse("budgets:report-xlsx", args=[february.pk]) in html
    assert "Unduh PDF" in html and "Unduh Excel" in html
