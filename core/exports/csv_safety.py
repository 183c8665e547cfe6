"""Text in CSV exports that a spreadsheet would run as a formula (CSV injection: a name typed as
``=HYPERLINK(...)`` or ``@SUM(...)``) is written with a leading apostrophe, which spreadsheets
show as text. Numbers are never touched (a negative amount stays ``-5``)."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
