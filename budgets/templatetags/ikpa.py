"""``{{ value|ikpa_category }}``: an IKPA category as its badge, named and coloured as in the
report (budgets/ikpa/labels.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from budgets.ikpa.labels import CATEGORY_BADGES, CATEGORY_LABELS

register = template.Library()


@register.filter
def ikpa_category(category: str | None) -> str:
    if category not in CATEGORY_LABELS:
        return ""
    return format_html('<span class="badge text-bg-{}">{}</span>', CATEGORY_BADGES[category], CATEGORY_LABELS[category])
