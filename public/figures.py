"""What the public page publishes of a year: cut from the catalogue's reports (the same builds,
the same figures as the signed-in pages), on the approved basis, as of the last month that every
province has had approved, and only at province level and above.

A dataset names the columns it publishes; a column that is not named (a satker's code or name, a
person, an enterprise) never leaves the server, whatever the report adds later.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from budgets.calendar import as_of_month
from budgets.models import FiscalYear
from budgets.reports.queries import RealizationFilter, month_approved_everywhere
from core.reporting.spec import APPROVED_BASIS, BuildContext, ReportResult, ReportSpec
from reports.catalog import REPORTS

# The open licence of every published figure (stated on the page and in the files).
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
# The RO report at its national level: one row per RO, no province or satker rows.
RO_LEVEL = "ro"
# The ranking's completeness is stated as of today (at the cut-off month every province is complete).
COMPLETENESS = ("months_approved", "months_expected")
COMPLETENESS_LABELS = {
    "months_approved": _("Bulan disetujui (per hari ini)"),
    "months_expected": _("Bulan wajib lapor (per hari ini)"),
}


@dataclass(frozen=True)
class Dataset:
    slug: str  # its file: /public/<slug>.csv
    report: str  # the catalogue report it is cut from
    title: Any
    keys: tuple[str, ...]  # the columns published, in the report's order

    @property
    def spec(self) -> ReportSpec:
        """The report's spec with only the published columns, none linking into the signed-in site."""
        source = REPORTS[self.report]
        columns = tuple(
            replace(column, link=None, label=COMPLETENESS_LABELS.get(column.key, column.label))
            for column in source.columns
            if column.key in self.keys
        )
        return replace(source, columns=columns, summary=())


def _output_keys() -> tuple[str, ...]:
    return tuple(column.key for column in REPORTS["outputs"].columns)


DATASETS: tuple[Dataset, ...] = (
    Dataset("realisasi", "realization", _("Realisasi anggaran nasional"),
            ("group", "key", "name", "pagu", "blokir", "pagu_efektif", "rpd", "realisasi", "persen")),
    Dataset("provinsi", "provinces", _("Peringkat realisasi provinsi dan kelengkapan laporan"),
            ("rank", "province", "province_name", "pagu_efektif", "realisasi", "persen", "top_five",
             "below_average", *COMPLETENESS)),
    Dataset("output", "outputs", _("Capaian output program per provinsi"), _output_keys()),
    Dataset("ro", "ro", _("Capaian rincian output (RO) nasional"),
            ("ro", "ro_name", "unit", "target", "volume", "achievement", "physical_progress", "financial_progress",
             "gap_flag")),
)  # fmt: skip
DATASET_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}


def public_versions() -> tuple[str, ...]:
    """The data versions the published figures read: those of their reports on the approved basis
    (the publication switch is a fiscal year's write, which raises them all)."""
    return tuple(sorted({version for dataset in DATASETS for version in REPORTS[dataset.report].versions_for(
        APPROVED_BASIS)}))  # fmt: skip


@dataclass
class PublicYear:
    fiscal_year: FiscalYear
    month: int  # the cut-off: the last month every province has had approved (0: none yet)
    today: date  # the completeness is as of this day
    results: dict[str, ReportResult]  # by dataset slug; empty without a cut-off month

    @property
    def as_of(self) -> date | None:
        """The last day the figures count."""
        if not self.month:
            return None
        return date(self.fiscal_year.year, self.month, calendar.monthrange(self.fiscal_year.year, self.month)[1])

    def result(self, slug: str) -> ReportResult:
        return self.results[slug]


def public_year(fiscal_year: FiscalYear, *, today: date) -> PublicYear:
    """The year's published figures, built afresh (the views cache them)."""
    year = fiscal_year.year
    month = month_approved_everywhere(year, today=today)
    if not month:
        return PublicYear(fiscal_year, 0, today, {})
    filters = RealizationFilter(year=year, month=month)
    context = BuildContext(fiscal_year, None, False, today, level=RO_LEVEL)
    results = {dataset.slug: dataset.spec.build(filters, context) for dataset in DATASETS}
    _completeness_today(results["provinsi"], year=year, fiscal_year=fiscal_year, today=today)
    return PublicYear(fiscal_year, month, today, results)


def _completeness_today(ranking: ReportResult, *, year: int, fiscal_year: FiscalYear, today: date) -> None:
    """The ranking's months approved and expected as they stand today, province by province."""
    now = REPORTS["provinces"].build(
        RealizationFilter(year=year, month=as_of_month(year, today)), BuildContext(fiscal_year, None, False, today)
    )
    by_province = {row["province"]: row for row in now.rows}
    for row in ranking.rows:
        current = by_province.get(row["province"], {})
        for key in COMPLETENESS:
            row[key] = current.get(key)
    ranking.totals["months_expected"] = now.totals.get("months_expected")
    ranking.totals["provinces_incomplete"] = now.totals.get("provinces_incomplete")
