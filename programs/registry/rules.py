"""Rules of the IKM registry that several modules share: the size class and the normalised
name used for duplicate detection and search."""

from __future__ import annotations

import re
import unicodedata

from programs.models import SizeClass

MILIAR = 1_000_000_000
SMALL_MAX_WORKERS = 19
SMALL_MAX_INVESTMENT = MILIAR  # small: investment below Rp1 miliar
MEDIUM_MAX_INVESTMENT = 15 * MILIAR  # medium with 20+ workers: investment up to Rp15 miliar

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
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _LEGAL_FORMS.sub(" ", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def is_manufacturing_kbli(kbli: str) -> bool:
    """A 5-digit KBLI in category C (manufacturing): two-digit groups 10 to 33."""
    return len(kbli) == 5 and kbli.isascii() and kbli.isdigit() and 10 <= int(kbli[:2]) <= 33
