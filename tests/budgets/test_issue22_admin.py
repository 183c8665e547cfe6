"""The admin of issue 22's records (line comments, data-quality flags, evidence, the lines a
return names): read and searched by the admin only, never written there, the evidence file only
through the scoped download, and lists whose queries do not grow with their rows.

(tests/test_access_matrix.py covers every registered admin page for every persona as well.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from budgets.models import Evidence, LineComment, MonthlyReport, QualityFlag
from budgets.services import realization_set, report_return, report_submit
from budgets.services.comments import comment_answer, comment_open, comment_resolve
from budgets.services.evidence import evidence_attach_unchecked
from tests.conftest import client_for
from tests.evidence_support import PLAIN_PDF, upload
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db

MODELS = {"comment": LineComment, "flag": QualityFlag, "evidence": Evidence}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(officer, head, satker, dipa) -> dict:
    """A submitted January with a resolved thread and its reply, one evidence file, two flags (one
    from before the reasons' messages, one with its message) and a return naming one line."""
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000},
                             expected_version=None, by=officer)  # fmt: skip
    ro_rows_filled(report)
    report = report_submit(report=report, by=officer)
    thread = comment_open(report=report, target=dipa.ovop, body="Lampirkan SP2D bulan Januari.", by=head)
    comment_answer(thread=thread, body="SP2D sudah dilampirkan.", by=officer)
    comment_resolve(thread=thread, by=head)
    evidence = evidence_attach_unchecked(target=report.realizations.get(), kind="SP2D", number="SP2D-0042",
                                         by=officer, file=upload("sp2d januari.pdf", PLAIN_PDF))  # fmt: skip
    flag = QualityFlag.objects.create(report=report, code="RPD_NO_REALIZATION", target_key="x", target_label="52",
                                      reason="Alasan tersimpan.")  # fmt: skip
    QualityFlag.objects.create(
        report=report, code="CERTIFIED_NO_NUMBER", target_key="y", target_label="Sertifikasi halal: UD Rasa",
        reason="Sertifikasi halal untuk UD Rasa dicatat tanpa nomor sertifikat/pendaftaran.",
        reason_msgid="%(kind)s untuk %(name)s dicatat tanpa nomor sertifikat/pendaftaran.",
        reason_params={"kind": {"msg": "Sertifikasi halal"}, "name": "UD Rasa"},
    )  # fmt: skip
    report_return(report=report, by=head, comment="Perbaiki baris ini.", lines=[dipa.ovop.pk])
    return {"report": MonthlyReport.objects.get(pk=report.pk), "comment": thread, "flag": flag, "evidence": evidence}


@pytest.mark.parametrize("key", MODELS)
def test_admin_lists_searches_filters_and_reads(key, records, admin_user) -> None:
    model, obj = MODELS[key], records[key]
    client = client_for(admin_user)
    changelist = admin_url(model, "changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and page.context["cl"].result_count >= 1
    for query in ({"q": "SP2D"}, {"q": "17"}, {"q": "tidak ada"}):
        assert client.get(changelist, query).status_code == 200
    # Every filter of the list, each of its choices: none errors (Django answers a bad one with ?e=1).
    for spec in page.context["cl"].filter_specs:
        for choice in spec.choices(page.context["cl"]):
            response = client.get(changelist + choice["query_string"])
            assert response.status_code == 200 and "e=1" not in response.get("Location", ""), choice
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("key", MODELS)
def test_admin_cannot_add_change_or_delete(key, records, admin_user) -> None:
    model, obj = MODELS[key], records[key]
    client = client_for(admin_user)
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    version = obj.history.order_by("-history_id").first().history_id
    assert client.post(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
                               args=[obj.pk, version]), {}).status_code == 403  # fmt: skip
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("persona", ["officer", "head", "reviewer", "viewer"])
def test_others_are_refused(persona, request, records) -> None:
    client = client_for(request.getfixturevalue(persona))
    for key, model in MODELS.items():
        # The admin's login page sends a signed-in user of another role to 403 (core/admin_site.py).
        assert client.get(admin_url(model, "changelist"), follow=True).status_code == 403
        assert client.get(admin_url(model, "change", records[key].pk), follow=True).status_code == 403


def test_evidence_links_to_the_scoped_download_never_to_the_storage(records, admin_user) -> None:
    evidence = records["evidence"]
    client = client_for(admin_user)
    download = reverse("budgets:evidence-download", args=[evidence.pk])
    for url in (admin_url(Evidence, "changelist"), admin_url(Evidence, "change", evidence.pk),
                admin_url(Evidence, "history", evidence.pk)):  # fmt: skip
        page = client.get(url).content.decode()
        assert evidence.file.name not in page, url
    assert download in client.get(admin_url(Evidence, "change", evidence.pk)).content.decode()
    found = client.get(admin_url(Evidence, "changelist"), {"q": evidence.sha256})
    assert found.context["cl"].result_count == 1 and evidence.sha256[:12] in found.content.decode()


def test_flag_shows_the_reason_rendered_and_the_report_link(records, admin_user) -> None:
    flag = records["flag"]
    page = client_for(admin_user).get(admin_url(QualityFlag, "changelist")).content.decode()
    assert "Alasan tersimpan." in page  # an old row: its stored reason
    assert "Sertifikasi halal untuk UD Rasa dicatat" in page  # a newer one: rendered from its message
    english = client_for(admin_user)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(admin_url(QualityFlag, "changelist")).content.decode()
    assert "Halal certification for UD Rasa is recorded" in page
    assert f"{reverse('budgets:report-detail', args=[flag.report_id])}#flag-{flag.pk}" in page


def test_report_admin_shows_the_return_targets(records, admin_user, dipa) -> None:
    page = client_for(admin_user).get(admin_url(MonthlyReport, "change", records["report"].pk)).content.decode()
    assert str(dipa.ovop) in page


@pytest.mark.parametrize("key", MODELS)
def test_lists_queries_do_not_grow_with_rows(key, records, admin_user, officer, head, dipa,
                                             django_assert_max_num_queries) -> None:  # fmt: skip
    model = MODELS[key]
    client = client_for(admin_user)
    client.get(admin_url(model, "changelist"))  # warm the session and the content types
    with django_assert_max_num_queries(40) as few:
        client.get(admin_url(model, "changelist"))
    report = records["report"]
    for index in range(4):
        if key == "comment":
            LineComment.objects.create(report=report, line=dipa.ovop, author=head, body=f"Catatan {index}")
        elif key == "flag":
            QualityFlag.objects.create(report=report, code="X", target_key=f"k{index}", target_label=f"L{index}",
                                       reason="r", reason_msgid="%(n)s",
                                       reason_params={"n": {"month": index + 1}})  # fmt: skip
        else:
            evidence_attach_unchecked(target=report.realizations.get(), kind="SPM", number=f"SPM-{index}",
                                      by=officer, file=upload(f"spm{index}.pdf", PLAIN_PDF))  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(admin_url(model, "changelist")).context["cl"].result_count >= 5
