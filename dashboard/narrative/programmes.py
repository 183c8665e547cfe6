"""The programme outputs in words, in the style of the directorate's press statement
(``seed-article.txt``): "Kinerja kegiatan dekonsentrasi bidang industri telah menumbuhkan 4.579
wirausaha baru (WUB), 2.572 di antaranya telah memperoleh legalitas usaha, sepanjang 2022...",
in Indonesian and in English.

Pure functions on plain figures (the totals of ``programs.records.report.output_kpis``): the
caller (``dashboard.views``) reads them and joins this paragraph to the realization summary of
``dashboard.narrative.realization``, in the same words (core/formats.py): ``4.579`` and
``Rp46,9 miliar`` in Indonesian, ``4,579`` and ``IDR 46.9 billion`` in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.formats import Language, format_amount, format_date, format_number, join_words

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


def _period(f: ProgrammeFigures, language: Language) -> str:
    if f.as_of is None:
        return f"sepanjang {f.year}" if language == "id" else f"throughout {f.year}"
    day = format_date(f.as_of, language)
    return f"hingga {day}" if language == "id" else f"as of {day}"


def _indonesian(f: ProgrammeFigures) -> list[str]:
    def n(value: int) -> str:
        return format_number(value, "id")

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
        sentences.append(f"Direktorat Jenderal IKMA telah {join_words(fostered, 'id')}.")
    achieved = []
    if d["wub"]:
        achieved.append(f"penumbuhan {n(d['wub'])} wirausaha baru")
    if d["exhibition_ikm"]:
        text = f"fasilitasi pameran bagi {n(d['exhibition_ikm'])} pelaku IKM"
        if d["exhibition_value"]:
            text += f" dengan total transaksi mencapai {format_amount(d['exhibition_value'], 'id')}"
        achieved.append(text)
    if d["i40"]:
        achieved.append(f"fasilitasi penerapan teknologi industri 4.0 kepada {n(d['i40'])} IKM")
    if achieved:
        sentences.append(f"Capaian lainnya meliputi {join_words(achieved, 'id')}.")
    if d["restructuring_ikm"]:
        text = (
            f"Sebanyak {n(d['restructuring_ikm'])} pelaku IKM telah menerima fasilitas restrukturisasi mesin "
            "dan/atau peralatan"
        )
        if d["restructuring_value"]:
            text += f" dengan total nilai {format_amount(d['restructuring_value'], 'id')}"
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
        sentences.append(f"Selain itu, terdapat fasilitasi {join_words(certified, 'id')}.")
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
        return format_number(value, "en")

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
        sentences.append(f"The Directorate General of IKMA has {join_words(fostered, 'en')}.")
    achieved = []
    if d["wub"]:
        achieved.append(f"{n(d['wub'])} new entrepreneurs grown")
    if d["exhibition_ikm"]:
        text = f"exhibitions for {n(d['exhibition_ikm'])} IKM players"
        if d["exhibition_value"]:
            text += f" with total transactions of {format_amount(d['exhibition_value'], 'en')}"
        achieved.append(text)
    if d["i40"]:
        achieved.append(f"the application of industry 4.0 technology in {n(d['i40'])} IKM")
    if achieved:
        sentences.append(f"Its other achievements include {join_words(achieved, 'en')}.")
    if d["restructuring_ikm"]:
        text = f"A total of {n(d['restructuring_ikm'])} IKM players received machine and/or equipment restructuring"
        if d["restructuring_value"]:
            text += f" worth {format_amount(d['restructuring_value'], 'en')}"
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
        sentences.append(f"It also facilitated {join_words(certified, 'en')}.")
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
