"""A report's 400 page names a bad parameter by its filter's label in the reader's language
("Tahun: ..." / "Year: ..."), never by its query name ("year:")."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for


def _items(response) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", response.content.decode())]


def test_indonesian_400_names_the_filter_label(reviewer, fiscal_year) -> None:
    response = client_for(reviewer).get(reverse("reports:provinces"), {"year": "1999"})
    assert response.status_code == 400
    items = _items(response)
    assert "Tahun: Tahun anggaran 1999 tidak ada." in items
    assert "year:" not in response.content.decode()
    assert "<code>year</code>" not in response.content.decode()


def test_english_400_names_the_filter_label(reviewer, fiscal_year) -> None:
    client = client_for(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("reports:provinces"), {"year": "1999", "authority": "XX"})
    assert response.status_code == 400
    items = _items(response)
    assert any(item.startswith("Year: ") for item in items), items
    assert any(item.startswith("Authority: ") for item in items), items
    assert not any(item.startswith(("year:", "Tahun:", "authority:")) for item in items)


def test_unknown_parameter_has_no_label_and_json_keeps_names(reviewer, fiscal_year) -> None:
    client = client_for(reviewer)
    response = client.get(reverse("reports:provinces"), {"provinse": "17"})
    assert response.status_code == 400
    assert any(item.startswith("Parameter tidak dikenal") for item in _items(response))
    data = json.loads(client.get(reverse("reports:provinces"), {"year": "1999", "format": "json"}).content)
    assert "year" in data["errors"]  # programs read the names
