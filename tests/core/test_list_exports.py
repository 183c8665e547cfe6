"""``?format=xlsx`` of the list pages (satkers, monthly reports, a month's programme records, OVOP
centres, output targets): a workbook of exactly the rows the page's filters select (every page of
them), raw values, the page's scope, a 400 for an unknown format, and a constant number of queries."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Authority, FiscalYear, MonthlyReport, Regency, SatkerAuthority
from programs.models import OutputIndicator, OutputTarget, OvopCoaching, Sentra
from programs.records import services
from tests.conftest import client_for
from tests.factories import SatkerFactory

pytestmark = pytest.mark.django_db

SATKERS = reverse("budgets:satker-list")
REPORTS = reverse("budgets:report-list")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response, filename_start: str) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response.streaming  # the temporary file is streamed, not held in memory
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{filename_start}') and disposition.endswith('.xlsx"')
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def header(sheet) -> list:
    return [cell.value for cell in sheet[3]]


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=4, values_only=True))


def column(sheet, label: str) -> list:
    index = header(sheet).index(label)
    return [row[index] for row in rows(sheet)]


def assert_reports_look(sheet) -> None:
    """The reports' look: bold title row, bold header on row 3 frozen under it, a filter on it."""
    assert sheet["A1"].font.bold and sheet["A3"].font.bold
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")


@pytest.fixture
def fiscal_year(db):
    return FiscalYear.objects.get_or_create(year=timezone.localdate().year)[0]


@pytest.fixture
def regency(province):
    return Regency.objects.create(kemendagri_code="17.71", province=province, name="Kota Bengkulu", kind="kota")


@pytest.fixture
def other_regency(other_province):
    return Regency.objects.create(kemendagri_code="11.71", province=other_province, name="Kota Banda Aceh", kind="kota")


def test_unknown_format_is_400_in_indonesian(officer, satker, fiscal_year) -> None:
    client = client_for(officer)
    year = fiscal_year.year
    for url in (
        SATKERS,
        REPORTS,
        reverse("programs:records", args=[satker.code, year, 1]),
        reverse("programs:ovop", args=[satker.code, year]),
        reverse("programs:targets", args=[satker.code, year]),
    ):
        response = client.get(url, {"format": "pdf"})
        assert response.status_code == 400, url
        assert response.json()["error"] == "Format tidak dikenal: pilih html atau xlsx."


def test_anonymous_cannot_export(anonymous, satker, fiscal_year) -> None:
    targets = reverse("programs:targets", args=[satker.code, fiscal_year.year])
    assert anonymous.get(SATKERS, {"format": "xlsx"}).status_code == 302
    assert anonymous.get(targets, {"format": "xlsx"}).status_code == 302


# --- Satkers ---------------------------------------------------------------------------------


@pytest.fixture
def satkers(satker, other_satker, central_satker, fiscal_year):
    """The officer's provincial satker, a Bengkulu regency satker, Aceh's and a central unit."""
    regency_satker = SatkerFactory(province=satker.province, code="170012", name="Dinas Perindag Kota Bengkulu")
    for each in (satker, regency_satker, other_satker, central_satker):
        SatkerAuthority.objects.create(satker=each, fiscal_year=fiscal_year, authority=Authority.TP)
    return regency_satker


def test_officer_exports_only_their_provinces_satkers(officer, satkers) -> None:
    response = client_for(officer).get(SATKERS, {"format": "xlsx"})
    sheet = workbook(response, "satker-").active
    assert_reports_look(sheet)
    assert header(sheet) == ["Kode", "Nama satker", "Provinsi", "Kewenangan"]
    authority = f"{timezone.localdate().year}: Tugas Pembantuan"
    assert rows(sheet) == [
        ("170012", "Dinas Perindag Kota Bengkulu", "Bengkulu", authority),
        ("170019", "Dinas Perindustrian Provinsi Bengkulu", "Bengkulu", authority),
    ]  # no Aceh, no central unit; the code is its text, not the page's link
    assert "Provinsi: 17 Bengkulu" in sheet["A1"].value and sheet["A1"].value.startswith("Satker")


def test_reviewer_exports_every_filtered_satker_not_one_page(reviewer, satkers, other_province) -> None:
    for index in range(60):  # more than the page's 50
        SatkerFactory(province=other_province, code=f"118{index:03d}", name=f"Dinas Aceh {index}")
    client = client_for(reviewer)
    params = {"province": other_province.pk}
    page = client.get(SATKERS, params).context["table"]
    sheet = workbook(client.get(SATKERS, {**params, "format": "xlsx"}), "satker-").active
    codes = column(sheet, "Kode")
    assert len(codes) == 61 and len(page.page.object_list) == 50
    assert codes[:50] == [row.record.code for row in page.page.object_list]  # the page's rows, in its order
    assert "Provinsi: 11 Aceh" in sheet["A1"].value


