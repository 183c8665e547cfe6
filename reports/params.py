"""The query parameters of the realization reports, checked strictly: a malformed or unknown
parameter is an error with its reason (HTTP 400), never silently ignored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.calendar import as_of_month
from budgets.models import Authority, BudgetComponent, FiscalYear, Province
from budgets.quarterly_rules import YEAR_END, last_completed_quarter
from budgets.reports.ro import LEVELS, ro_choices
from budgets.selectors import current_fiscal_year, year_options
from core.formats import MONTH_CHOICES
from core.reporting.spec import APPROVED_BASIS

FORMATS = ("html", "xlsx", "csv", "json")
# Parameters any report page may carry besides its filters: the output format and the
# HTML table's sort order, and the CSV's dialect (core/exports/csv_dialect.py).
COMMON = {"format", "sort", "dialect"}


class BadReportParams(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors  # by parameter name ("__all__": the query as a whole), as JSON gives them

    def labelled(self) -> list[tuple[str | None, str]]:
        """Every message with the filter's label in the reader's language ("Tahun" / "Year"), as
        the filter bar names it: the page never shows a parameter's name (``year``) to a reader.
        A parameter without a field (only ever repeated) keeps its name; ``__all__`` has none."""
        fields = ReportParamsForm.base_fields
        labelled = []
        for name, messages in self.errors.items():
            if name == "__all__":
                label = None
            elif name in fields and fields[name].label:
                label = str(fields[name].label)
            else:
                label = name
            labelled.extend((label, str(message)) for message in messages)
        return labelled


class ReportParamsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Tahun"), required=False)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Sampai bulan"), choices=[("", gettext_lazy("Bulan terakhir yang selesai")), *MONTH_CHOICES],
        coerce=int, required=False, empty_value=None,
    )  # fmt: skip
    province = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    component = forms.ChoiceField(label=gettext_lazy("Komponen"), required=False)
    authority = forms.ChoiceField(
        label=gettext_lazy("Kewenangan"), choices=[("", gettext_lazy("Semua")), *Authority.choices], required=False
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Dasar angka"),
        choices=[(APPROVED_BASIS, gettext_lazy("Laporan disetujui (resmi)")),
                 ("submitted", gettext_lazy("Disetujui + menunggu tinjauan"))],
        required=False,
    )  # fmt: skip
    below = forms.DecimalField(
        label=gettext_lazy("Di bawah (%)"), required=False, min_value=0, max_value=100, decimal_places=2,
        help_text=gettext_lazy("Kosongkan nilainya untuk memakai ambang tahun anggaran."),
    )  # fmt: skip
    ro = forms.ChoiceField(
        label=gettext_lazy("RO"), required=False,
        error_messages={"invalid_choice": gettext_lazy(
            "RO %(value)s tidak dikenal: tulis kode lengkap kegiatan.KRO.RO, mis. 6503.RBS.001."
        )},
    )  # fmt: skip
    level = forms.ChoiceField(
        label=gettext_lazy("Rincian sampai"),
        choices=[("", gettext_lazy("Otomatis: per RO; satker bila satu provinsi")), *LEVELS.items()], required=False,
    )  # fmt: skip
    quarter = forms.ChoiceField(
        label=gettext_lazy("Triwulan"),
        choices=[("", gettext_lazy("Triwulan terakhir yang selesai")), ("1", gettext_lazy("TW I")),
                 ("2", gettext_lazy("TW II")), ("3", gettext_lazy("TW III")), ("4", gettext_lazy("TW IV")),
                 (YEAR_END, gettext_lazy("Akhir tahun"))],
        required=False,
    )  # fmt: skip
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS], required=False)

    def __init__(
        self,
        *args: Any,
        provinces: list[tuple[str, str]],
        data_years: range | None = None,
        with_ro: bool = False,
        with_quarter: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.data_years = data_years
        if data_years is None:
            # A fiscal year's picker, as every year picker: the years with data first (the
            # helper's query runs only when the filter bar renders: JSON, CSV and XLSX skip it).
            # The field stays an IntegerField: a year typed into the address is checked as before.
            # Read once: a select iterates its choices twice when it renders (the required
            # attribute looks at the first), and a callable's are read again on each iteration.
            self.fields["year"].widget = forms.Select(
                choices=cache(lambda: [(option.year, option.label) for option in year_options()])
            )
        # The ROs are read only for the report that filters by them.
        if with_ro:
            self.fields["ro"].choices = [("", _("Semua RO")), *ro_choices()]
        else:
            del self.fields["ro"], self.fields["level"]
        if not with_quarter:
            del self.fields["quarter"]
        self.fields["province"].choices = [("", _("Semua provinsi")), *provinces]
        # The components are read only when a component is asked for or the picker renders (the
        # JSON, CSV and XLSX answers and the reports without that filter skip the query), once.
        self.fields["component"].choices = cache(lambda: [
            ("", _("Semua komponen")), *BudgetComponent.objects.values_list("code", "name").order_by("code")
        ])  # fmt: skip

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        if year is None:
            current = current_fiscal_year()
            if current is None:
                raise forms.ValidationError(_("Belum ada tahun anggaran."))
            if self.data_years is None:
                # The picker shows the year the report is of (else a select shows its first option).
                self.data = self.data.copy()
                self.data["year"] = str(current.year)
            return current.year
        if self.data_years is not None:
            # A data-collection year (the registry's), not a fiscal year: any the registry can hold.
            if year not in self.data_years:
                raise forms.ValidationError(
                    _("Tahun pendataan %(year)s di luar rentang %(first)s-%(last)s.")
                    % {"year": year, "first": self.data_years[0], "last": self.data_years[-1]}
                )
            return year
        if not FiscalYear.objects.filter(year=year).exists():
            raise forms.ValidationError(_("Tahun anggaran %(year)s tidak ada.") % {"year": year})
        return year


@dataclass(frozen=True)
class ReportParams:
    year: int
    month: int | None
    province: str | None
    component: str | None
    authority: str | None
    basis: str
    below: Decimal | None
    below_given: bool  # ``below`` present (its value may be empty: the year's threshold)
    format: str
    ro: str | None = None  # a full RO code (the RO report)
    level: str | None = None  # the RO report's rows down to this level; None: the report decides
    quarter: str | None = None  # "1"-"4" or "year-end" (the quarterly report)

    def as_dict(self) -> dict[str, Any]:
        """The parameters as applied, for the JSON ``params`` and the XLSX title."""
        params = {"year": self.year, "month": self.month, "province": self.province, "component": self.component,
                  "authority": self.authority, "basis": self.basis}  # fmt: skip
        if self.below_given:
            params["below"] = float(self.below) if self.below is not None else None
        return params


def unknown_or_repeated(query: QueryDict, allowed: set[str]) -> dict[str, list[str]]:
    """A strict query's first check (the reports', the API's registry): every parameter known, each
    given once. The errors by parameter name (``__all__``: the unknown ones)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(query) - allowed)
    if unknown:
        errors["__all__"] = [_("Parameter tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}]
    for name in query:
        if len(query.getlist(name)) > 1:
            errors.setdefault(name, []).append(_("Parameter ini hanya boleh muncul sekali."))
    return errors


def parse_report_params(
    query: QueryDict, *, allowed: set[str], today: date, data_years: range | None = None
) -> tuple[ReportParams, ReportParamsForm]:
    """Checked parameters (and the bound form, for the HTML filter bar); raises BadReportParams.
    A report that takes a month stands at one: the one asked for, else the year's last completed
    month (budgets.calendar.as_of_month), so every figure is "as of" a stated cut-off."""
    provinces = list(Province.objects.values_list("bps_code", "name").order_by("bps_code"))
    form = ReportParamsForm(query, provinces=provinces, data_years=data_years, with_ro="ro" in allowed,
                            with_quarter="quarter" in allowed)  # fmt: skip
    errors = unknown_or_repeated(query, allowed | COMMON)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise BadReportParams(errors)
    data = form.cleaned_data
    return (
        ReportParams(
            year=data["year"],
            month=data["month"] or (as_of_month(data["year"], today) if "month" in allowed else None),
            province=data["province"] or None,
            component=data["component"] or None,
            authority=data["authority"] or None,
            basis=data["basis"] or APPROVED_BASIS,
            below=data["below"],
            below_given="below" in query,
            format=data["format"] or "html",
            ro=data.get("ro") or None,
            level=data.get("level") or None,
            quarter=(data.get("quarter") or str(last_completed_quarter(data["year"], today)))
            if "quarter" in allowed
            else None,
        ),
        form,
    )
