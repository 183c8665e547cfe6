"""An upload's errors are stored as msgid + parameters (core/messages.py) and shown in the
reader's language: the detail page and the error workbook of an English reader are in English,
whatever the language the file was checked in; rows stored before keep their text."""

from __future__ import annotations

import html
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.messages import MessageText, message_of, render_stored, stored_of, text
from imports.errors import shown_errors, stored_error
from imports.models import Upload
from imports.reader import CellError, RowError
from imports.stored import bounded_errors
from tests.conftest import client_for
from tests.imports.test_upload_flow import post_file, xlsx

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def workbook_messages(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_message_text_keeps_its_msgid_through_an_exception() -> None:
    with translation.override("id"):
        made = text("'%(value)s' bukan bilangan bulat.", value="abc")
    assert isinstance(made, MessageText) and made == "'abc' bukan bilangan bulat."
    error = CellError(made)
    assert stored_of(message_of(error)) == {"msg": "'%(value)s' bukan bilangan bulat.", "params": {"value": "abc"}}
    assert stored_of(str(error)) is None  # why message_of exists
    entry = bounded_errors([stored_error(RowError(3, "bulan", message_of(error)))])[0]
    assert entry[:3] == [3, "bulan", "'abc' bukan bilangan bulat."] and entry[3]["params"] == {"value": "abc"}
    with translation.override("en"):
        assert shown_errors([entry]) == [(3, "bulan", "'abc' is not a whole number.")]
        # A row stored before (three items), or one whose message no longer renders: as written.
        assert shown_errors([[2, "", "Teks lama."]]) == [(2, "", "Teks lama.")]
        assert render_stored({"msg": "'%(value)s' bukan bilangan bulat.", "params": {}}, "fallback") == "fallback"


def test_refused_upload_errors_in_the_readers_language(officer, dipa) -> None:
    year = dipa.fiscal_year.year
    # Checked while the uploader reads Indonesian: "bulan" is not a number, "realisasi" negative.
    client = client_for(officer)
    post_file(client, "realisasi", xlsx([["170019", year, "abc", "051", "521211", "-5"]]))
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.REJECTED
    assert any(len(entry) == 4 for entry in upload.errors), upload.errors  # msgid + params kept

    url = reverse("imports:detail", args=[upload.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "'abc' bukan bilangan bulat." in page

    english_client = english(client_for(officer))
    page = html.unescape(english_client.get(url).content.decode())
    assert "'abc' is not a whole number." in page
    assert "bukan bilangan bulat" not in page

    messages = workbook_messages(english_client.get(reverse("imports:errors", args=[upload.pk])))
    assert "'abc' is not a whole number." in messages
    assert not any("bukan" in message for message in messages)
    indonesian = workbook_messages(client.get(reverse("imports:errors", args=[upload.pk])))
    assert "'abc' bukan bilangan bulat." in indonesian


def test_old_rows_keep_their_text(officer, dipa) -> None:
    post_file(client_for(officer), "realisasi", xlsx([["170019", dipa.fiscal_year.year, "abc", "051", "521211", 1]]))
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(errors=[[2, "bulan", "Pesan lama dalam bahasa Indonesia."]])
    page = english(client_for(officer)).get(reverse("imports:detail", args=[upload.pk])).content.decode()
    page = html.unescape(page)
    assert "Pesan lama dalam bahasa Indonesia." in page
