"""The programme outputs in words, in the style of the directorate's press statement
(``seed-article.txt``): "Kinerja kegiatan dekonsentrasi bidang industri telah menumbuhkan 4.579
wirausaha baru (WUB), 2.572 di antaranya telah memperoleh legalitas usaha, sepanjang 2022...",
in Indonesian and in English.

Pure functions on plain figures (the totals of ``programs.records.report.output_kpis``): the
caller (``dashboard.views``, which may import both apps) reads them and joins this paragraph to
the realization summary of ``dashboard.narrative.realization``. Each language has its own number format:
``4.579`` and ``Rp46,9 miliar`` in Indonesian, ``4,579`` and ``IDR 46.9 billion`` in English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Language = Literal["id", "en"]

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip
SCALES = {
    "id": ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")),
    "en": ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")),
}
CHANNEL = {
    "id": {"DK": "dekonsentrasi", "TP": "tugas pembantuan"},
    "en": {"DK": "deconcentration", "TP": "co-administration"},
}


@dataclass(frozen=True)
class ProgrammeFigures:
    year: int
    directorate: Mapping[str, Any]  # output totals of all satkers (CONTRACT keys)
    authority: str | None = None  # the provincial satkers' authority that year (DK or TP)
    provincial: Mapping[str, Any] | None = None  # output totals of that authority's satkers
    as_of: date | None = None  # None when the year is over


def number(value: int, language: Language) -> str:
    """``4.579`` (Indonesian) or ``4,579``."""
    text = f"{value:,}"
    return text.replace(",", ".") if language == "id" else text


def amount(value: int, language: Language) -> str:
    """``Rp46,9 miliar`` / ``IDR 46.9 billion``: two decimals at most, as the statement writes them."""
    prefix = "Rp" if language == "id" else "IDR "
    for size, word in SCALES[language]:
        if value >= size:
            scaled = (Decimal(value) / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            text = f"{scaled:f}".rstrip("0").rstrip(".")
            return f"{prefix}{text.replace('.', ',') if language == 'id' else text} {word}"
    return prefix + number(value, language)


def _join(items: Sequence[str], language: Language) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = "dan" if language == "id" else "and"
    return f"{', '.join(items[:-1])}, {last} {items[-1]}" if len(items) > 2 else f"{items[0]} {last} {items[1]}"


def _period(f: ProgrammeFigures, language: Language) -> str:
    if f.as_of is None:
        return f"sepanjang {f.year}" if language == "id" else f"throughout {f.year}"
    day = f"{f.as_of.day} {MONTHS[language][f.as_of.month - 1]} {f.as_of.year}"
    return f"hingga {day}" if language == "id" else f"as of {day}"


def _indonesian(f: ProgrammeFigures) -> list[str]:
    def n(value: int) -> str:
        return number(value, "id")

    paragraphs = []
    p, d = f.provincial, f.directorate
    if p is not None and p["wub"]:
        channel = CHANNEL["id"].get(f.authority or "", "dekonsentrasi")
        text = f"Kinerja kegiatan {channel} bidang industri telah menumbuhkan {n(p['wub'])} wirausaha baru (WUB)"
        if p["wub_legal"]:
            text += f", {n(p['wub_legal'])} di antaranya telah memperoleh legalitas usaha"
        paragraphs.append(f"{text}, {_period(f, 'id')}.")

    sentences = []
    fostered = []
    if d["ovop_centres"]:
        fostered.append(f"membina {n(d['ovop_centres'])} sentra OVOP")
    if d["product_development"]:
        fostered.append(f"memfasilitasi pengembangan produk kepada {n(d['product_development'])} pelaku IKM")
    if fostered:
        sentences.append(f"Direktorat Jenderal IKMA telah {_join(fostered, 'id')}.")
    achieved = []
    if d["wub"]:
        achieved.append(f"penumbuhan {n(d['wub'])} wirausaha baru")
    if d["exhibition_ikm"]:
        text = f"fasilitasi pameran bagi {n(d['exhibition_ikm'])} pelaku IKM"
        if d["exhibition_value"]:
            text += f" dengan total transaksi mencapai {amount(d['exhibition_value'], 'id')}"
        achieved.append(text)
    if d["i40"]:
        achieved.append(f"fasilitasi penerapan teknologi industri 4.0 kepada {n(d['i40'])} IKM")
    if achieved:
        sentences.append(f"Capaian lainnya meliputi {_join(achieved, 'id')}.")
    if d["restructuring_ikm"]:
        text = (
            f"Sebanyak {n(d['restructuring_ikm'])} pelaku IKM telah menerima fasilitas restrukturisasi mesin "
            "dan/atau peralatan"
        )
        if d["restructuring_value"]:
            text += f" dengan total nilai {amount(d['restructuring_value'], 'id')}"
        sentences.append(text + ".")
    certified = [
        f"{label} kepada {n(d[key])} IKM"
        for key, label in (
            ("sni", "sertifikasi SNI"), ("iso", "sertifikasi ISO"), ("halal", "sertifikasi halal"),
            ("hki", "pendaftaran kekayaan intelektual"), ("haccp", "HACCP"), ("partnership", "kemitraan"),
        )
        if d[key]
    ]  # fmt: skip
    if certified:
        sentences.append(f"Selain itu, terdapat fasilitasi {_join(certified, 'id')}.")
    if d["poverty_beneficiaries"]:
        sentences.append(
            f"Kegiatan penanganan kemiskinan ekstrem menjangkau {n(d['poverty_beneficiaries'])} penerima manfaat."
        )
    if sentences:
        paragraphs.append(" ".join(sentences))
    if paragraphs:
        paragraphs.append("Capaian output dihitung dari laporan bulanan yang telah disetujui.")
    return paragraphs


def _english(f: ProgrammeFigures) -> list[str]:
    def n(value: int) -> str:
        return number(value, "en")

    paragraphs = []
    p, d = f.provincial, f.directorate
    if p is not None and p["wub"]:
        channel = CHANNEL["en"].get(f.authority or "", "deconcentration")
        text = (
            f"The performance of the {channel} activity in the field of industry has grown {n(p['wub'])} "
            "new entrepreneurs (WUB)"
        )
        if p["wub_legal"]:
            text += f", {n(p['wub_legal'])} of whom have obtained business legality"
        paragraphs.append(f"{text}, {_period(f, 'en')}.")

    sentences = []
    fostered = []
    if d["ovop_centres"]:
        fostered.append(f"fostered {n(d['ovop_centres'])} OVOP centres")
    if d["product_development"]:
        fostered.append(f"facilitated product development for {n(d['product_development'])} IKM actors")
    if fostered:
        sentences.append(f"The Directorate General of IKMA has {_join(fostered, 'en')}.")
    achieved = []
    if d["wub"]:
        achieved.append(f"{n(d['wub'])} new entrepreneurs grown")
    if d["exhibition_ikm"]:
        text = f"exhibitions for {n(d['exhibition_ikm'])} IKM players"
        if d["exhibition_value"]:
            text += f" with total transactions of {amount(d['exhibition_value'], 'en')}"
        achieved.append(text)
    if d["i40"]:
        achieved.append(f"the application of industry 4.0 technology in {n(d['i40'])} IKM")
    if achieved:
        sentences.append(f"Its other achievements include {_join(achieved, 'en')}.")
    if d["restructuring_ikm"]:
        text = f"A total of {n(d['restructuring_ikm'])} IKM players received machine and/or equipment restructuring"
        if d["restructuring_value"]:
            text += f" worth {amount(d['restructuring_value'], 'en')}"
        sentences.append(text + ".")
    certified = [
        f"{label} for {n(d[key])} IKM"
        for key, label in (
            ("sni", "SNI certification"), ("iso", "ISO certification"), ("halal", "halal certification"),
            ("hki", "intellectual property registration"), ("haccp", "HACCP"), ("partnership", "partnerships"),
        )
        if d[key]
    ]  # fmt: skip
    if certified:
        sentences.append(f"It also facilitated {_join(certified, 'en')}.")
    if d["poverty_beneficiaries"]:
        sentences.append(f"Extreme poverty handling reached {n(d['poverty_beneficiaries'])} beneficiaries.")
    if sentences:
        paragraphs.append(" ".join(sentences))
    if paragraphs:
        paragraphs.append("Outputs are counted from approved monthly reports.")
    return paragraphs


def programme_paragraphs(figures: ProgrammeFigures, language: Language) -> list[str]:
    """The paragraphs on the programme outputs; none for a year without any."""
    return _indonesian(figures) if language == "id" else _english(figures)
