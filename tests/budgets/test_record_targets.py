"""Programme records (WUB, poverty activities, facilitations: programs/) as targets of a line
comment and of a targeted return (issue 22): a reviewer opens a thread on a record of the
report's month; a return may name records, which alone may then be edited or deleted (the others
and a new record are refused); a return without targets opens everything; comments tell the
satker's operators (opened) and the thread's writers (answered); the report page and the records
page show it all."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from budgets.models import LineComment, MonthlyReport, Realization, ReturnTarget
from budgets.services import realization_set, report_return, report_submit
from budgets.services.comments import comment_answer, comment_open, comment_resolve
from budgets.services.editability import record_key, returned_targets
from budgets.services.realization import report_get_or_create
from core.models import Notification
from programs.models import Facilitation, NewEntrepreneur, OvopCoaching, Sentra
from programs.records.services import (
    facilitation_create,
    facilitation_delete,
    new_entrepreneur_create,
    new_entrepreneur_delete,
    new_entrepreneur_update,
    open_month,
)
from tests.budgets.test_report_workflow import act
from tests.conftest import client_for
from tests.writes import ro_rows_filled

pytestmark = pytest.mark.django_db
Status = MonthlyReport.Status
NOT_TARGETED = "Catatan ini tidak diminta diperbaiki"
NO_NEW = "Catatan baru tidak dapat ditambahkan"


def wub(report, regency, name: str) -> NewEntrepreneur:
    where = {"satker": report.satker, "fiscal_year": report.fiscal_year, "month": report.month, "report": report}
    return NewEntrepreneur.objects.create(**where, name=name, regency=regency, business_type="Kopi bubuk")


@pytest.fixture
def records(officer, satker, dipa, regency):
    """Two WUB and a facilitation entered in January through the services, before submission."""
    where = {"satker": satker, "fiscal_year": dipa.fiscal_year, "month": 1, "by": officer}
    made = [
        new_entrepreneur_create(**where, name=name, regency=regency, business_type="Kopi bubuk")
        for name in ("Usaha Kopi", "Usaha Teh")
    ]
    made.append(facilitation_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, kind="PRODUK",
                                    enterprise_name="Tenun Songket", by=officer))  # fmt: skip
    return made


@pytest.fixture
def report(officer, satker, dipa, records) -> MonthlyReport:
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1, amounts={dipa.ovop.pk: 1_000},
                             expected_version=None, by=officer)  # fmt: skip
    ro_rows_filled(report)
    return report_submit(report=report, by=officer)


def ref(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


@pytest.fixture
def foreign(satker, dipa, regency) -> NewEntrepreneur:
    """A record of the same satker's February: another report's."""
    february, _created = report_get_or_create(satker=satker, fiscal_year=dipa.fiscal_year, month=2)
    return wub(february, regency, "Usaha Februari")


# -- comments on a record -----------------------------------------------------------------------


def test_a_thread_on_a_record_is_opened_answered_and_resolved(head, officer, report, records) -> None:
    coffee = records[0]
    response = client_for(head).post(reverse("budgets:comment-open", args=[report.pk]),
                                      {"target": ref(coffee), "body": "NIB usaha ini?"})  # fmt: skip
    assert response.status_code == 302
    thread = LineComment.objects.get()
    assert (thread.line, thread.output, thread.record_type.model_class(), thread.record_id) == (
        None, None, NewEntrepreneur, coffee.pk
    )  # fmt: skip
    reply = comment_answer(thread=thread, body="Belum ber-NIB.", by=officer)
    assert (reply.record_type_id, reply.record_id) == (thread.record_type_id, coffee.pk)
    comment_resolve(thread=thread, by=head)
    thread.refresh_from_db()
    assert thread.resolved_by == head


def test_a_record_of_another_report_or_no_monthly_record_is_refused(head, report, foreign, satker, dipa,
                                                                    regency) -> None:  # fmt: skip
    sentra = Sentra.objects.create(satker=satker, name="Sentra Tenun", regency=regency, village="Kebun Tebeng",
                                   commodity_group="TENUN", unit_count=10)  # fmt: skip
    coaching = OvopCoaching.objects.create(sentra=sentra, year=dipa.fiscal_year.year, stars=4)
    realization = Realization.objects.get(report=report, line=dipa.ovop)
    for target in (foreign, coaching, satker, realization, regency):
        with pytest.raises(ValidationError, match="catatan program dari laporan ini"):
            comment_open(report=report, target=target, body="x", by=head)
    # Through the page: not a choice, nothing opened.
    client_for(head).post(reverse("budgets:comment-open", args=[report.pk]), {"target": ref(foreign), "body": "x"})
    assert not LineComment.objects.exists()


def test_the_report_page_shows_record_threads_and_the_return_forms_records(head, officer, report, records) -> None:
    thread = comment_open(report=report, target=records[2], body="Sertifikat produk?", by=head)
    comment_answer(thread=thread, body="Terlampir.", by=officer)
    page = client_for(head).get(reverse("budgets:report-detail", args=[report.pk]))
    html = page.content.decode()
    assert f'data-comment-record="{ref(records[2])}"' in html
    # Only records with open threads have a row of their own; the others are counted.
    assert f'data-comment-record="{ref(records[0])}"' not in html
    assert page.context["comment_records_quiet"] == len(records) - 1 and "data-comment-records-quiet" in html
    assert "data-thread-record" in html and "Tenun Songket" in html and "Terlampir." in html
    choices = dict(page.context["return_form"].fields["records"].choices)
    assert set(choices) == {ref(record) for record in records}
    assert f'value="{ref(records[0])}"' in html  # a checkbox per record
    # The reviewer may open a thread on any of them.
    assert {ref(record) for record in records} <= set(page.context["comment_open_form"].targets)


# -- a return naming records ---------------------------------------------------------------------


def returned_on_coffee(report, head, records) -> MonthlyReport:
    response = act(client_for(head), report, "return", comment="Periksa WUB kopi.", records=[ref(records[0]),
                                                                                         ref(records[2])])  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    return report


def test_a_return_naming_records_opens_only_them(report, head, officer, satker, dipa, regency, records) -> None:
    coffee, tea, facilitation = records
    report = returned_on_coffee(report, head, records)
    assert {(t.record_type_id, t.record_id) for t in ReturnTarget.objects.filter(report=report)} == {
        record_key(coffee), record_key(facilitation)
    }  # fmt: skip
    assert returned_targets(report).records == {record_key(coffee), record_key(facilitation)}
    # Another record, and a new one: refused, nothing changed.
    with pytest.raises(ValidationError, match=NOT_TARGETED):
        new_entrepreneur_update(record=tea, name="Usaha Teh Hijau", regency=regency, business_type="Teh", by=officer)
    with pytest.raises(ValidationError, match=NOT_TARGETED):
        new_entrepreneur_delete(record=tea, by=officer)
    with pytest.raises(ValidationError, match=NO_NEW):
        new_entrepreneur_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, name="Usaha Baru",
                                regency=regency, business_type="Kopi", by=officer)  # fmt: skip
    assert NewEntrepreneur.objects.filter(report=report).count() == 2
    assert NewEntrepreneur.objects.get(pk=tea.pk).name == "Usaha Teh"
    # The named ones: edited and deleted.
    new_entrepreneur_update(record=coffee, name="Usaha Kopi Robusta", regency=regency, business_type="Kopi",
                            by=officer)  # fmt: skip
    assert NewEntrepreneur.objects.get(pk=coffee.pk).name == "Usaha Kopi Robusta"
    facilitation_delete(record=facilitation, by=officer)
    assert not Facilitation.objects.filter(pk=facilitation.pk).exists()
    # The reviewer sees the named records changed since the return.
    report = report_submit(report=report, by=officer)
    page = client_for(head).get(reverse("budgets:report-detail", args=[report.pk]))
    items = {item["target"].record_id: item for item in page.context["return_targets"]}
    assert items[coffee.pk]["changed"] and items[facilitation.pk]["changed"]
    assert "Usaha Kopi Robusta" in items[coffee.pk]["record_label"]
    assert "diubah sejak pengembalian" in page.content.decode()


def test_the_records_page_shows_which_records_are_open(report, head, officer, satker, dipa, records) -> None:
    coffee, tea, _facilitation = records
    returned_on_coffee(report, head, records)
    client = client_for(officer)
    html = client.get(reverse("programs:records", args=[satker.code, dipa.fiscal_year.year, 1])).content.decode()
    assert html.count("data-record-open") == 2 and html.count("data-record-locked") == 1
    assert NOT_TARGETED in html and "data-targeted-return" in html
    assert reverse("programs:record-add", args=[satker.code, dipa.fiscal_year.year, 1, "wub"]) not in html
    assert reverse("programs:record-edit", args=[satker.code, dipa.fiscal_year.year, 1, "wub", tea.pk]) not in html
    locked = client.get(reverse("programs:record-edit", args=[satker.code, dipa.fiscal_year.year, 1, "wub", tea.pk]))
    assert NOT_TARGETED in locked.content.decode() and "Simpan perubahan" not in locked.content.decode()
    open_page = client.get(reverse("programs:record-edit", args=[satker.code, dipa.fiscal_year.year, 1, "wub",
                                                                 coffee.pk]))  # fmt: skip
    assert NOT_TARGETED not in open_page.content.decode() and "Simpan perubahan" in open_page.content.decode()


def test_a_return_without_targets_opens_every_record(report, head, officer, satker, dipa, regency, records) -> None:
    report_return(report=report, by=head, comment="Periksa lagi.")
    new_entrepreneur_update(record=records[1], name="Usaha Teh Hijau", regency=regency, business_type="Teh",
                            by=officer)  # fmt: skip
    new_entrepreneur_create(satker=satker, fiscal_year=dipa.fiscal_year, month=1, name="Usaha Baru",
                            regency=regency, business_type="Kopi", by=officer)  # fmt: skip
    assert NewEntrepreneur.objects.filter(satker=satker, month=1).count() == 3
    html = client_for(officer).get(reverse("programs:records", args=[satker.code, dipa.fiscal_year.year, 1]))
    assert "data-record-locked" not in html.content.decode()


def test_a_return_naming_a_record_of_another_report_is_refused(report, head, foreign, satker) -> None:
    for wrong in [(foreign._meta.label_lower, foreign.pk), ("budgets.satker", satker.pk),
                  ("programs.newentrepreneur", 999_999)]:  # fmt: skip
        with pytest.raises(ValidationError):
            report_return(report=report, by=head, comment="x", records=[wrong])
    response = act(client_for(head), report, "return", comment="x", records=[ref(foreign)])
    assert response.status_code == 200  # the form again: not a choice
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and not ReturnTarget.objects.exists()


# -- notifications -------------------------------------------------------------------------------


@pytest.fixture
def addresses(officer, head, reviewer, other_officer):
    for user, email in ((officer, "petugas@bengkulu.go.id"), (head, "kadis@bengkulu.go.id"),
                        (reviewer, "reviewer@kemenperin.go.id"), (other_officer, "petugas@aceh.go.id")):  # fmt: skip
        user.email = email
        user.save()


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def told(user) -> int:
    return Notification.objects.filter(recipient=user).count()


def test_comments_tell_the_operators_then_the_threads_writers(addresses, report, records, head, officer,
                                                              reviewer, other_officer) -> None:  # fmt: skip
    mail.outbox.clear()
    Notification.objects.all().delete()
    path = reverse("budgets:report-detail", args=[report.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        thread = comment_open(report=report, target=records[0], body="NIB usaha ini?", by=head)
    # Opened: the satker's operators, not the opener, not another province.
    assert sent_to() == ["petugas@bengkulu.go.id"]
    notification = Notification.objects.get(recipient=officer)
    assert notification.url.startswith(path) and "Komentar baru" in notification.subject
    assert "NIB usaha ini?" in mail.outbox[0].body
    assert (told(head), told(reviewer), told(other_officer)) == (0, 0, 0)
    # The officer answers: the opener.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_answer(thread=thread, body="Belum ber-NIB.", by=officer)
    assert sent_to() == ["kadis@bengkulu.go.id"]
    assert told(head) == 1 and told(officer) == 1
    # The directorate answers: the opener and the officer who wrote, not the author.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_answer(thread=thread, body="Lengkapi NIB.", by=reviewer)
    assert sent_to() == ["kadis@bengkulu.go.id", "petugas@bengkulu.go.id"]
    assert told(reviewer) == 0
    # Resolving tells nobody.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_resolve(thread=thread, by=head)
    assert mail.outbox == [] and Notification.objects.count() == 4


def test_open_month_asks_per_record(report, head, officer, records) -> None:
    """The gate every record write (forms and the records import) goes through: adding, or
    changing a record not named, is refused; changing the named ones passes."""
    report = returned_on_coffee(report, head, records)
    where = {"satker": report.satker, "fiscal_year": report.fiscal_year, "month": 1, "by": officer,
             "today": timezone.localdate()}  # fmt: skip
    with pytest.raises(ValidationError, match=NO_NEW):
        open_month(**where)
    with pytest.raises(ValidationError, match=NOT_TARGETED):
        open_month(**where, records=[records[0], records[1]])
    assert open_month(**where, records=[records[0], records[2]]) == report
