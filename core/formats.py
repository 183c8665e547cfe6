"""Numbers, rupiah, percentages, months and dates as the pages show them and officers type them:
the one home of the Indonesian number format.

Input accepts plain digits or the Indonesian style (`1.250.000`, `Rp 1.250.000`, `1.250.000,00`);
amounts are whole rupiah, so a non-zero fraction is refused rather than rounded away.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class RupiahError(ValueError):
    pass


def parse_rupiah(text: str | int | None) -> int:
    """Whole rupiah from a typed value; raises RupiahError with an Indonesian message."""
    if isinstance(text, int):
        value = text
    else:
        # "Rp1.250.000", "Rp. 1.250.000,-": how whole amounts are written on Indonesian documents.
        cleaned = re.sub(r"^[Rr]p\.?", "", re.sub(r"\s+", "", text or "")).removesuffix(",-")
        if cleaned == "":
            return 0
        if cleaned.startswith("-"):
            raise RupiahError(_("Jumlah tidak boleh negatif."))
        whole, _sep, fraction = cleaned.partition(",")
        # ASCII digits only, and never int() on the typed text: "²".isdigit() is true but int()
        # refuses it, and int() refuses more than 4.300 digits (both were server errors).
        if fraction and (not _PLAIN.fullmatch(fraction) or fraction.strip("0")):
            raise RupiahError(_("Jumlah harus rupiah bulat (tanpa sen)."))
        if not (_PLAIN.fullmatch(whole) or _GROUPED.fullmatch(whole)):
            raise RupiahError(
                _("'%(value)s' bukan jumlah rupiah; tulis angka saja, mis. 1250000 atau 1.250.000.") % {"value": text}
            )
        digits = whole.replace(".", "").lstrip("0") or "0"
        if len(digits) > len(str(MAX_RUPIAH)):
            raise RupiahError(_("Jumlah terlalu besar."))
        value = int(digits)
    if value < 0:
        raise RupiahError(_("Jumlah tidak boleh negatif."))
    if value >= MAX_RUPIAH:
        raise RupiahError(_("Jumlah terlalu besar."))
    return value


def format_number(value: int | None) -> str:
    """12345678 -> '12.345.678' (Indonesian thousands separator)."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_rupiah(value: int | None) -> str:
    return "-" if value is None else f"Rp{format_number(value)}"