def test_satker_export_applies_search_sort_and_keeps_codes_as_text(reviewer, satkers) -> None:
    client = client_for(reviewer)
    sheet = workbook(client.get(SATKERS, {"q": "01", "format": "xlsx"}), "satker-").active
    assert column(sheet, "Kode") == ["019101"]  # leading zero kept
    assert "Cari kode atau nama: 01" in sheet["A1"].value
    sheet = workbook(client.get(SATKERS, {"sort": "-code", "format": "xlsx"}), "satker-").active
    assert column(sheet, "Kode") == ["170019", "170012", "110019", "019101"]


def test_typed_text_starting_with_an_equals_sign_stays_text(reviewer, satkers) -> None:
    satkers.name = '=HYPERLINK("http://contoh.test","klik")'
    satkers.save()
    sheet = workbook(client_for(reviewer).get(SATKERS, {"q": "170012", "format": "xlsx"}), "satker-").active
    assert sheet["B4"].value == '=HYPERLINK("http://contoh.test","klik")' and sheet["B4"].data_type == "s"


def test_rows_past_a_sheets_limit_continue_on_a_new_sheet(reviewer, satkers, monkeypatch) -> None:
    from core.exports import table_export

    monkeypatch.setattr(table_export, "XLSX_MAX_ROWS", 5)  # 3 header rows + 2 data rows per sheet
    book = workbook(client_for(reviewer).get(SATKERS, {"format": "xlsx"}), "satker-")
    assert book.sheetnames == ["Satker", "Satker 2"]
    assert [sheet.max_row for sheet in book.worksheets] == [5, 5]
    assert [header(sheet) for sheet in book.worksheets] == [["Kode", "Nama satker", "Provinsi", "Kewenangan"]] * 2


def test_satker_export_with_a_bad_filter_is_400(reviewer, satkers) -> None:
    response = client_for(reviewer).get(SATKERS, {"province": "999999", "format": "xlsx"})
    assert response.status_code == 400 and response.json()["error"] == "Filter tidak valid."


def test_satker_page_links_the_export_with_its_filters(reviewer, satkers, province) -> None:
    page = client_for(reviewer).get(SATKERS, {"province": province.pk, "page": "1"}).content.decode()
    assert "Unduh Excel" in page
    assert f'href="?province={province.pk}&amp;format=xlsx"' in page


