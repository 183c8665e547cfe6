"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """The field's widget with Bootstrap's classes, marked invalid and tied to its help text and
    errors with aria-describedby (ids match partials/form_fields.html)."""
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
    return field.as_widget(attrs=attrs)
