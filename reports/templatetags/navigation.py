"""``{% report_menu %}`` and ``{% breadcrumbs %}`` for base.html (reports/navigation.py)."""

from __future__ import annotations

from typing import Any

from django import template

from reports import navigation

register = template.Library()


def _match(context: dict[str, Any]) -> Any:
    request = context.get("request")
    return getattr(request, "resolver_match", None)


@register.inclusion_tag("partials/report_menu.html", takes_context=True)
def report_menu(context: dict[str, Any]) -> dict[str, Any]:
    match = _match(context)
    items = navigation.report_menu(context["user"], match.view_name if match else None)
    return {"items": items, "active": any(item.current for item in items)}


@register.inclusion_tag("partials/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: dict[str, Any]) -> dict[str, Any]:
    return {"crumbs": navigation.trail(_match(context))}
