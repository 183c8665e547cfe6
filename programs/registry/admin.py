"""Django admin for the IKM registry. Built for a table of millions of rows: no full count on
each page (``show_full_result_count``), related rows joined in the list query, a data-year
filter that does not scan the table for its choices, and a search that uses the normalised name
or the exact NIB. Saves go through the registry service, so the admin obeys the same rules
(13-digit NIB, manufacturing KBLI, duplicates, derived fields) as the officers' form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from budgets.forms import RupiahField
from programs.models import Enterprise
from programs.registry.rules import is_nib, normalize_name
from programs.registry.services import FIELDS, FIRST_DATA_YEAR, enterprise_clean, enterprise_save, enterprises_delete


class DataYearFilter(admin.SimpleListFilter):
    """Years from the first possible one to now; the default filter would SELECT DISTINCT over
    the whole registry to find them."""

    title = _("tahun pendataan")
    parameter_name = "data_year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(str(year), str(year)) for year in range(timezone.localdate().year, FIRST_DATA_YEAR - 1, -1)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(data_year=int(value))
        return queryset


class EnterpriseAdminForm(forms.ModelForm):
    investment = RupiahField(label=_("investasi (tanpa tanah dan bangunan)"), required=False)
    production_value = RupiahField(label=_("nilai produksi per tahun"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("saya yakin ini usaha yang berbeda"),
        required=False,
        help_text=_("Centang bila sudah ada usaha bernama sama di kabupaten/kota ini tetapi ini usaha lain."),
    )

    class Meta:
        model = Enterprise
        fields = ["nib", "name", "owner", "regency", "address", "kbli", "workers_male", "workers_female",
                  "investment", "production_value", "data_year", "satker", "centre"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.request_user = kwargs.pop("request_user", None)
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        # The service's checks replace the model's: they give the registry's own messages and
        # derive the province, size class and normalised name.
        if self.errors:
            return
        try:
            enterprise_clean(
                by=self.request_user,
                data=self.service_data(),
                enterprise=self.instance if self.instance.pk else None,
                confirm_duplicate=self.cleaned_data.get("confirm_duplicate", False),
            )
        except ValidationError as error:
            self._update_errors(error)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in FIELDS}


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    form = EnterpriseAdminForm
    list_display = ["name", "nib", "regency", "province", "kbli", "workers", "investment", "size_class", "data_year"]
    list_filter = ["province", "size_class", DataYearFilter]
    list_select_related = ["regency", "province"]
    search_fields = ["name_normalized", "=nib"]
    search_help_text = _("Sebagian nama usaha, atau NIB 13 digit.")
    show_full_result_count = False
    readonly_fields = ["province", "size_class", "name_normalized", "version", "updated_at"]
    raw_id_fields = ["centre"]
    list_per_page = 50
    fieldsets = [
        (_("Identitas"), {"fields": ["nib", "name", "name_normalized", "owner"]}),
        (_("Lokasi"), {"fields": ["regency", "province", "address", "centre"]}),
        (
            _("Kegiatan usaha"),
            {"fields": ["kbli", "workers_male", "workers_female", "investment", "production_value", "size_class"]},
        ),
        (_("Pendataan"), {"fields": ["data_year", "satker", "version", "updated_at", "confirm_duplicate"]}),
    ]

    def get_form(self, request: HttpRequest, obj: Enterprise | None = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form_class):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, request_user=request.user, **inner)

        return WithUser

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Enterprise], search_term: str
    ) -> tuple[QuerySet[Enterprise], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        compact = term.replace(" ", "").replace(".", "")
        if is_nib(compact):
            return queryset.filter(nib=compact), False
        normalized = normalize_name(term)
        if not normalized:
            return queryset, False
        return queryset.filter(name_normalized__contains=normalized), False

    @admin.display(description=_("tenaga kerja"))
    def workers(self, enterprise: Enterprise) -> int:
        return enterprise.workers

    def delete_model(self, request: HttpRequest, obj: Enterprise) -> None:
        enterprises_delete(enterprises=Enterprise.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Enterprise]) -> None:
        enterprises_delete(enterprises=queryset, by=request.user)

    def save_model(self, request: HttpRequest, obj: Enterprise, form: EnterpriseAdminForm, change: bool) -> None:
        saved = enterprise_save(
            by=request.user,
            data=form.service_data(),
            enterprise=obj if change else None,
            confirm_duplicate=form.cleaned_data.get("confirm_duplicate", False),
        )
        # The admin's change log and redirect read the object it passed in.
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False
