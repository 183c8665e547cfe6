"""Template helpers shared by every page."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple
from django.utils.safestring import SafeString

from core.formats import format_number, format_percent, format_rupiah, format_volume

register = template.Library()


@register.filter
def angka(value: int | str | None) -> str:
    """12345678 -> 12.345.678 (text that is not a whole number, e.g. what a user typed, is shown as is)"""
    if isinstance(value, str):
        return format_number(int(value)) if value.strip().lstrip("-").isdigit() else value
    return format_number(value)


@register.filter
def rupiah(value: int | None) -> str:
    """12345678 -> Rp12.345.678"""
    return format_rupiah(value)


@register.filter
def persen(value: Decimal | float | None) -> str:
    """97.9712 -> 97,97 %"""
    return format_percent(value)


@register.filter
def volume(value: Decimal | int | None) -> str:
    """1250.5 -> 1.250,5; 12.00 -> 12"""
    return format_volume(value)


@register.filter
def bootstrap_widget(field: BoundField, aria_label: str = "") -> SafeString:
    """The field's widget with Bootstrap's classes, marked invalid and tied to its help text and
    errors with aria-describedby (ids match partials/form_fields.html). ``aria_label`` names a
    widget of a grid that has no <label> of its own (the row and column headers name it to the eye)."""
    widget = field.field.widget
    if isinstance(widget, (CheckboxInput, RadioSelect)):
        css = "form-check-input"
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        css += " is-invalid"
        described_by.append(f"{field.auto_id}_error")
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if aria_label:
        attrs["aria-label"] = str(aria_label)
    return field.as_widget(attrs=attrs)
