"""The base of every list filter (django-filter): a select that filters nothing says so in words.

django-filter's empty choice is "---------" and a BooleanFilter's is Django's "Tidak diketahui"
("Unknown"): neither tells a screen reader, or anyone, that the list is not filtered. Each filter
names its own empty choice ("Semua provinsi", ``empty_label``); what a filter leaves unnamed falls
back to "Semua" here, and a yes/no filter reads "Semua / Ya / Tidak"."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

ALL = _("Semua")
DASHES = "---------"  # django-filter's and Django's default empty choice


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, forms.NullBooleanField):
                # NullBooleanSelect reads "unknown" as None: the same keys, worded as a filter.
                field.widget.choices = [("unknown", ALL), ("true", _("Ya")), ("false", _("Tidak"))]
            elif getattr(field, "empty_label", None) is not None:
                # ModelChoiceField and django-filter's ChoiceField write their empty choice from it.
                if str(field.empty_label) == DASHES:
                    field.empty_label = ALL
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] == "" and str(choices[0][1]) == DASHES:
                    field.choices = [("", ALL), *choices[1:]]
