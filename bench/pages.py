"""What the load test's users read from the site's pages and type into its forms
(bench/locustfile.py): fields, CSRF tokens, forms by action, links of a queue, the realization
grid's POST. Plain text work, no Django and no Locust, so the tests run it on pages the real
views render."""

from __future__ import annotations

import re
from html import unescape

INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
FORM = re.compile(r'<form\b[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.I | re.S)
REPORT_LINK = re.compile(r'href="(/monthly-reports/(\d+)/)[?"]')
LINE_FIELD = re.compile(r"line_\d+")


def inputs(html: str) -> dict[str, dict[str, str]]:
    """The page's <input> elements by name, each with its attributes (values unescaped)."""
    found = {}
    for tag in INPUT.findall(html):
        attributes = {key.lower(): unescape(value) for key, value in ATTRIBUTE.findall(tag)}
        if "name" in attributes:
            found.setdefault(attributes["name"], attributes)
    return found


def csrf_token(html: str) -> str | None:
    field = inputs(html).get("csrfmiddlewaretoken")
    return field.get("value") if field else None


def form_actions(html: str) -> dict[str, str]:
    """The page's POST forms by action URL: their HTML (to read their fields)."""
    return {unescape(action): body for action, body in FORM.findall(html)}


def rupiah(text: str) -> int:
    """An amount as the grid shows it (1.250.000) in whole rupiah."""
    digits = text.replace(".", "").replace(" ", "")
    return int(digits) if digits.isdigit() else 0


def alternate(amount: int) -> int:
    """Every save moves a line between two amounts, a thousand rupiah apart, never below zero:
    runs after runs stay within the line's pagu."""
    return amount - 1000 if (amount // 1000) % 2 == 1 else amount + 1000


def typed_grid(html: str, lines_to_type: int = 3) -> dict[str, str] | None:
    """The realization grid's POST as the officer sends it: every line's amount as shown, the
    first ``lines_to_type`` editable ones typed anew; None when the month is not editable."""
    fields = inputs(html)
    lines = {name: attrs for name, attrs in fields.items() if LINE_FIELD.fullmatch(name)}
    if not lines or "version" not in fields or "csrfmiddlewaretoken" not in fields:
        return None
    data = {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]["value"], "version": fields["version"]["value"]}
    typed = 0
    for name, attrs in lines.items():
        amount = rupiah(attrs.get("value", ""))
        if typed < lines_to_type and "readonly" not in attrs:
            amount, typed = alternate(amount), typed + 1
        data[name] = str(amount)
    return data


def editable_grid(html: str) -> str | None:
    return None if typed_grid(html) is not None else "no editable realization grid"


def report_links(html: str) -> list[str]:
    """The monthly reports a queue page links to (each once, in its order)."""
    return list(dict.fromkeys(path for path, _pk in REPORT_LINK.findall(html)))


def form_ending(forms: dict[str, str], suffix: str) -> tuple[str, str] | None:
    return next(((action, form) for action, form in forms.items() if action.endswith(suffix)), None)
