"""Query-string forms of the home page and the narrative download: a bad value is the user's
mistake (a 400 page that says what is wrong), never a server error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.models import Authority
from core.formats import LANGUAGES


class YearForm(forms.Form):
    """``year`` among the fiscal years that exist; empty means the current one."""

    year = forms.TypedChoiceField(label=_("Tahun anggaran"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        field.choices = [(year, str(year)) for year in years]
        field.error_messages["invalid_choice"] = _(
            "Tahun anggaran “%(value)s” tidak tersedia. Pilih salah satu tahun yang ada di daftar."
        )


class DashboardFilterForm(YearForm):
    authority = forms.ChoiceField(
        label=_("Kewenangan"),
        required=False,
        choices=[("", _("Semua")), *[(code, format_lazy("{} ({})", label, code)) for code, label in Authority.choices]],
        error_messages={"invalid_choice": _("Kewenangan “%(value)s” tidak dikenal: pilih KP, DK atau TP.")},
    )


class NarrativeForm(YearForm):
    lang = forms.ChoiceField(
        label=_("Bahasa"),
        required=False,
        choices=[(code, code) for code in LANGUAGES],
        error_messages={"invalid_choice": _("Bahasa “%(value)s” tidak tersedia: pilih id atau en.")},
    )
