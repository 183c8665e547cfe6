"""The realization summary in words, in the style of the directorate's press statements
(``seed-article.txt``), in Indonesian and in English.

Pure functions: ``narrative_figures`` picks what the text needs out of report results
(``budgets.reports.queries``), ``narrative_text`` writes it. The queries are the caller's
(``dashboard.figures.narrative_for``), so the text can be tested on plain data and the same
figures feed the dashboard and the download.

Each language has its own number format (core/formats.py), independent of the active Django
language: the Indonesian text says ``97,97 %`` and ``Rp49,05 miliar``, the English one ``97.97%``
and ``IDR 49.05 billion``; lists read ``a, b, dan c`` as EYD writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from budgets.reports.yardstick import QUARTER_NUMERALS
from core.formats import Language, format_amount, format_date, format_percent, join_words

if TYPE_CHECKING:
    from core.reporting.spec import ReportResult

# Past this many, the satkers under the threshold are counted and only the lowest named: in a
# running year nearly every satker is still under a year-end threshold.
MAX_NAMED_SATKERS = 10

AUTHORITY_WORDS = {
    "id": {"DK": "dekonsentrasi", "TP": "tugas pembantuan", "KP": "kantor pusat"},
    "en": {"DK": "deconcentration", "TP": "co-administration", "KP": "central office"},
}


@dataclass(frozen=True)
class Share:
    """Realization against effective pagu."""

    pagu_efektif: int
    realisasi: int
    persen: Decimal | None


@dataclass(frozen=True)
class Ranked:
    name: str
    name_en: str
    persen: Decimal | None


@dataclass(frozen=True)
class NarrativeFigures:
    year: int
    directorate: Share
    as_of: date | None = None  # None when the year is over: the figures are the year's
    authority: str | None = None  # the provincial satkers' authority that year (DK or TP)
    provincial: Share | None = None
    average: Decimal | None = None  # the ranking's weighted average: the provinces' total %
    average_unweighted: Decimal | None = None  # the mean of the provinces' percentages
    provinces_ranked: int = 0
    above_average: int = 0
    below_average_unweighted: int = 0
    # Provinces whose every ended month is not yet approved (their figures are partial).
    provinces_incomplete: int = 0
    top: list[Ranked] = field(default_factory=list)
    threshold: Decimal | None = None
    threshold_quarter: int | None = None  # None: the year's threshold; else the quarter's absorption target
    below_threshold: int = 0
    # The satkers under the threshold that the reader may see, lowest first (an officer does
    # not get the names of satkers outside their province, only how many there are).
    below_named: list[Ranked] = field(default_factory=list)


def _share(totals: Mapping[str, Any]) -> Share:
    return Share(pagu_efektif=totals["pagu_efektif"], realisasi=totals["realisasi"], persen=totals["persen"])


def narrative_figures(
    *,
    year: int,
    directorate: Mapping[str, Any],
    as_of: date | None = None,
    authority: str | None = None,
    ranking: ReportResult | None = None,
    satkers: ReportResult | None = None,
    yardstick_quarter: int | None = None,
    visible_satkers: set[str] | None = None,
    names_en: Mapping[str, str] | None = None,
) -> NarrativeFigures:
    """The figures of the text, from report results: ``directorate`` is ``realization_total``
    of all satkers, ``ranking`` the ``province_ranking`` of the provincial authority and
    ``satkers`` the ``satker_report`` of all satkers against the yardstick (the year's threshold,
    or with ``yardstick_quarter`` that quarter's absorption target).
    ``visible_satkers`` (codes) limits the satkers named; None names them all."""
    names_en = names_en or {}
    figures: dict[str, Any] = {"year": year, "directorate": _share(directorate), "as_of": as_of}
    if authority and ranking is not None:
        ranked = [row for row in ranking.rows if row["persen"] is not None]
        figures.update(
            authority=authority,
            provincial=_share(ranking.totals),
            average=ranking.totals["average_weighted"],
            average_unweighted=ranking.totals["average_unweighted"],
            provinces_ranked=len(ranked),
            above_average=ranking.totals["above_average"],
            below_average_unweighted=ranking.totals["below_average_unweighted"],
            provinces_incomplete=ranking.totals["provinces_incomplete"] if as_of else 0,
            top=[
                Ranked(row["province_name"], names_en.get(row["province"], row["province_name"]), row["persen"])
                for row in ranked
                if row["top_five"]
            ],
        )
    if satkers is not None:
        below = sorted(
            (row for row in satkers.rows if row["below_threshold"]), key=lambda row: (row["persen"], row["satker"])
        )
        figures.update(
            threshold=satkers.extra["threshold"],
            threshold_quarter=yardstick_quarter,
            below_threshold=len(below),
            below_named=[
                Ranked(row["satker_name"], row["satker_name"], row["persen"])
                for row in below
                if visible_satkers is None or row["satker"] in visible_satkers
            ],
        )
    return NarrativeFigures(**figures)


def _ranked(items: Sequence[Ranked], language: Language, *, english_names: bool = False) -> str:
    return join_words(
        [f"{item.name_en if english_names else item.name} ({format_percent(item.persen, language)})" for item in items],
        language,
    )


# --- The text ------------------------------------------------------------------------------


def _indonesian(f: NarrativeFigures) -> list[str]:
    def pct(value: Decimal | None) -> str:
        return format_percent(value, "id")

    def rp(value: int) -> str:
        return format_amount(value, "id")

    if not f.directorate.pagu_efektif:
        return [f"Belum ada pagu Direktorat Jenderal IKMA untuk tahun anggaran {f.year}."]
    opening = f"Hingga {format_date(f.as_of, 'id')}, realisasi" if f.as_of else "Realisasi"
    verb = "telah mencapai" if f.as_of else "mencapai"
    sentence = (
        f"{opening} anggaran Direktorat Jenderal IKMA tahun {f.year} {verb} {pct(f.directorate.persen)} "
        f"({rp(f.directorate.realisasi)} dari pagu efektif {rp(f.directorate.pagu_efektif)})"
    )
    word = AUTHORITY_WORDS["id"].get(f.authority or "", "")
    if f.provincial is not None and f.provincial.pagu_efektif:
        sentence += (
            f", dengan realisasi {word} sebesar {pct(f.provincial.persen)} "
            f"({rp(f.provincial.realisasi)} dari pagu efektif {rp(f.provincial.pagu_efektif)})"
        )
    paragraphs = [sentence + "."]

    if f.provinces_ranked:
        text = (
            f"Sebanyak {f.above_average} provinsi mencatat realisasi {word} di atas rata-rata tertimbang "
            f"({pct(f.average)}, total realisasi dibagi total pagu efektif), dan {f.below_average_unweighted} "
            f"provinsi di bawah rata-rata sederhana persentase provinsi ({pct(f.average_unweighted)})."
        )
        if f.top:
            text += f" Lima besar provinsi dengan realisasi tertinggi adalah {_ranked(f.top, 'id')}."
        if f.provinces_incomplete:
            text += (
                f" Laporan {f.provinces_incomplete} provinsi belum disetujui untuk semua bulan yang telah berakhir,"
                " sehingga angkanya belum lengkap."
            )
        paragraphs.append(text)

    if f.threshold is not None:
        measure = pct(f.threshold)
        if f.threshold_quarter:
            measure = f"target penyerapan TW {QUARTER_NUMERALS[f.threshold_quarter]} ({measure})"
        if not f.below_threshold:
            paragraphs.append(f"Tidak ada satker dengan realisasi di bawah {measure}.")
        else:
            text = f"Tercatat {f.below_threshold} satker yang realisasinya masih di bawah {measure}"
            named = f.below_named[:MAX_NAMED_SATKERS]
            if named and len(named) == f.below_threshold:
                text += f", yaitu {_ranked(named, 'id')}"
            elif named:
                text += f", di antaranya {_ranked(named, 'id')}"
            paragraphs.append(text + ".")

    paragraphs.append("Angka realisasi dihitung dari laporan bulanan yang telah disetujui.")
    return paragraphs


def _english(f: NarrativeFigures) -> list[str]:
    def pct(value: Decimal | None) -> str:
        return format_percent(value, "en")

    def amount(value: int) -> str:
        return format_amount(value, "en")

    if not f.directorate.pagu_efektif:
        return [f"There is no budget ceiling of the Directorate General of IKMA for fiscal year {f.year} yet."]
    opening = f"As of {format_date(f.as_of, 'en')}, the realization" if f.as_of else "The realization"
    verb = "has reached" if f.as_of else "reached"
    sentence = (
        f"{opening} of the IKMA Directorate General's budget in {f.year} {verb} {pct(f.directorate.persen)} "
        f"({amount(f.directorate.realisasi)} of an effective ceiling of {amount(f.directorate.pagu_efektif)})"
    )
    word = AUTHORITY_WORDS["en"].get(f.authority or "", "")
    if f.provincial is not None and f.provincial.pagu_efektif:
        sentence += (
            f", with a {word} realization of {pct(f.provincial.persen)} "
            f"({amount(f.provincial.realisasi)} of {amount(f.provincial.pagu_efektif)})"
        )
    paragraphs = [sentence + "."]

    if f.provinces_ranked:
        noun = "province" if f.above_average == 1 else "provinces"
        below_noun = "province" if f.below_average_unweighted == 1 else "provinces"
        text = (
            f"A total of {f.above_average} {noun} realized their {word} budget above the weighted average "
            f"({pct(f.average)}, total realization over total effective ceiling), and {f.below_average_unweighted} "
            f"{below_noun} below the plain average of the provinces' percentages ({pct(f.average_unweighted)})."
        )
        if f.top:
            text += f" The top five provinces are {_ranked(f.top, 'en', english_names=True)}."
        if f.provinces_incomplete:
            text += (
                f" The reports of {f.provinces_incomplete} provinces are not yet approved for every month that has"
                " ended, so their figures are incomplete."
            )
        paragraphs.append(text)

    if f.threshold is not None:
        measure = pct(f.threshold)
        if f.threshold_quarter:
            measure = f"the Q{f.threshold_quarter} absorption target ({measure})"
        if not f.below_threshold:
            paragraphs.append(f"No work unit (satker) has a realization below {measure}.")
        else:
            if f.below_threshold == 1:
                text = f"There is 1 work unit (satker) whose realization is still below {measure}"
            else:
                text = f"There are {f.below_threshold} work units (satker) whose realization is still below"
                text += f" {measure}"
            named = f.below_named[:MAX_NAMED_SATKERS]
            if named and len(named) == f.below_threshold:
                text += f": {_ranked(named, 'en')}"
            elif named:
                text += f", among them {_ranked(named, 'en')}"
            paragraphs.append(text + ".")

    paragraphs.append("Realization is counted from approved monthly reports.")
    return paragraphs


def narrative_paragraphs(figures: NarrativeFigures, language: Language) -> list[str]:
    return _indonesian(figures) if language == "id" else _english(figures)


def narrative_text(figures: NarrativeFigures, language: Language) -> str:
    """The summary as plain text: paragraphs separated by a blank line."""
    return "\n\n".join(narrative_paragraphs(figures, language)) + "\n"
