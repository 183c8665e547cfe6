"""Messages kept as a message id and its parameters, rendered in the reader's language when shown
(a stored sentence stays in the language it was written in; a stored message id does not).

The message id is an Indonesian msgid (mark it with ``gettext_noop``); the parameters are JSON
(stored in a JSONField): a string or a number is shown as it is (amounts already formatted), and
the words that have to follow the reader's language are small dicts, built with the helpers here:

- ``month(3)``: the month's name ("Maret", "March");
- ``message(msgid, **params)``: a nested message ("tanpa NIB", "%(places)s, dan %(count)s lainnya");
- ``words([...])``: a list joined as a sentence writes it ("a, b, dan c"; "a, b, and c");
- ``named(name, name_en)``: a thing's name as the master data keeps it in both languages;
- ``joined(parts, sep)``: parts joined by a separator ("Januari Rp5.000.000"; ``spaced(...)``).

``render(msgid, params)`` gives the text in the active language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from core.formats import join_words, month_name

Params = dict[str, Any]


def month(number: int) -> Params:
    return {"month": int(number)}


def message(msgid: str, **params: Any) -> Params:
    return {"msg": msgid, "params": params} if params else {"msg": msgid}


def words(items: Iterable[Any]) -> Params:
    return {"words": list(items)}


def named(name: str, name_en: str = "") -> Params:
    return {"name": name, "name_en": name_en}


def joined(parts: Iterable[Any], sep: str) -> Params:
    return {"join": list(parts), "sep": sep}


def spaced(*parts: Any) -> Params:
    return joined(parts, " ")


def msgid_of(label: str | Promise) -> str:
    """The msgid behind a lazy label (a model choice's label): what ``message`` stores."""
    with translation.override(None):
        return str(label)


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "id"


def render_value(value: Any) -> str:
    """One parameter as text in the active language."""
    if isinstance(value, Mapping):
        if "month" in value:
            return month_name(value["month"])
        if "msg" in value:
            return render(value["msg"], value.get("params"))
        if "words" in value:
            return join_words([render_value(item) for item in value["words"]], _language())  # type: ignore[arg-type]
        if "name" in value:  # the English name when there is one
            return (value.get("name_en") or value["name"]) if _language() == "en" else value["name"]
        if "join" in value:
            return str(value.get("sep", " ")).join(render_value(item) for item in value["join"])
        raise ValueError(f"Unknown message parameter: {value!r}")
    return str(value)


def render(msgid: str, params: Mapping[str, Any] | None = None) -> str:
    """``gettext(msgid) % params`` in the active language, every parameter rendered first."""
    text = gettext(msgid)
    if not params:
        return text
    return text % {key: render_value(value) for key, value in params.items()}


class MessageText(str):
    """A message rendered in the language active when it was made, that remembers its msgid and
    parameters (``stored``) so that whoever reads it later gets it in their own language. It is a
    ``str`` so the code that only passes messages along (excerpts, logs, exceptions) needs no
    change; ``str(value)`` drops ``stored`` (Python copies a str subclass), hence ``stored_of``."""

    stored: Params

    def __new__(cls, rendered: str, stored: Params) -> MessageText:
        value = super().__new__(cls, rendered)
        value.stored = stored
        return value

    def __reduce__(self) -> tuple:  # pickled (cached, queued) with what it remembers
        return (MessageText, (str(self), self.stored))


def text(msgid: str, **params: Any) -> MessageText:
    """``render(msgid, params)`` that keeps ``message(msgid, **params)``: mark ``msgid`` with
    ``gettext_noop`` so that makemessages collects it."""
    return MessageText(render(msgid, params), message(msgid, **params))


def stored_of(value: Any) -> Params | None:
    """The stored form of a message: a MessageText's (or an exception carrying one), else None
    (a plain sentence: it is kept, and shown, as written)."""
    if isinstance(value, BaseException):
        value = value.args[0] if value.args else None
    return value.stored if isinstance(value, MessageText) else None


def message_of(error: BaseException) -> str:
    """An exception's message, the MessageText itself when it carries one (``str(error)`` would
    copy it into a plain str)."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, MessageText) else str(error)


def render_stored(stored: Any, fallback: str) -> str:
    """A stored message in the active language; ``fallback`` (the text as it was written) for a
    row stored before messages were kept as msgid and parameters, or one that no longer renders
    (a parameter renamed since)."""
    if not isinstance(stored, Mapping) or "msg" not in stored:
        return fallback
    try:
        rendered = render_value(stored)
    except (KeyError, TypeError, ValueError):
        return fallback
    # A placeholder left unfilled (its parameters were lost): the written text reads better.
    return fallback if "%(" in rendered else rendered
