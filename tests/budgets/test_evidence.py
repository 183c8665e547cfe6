"""Evidence (bukti dukung): attach, download, remove, through the services and the pages: a
refused file leaves nothing behind, images lose their EXIF, the SHA-256 is kept and a file
attached in two provinces is flagged, every URL goes through the scoping gate, evidence is
locked with its report and its history is kept."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from budgets.evidence_selectors import duplicate_map, duplicates_elsewhere, evidence_for
from budgets.evidence_targets import place_of
from budgets.models import Evidence, MonthlyReport, Obstacle, QuarterlyReport
from budgets.quarterly_rules import quarter_due_date
from budgets.services.evidence import display_name, evidence_attach, evidence_remove
from budgets.services.realization import report_get_or_create
from programs.models import NewEntrepreneur, OvopCoaching, Sentra
from tests.conftest import client_for
from tests.evidence_support import PLAIN_PDF, jpeg_bytes, png_bytes, upload
from tests.writes import add_realization

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(dipa, satker, other_satker):
    """January of the running year for both provinces, each with one realization row."""
    report, _ = report_get_or_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1)
    other, _ = report_get_or_create(satker=other_satker, fiscal_year=dipa.fiscal_year, month=1)
    return {
        "report": report,
        "row": add_realization(report=report, line=dipa.ovop, amount=5_000_000),
        "other_report": other,
        "other_row": add_realization(report=other, line=dipa.other_line, amount=1_000_000),
    }


def stored_files() -> list[Path]:
    return [path for path in Path(storages["evidence"].location).rglob("*") if path.is_file()]


def ref(target) -> str:
    return f"{target._meta.label_lower}:{target.pk}"


def post_attach(client, target, content: bytes, name: str = "bukti.pdf", kind: str = "SP2D", next_url: str = ""):
    data = {"target": ref(target), "kind": kind, "number": "SP2D-001", "document_date": "2026-01-20",
            "file": upload(name, content), "next": next_url}  # fmt: skip
    return client.post(reverse("budgets:evidence-attach"), data)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# -- refusals: a message, and nothing stored --------------------------------------------------------


def _zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("x.html", "<script>alert(1)</script>")
    return archive.getvalue()


REFUSED = {
    "renamed executable": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 300, "sp2d.pdf", "executable"),
    "pdf with javascript": (
        PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "sp2d.pdf",
        "skrip",
    ),
    "polyglot png + zip": (png_bytes() + _zip(), "foto.png", "berkas lain"),
    "png with a pdf inside": (png_bytes() + PLAIN_PDF, "foto.png", "berkas lain"),
    "svg named png": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "foto.png", "SVG"),
    "html named png": (b"<html><body><script>alert(1)</script></body></html>", "foto.png", "HTML"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_files_leave_nothing_behind(case, officer, month) -> None:
    content, name, says = REFUSED[case]
    response = post_attach(client_for(officer), month["row"], content, name,
                           next_url=reverse("budgets:report-detail", args=[month["report"].pk]))  # fmt: skip
    assert response.status_code == 302
    assert any(says in text for text in texts(response)), texts(response)
    assert not Evidence.objects.exists() and not Evidence.history.exists()
    assert stored_files() == []


def test_oversized_file_is_refused_with_nothing_stored(officer, month, settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048
    with pytest.raises(ValidationError, match="melebihi batas"):
        evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF + b" " * 4096), by=officer)
    # Through the page: a body far over the limit is refused from its Content-Length, unread.
    response = post_attach(client_for(officer), month["row"], PLAIN_PDF + b" " * 200_000)
    assert response.status_code == 302 and any("melebihi batas" in text for text in texts(response))
    assert not Evidence.objects.exists() and stored_files() == []


def test_oversized_image_and_bomb_are_refused(officer, month, settings) -> None:
    settings.EVIDENCE_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError, match="megapiksel"):
        evidence_attach(target=month["row"], kind="PHOTO", file=upload("a.png", png_bytes((200, 100))), by=officer)
    assert not Evidence.objects.exists() and stored_files() == []


# -- what is stored -------------------------------------------------------------------------------


def test_photo_from_a_phone_is_stored_without_exif_and_served_inline(officer, month) -> None:
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (3.0, 47.0, 0.0), 3: "E", 4: (102.0, 15.0, 0.0)}
    exif[0x010F] = "KameraHP"
    client = client_for(officer)
    response = post_attach(client, month["row"], jpeg_bytes((30, 20), exif=exif.tobytes()), "IMG_001.jpg", "PHOTO")
    assert response.status_code == 302
    assert response["Location"] == reverse("budgets:report-detail", args=[month["report"].pk])
    evidence = Evidence.objects.get()
    stored = evidence.file.read()
    assert b"KameraHP" not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert evidence.sha256 == hashlib.sha256(stored).hexdigest() and evidence.size == len(stored)
    assert (evidence.content_type, evidence.original_name, evidence.kind) == ("image/jpeg", "IMG_001.jpg", "PHOTO")
    assert evidence.file.name.endswith(".jpg") and "IMG_001" not in evidence.file.name
    assert (evidence.satker, evidence.month, evidence.monthly_report) == (month["report"].satker, 1, month["report"])
    download = client.get(reverse("budgets:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == stored
    assert download["Content-Type"] == "image/jpeg" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("inline")


def test_pdf_is_downloaded_as_an_attachment(officer, month) -> None:
    evidence = evidence_attach(target=month["row"], kind="SP2D", file=upload("../../etc/SP2D 01.pdf", PLAIN_PDF),
                               number=" 00123 ", by=officer)  # fmt: skip
    assert (evidence.original_name, evidence.number) == ("SP2D_01.pdf", "00123")
    response = client_for(officer).get(reverse("budgets:evidence-download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "SP2D_01.pdf" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_display_name_is_sanitised() -> None:
    assert display_name("C:\\Users\\x\\foto <1>.jpg") == "foto_1.jpg"
    assert display_name("") == display_name("..") == "berkas"


def test_same_file_in_two_provinces_is_flagged(officer, other_officer, reviewer, month) -> None:
    content = png_bytes(color="purple")
    own = evidence_attach(target=month["row"], kind="PHOTO", file=upload("a.png", content), by=officer)
    assert not duplicates_elsewhere(own).exists()
    same_province = evidence_attach(target=month["row"], kind="BAST", file=upload("b.png", content), by=officer)
    assert not duplicates_elsewhere(own).exists()  # the same province is no flag
    other = evidence_attach(target=month["other_row"], kind="PHOTO", file=upload("c.png", content), by=other_officer)
    assert own.sha256 == other.sha256 == same_province.sha256
    assert list(duplicates_elsewhere(own)) == [other] and list(duplicates_elsewhere(other)) == [own, same_province]
    assert duplicate_map([own, other]) == {own.pk: [other.satker.province.name], other.pk: [own.satker.province.name]}
    page = client_for(reviewer).get(reverse("budgets:report-detail", args=[month["report"].pk])).content.decode()
    assert "data-evidence-duplicate" in page and other.satker.province.name in page
    # The officer is told nothing of the other province.
    page = client_for(officer).get(reverse("budgets:report-detail", args=[month["report"].pk])).content.decode()
    assert "data-evidence-duplicate" not in page
    # A removed twin is no flag any more.
    evidence_remove(evidence=other, by=other_officer)
    assert not duplicates_elsewhere(own).exists()


# -- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", "L"), ("officer", 200), ("other_officer", 404), ("head", 200), ("reviewer", 200),
     ("viewer", 200), ("admin_user", 200)],
)  # fmt: skip
def test_download_scoping(persona, expected, request, officer, month) -> None:
    evidence = evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=officer)
    client = (
        client_for(request.getfixturevalue(persona)) if persona != "anonymous" else request.getfixturevalue(persona)
    )
    response = client.get(reverse("budgets:evidence-download", args=[evidence.pk]))
    if expected == "L":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("officer", 302), ("other_officer", 404), ("head", 403), ("reviewer", 403), ("viewer", 403), ("admin_user", 302)],
)
def test_attach_and_remove_scoping(persona, expected, request, officer, month) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert post_attach(client, month["row"], PLAIN_PDF).status_code == expected
    assert Evidence.objects.count() == (1 if expected == 302 else 0)
    evidence = evidence_attach(target=month["row"], kind="BAST", file=upload("b.pdf", PLAIN_PDF), by=officer)
    assert client.post(reverse("budgets:evidence-remove", args=[evidence.pk])).status_code == expected
    evidence.refresh_from_db()
    assert evidence.is_removed == (expected == 302)


def test_anonymous_is_sent_to_sign_in(anonymous, month) -> None:
    response = anonymous.post(reverse("budgets:evidence-attach"), {"target": ref(month["row"])})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_services_check_the_writer(reviewer, other_officer, month) -> None:
    with pytest.raises(PermissionDenied):
        evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=reviewer)
    with pytest.raises(PermissionDenied):
        evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=other_officer)
    assert stored_files() == []


def test_unknown_target_or_kind_is_refused(officer, month, satker) -> None:
    client = client_for(officer)
    for target in (f"budgets.satker:{satker.pk}", "accounts.user:1", "budgets.realization:x", "nonsense"):
        response = client.post(reverse("budgets:evidence-attach"), {"target": target, "kind": "SP2D",
                                                                    "file": upload("a.pdf", PLAIN_PDF)})  # fmt: skip
        assert response.status_code == 400
    response = post_attach(client, month["row"], PLAIN_PDF, kind="EXE")
    assert response.status_code == 302 and not Evidence.objects.exists()


@pytest.mark.parametrize("unsafe", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_next_must_be_a_local_path(unsafe, officer, month) -> None:
    response = post_attach(client_for(officer), month["row"], PLAIN_PDF, next_url=unsafe)
    assert response["Location"] == reverse("budgets:report-detail", args=[month["report"].pk])
    response = post_attach(client_for(officer), month["row"], PLAIN_PDF, next_url="/monthly-reports/?page=2")
    assert response["Location"] == "/monthly-reports/?page=2"


# -- locked with its report; history kept -----------------------------------------------------------


def test_locked_when_the_monthly_report_is_submitted(officer, month) -> None:
    evidence = evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=officer)
    MonthlyReport.objects.filter(pk=month["report"].pk).update(status=MonthlyReport.Status.SUBMITTED)
    month["row"].report.refresh_from_db()
    with pytest.raises(ValidationError, match="terkunci"):
        evidence_attach(target=month["row"], kind="SP2D", file=upload("b.pdf", PLAIN_PDF), by=officer)
    with pytest.raises(ValidationError, match="terkunci"):
        evidence_remove(evidence=evidence, by=officer)
    client = client_for(officer)
    response = client.post(reverse("budgets:evidence-remove", args=[evidence.pk]))
    assert response.status_code == 302 and any("terkunci" in text for text in texts(response))
    assert post_attach(client, month["row"], PLAIN_PDF).status_code == 302
    assert Evidence.objects.live().count() == 1 and len(stored_files()) == 1
    page = client.get(reverse("budgets:report-detail", args=[month["report"].pk])).content.decode()
    assert (
        "data-evidence-upload" not in page
        and f'action="{reverse("budgets:evidence-remove", args=[evidence.pk])}"' not in page
    )


def test_removal_keeps_the_row_its_history_and_its_file(officer, month) -> None:
    evidence = evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=officer)
    client = client_for(officer)
    assert client.post(reverse("budgets:evidence-remove", args=[evidence.pk])).status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_by == officer and evidence.removed_at is not None
    history = list(evidence.history.order_by("history_date"))
    assert [record.history_type for record in history] == ["+", "~"]
    assert history[-1].history_user == officer and history[-1].removed_at is not None
    assert len(stored_files()) == 1  # retention: the file stays with its history
    assert client.get(reverse("budgets:evidence-download", args=[evidence.pk])).status_code == 404
    assert len(evidence_for([month["row"]])) == 0
    with pytest.raises(ValidationError):
        evidence_remove(evidence=evidence, by=officer)


# -- targets ------------------------------------------------------------------------------------------


def test_quarterly_report_and_obstacle_targets(officer, satker, dipa, month) -> None:
    quarterly = QuarterlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, period=1,
                                               due_date=quarter_due_date(dipa.fiscal_year.year, 1))  # fmt: skip
    later = QuarterlyReport.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, period=2,
                                           due_date=quarter_due_date(dipa.fiscal_year.year, 2))  # fmt: skip
    obstacle = Obstacle.objects.create(satker=satker, category="OTHER", description="Lambat", follow_up="Rapat",
                                       owner="Kabid", opened_in=quarterly)  # fmt: skip
    obstacle.reported_in.add(quarterly, later)
    assert place_of(obstacle).quarterly_report == later
    on_report = evidence_attach(target=quarterly, kind="REPORT", file=upload("a.pdf", PLAIN_PDF), by=officer)
    on_obstacle = evidence_attach(target=obstacle, kind="OTHER", file=upload("b.png", png_bytes()), by=officer)
    assert (on_report.quarterly_report, on_report.month, on_obstacle.quarterly_report) == (quarterly, None, later)
    page = client_for(officer).get(reverse("budgets:quarterly-detail", args=[satker.code, dipa.fiscal_year.year, 1]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-evidence="{on_report.pk}"' in html and f'data-evidence="{on_obstacle.pk}"' in html
    assert 'capture="environment"' in html
    QuarterlyReport.objects.filter(pk=quarterly.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="terkunci"):
        evidence_attach(target=QuarterlyReport.objects.get(pk=quarterly.pk), kind="REPORT",
                        file=upload("c.pdf", PLAIN_PDF), by=officer)  # fmt: skip


def test_programme_records_and_ovop_coaching_targets(officer, satker, dipa, month, regency) -> None:
    wub = NewEntrepreneur.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, report=month["report"],
                                         name="Siti", regency=regency, business_type="Keripik")  # fmt: skip
    sentra = Sentra.objects.create(satker=satker, name="Sentra Tenun", regency=regency, village="Desa",
                                   commodity_group="TENUN", unit_count=8)  # fmt: skip
    coaching = OvopCoaching.objects.create(sentra=sentra, year=dipa.fiscal_year.year)
    on_wub = evidence_attach(target=wub, kind="CERTIFICATE", file=upload("a.pdf", PLAIN_PDF), by=officer)
    on_coaching = evidence_attach(target=coaching, kind="DECREE", file=upload("b.pdf", PLAIN_PDF), by=officer)
    assert (on_wub.monthly_report, on_wub.month) == (month["report"], 1)
    assert (on_coaching.fiscal_year, on_coaching.month, on_coaching.monthly_report) == (dipa.fiscal_year, None, None)
    page = client_for(officer).get(reverse("budgets:report-detail", args=[month["report"].pk])).content.decode()
    assert f'data-evidence="{on_wub.pk}"' in page and "data-evidence-upload" in page
    assert f'value="programs.newentrepreneur:{wub.pk}"' in page and f'value="{ref(month["row"])}"' in page


def test_evidence_for_many_targets_is_one_query(officer, month, django_assert_num_queries) -> None:
    evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=officer)
    evidence_attach(
        target=month["report"].realizations.get(), kind="SPM", file=upload("b.png", png_bytes()), by=officer
    )
    targets = [month["row"], month["other_row"]]
    evidence_for(targets)  # warm the content type cache
    with django_assert_num_queries(1):
        index = evidence_for(targets)
        assert [item.kind for item in index.of(month["row"])] == ["SP2D", "SPM"] and index.of(month["other_row"]) == []


def test_storage_is_outside_the_web_roots() -> None:
    """The default store is var/evidence, under no root a URL serves; tests use a temporary one."""
    from ikmsite import settings as project

    assert Path(settings.STORAGES["evidence"]["OPTIONS"]["location"]) != Path(project.BASE_DIR / "var" / "evidence")

    default = Path(project.STORAGES["evidence"]["OPTIONS"]["location"])
    assert default.parts[-2:] == ("var", "evidence")
    for root in (project.MEDIA_ROOT, *project.STATICFILES_DIRS):
        root = Path(root[1] if isinstance(root, tuple) else root)
        assert not default.is_relative_to(root)


def test_the_products_own_report_pdf_and_a_pypdf_file_are_accepted(officer, month) -> None:
    from pypdf import PdfWriter

    response = client_for(officer).get(reverse("budgets:report-pdf", args=[month["report"].pk]))
    own_pdf = b"".join(response.streaming_content) if response.streaming else response.content
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    written = io.BytesIO()
    writer.write(written)
    for name, content in (("laporan.pdf", own_pdf), ("pypdf.pdf", written.getvalue())):
        evidence = evidence_attach(target=month["row"], kind="REPORT", file=upload(name, content), by=officer)
        assert evidence.file.read() == content


def test_evidence_of_a_deleted_record_stays_listed_and_removable(officer, satker, dipa, month, regency) -> None:
    wub = NewEntrepreneur.objects.create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, report=month["report"],
                                         name="Siti", regency=regency, business_type="Keripik")  # fmt: skip
    evidence = evidence_attach(target=wub, kind="PHOTO", file=upload("a.png", png_bytes()), by=officer)
    wub_pk = wub.pk
    wub.delete()
    client = client_for(officer)
    page = client.get(reverse("budgets:report-detail", args=[month["report"].pk])).content.decode()
    assert "Data yang sudah dihapus" in page and f'data-evidence="{evidence.pk}"' in page
    assert f'value="programs.newentrepreneur:{wub_pk}"' not in page
    assert client.post(reverse("budgets:evidence-remove", args=[evidence.pk])).status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_removed


def test_demo_and_backfills_attach_to_an_approved_month_with_the_file_checks(officer, admin_user, month) -> None:
    from budgets.services.evidence import evidence_attach_unchecked

    MonthlyReport.objects.filter(pk=month["report"].pk).update(status=MonthlyReport.Status.APPROVED)
    evidence = evidence_attach_unchecked(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF),
                                         by=admin_user)  # fmt: skip
    assert evidence.monthly_report == month["report"]
    with pytest.raises(ValidationError, match="executable"):
        evidence_attach_unchecked(target=month["row"], kind="SP2D", file=upload("a.pdf", b"MZ" + b"\0" * 99),
                                  by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError, match="terkunci"):
        evidence_attach(target=month["row"], kind="SP2D", file=upload("a.pdf", PLAIN_PDF), by=admin_user)


# -- OVOP coaching on the OVOP page ------------------------------------------------------------------


def add_coaching(satker, regency, year: int, name: str = "Sentra Tenun") -> OvopCoaching:
    sentra = Sentra.objects.create(satker=satker, name=name, regency=regency, village="Desa",
                                   commodity_group="TENUN", unit_count=8)  # fmt: skip
    return OvopCoaching.objects.create(sentra=sentra, year=year, stars=3)


def ovop_page(satker, dipa) -> str:
    return reverse("programs:ovop", args=[satker.code, dipa.fiscal_year.year])


def upload_form_of(target) -> str:
    return f'<input type="hidden" name="target" value="{ref(target)}">'


@pytest.mark.parametrize(("name", "content", "kind"), [("sk.pdf", PLAIN_PDF, "DECREE"), ("foto.png", None, "PHOTO")])
def test_officer_attaches_to_an_ovop_coaching_on_the_ovop_page(name, content, kind, officer, satker, dipa,
                                                               regency) -> None:  # fmt: skip
    content = content or png_bytes(color="orange")
    coaching = add_coaching(satker, regency, dipa.fiscal_year.year)
    client, page = client_for(officer), ovop_page(satker, dipa)
    html = client.get(page).content.decode()
    assert upload_form_of(coaching) in html and "data-evidence-upload" in html and "Belum ada bukti dukung." in html
    # As the page's form posts it: the target, the kind, and the page to come back to.
    data = {"target": ref(coaching), "kind": kind, "number": "SK-7/2026", "document_date": "2026-03-02",
            "file": upload(name, content), "next": page}  # fmt: skip
    response = client.post(f"{reverse('budgets:evidence-attach')}?next={page}", data)
    assert response.status_code == 302 and response["Location"] == page
    evidence = Evidence.objects.get()
    place = (evidence.satker, evidence.fiscal_year, evidence.month, evidence.target)
    assert place == (satker, dipa.fiscal_year, None, coaching)
    html = client.get(page).content.decode()
    assert f'data-evidence="{evidence.pk}"' in html and "SK-7/2026" in html and "2 Mar 2026" in html
    assert f'href="{reverse("budgets:evidence-download", args=[evidence.pk])}"' in html
    assert f'action="{reverse("budgets:evidence-remove", args=[evidence.pk])}"' in html
    download = client.get(reverse("budgets:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Type"] == evidence.content_type
    body = b"".join(download.streaming_content)
    assert body == content if kind == "DECREE" else body.startswith(b"\x89PNG")
    # Removed from the page's button, back to the page.
    response = client.post(reverse("budgets:evidence-remove", args=[evidence.pk]), {"next": page})
    assert response["Location"] == page and Evidence.objects.live().count() == 0


def test_another_province_neither_downloads_nor_attaches_ovop_coaching_evidence(
    officer, other_officer, other_head, satker, dipa, regency
) -> None:
    coaching = add_coaching(satker, regency, dipa.fiscal_year.year)
    evidence = evidence_attach(target=coaching, kind="DECREE", file=upload("sk.pdf", PLAIN_PDF), by=officer)
    for outsider in (other_officer, other_head):
        client = client_for(outsider)
        assert client.get(reverse("budgets:evidence-download", args=[evidence.pk])).status_code == 404
        assert client.get(ovop_page(satker, dipa)).status_code == 404
        data = {"target": ref(coaching), "kind": "PHOTO", "file": upload("a.png", png_bytes()),
                "next": ovop_page(satker, dipa)}  # fmt: skip
        assert client.post(reverse("budgets:evidence-attach"), data).status_code in (403, 404)
        assert client.post(reverse("budgets:evidence-remove", args=[evidence.pk])).status_code == 404
    assert client_for(other_officer).post(reverse("budgets:evidence-attach"), {
        "target": ref(coaching), "kind": "PHOTO", "file": upload("a.png", png_bytes())}).status_code == 404  # fmt: skip
    assert list(Evidence.objects.live()) == [evidence] and len(stored_files()) == 1


@pytest.mark.parametrize("persona", ["reviewer", "viewer", "head"])
def test_readers_see_ovop_coaching_evidence_without_the_upload_form(persona, request, officer, satker, dipa,
                                                                   regency) -> None:  # fmt: skip
    coaching = add_coaching(satker, regency, dipa.fiscal_year.year)
    evidence = evidence_attach(target=coaching, kind="DECREE", number="SK-9", file=upload("sk.pdf", PLAIN_PDF),
                               by=officer)  # fmt: skip
    client = client_for(request.getfixturevalue(persona))
    html = client.get(ovop_page(satker, dipa)).content.decode()
    assert f'data-evidence="{evidence.pk}"' in html and "SK-9" in html
    assert upload_form_of(coaching) not in html and "data-evidence-upload" not in html
    assert f'action="{reverse("budgets:evidence-remove", args=[evidence.pk])}"' not in html
    assert client.get(reverse("budgets:evidence-download", args=[evidence.pk])).status_code == 200
    response = client.post(reverse("budgets:evidence-attach"), {"target": ref(coaching), "kind": "PHOTO",
                                                                "file": upload("a.png", png_bytes())})  # fmt: skip
    assert response.status_code == 403 and Evidence.objects.live().count() == 1


def test_admin_may_attach_to_an_ovop_coaching_from_the_page(admin_user, satker, dipa, regency) -> None:
    coaching = add_coaching(satker, regency, dipa.fiscal_year.year)
    html = client_for(admin_user).get(ovop_page(satker, dipa)).content.decode()
    assert upload_form_of(coaching) in html


def test_a_closed_year_refuses_ovop_coaching_evidence_with_a_message(officer, satker, dipa, regency) -> None:
    coaching = add_coaching(satker, regency, dipa.fiscal_year.year)
    evidence = evidence_attach(target=coaching, kind="DECREE", file=upload("sk.pdf", PLAIN_PDF), by=officer)
    type(dipa.fiscal_year).objects.filter(pk=dipa.fiscal_year.pk).update(is_closed=True)
    client, page = client_for(officer), ovop_page(satker, dipa)
    html = client.get(page).content.decode()
    assert f'data-evidence="{evidence.pk}"' in html  # still listed, still downloadable
    assert upload_form_of(coaching) not in html and "data-evidence-upload" not in html
    assert f'action="{reverse("budgets:evidence-remove", args=[evidence.pk])}"' not in html
    assert client.get(reverse("budgets:evidence-download", args=[evidence.pk])).status_code == 200
    data = {"target": ref(coaching), "kind": "PHOTO", "file": upload("a.png", png_bytes()), "next": page}
    response = client.post(reverse("budgets:evidence-attach"), data)
    assert response.status_code == 302 and response["Location"] == page
    assert any("ditutup" in text for text in texts(response))
    response = client.post(reverse("budgets:evidence-remove", args=[evidence.pk]), {"next": page})
    assert response["Location"] == page and any("ditutup" in text for text in texts(response))
    assert list(Evidence.objects.live()) == [evidence] and len(stored_files()) == 1


@pytest.mark.parametrize("persona", ["officer", "reviewer"])
def test_ovop_page_fetches_the_evidence_of_its_coachings_in_bulk(persona, request, officer, satker, dipa,
                                                                 regency) -> None:  # fmt: skip
    """The page's queries do not grow with its coachings (nor with their evidence): the evidence
    of all of them in one query, whoever reads (the reviewer's duplicate flags in one more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, page = client_for(request.getfixturevalue(persona)), ovop_page(satker, dipa)

    def add(count: int) -> None:
        for number in range(count):
            coaching = add_coaching(satker, regency, dipa.fiscal_year.year, name=f"Sentra {Sentra.objects.count()}")
            for kind in ("DECREE", "PHOTO"):
                evidence_attach(target=coaching, kind=kind, number=f"{kind}-{number}",
                                file=upload("a.png", png_bytes(color=f"#{coaching.pk:0>6}")), by=officer)  # fmt: skip

    def queries() -> int:
        client.get(page)  # warm the caches (session, content types)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(5)
    assert queries() == few
    assert client.get(page).content.decode().count("data-evidence=") == 14
