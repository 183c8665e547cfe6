"""Forms of budget execution: money fields that read Indonesian input, and the entry grids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import Account, BudgetComponent, BudgetLine, BudgetRevision
from core.formats import MONTH_NAMES, RupiahError, format_number, parse_rupiah
from core.widgets import FastCheckboxSelectMultiple


class RupiahInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "class": "text-end rupiah", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


class RupiahField(forms.Field):
    """Whole rupiah; accepts 1250000, 1.250.000, Rp 1.250.000 and 1.250.000,00."""

    widget = RupiahInput

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            return parse_rupiah(value)
        except RupiahError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


def line_field_name(line_id: int) -> str:
    return f"line_{line_id}"


class RealizationGridForm(forms.Form):
    """One amount per budget line for one month, plus the report version it was built on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, lines: list[BudgetLine], locked: frozenset[int] = frozenset(), **kwargs: Any
    ) -> None:
        """``locked``: lines a targeted return keeps read-only; their stored amount is posted back
        (readonly, not disabled), so a changed one is refused by ``realization_set``."""
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            field = RupiahField(required=False, label=str(line.label))
            if line.pk in locked:
                field.widget.attrs.update({"readonly": True, "tabindex": "-1"})
            self.fields[line_field_name(line.pk)] = field

    def amounts(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(line_field_name(line.pk)) or 0 for line in self.lines}


def rpd_field_name(spending_type_id: int, month: int) -> str:
    return f"rpd_{spending_type_id}_{month}"


class RpdGridForm(forms.Form):
    """The 12 months of each spending type. Frozen months are disabled fields: whatever the
    browser posts for them, the form keeps their initial (stored) amount."""

    def __init__(
        self,
        *args: Any,
        spending_type_ids: list[int],
        frozen_months: range = range(1, 1),
        names: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spending_type_ids = spending_type_ids
        names = names or {}
        for st in spending_type_ids:
            for month in range(1, 13):
                # The grid shows no <label> per cell (the row and column headers say it to the
                # eye): a screen reader hears the spending type and the month from aria-label.
                name = f"{names.get(st, st)}, {MONTH_NAMES[month]}"
                self.fields[rpd_field_name(st, month)] = RupiahField(
                    required=False, label=name, disabled=month in frozen_months,
                    widget=RupiahInput(attrs={"aria-label": name}),
                )  # fmt: skip

    def plan(self) -> dict[tuple[int, int], int]:
        return {
            (st, month): self.cleaned_data.get(rpd_field_name(st, month)) or 0
            for st in self.spending_type_ids
            for month in range(1, 13)
        }


def _record_ref(ref: str) -> tuple[str, int]:
    """``<app.model>:<id>`` as (label, id), the way report_return takes a programme record."""
    label, _sep, pk = ref.rpartition(":")
    return label, int(pk)


class ReturnForm(forms.Form):
    """The return's reason, and optionally the lines, RO rows and programme records to fix (none:
    the whole month opens). ``lines``/``outputs``/``records``: the report's realization lines, RO
    rows and the month's records (``RecordRow``s) to choose from."""

    comment = forms.CharField(
        label=_("Alasan pengembalian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Tuliskan apa yang harus diperbaiki satker."),
    )
    lines = forms.TypedMultipleChoiceField(
        label=_("Baris realisasi yang diperbaiki"), required=False, coerce=int, choices=(),
        widget=FastCheckboxSelectMultiple,
        help_text=_("Opsional: hanya baris yang dipilih yang dapat diubah satker. Tanpa pilihan, seluruh laporan "
                    "dibuka."),
    )  # fmt: skip
    outputs = forms.TypedMultipleChoiceField(
        label=_("RO yang diperbaiki"), required=False, coerce=int, choices=(), widget=FastCheckboxSelectMultiple
    )
    records = forms.TypedMultipleChoiceField(
        label=_("Catatan program yang diperbaiki"), required=False, coerce=_record_ref, choices=(),
        widget=FastCheckboxSelectMultiple,
        help_text=_("Opsional: hanya catatan yang dipilih yang dapat diubah atau dihapus satker; catatan baru tidak "
                    "dapat ditambahkan."),
    )  # fmt: skip

    def __init__(self, *args: Any, lines: Any = (), outputs: Any = (), records: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(line.pk, str(line.label)) for line in lines]
        self.fields["outputs"].choices = [(output.pk, f"{output.full_code} {output.name}") for output in outputs]
        self.fields["records"].choices = [(row.ref, f"{row.title}: {row.label}") for row in records]
        if not lines:
            del self.fields["lines"]
        if not outputs:
            del self.fields["outputs"]
        if not records:
            del self.fields["records"]


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    # Only needed while the realization differs from the treasury's figure (budgets/reconciliation.py).
    reconciliation_reason = forms.CharField(
        label=_("Alasan selisih dengan angka perbendaharaan"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Realisasi bulan ini berbeda dengan OM-SPAN/SAKTI (lihat halaman rekonsiliasi): tuliskan "
                    "alasannya untuk tetap melanjutkan."),
    )  # fmt: skip


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class RevisionHeaderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis revisi"), choices=BudgetRevision.Kind.choices)
    treasury_code = forms.RegexField(
        label=_("Kode revisi Ditjen Perbendaharaan"),
        regex=r"^[0-9]{3}$",
        required=False,
        max_length=3,
        help_text=_("Tiga digit, mis. 201; menentukan apakah revisi dihitung dalam IKPA."),
        error_messages={"invalid": _("Kode revisi terdiri dari tiga digit.")},
    )
    date = forms.DateField(label=_("Tanggal revisi"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ExistingLineForm(forms.Form):
    pagu = RupiahField(label=_("Pagu"))
    blokir = RupiahField(label=_("Blokir"), required=False)


class NewLineForm(forms.Form):
    component = forms.ModelChoiceField(label=_("Komponen"), queryset=BudgetComponent.objects.all(), required=False)
    account = forms.ModelChoiceField(label=_("Akun"), queryset=Account.objects.all(), required=False)
    pagu = RupiahField(label=_("Pagu"), required=False)
    blokir = RupiahField(label=_("Blokir"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [data.get("component"), data.get("account"), data.get("pagu")]
        if any(v not in (None, "") for v in filled) and not all(v not in (None, "") for v in filled):
            raise forms.ValidationError(_("Baris baru perlu komponen, akun dan pagu."))
        return data


NewLineFormSet = forms.formset_factory(NewLineForm, extra=3)
