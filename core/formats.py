"""Numbers, rupiah, percentages, months and dates as the pages show them and officers type them:
the one home of the Indonesian number format.

Input accepts plain digits or the Indonesian style (`1.250.000`, `Rp 1.250.000`, `1.250.000,00`);
amounts are whole rupiah, so a non-zero fraction is refused rather than rounded away. Commas as
thousands separators (`1,250,000`, as a spreadsheet set to English shows it) are read when they
cannot mean anything else: two or more groups of three, or a `.00` after them; a single group
(`1,250`: 1.250 rupiah, or 1 rupiah 25 sen the Indonesian way?) is refused with what to type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.utils.translation import gettext, gettext_lazy, gettext_noop

# The months of a fiscal year (= calendar year), as model choices and for display.
MONTH_CHOICES = [
    (1, gettext_lazy("Januari")), (2, gettext_lazy("Februari")), (3, gettext_lazy("Maret")),
    (4, gettext_lazy("April")), (5, gettext_lazy("Mei")), (6, gettext_lazy("Juni")),
    (7, gettext_lazy("Juli")), (8, gettext_lazy("Agustus")), (9, gettext_lazy("September")),
    (10, gettext_lazy("Oktober")), (11, gettext_lazy("November")), (12, gettext_lazy("Desember")),
]  # fmt: skip
MONTH_NAMES = dict(MONTH_CHOICES)


def month_name(month: int) -> str:
    """1 -> 'Januari' (in the active language)."""
    return str(MONTH_NAMES[month])


MAX_RUPIAH = 10**15  # a quadrillion rupiah: far above any DIPA, well inside BigIntegerField

_GROUPED = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")
_RP_PREFIX = re.compile(r"^[Rr]p\.?")
# Comma thousands separators, optionally with a fraction after a point: "1,250,000", "1,250.00".
_COMMA_GROUPED = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]{1,2}))?")


class RupiahError(ValueError):
    """The message in the active language, and its msgid and parameters (``msgid``, ``params``) so
    that whoever stores it (an upload's row error) can keep it with ``core.messages.text`` and show
    it in the reader's language later (core.messages imports this module, not the reverse)."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid, self.params = msgid, params
        super().__init__(gettext(msgid) % params if params else gettext(msgid))


def parse_rupiah(text: str | int | None) -> int:
    """Whole rupiah from a typed value; raises RupiahError (its message, msgid and parameters)."""
    if isinstance(text, int):
        value = text
    else:
        if text and (_PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)):
            # Digits, grouped or not: what most cells hold (an import reads 200.000 of them), read
            # as the general path below reads them without its substitutions.
            return _whole_rupiah(text)
        # "Rp1.250.000", "Rp. 1.250.000,-": how whole amounts are written on Indonesian documents.
        cleaned = _RP_PREFIX.sub("", _SPACES.sub("", text or "")).removesuffix(",-")
        if cleaned == "":
            return 0
        if cleaned.startswith("-"):
            raise RupiahError(gettext_noop("Jumlah tidak boleh negatif."))
        english = _COMMA_GROUPED.fullmatch(cleaned)
        if english:
            groups, fraction = english.group(1), english.group(2) or ""
            if groups.count(",") == 1 and not english.group(2):
                # "1,250": the Indonesian reading (1 rupiah 25 sen) and the English one (1.250
                # rupiah) differ by a thousand times; guessing would store a wrong amount.
                raise RupiahError(
                    gettext_noop("'%(value)s' bisa dibaca %(thousands)s rupiah atau %(units)s rupiah lebih sen. "
                                 "Tulis %(thousands)s atau %(plain)s (titik sebagai pemisah ribuan, tanpa koma)."),
                    value=excerpt(text), thousands=groups.replace(",", "."),
                    units=groups.partition(",")[0], plain=groups.replace(",", ""),
                )  # fmt: skip
            whole = groups.replace(",", ".")  # the Indonesian grouping, read below
        else:
            whole, _sep, fraction = cleaned.partition(",")
        # ASCII digits only, and never int() on the typed text: "²".isdigit() is true but int()
        # refuses it, and int() refuses more than 4.300 digits (both were server errors).
        if fraction and not _PLAIN.fullmatch(fraction):  # "1,250.000", "1,25,000": no reading is safe
            raise RupiahError(
                gettext_noop("'%(value)s' bukan jumlah rupiah; tulis angka saja, mis. 1250000 atau 1.250.000."),
                value=excerpt(text),
            )
        if fraction.strip("0"):
            raise RupiahError(
                gettext_noop(
                    "Jumlah harus rupiah bulat, tanpa sen: '%(value)s' memuat sen. Tulis rupiah saja, mis. "
                    "1.250.000 (titik sebagai pemisah ribuan)."
                ),
                value=excerpt(text),
            )
        if not (_PLAIN.fullmatch(whole) or _GROUPED.fullmatch(whole)):
            raise RupiahError(
                gettext_noop("'%(value)s' bukan jumlah rupiah; tulis angka saja, mis. 1250000 atau 1.250.000."),
                value=excerpt(text),
            )
        return _whole_rupiah(whole)
    if value < 0:
        raise RupiahError(gettext_noop("Jumlah tidak boleh negatif."))
    if value >= MAX_RUPIAH:
        raise RupiahError(gettext_noop("Jumlah terlalu besar."))
    return value


