from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import DataAccessMixin
from accounts.scoping import scoped
from budgets.filters import SatkerFilter
from budgets.models import Province, Satker, SatkerAuthority
from budgets.tables import SatkerTable
from core.exports.table_export import TableExportMixin


class SatkerListView(DataAccessMixin, TableExportMixin, SingleTableMixin, FilterView):
    """Satkers the user may see: all for directorate roles, the own province's for officers;
    ``?format=xlsx`` exports every filtered one."""

    model = Satker
    table_class = SatkerTable
    filterset_class = SatkerFilter
    template_name = "budgets/satker_list.html"
    paginate_by = 50
    export_name = gettext_lazy("Satker")
    export_filename = "satker"

    def get_queryset(self) -> QuerySet[Satker]:
        authorities = SatkerAuthority.objects.select_related("fiscal_year").order_by("-fiscal_year__year")
        return scoped(Satker.objects.select_related("province"), self.request.user).prefetch_related(
            Prefetch("authorities", queryset=authorities, to_attr="all_authorities")
        )

    def get_filterset(self, filterset_class: type[SatkerFilter]) -> SatkerFilter:
        filterset = super().get_filterset(filterset_class)
        # The province choices follow the same scope as the rows.
        filterset.form.fields["province"].queryset = scoped(Province.objects.all(), self.request.user)
        return filterset
