"""Every input of the RPD grid and the pagu revision has an accessible name (axe "label" and
"select-name"): the grids show no <label> per cell, so the widget carries an aria-label naming
its row (spending type, budget line) and column (month, pagu/blokir)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.on_day import mid_june

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    return mid_june(monkeypatch)


def unnamed_controls(html: str) -> list[str]:
    controls = re.findall(r"<(?:input|select)\b[^>]*>", html)
    visible = [c for c in controls if 'type="hidden"' not in c and "csrfmiddlewaretoken" not in c]
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    return [c for c in visible if "aria-label=" not in c and re.search(r'id="([^"]+)"', c).group(1) not in labelled]


def test_rpd_grid_cells_are_named_by_spending_type_and_month(officer, satker, dipa) -> None:
    html = client_for(officer).get(reverse("budgets:rpd-entry", args=[satker.code, dipa.fiscal_year.year])).content
    html = html.decode()
    assert f'name="rpd_{dipa.goods.pk}_1"' in html  # the grid is editable here
    assert 'aria-label="52 Belanja Barang, Januari"' in html
    assert 'aria-label="53 Belanja Modal, Desember"' in html
    assert unnamed_controls(html) == []


def test_pagu_revision_inputs_and_selects_are_named(admin_user, satker, dipa) -> None:
    url = reverse("budgets:pagu-revise", args=[satker.code, dipa.fiscal_year.year])
    html = client_for(admin_user).get(url).content.decode()
    assert 'aria-label="Pagu baris 051.521211"' in html
    assert 'aria-label="Blokir baris 051.521211"' in html
    assert re.search(r'<select[^>]*aria-label="Komponen baris baru 1"', html)
    assert re.search(r'<select[^>]*aria-label="Akun baris baru 1"', html)
    assert unnamed_controls(html) == []