def _whole_rupiah(whole: str) -> int:
    """ASCII digits, grouped by points or not (checked by the caller), as rupiah below MAX_RUPIAH."""
    digits = whole.replace(".", "").lstrip("0") or "0"
    if len(digits) > len(str(MAX_RUPIAH)):
        raise RupiahError(gettext_noop("Jumlah terlalu besar."))
    value = int(digits)
    if value >= MAX_RUPIAH:
        raise RupiahError(gettext_noop("Jumlah terlalu besar."))
    return value


# --- Output ---------------------------------------------------------------------------------------
# The pages show numbers the Indonesian way whatever the interface language (as the directorate's
# documents do); text written for one language (the narrative, e-mails) passes it explicitly.

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")

MONTHS_IN_WORDS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip
SCALES = {
    "id": ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")),
    "en": ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")),
}
CURRENCY = {"id": "Rp", "en": "IDR "}
AND = {"id": "dan", "en": "and"}


def _grouped(text: str, language: Language) -> str:
    """'1,234.50' (Python's format) in the language's separators: '1.234,50' in Indonesian."""
    if language == "id":
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_number(value: int | None, language: Language = "id") -> str:
    """12345678 -> '12.345.678' (Indonesian thousands separator; '12,345,678' in English)."""
    if value is None:
        return "-"
    return _grouped(f"{int(value):,}", language)


def format_decimal(value: Decimal | float | int | None, places: int = 2, language: Language = "id") -> str:
    """1234.5 -> '1.234,50': rounded half up, as the directorate rounds."""
    if value is None:
        return "-"
    exponent = Decimal(1).scaleb(-places)
    return _grouped(f"{Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP):,.{places}f}", language)


def format_volume(value: Decimal | int | None, language: Language = "id") -> str:
    """An RO volume: 1250.5 -> '1.250,5', 12.00 -> '12' (decimals only as far as they were typed)."""
    if value is None:
        return "-"
    text = format_decimal(value, 2, language)
    decimal_mark = "," if language == "id" else "."
    return text.rstrip("0").rstrip(decimal_mark) if decimal_mark in text else text


def format_percent(value: Decimal | float | None, language: Language = "id") -> str:
    """97.9712 -> '97,97 %' as the directorate writes it (English: '97.97%')."""
    if value is None:
        return "-"
    return f"{format_decimal(value, 2, language)} %" if language == "id" else f"{format_decimal(value, 2, language)}%"


def format_rupiah(value: int | None) -> str:
    """12345678 -> 'Rp12.345.678'."""
    return "-" if value is None else f"Rp{format_number(value)}"


def rupiah_thousands(value: int) -> int:
    """Whole rupiah in thousands of rupiah, rounded half up (away from zero), as the official
    forms write amounts (PP 39/2006 Form A: "dalam ribuan rupiah"): 1.234.500 -> 1.235."""
    return int((Decimal(value) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_thousands(value: int | None, language: Language = "id") -> str:
    """12345678 rupiah -> '12.346' (thousands of rupiah, Indonesian separators)."""
    return "-" if value is None else format_number(rupiah_thousands(value), language)


def format_amount(value: int, language: Language = "id") -> str:
    """Rupiah in words of scale, two decimals at most, as the directorate's statements write them:
    'Rp49,05 miliar', 'Rp46,9 miliar' ('IDR 49.05 billion'); below a million the whole number."""
    prefix = CURRENCY[language]
    for size, word in SCALES[language]:
        if abs(value) >= size:
            scaled = (Decimal(value) / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            text = f"{scaled:,f}".rstrip("0").rstrip(".")
            return f"{prefix}{_grouped(text, language)} {word}"
    return prefix + format_number(value, language)


def format_megabytes(size: int) -> str:
    """'20' or '1,1': a file's size in megabytes, one decimal where it matters."""
    value = round(size / 1024 / 1024, 1)
    return f"{value:.0f}" if value == int(value) else format_decimal(value, 1)


def format_date(day: date, language: Language = "id") -> str:
    """'7 Februari 2026' ('7 February 2026'): a date in words, for text of a fixed language."""
    return f"{day.day} {MONTHS_IN_WORDS[language][day.month - 1]} {day.year}"


def join_words(items: Sequence[str], language: Language = "id") -> str:
    """'a', 'a dan b', 'a, b, dan c' (a comma before the last item of three or more, as EYD writes
    a list; 'a, b, and c' in English)."""
    if len(items) <= 2:
        return f" {AND[language]} ".join(items)
    return f"{', '.join(items[:-1])}, {AND[language]} {items[-1]}"


EXCERPT_CHARS = 60


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A value quoted in a message, cut to ``limit`` characters with "…": a file's cell of
    megabytes quoted whole (twice) made a 63 MB error page and as much in the database."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
