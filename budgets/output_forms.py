"""Forms of the monthly report's "Capaian RO" section: the month's RO rows, and an adjustment of
an approved earlier month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Output
from budgets.ro_entry import DecimalError, parse_decimal
from budgets.services.outputs import NOTE_LENGTH, REASON_LENGTH, ZERO_ADJUSTMENT, RoEntry
from core.formats import MONTH_CHOICES, format_volume


class DecimalInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "class": "text-end", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return format_volume(value)
        return super().format_value(value)


class IndonesianDecimalField(forms.Field):
    """A decimal as officers type it (``2,5``, ``1.250``); see ``ro_entry.parse_decimal``."""

    widget = DecimalInput

    def __init__(self, *args: Any, signed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed = signed

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            number = parse_decimal(value, label=str(self.label))
        except DecimalError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
        if number < 0 and not self.signed:
            raise forms.ValidationError(_("%(label)s tidak boleh negatif.") % {"label": self.label}, code="negative")
        return number


def ro_field(output_id: int, part: str) -> str:
    return f"ro_{output_id}_{part}"


class RoMonthForm(forms.Form):
    """Per RO of the DIPA: this month's volume, physical progress and a note; plus the report
    version the form was built on. An RO left with both numbers empty is not written."""

    action = forms.CharField(widget=forms.HiddenInput, initial="save")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, outputs: list[Output], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outputs = outputs
        for output in outputs:
            self.fields[ro_field(output.pk, "volume")] = IndonesianDecimalField(
                required=False, label=_("Volume bulan ini %(ro)s") % {"ro": output.full_code}
            )
            self.fields[ro_field(output.pk, "progress")] = IndonesianDecimalField(
                required=False, label=_("Progres fisik (%%) %(ro)s") % {"ro": output.full_code}
            )
            self.fields[ro_field(output.pk, "note")] = forms.CharField(
                required=False, max_length=NOTE_LENGTH, label=_("Keterangan %(ro)s") % {"ro": output.full_code}
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for output in self.outputs:
            volume, progress = ro_field(output.pk, "volume"), ro_field(output.pk, "progress")
            given = [cleaned.get(volume), cleaned.get(progress)]
            if volume in self.errors or progress in self.errors or given == [None, None]:
                continue
            if given[0] is None:
                self.add_error(volume, _("Isi volume bulan ini (0 bila tidak ada tambahan)."))
            if given[1] is None:
                self.add_error(progress, _("Isi progres fisik (0-100)."))
            elif not Decimal(0) <= given[1] <= Decimal(100):
                self.add_error(progress, _("Progres fisik harus di antara 0 dan 100 persen."))
        return cleaned

    def entries(self) -> dict[int, RoEntry]:
        found = {}
        for output in self.outputs:
            volume = self.cleaned_data.get(ro_field(output.pk, "volume"))
            progress = self.cleaned_data.get(ro_field(output.pk, "progress"))
            if volume is not None and progress is not None:
                note = self.cleaned_data.get(ro_field(output.pk, "note")) or ""
                found[output.pk] = RoEntry(volume, progress, note)
        return found


class RoAdjustmentForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="adjust")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    output = forms.TypedChoiceField(label=gettext_lazy("RO"), coerce=int)
    corrected_month = forms.TypedChoiceField(label=gettext_lazy("Bulan yang dikoreksi"), coerce=int)
    volume = IndonesianDecimalField(
        label=gettext_lazy("Koreksi volume (+/-)"), signed=True,
        help_text=gettext_lazy("Tambahan (mis. 2) atau pengurangan (mis. -2) volume bulan itu."),
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Alasan koreksi"), max_length=REASON_LENGTH)

    def __init__(self, *args: Any, outputs: list[Output], month: int, **kwargs: Any) -> None:
        # Ids of its own: the report page's other forms have a "reason" too.
        kwargs.setdefault("auto_id", "id_ro_adj_%s")
        super().__init__(*args, **kwargs)
        self.fields["output"].choices = [(output.pk, str(output)) for output in outputs]
        self.fields["corrected_month"].choices = [(m, label) for m, label in MONTH_CHOICES if m < month]

    def clean_volume(self) -> Decimal:
        volume = self.cleaned_data["volume"]
        if not volume:
            raise forms.ValidationError(ZERO_ADJUSTMENT, code="zero")
        return volume
