"""An upload's errors as stored (``Upload.errors``) and as shown to whoever reads them.

Stored: ``[row, column, text]`` or ``[row, column, text, message]``, where ``text`` is the
sentence as written when the file was checked (the uploader's or the worker's language) and
``message`` the msgid and parameters of core/messages.py, kept when the error was made with
``core.messages.text``. Shown: the message rendered in the reader's language, the text for an
error without one (rows stored before, and the kinds' own sentences that are still plain text).
"""

from __future__ import annotations

from typing import Any

from core.messages import render_stored, stored_of
from imports.reader import RowError


def stored_error(error: RowError) -> list[Any]:
    """One error as ``Upload.errors`` keeps it."""
    entry: list[Any] = [error.row, error.column, str(error.message)]
    stored = stored_of(error.message)
    if stored is not None:
        entry.append(stored)
    return entry


def stored_message(text: str) -> list[Any]:
    """A whole-file error (row 0, no column), keeping its message when it has one."""
    return stored_error(RowError(0, "", text))


def shown_errors(entries: list[list[Any]]) -> list[tuple[int, str, str]]:
    """``(row, column, message)`` in the active language."""
    shown = []
    for entry in entries:
        row, column, text = entry[0], entry[1], entry[2]
        shown.append((row, column, render_stored(entry[3] if len(entry) > 3 else None, text)))
    return shown
