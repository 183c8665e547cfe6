"""Rules of the IKM registry, written once and asked by the forms, services, imports, filters and
the admin: the NIB and KBLI (what they must be, with the one message each), the size class, and the
normalised name used for duplicate detection and search."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from programs.models import NIB_LENGTH, Enterprise, SizeClass

MILIAR = 1_000_000_000
SMALL_MAX_WORKERS = 19
SMALL_MAX_INVESTMENT = MILIAR  # small: investment below Rp1 miliar
MEDIUM_MAX_INVESTMENT = 15 * MILIAR  # medium with 20+ workers: investment up to Rp15 miliar

NAME_LENGTH = Enterprise._meta.get_field("name").max_length
OWNER_LENGTH = Enterprise._meta.get_field("owner").max_length
ADDRESS_LENGTH = Enterprise._meta.get_field("address").max_length

# Legal-form words and punctuation that do not tell two enterprises apart.
_LEGAL_FORMS = re.compile(r"\b(pt|cv|ud|pd|tbk|koperasi|kop|persero)\b\.?")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def size_class_for(workers: int, investment: int) -> str:
    """DOMAIN.md: small = <= 19 workers and investment < Rp1 miliar; medium = <= 19 workers and
    investment >= Rp1 miliar, or >= 20 workers and investment <= Rp15 miliar; large otherwise."""
    if workers <= SMALL_MAX_WORKERS:
        return SizeClass.SMALL if investment < SMALL_MAX_INVESTMENT else SizeClass.MEDIUM
    return SizeClass.MEDIUM if investment <= MEDIUM_MAX_INVESTMENT else SizeClass.LARGE


def normalize_name(name: str) -> str:
    """'CV. Keripik  Sanjai "Amak"' -> 'keripik sanjai amak'."""
    # An ASCII name (most of them) is its own NFKD form: 100.000 of them in an import.
    text = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower()
    text = _LEGAL_FORMS.sub(" ", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


class RuleError(ValueError):
    """A value breaks a registry rule; the message says which, in the reader's language."""


def _code_text(value: Any, digits: int) -> str:
    """A numeric code as typed, or read from a spreadsheet cell: a whole number lost its leading
    zeros (Excel drops them) and is padded back; spaces typed between digit groups are dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:0{digits}d}"
    return "".join(str(value).split())


def is_nib(text: str) -> bool:
    return len(text) == NIB_LENGTH and text.isascii() and text.isdigit()


def clean_nib(value: Any) -> str | None:
    """The NIB of OSS (13 digits, kept as text: leading zeros matter), or None when left empty."""
    nib = "" if value is None else _code_text(value, NIB_LENGTH)
    if not nib:
        return None
    if not is_nib(nib):
        raise RuleError(_("NIB harus 13 digit angka (angka 0 di depan ikut ditulis), atau kosongkan bila belum ada."))
    return nib


def clean_kbli(value: Any) -> str:
    """A KBLI of manufacturing (category C): 5 digits, the first two 10 to 33."""
    kbli = "" if value is None else _code_text(value, 5)
    if not kbli:
        raise RuleError(_("Isi kode KBLI 5 digit."))
    if not (len(kbli) == 5 and kbli.isascii() and kbli.isdigit()):
        raise RuleError(_("KBLI harus 5 digit angka, mis. 10792."))
    if not is_manufacturing_kbli(kbli):
        raise RuleError(
            _("KBLI %(kbli)s bukan industri pengolahan: dua digit pertamanya harus 10 sampai 33 (kategori C).")
            % {"kbli": kbli}
        )
    return kbli


def clean_name(text: str) -> tuple[str, str]:
    """An enterprise's name and its normalised form (which must keep a letter or a digit)."""
    if not text:
        raise RuleError(_("Isi nama usaha."))
    if len(text) > NAME_LENGTH:
        raise RuleError(_("Nama usaha paling panjang 200 karakter."))
    normalized = normalize_name(text)
    if not normalized:
        raise RuleError(_("Nama usaha harus memuat huruf atau angka selain bentuk badan usaha (CV, PT, UD...)."))
    return text, normalized


def clean_owner(text: str) -> str:
    if len(text) > OWNER_LENGTH:
        raise RuleError(_("Nama pemilik paling panjang 200 karakter."))
    return text


def clean_address(text: str) -> str:
    if len(text) > ADDRESS_LENGTH:
        raise RuleError(_("Alamat paling panjang 300 karakter."))
    return text


def is_manufacturing_kbli(kbli: str) -> bool:
    """A 5-digit KBLI in category C (manufacturing): two-digit groups 10 to 33."""
    return len(kbli) == 5 and kbli.isascii() and kbli.isdigit() and 10 <= int(kbli[:2]) <= 33
