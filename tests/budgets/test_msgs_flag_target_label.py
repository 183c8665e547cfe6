"""A data-quality flag's target label is stored as msgid + parameters (core/messages.py) like its
reason: its words follow the reader's language, names of things stay as written, a spending type
shows its English name in English; flags from before show the label as stored."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import translation

from budgets.models import QualityFlag
from budgets.services.quality import flags_refresh
from programs.models import Facilitation, FacilitationKind, NewEntrepreneur
from programs.records.quality import _facilitation_label, _wub_label
from tests.budgets.test_quality_flags import idle_report  # noqa: F401 (fixture)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_spending_type_label_is_stored_as_a_message_and_read_in_english(idle_report, reviewer) -> None:  # noqa: F811
    (flag,) = flags_refresh(report=idle_report)
    flag = QualityFlag.objects.get(pk=flag.pk)
    assert flag.target_label == "52 Belanja Barang"  # the site's language: search, history
    assert flag.target_label_message["params"]["name"] == {"name": "Belanja Barang", "name_en": "Goods"}
    with translation.override("en"):
        assert flag.target_label_text == "52 Goods"
    assert flag.target_label_text == "52 Belanja Barang"

    client = client_for(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html.unescape(client.get(reverse("budgets:report-detail", args=[idle_report.pk])).content.decode())
    assert "<strong>52 Goods</strong>" in page and "<strong>52 Belanja Barang</strong>" not in page


def test_old_flags_show_their_label_and_a_refresh_gives_them_the_message(idle_report) -> None:  # noqa: F811
    (flag,) = flags_refresh(report=idle_report)
    QualityFlag.objects.filter(pk=flag.pk).update(target_label="Label lama", target_label_message={})
    flag.refresh_from_db()
    with translation.override("en"):
        assert flag.target_label_text == "Label lama"
    flags_refresh(report=idle_report)
    flag.refresh_from_db()
    with translation.override("en"):
        assert flag.target_label_text == "52 Goods"


def test_admin_lists_the_label_in_the_readers_language(idle_report) -> None:  # noqa: F811
    (flag,) = flags_refresh(report=idle_report)
    model_admin = site._registry[QualityFlag]
    with translation.override("en"):
        assert model_admin.target_shown(QualityFlag.objects.get(pk=flag.pk)) == "52 Goods"


def test_record_labels_translate_their_words_and_keep_names() -> None:
    with translation.override("id"):
        wub = _wub_label(NewEntrepreneur(name="Rahmat Hidayat"))
        facilitation = _facilitation_label(Facilitation(kind=FacilitationKind.HALAL, enterprise_name="UD Rasa"))
    from core.messages import render_stored, stored_of

    with translation.override("en"):
        assert render_stored(stored_of(wub), wub) == "WUB Rahmat Hidayat"
        shown = render_stored(stored_of(facilitation), facilitation)
    assert shown.endswith(": UD Rasa") and shown != str(facilitation), (shown, facilitation)