def test_satker_export_queries_do_not_grow(reviewer, satkers, other_province, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    with django_assert_max_num_queries(10) as small:
        assert client.get(SATKERS, {"format": "xlsx"}).status_code == 200
    for index in range(40):
        SatkerAuthority.objects.create(
            satker=SatkerFactory(province=other_province, code=f"118{index:03d}"),
            fiscal_year=FiscalYear.objects.get(),
            authority=Authority.DK,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(SATKERS, {"format": "xlsx"})
        sheet = workbook(response, "satker-").active
    assert len(rows(sheet)) == 44


# --- Monthly reports -------------------------------------------------------------------------


def report(satker, fiscal_year, month: int, status: str, **fields) -> MonthlyReport:
    return MonthlyReport.objects.create(satker=satker, fiscal_year=fiscal_year, month=month, status=status,
                                        due_date=datetime.date(fiscal_year.year, month, 10), **fields)  # fmt: skip


@pytest.fixture
def reports(satker, other_satker, fiscal_year):
    submitted_at = timezone.make_aware(datetime.datetime(fiscal_year.year, 1, 8, 14, 30))
    return {
        "bengkulu_jan": report(satker, fiscal_year, 1, MonthlyReport.Status.VERIFIED, submitted_at=submitted_at,
                               submitted_on_time=True),
        "bengkulu_feb": report(satker, fiscal_year, 2, MonthlyReport.Status.DRAFT),
        "aceh_jan": report(other_satker, fiscal_year, 1, MonthlyReport.Status.APPROVED, submitted_at=submitted_at,
                           submitted_on_time=False),
    }  # fmt: skip


def test_officer_exports_their_provinces_reports_with_raw_values(officer, reports, fiscal_year) -> None:
    client = client_for(officer)
    page = [row.record.month for row in client.get(REPORTS).context["table"].page.object_list]
    sheet = workbook(client.get(REPORTS, {"format": "xlsx"}), "laporan-bulanan-").active
    assert_reports_look(sheet)
    labels = ["Satker", "Nama satker", "Provinsi", "Periode", "Status", "Batas waktu", "Diajukan", "Tepat waktu",
              "Realisasi bulan ini", "Realisasi s.d. bulan ini", "% pagu efektif", "Deviasi RPD (%)",
              "Perubahan dari bulan lalu", "Capaian RO (%)", "Kelengkapan bukti", "Tanda mutu terbuka",
              "Komentar terbuka", "Bersih"]  # fmt: skip
    assert header(sheet) == labels
    year = fiscal_year.year
    name = "Dinas Perindustrian Provinsi Bengkulu"
    # The reviewer's cockpit figures (budgets/cockpit.py): no realization, pagu nor RPD here.
    cockpit = (0, 0, None, None, 0, None, None, 0, 0, "Ya")
    january = ("170019", name, "Bengkulu", f"Januari {year}", "Diverifikasi", datetime.datetime(year, 1, 10),
               datetime.datetime(year, 1, 8, 14, 30), True, *cockpit)  # fmt: skip
    february = ("170019", name, "Bengkulu", f"Februari {year}", "Draf", datetime.datetime(year, 2, 10), None, None,
                *cockpit)  # fmt: skip
    by_month = {1: january, 2: february}
    assert rows(sheet) == [by_month[month] for month in page]  # the page's order; no Aceh report
    row = 4 + page.index(1)
    assert sheet[f"F{row}"].number_format == "dd-mm-yyyy" and sheet[f"G{row}"].number_format == "dd-mm-yyyy hh:mm"
    assert "Provinsi: 17 Bengkulu" in sheet["A1"].value


def test_reviewer_export_without_filters_is_the_review_queue(reviewer, reports) -> None:
    client = client_for(reviewer)
    queue = [row.record.satker.code for row in client.get(REPORTS).context["table"].page.object_list]
    sheet = workbook(client.get(REPORTS, {"format": "xlsx"}), "laporan-bulanan-").active
    assert column(sheet, "Satker") == queue == ["170019"]
    assert column(sheet, "Status") == ["Diverifikasi"]
    assert "Status: Menunggu tinjauan direktorat" in sheet["A1"].value


def test_reviewer_export_applies_the_filters(reviewer, reports, other_province, fiscal_year) -> None:
    client = client_for(reviewer)
    sheet = workbook(client.get(REPORTS, {"status": "", "format": "xlsx"}), "laporan-bulanan-").active
    assert sorted(column(sheet, "Satker")) == ["110019", "170019", "170019"]
    params = {"province": other_province.pk, "month": "1", "year": fiscal_year.year, "status": "", "format": "xlsx"}
    sheet = workbook(client.get(REPORTS, params), "laporan-bulanan-").active
    assert rows(sheet)[0][:5] == ("110019", "Dinas Perindustrian Provinsi Aceh", "Aceh", f"Januari {fiscal_year.year}",
                                  "Disetujui")  # fmt: skip
    assert len(rows(sheet)) == 1 and rows(sheet)[0][7] is False
    assert "Provinsi: 11 Aceh" in sheet["A1"].value and "Bulan: Januari" in sheet["A1"].value


def test_report_export_with_a_bad_filter_is_400(reviewer, reports) -> None:
    assert client_for(reviewer).get(REPORTS, {"year": "dua ribu", "format": "xlsx"}).status_code == 400


def test_report_page_links_the_export_and_sorting_keeps_the_queue(reviewer, reports) -> None:
    client = client_for(reviewer)
    page = client.get(REPORTS)
    assert 'href="?format=xlsx"' in page.content.decode() and "Unduh Excel" in page.content.decode()
    sorted_page = client.get(REPORTS, {"sort": "satker"})
    assert [row.record.status for row in sorted_page.context["table"].page.object_list] == [
        MonthlyReport.Status.VERIFIED
    ]


def test_report_export_queries_do_not_grow(reviewer, reports, fiscal_year, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    with django_assert_max_num_queries(10) as small:
        assert client.get(REPORTS, {"status": "", "format": "xlsx"}).status_code == 200
    for index in range(40):
        report(SatkerFactory(code=f"{600000 + index}"), fiscal_year, 1, MonthlyReport.Status.SUBMITTED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        sheet = workbook(client.get(REPORTS, {"status": "", "format": "xlsx"}), "laporan-bulanan-").active
    assert len(rows(sheet)) == 43


# --- A month's programme records -------------------------------------------------------------


def records_url(satker, fiscal_year, month: int = 1) -> str:
    return reverse("programs:records", args=[satker.code, fiscal_year.year, month])


def add_records(satker, fiscal_year, regency, by, count: int = 1) -> None:
    for index in range(count):
        services.new_entrepreneur_create(satker=satker, fiscal_year=fiscal_year, by=by, month=1,
                                         name=f"Siti Aminah {index}", regency=regency, business_type="Keripik pisang",
                                         nib="0012345678901" if index == 0 else "")  # fmt: skip
        services.poverty_activity_create(satker=satker, fiscal_year=fiscal_year, by=by, month=1, regency=regency,
                                         kind="PELATIHAN", beneficiaries=1250, value="1.250.000",
                                         description=f"Pelatihan {index}")  # fmt: skip
        services.facilitation_create(satker=satker, fiscal_year=fiscal_year, by=by, month=1, kind="PAMERAN", nib="",
                                     enterprise_name=f"UD Maju {index}", value="46.900.000")  # fmt: skip


@pytest.fixture
def month_records(officer, other_officer, satker, other_satker, fiscal_year, regency, other_regency):
    add_records(satker, fiscal_year, regency, officer)
    add_records(other_satker, fiscal_year, other_regency, other_officer)


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_month_records_export_one_sheet_per_kind(persona, request, satker, fiscal_year, month_records) -> None:
    response = client_for(request.getfixturevalue(persona)).get(records_url(satker, fiscal_year), {"format": "xlsx"})
    book = workbook(response, f"catatan-program-170019-{fiscal_year.year}-1-")
    assert book.sheetnames == ["Wirausaha baru (WUB)", "Penanganan kemiskinan ekstrem", "Fasilitasi IKM"]
    wub, poverty, facilitation = book.worksheets
    for sheet in book.worksheets:
        assert_reports_look(sheet)
        assert "170019" in sheet["A1"].value and f"Januari {fiscal_year.year}" in sheet["A1"].value
    assert header(wub) == ["Nama", "Kode kabupaten/kota", "Kabupaten/kota", "Jenis usaha", "NIB",
                           "Tanggal memperoleh NIB", "Di registri IKM"]  # fmt: skip
    assert rows(wub) == [("Siti Aminah 0", "17.71", "Kota Bengkulu", "Keripik pisang", "0012345678901", None, False)]
    assert rows(poverty) == [("Pelatihan", "17.71", "Kota Bengkulu", "Pelatihan 0", 1250, 1_250_000)]
    assert poverty["E4"].number_format == "#,##0" and poverty["F4"].number_format == "#,##0"
    assert rows(facilitation)[0][:4] == ("Pameran", "UD Maju 0", None, 46_900_000)


def test_another_provinces_month_records_are_not_exported(officer, other_satker, fiscal_year, month_records) -> None:
    assert client_for(officer).get(records_url(other_satker, fiscal_year), {"format": "xlsx"}).status_code == 404


def test_month_page_links_the_export(officer, satker, fiscal_year) -> None:
    page = client_for(officer).get(records_url(satker, fiscal_year)).content.decode()
    assert f'href="{records_url(satker, fiscal_year)}?format=xlsx"' in page


def test_month_records_export_queries_do_not_grow(
    officer, satker, fiscal_year, regency, django_assert_max_num_queries
) -> None:
    client = client_for(officer)
    add_records(satker, fiscal_year, regency, officer)
    with django_assert_max_num_queries(10) as small:
        assert client.get(records_url(satker, fiscal_year), {"format": "xlsx"}).status_code == 200
    add_records(satker, fiscal_year, regency, officer, count=15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        book = workbook(client.get(records_url(satker, fiscal_year), {"format": "xlsx"}), "catatan-program-")
    assert [len(rows(sheet)) for sheet in book.worksheets] == [16, 16, 16]


# --- Sentra and their OVOP coaching ------------------------------------------------------------------------


def ovop_url(satker, fiscal_year) -> str:
    return reverse("programs:ovop", args=[satker.code, fiscal_year.year])


def add_centres(satker, regency, year: int, count: int = 1) -> None:
    for index in range(count):
        centre = Sentra.objects.create(
            satker=satker, name=f"Sentra Tenun {index:02d}", regency=regency, village="Kebun Tebeng",
            commodity="Tenun ikat", commodity_group="TENUN", unit_count=1200 + index, decree_number=f"{index}/2021",
            decree_date=datetime.date(2021, 3, 4),
        )  # fmt: skip
        OvopCoaching.objects.create(sentra=centre, year=year - 1, stars=2)
        if index == 0:
            OvopCoaching.objects.create(sentra=centre, year=year, stars=4)


@pytest.fixture
def centres(satker, other_satker, regency, other_regency, fiscal_year):
    add_centres(satker, regency, fiscal_year.year)
    add_centres(other_satker, other_regency, fiscal_year.year)


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_ovop_export_lists_the_satkers_centres(persona, request, satker, fiscal_year, centres) -> None:
    response = client_for(request.getfixturevalue(persona)).get(ovop_url(satker, fiscal_year), {"format": "xlsx"})
    sheet = workbook(response, f"sentra-ovop-170019-{fiscal_year.year}-").active
    assert_reports_look(sheet)
    year = fiscal_year.year
    assert header(sheet) == ["Nama sentra", "Kode kabupaten/kota", "Kabupaten/kota", "Desa/kelurahan", "Komoditas",
                             "Kelompok komoditas", "Unit IKM", "Nomor SK", "Tanggal SK", f"Dibina {year}",
                             f"Bintang dilaporkan {year}", "Tahun pembinaan terakhir"]  # fmt: skip
    assert rows(sheet) == [("Sentra Tenun 00", "17.71", "Kota Bengkulu", "Kebun Tebeng", "Tenun ikat", "Kain tenun",
                            1200, "0/2021", datetime.datetime(2021, 3, 4), True, 4, year)]  # fmt: skip
    assert sheet["G4"].number_format == "#,##0"


def test_another_provinces_centres_are_not_exported(officer, other_satker, fiscal_year, centres) -> None:
    assert client_for(officer).get(ovop_url(other_satker, fiscal_year), {"format": "xlsx"}).status_code == 404


def test_ovop_page_links_the_export(officer, satker, fiscal_year) -> None:
    page = client_for(officer).get(ovop_url(satker, fiscal_year)).content.decode()
    assert f'href="{ovop_url(satker, fiscal_year)}?format=xlsx"' in page


def test_ovop_export_queries_do_not_grow(reviewer, satker, fiscal_year, regency, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    add_centres(satker, regency, fiscal_year.year)
    with django_assert_max_num_queries(10) as small:
        assert client.get(ovop_url(satker, fiscal_year), {"format": "xlsx"}).status_code == 200
    Sentra.objects.all().delete()
    add_centres(satker, regency, fiscal_year.year, count=20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        sheet = workbook(client.get(ovop_url(satker, fiscal_year), {"format": "xlsx"}), "sentra-ovop-").active
    year = fiscal_year.year
    assert len(rows(sheet)) == 20 and column(sheet, "Tahun pembinaan terakhir")[1:] == [year - 1] * 19


# --- Output targets --------------------------------------------------------------------------


def targets_url(satker, fiscal_year) -> str:
    return reverse("programs:targets", args=[satker.code, fiscal_year.year])


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_targets_export_lists_every_indicator(persona, request, satker, other_satker, fiscal_year) -> None:
    OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator="wub", target=120)
    OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator="exhibition_value",
                                target=1_500_000_000)  # fmt: skip
    OutputTarget.objects.create(satker=other_satker, fiscal_year=fiscal_year, indicator="sni", target=9)
    response = client_for(request.getfixturevalue(persona)).get(targets_url(satker, fiscal_year), {"format": "xlsx"})
    sheet = workbook(response, f"target-output-170019-{fiscal_year.year}-").active
    assert_reports_look(sheet)
    assert header(sheet) == ["Kode indikator", "Indikator", "Target"]
    targets = {row[0]: row[2] for row in rows(sheet)}
    assert list(targets) == list(OutputIndicator.values)
    assert targets["wub"] == 120 and targets["exhibition_value"] == 1_500_000_000
    assert targets["sni"] is None  # Aceh's target is not this satker's
    assert sheet["C4"].number_format == "#,##0"


def test_another_provinces_targets_are_not_exported(officer, other_satker, fiscal_year) -> None:
    assert client_for(officer).get(targets_url(other_satker, fiscal_year), {"format": "xlsx"}).status_code == 404


def test_targets_page_links_the_export(viewer, satker, fiscal_year) -> None:
    page = client_for(viewer).get(targets_url(satker, fiscal_year)).content.decode()
    assert f'href="{targets_url(satker, fiscal_year)}?format=xlsx"' in page


def test_targets_export_queries_do_not_grow(reviewer, satker, fiscal_year, django_assert_max_num_queries) -> None:
    client = client_for(reviewer)
    OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator="wub", target=120)
    with django_assert_max_num_queries(10) as small:
        assert client.get(targets_url(satker, fiscal_year), {"format": "xlsx"}).status_code == 200
    for indicator in OutputIndicator.values[1:]:
        OutputTarget.objects.create(satker=satker, fiscal_year=fiscal_year, indicator=indicator, target=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        sheet = workbook(client.get(targets_url(satker, fiscal_year), {"format": "xlsx"}), "target-output-").active
    assert None not in column(sheet, "Target")
