from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from budgets.models import Province, Satker
from core.filters import FilterSet


class SatkerFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Cari kode atau nama"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"),
        queryset=Province.objects.all(),
        field_name="province",
        empty_label=_("Semua provinsi"),
    )
    is_central = django_filters.BooleanFilter(label=_("Unit pusat"))

    class Meta:
        model = Satker
        fields = ["q", "province", "is_central"]

    def search(self, queryset: QuerySet[Satker], name: str, value: str) -> QuerySet[Satker]:
        return queryset.filter(Q(code__startswith=value.strip()) | Q(name__icontains=value.strip()))
