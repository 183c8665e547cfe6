"""FastSelect writes the markup Django's templated Select writes (escaping and selection too)."""

from __future__ import annotations

import pytest
from django import forms
from django.test import SimpleTestCase

from core.widgets import FastSelect

CHOICES = [("", "Semua"), ("17", "17 Bengkulu"), ("11", 'Aceh <b>&amp; "co"</b>'), (3, "Tiga")]


@pytest.mark.parametrize("value", [None, "", "17", "11", 3, "99"])
def test_same_markup_as_django(value) -> None:
    attrs = {"class": "form-select", "aria-describedby": "id_x_helptext", "id": "id_x"}
    expected = forms.Select(choices=CHOICES).render("x", value, attrs)
    written = FastSelect(choices=CHOICES).render("x", value, attrs)
    SimpleTestCase().assertHTMLEqual(written, expected)
    assert "<b>" not in written  # labels are escaped


def test_registry_filter_page_uses_it(client, reviewer) -> None:
    from django.urls import reverse

    from tests.conftest import client_for
    from tests.factories import RegencyFactory

    regency = RegencyFactory(name="Kota <Uji>")
    response = client_for(reviewer).get(reverse("programs:registry-list"), {"regency": regency.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{regency.pk}" selected>' in page and "Kota &lt;Uji&gt;" in page


@pytest.mark.parametrize("value", [None, [], ["17"], ["11", 3], ["99"]])
@pytest.mark.parametrize("attrs", [{"class": "form-check-input", "aria-describedby": "id_x_helptext", "id": "id_x"},
                                   {"class": "form-check-input"}])  # fmt: skip
def test_checkboxes_same_markup_as_django(value, attrs) -> None:
    from core.widgets import FastCheckboxSelectMultiple

    choices = [choice for choice in CHOICES if choice[0] != ""]
    expected = forms.CheckboxSelectMultiple(choices=choices).render("x", value, attrs)
    written = FastCheckboxSelectMultiple(choices=choices).render("x", value, attrs)
    SimpleTestCase().assertHTMLEqual(written, expected)
    assert written.replace(" checked", "").count("<input") == len(choices) and "<b>" not in written
