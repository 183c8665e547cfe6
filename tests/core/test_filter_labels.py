"""The list filters' empty choices say what they leave unfiltered ("Semua provinsi"), never
django-filter's "---------" or the boolean's "Tidak diketahui" (core/filters.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.filters import FilterSet
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "labels"),
    [
        ("budgets:satker-list", ["Semua provinsi", '<option value="unknown" selected>Semua</option>']),
        ("budgets:report-list", ["Semua provinsi", "Semua bulan", "Semua status"]),
        ("budgets:obstacles", ["Semua kategori", "Semua provinsi", "Semua status"]),
        ("programs:registry-list", ["Semua provinsi", "Semua kabupaten/kota", "Semua skala usaha"]),
    ],
)
def test_filters_name_their_empty_choice(reviewer, fiscal_year, url_name, labels) -> None:
    html = client_for(reviewer).get(reverse(url_name)).content.decode()
    assert "---------" not in html
    assert "Tidak diketahui" not in html
    for label in labels:
        assert label in html, label


def test_every_filterset_of_the_project_uses_the_base() -> None:
    import django_filters

    from budgets.filters import SatkerFilter
    from budgets.views.quarterly import ObstacleFilter
    from budgets.views.review import MonthlyReportFilter
    from programs.registry.filters import EnterpriseFilter

    ours = {SatkerFilter, ObstacleFilter, MonthlyReportFilter, EnterpriseFilter}
    assert all(issubclass(cls, FilterSet) for cls in ours)
    every = {cls for cls in _subclasses(django_filters.FilterSet) if cls.__module__.split(".")[0] != "django_filters"}
    assert every - {FilterSet} <= {cls for cls in every if issubclass(cls, FilterSet)}


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_a_filter_without_an_empty_label_falls_back_to_semua() -> None:
    import django_filters

    from budgets.models import Satker

    class Plain(FilterSet):
        choice = django_filters.ChoiceFilter(choices=[("a", "A")])

        class Meta:
            model = Satker
            fields = ["choice", "is_central"]

    form = Plain().form
    assert list(form.fields["choice"].choices)[:1] == [("", "Semua")]
    assert [str(label) for _key, label in form.fields["is_central"].widget.choices] == ["Semua", "Ya", "Tidak"]
