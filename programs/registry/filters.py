"""Search and filters of the IKM registry list (and its exports). Every filter is one that an
index of the registry serves (province, regency, KBLI, size class, data year); the name search
works on the normalised name, so "CV. Keripik Sanjai" finds "keripik sanjai amak"."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from budgets.models import Province, Regency
from core.filters import FilterSet
from core.widgets import FastSelect
from programs.models import Enterprise, SizeClass
from programs.registry.report import KBLI_GROUPS
from programs.registry.rules import is_nib, normalize_name
from programs.registry.services import FIRST_DATA_YEAR


class EnterpriseFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari nama usaha atau NIB"), method="search", max_length=200,
        help_text=_("Sebagian nama usaha (tanpa CV/PT), atau NIB 13 digit."),
    )  # fmt: skip
    # Choices as (key, label) pairs read with values_list, written out by FastSelect: the 514
    # regencies as model instances through Django's templated Select were half the page's time.
    province = django_filters.ChoiceFilter(label=_("Provinsi"), method="filter_province",
                                           empty_label=_("Semua provinsi"), widget=FastSelect)  # fmt: skip
    regency = django_filters.ChoiceFilter(label=_("Kabupaten/kota"), method="filter_regency",
                                          empty_label=_("Semua kabupaten/kota"),
                                          widget=FastSelect)  # fmt: skip
    kbli = django_filters.CharFilter(
        label=_("KBLI"),
        method="filter_kbli",
        help_text=_("5 digit, atau 2 digit untuk satu golongan (mis. 10 = industri makanan)."),
        validators=[RegexValidator(r"^[0-9]{2}([0-9]{3})?$", _("Tulis KBLI 5 digit atau golongan 2 digit."))],
    )
    size_class = django_filters.ChoiceFilter(label=_("Skala usaha"), choices=SizeClass.choices,
                                             empty_label=_("Semua skala usaha"),
                                             widget=FastSelect)  # fmt: skip
    data_year = django_filters.NumberFilter(
        label=_("Tahun pendataan"), field_name="data_year", min_value=FIRST_DATA_YEAR, max_value=2100
    )

    class Meta:
        model = Enterprise
        fields = ["q", "province", "regency", "kbli", "size_class", "data_year"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user if user is not None else self.request.user
        provinces = list(
            scoped(Province.objects.all(), user).order_by("bps_code").values_list("pk", "bps_code", "name")
        )
        self.province_ids = {code: pk for pk, code, _name in provinces}
        # django-filter's choice field adds the empty choice ("Semua") itself.
        self.form.fields["province"].choices = [(code, f"{code} {name}") for _pk, code, name in provinces]
        regencies = scoped(Regency.objects.all(), user).order_by("kemendagri_code")
        chosen = self.data.get("province") if self.data else None
        if chosen in self.province_ids:
            regencies = regencies.filter(province_id=self.province_ids[chosen])
        rows = list(regencies.values_list("pk", "kemendagri_code", "name"))
        self.regency_names = {str(pk): name for pk, _code, name in rows}
        self.regency_codes = {str(pk): code for pk, code, _name in rows}
        self.form.fields["regency"].choices = [(str(pk), f"{code} {name}") for pk, code, name in rows]
        self.form.fields["data_year"].widget.attrs.update({"placeholder": str(timezone.localdate().year)})

    def search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        term = value.strip()
        compact = term.replace(" ", "").replace(".", "")
        if is_nib(compact):
            return queryset.filter(nib=compact)
        normalized = normalize_name(term)
        if not normalized:
            return queryset
        # The normalised name is lower-case ASCII, so a case-sensitive LIKE serves.
        return queryset.filter(name_normalized__contains=normalized)

    def filter_province(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        # By id, not through a join on the province code: the (province, name, id) index then
        # serves both the filter and the list's order.
        return queryset.filter(province_id=self.province_ids[value])

    def filter_regency(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(regency_id=int(value))

    def filter_kbli(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        if len(value) == 2:
            return queryset.filter(kbli__startswith=value)
        return queryset.filter(kbli=value)

    def describe(self) -> list[str]:
        """The filters applied, in words (the export's title row)."""
        if not self.is_bound or not self.is_valid():
            return []
        data = self.form.cleaned_data
        parts = []
        if data.get("q"):
            parts.append(str(_("cari “%(q)s”")) % {"q": data["q"]})
        if data.get("province"):
            label = dict(self.form.fields["province"].choices).get(data["province"], data["province"])
            parts.append(str(_("provinsi %(p)s")) % {"p": label})
        if data.get("regency"):
            parts.append(self.regency_names[data["regency"]])
        if data.get("kbli"):
            group = KBLI_GROUPS.get(data["kbli"]) if len(data["kbli"]) == 2 else None
            parts.append(f"KBLI {data['kbli']}" + (f" ({group})" if group else ""))
        if data.get("size_class"):
            parts.append(str(_("skala %(s)s")) % {"s": SizeClass(data["size_class"]).label})
        if data.get("data_year") is not None:
            parts.append(str(_("tahun pendataan %(y)s")) % {"y": int(data["data_year"])})
        return parts
