"""The signed-in home page's figures: the directorate's dashboard and the officer's.

Everything comes from the reports of ``budgets.reports.queries`` (each a fixed number of queries,
whatever the number of provinces, satkers and reports) plus a few counts, so the page's query
count does not grow with the data. The views only read the request and render what these
functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.scoping import scoped
from budgets.calendar import as_of_month, last_started_month, month_end, report_due_date
from budgets.models import FiscalYear, MonthlyReport, Province, Satker
from budgets.reports.queries import (
    RealizationFilter,
    ReportResult,
    monthly_report,
    province_ranking,
    realization_by_satker,
    realization_total,
    satker_report,
)
from budgets.reports.yardstick import Yardstick, yardstick
from budgets.signoff import awaiting_directorate_q, awaiting_head_q
from core.formats import MONTH_NAMES
from dashboard.narrative.programmes import ProgrammeFigures
from dashboard.narrative.realization import NarrativeFigures, narrative_figures
from dashboard.tiles import NO_DATA, TileMap, tile_map
from programs.records.report import output_kpis

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# The reports of CONTRACT the dashboard's figures link to (with their exports), by URL name of
# the reports app.
REPORT_LINKS = ("realization", "provinces", "satkers", "monthly", "submissions")
Status = MonthlyReport.Status


# --- Links of the drill-down (national -> province -> satker -> month) ------------------------


def province_urls(provinces: dict[str, Province], *, year: int, authority: str | None) -> dict[str, str]:
    """The province page of each province: the satker report filtered to it."""
    urls = {}
    for code in provinces:
        query = {"year": year, "province": code, **({"authority": authority} if authority else {})}
        urls[code] = f"{reverse('reports:satkers')}?{urlencode(query)}"
    return urls


def report_links(*, year: int, authority: str | None) -> dict[str, str]:
    """Links from the dashboard's figures to the full reports of CONTRACT (with their exports)."""
    query = urlencode({"year": year, **({"authority": authority} if authority else {})})
    return {name: f"{reverse(f'reports:{name}')}?{query}" for name in REPORT_LINKS}


# --- Shared reads ------------------------------------------------------------------------------


def provinces_by_code() -> dict[str, Province]:
    return {province.bps_code: province for province in Province.objects.order_by("bps_code")}


def as_of(fiscal_year: FiscalYear, today: date) -> date | None:
    """The last day the running year's figures count (the end of the last completed month);
    None for a year that is over."""
    if fiscal_year.year != today.year:
        return None
    return month_end(fiscal_year.year, as_of_month(fiscal_year.year, today))


def provincial_ranking(fiscal_year: FiscalYear, today: date) -> ReportResult:
    """The ranking the dashboard, the officer's home and the narrative all quote: the provinces
    of the year's provincial authority, as of the last completed month."""
    month = as_of_month(fiscal_year.year, today)
    return province_ranking(RealizationFilter(year=fiscal_year.year, month=month), today=today)


def narrative_for(
    *,
    fiscal_year: FiscalYear,
    user: User | AnonymousUser,
    today: date,
    provinces: dict[str, Province] | None = None,
    ranking: ReportResult | None = None,
) -> NarrativeFigures:
    """The narrative's figures for the year as of its last completed month: the whole
    directorate, the provincial authority's ranking and the satkers under the yardstick (the
    year's threshold at its end, the quarter's absorption target before). Province-level figures
    are open to every role (CONTRACT); satkers under the yardstick are counted for the whole
    directorate, but only those in the user's scope are named."""
    year = fiscal_year.year
    month = as_of_month(year, today)
    ranking = ranking or provincial_ranking(fiscal_year, today)
    provinces = provinces if provinces is not None else provinces_by_code()
    visible = None
    if not permissions.reads_all_provinces(user):
        visible = set(scoped(Satker.objects.all(), user).values_list("code", flat=True))
    measure = yardstick(fiscal_year, month)
    satkers = None
    if measure is not None:
        satkers = satker_report(RealizationFilter(year=year, month=month), below=None, threshold=measure.value)
    return narrative_figures(
        year=year,
        directorate=realization_total(RealizationFilter(year=year, month=month)),
        as_of=as_of(fiscal_year, today),
        authority=ranking.params["authority"],
        ranking=ranking,
        satkers=satkers,
        yardstick_quarter=measure.quarter if measure else None,
        visible_satkers=visible,
        names_en={code: province.name_en for code, province in provinces.items()},
    )


# --- The directorate's dashboard ------------------------------------------------------------------


@dataclass
class DirectorateDashboard:
    fiscal_year: FiscalYear
    authority: str | None
    totals: dict[str, Any]
    ranking: ReportResult
    yardstick: Yardstick | None  # what the satkers are held against as of ``month``
    below_threshold: list[dict[str, Any]]
    monthly: ReportResult
    month: int  # the figures are as of the end of this month
    tiles: TileMap
    province_urls: dict[str, str]
    # The sign-off's counts (``with_review_counts``): apart, as they change with every step.
    awaiting_review: int = 0  # verified by the head, awaiting the directorate
    awaiting_verification: int = 0  # submitted by the officer, awaiting the head
    late: int = 0
    reports: dict[str, str] = field(default_factory=dict)  # links to the full reports, by CONTRACT name
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def above_average(self) -> int:
        return self.ranking.totals["above_average"]

    @property
    def average(self) -> Decimal | None:
        return self.ranking.totals["average_weighted"]

    @property
    def average_unweighted(self) -> Decimal | None:
        return self.ranking.totals["average_unweighted"]

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month]} {self.fiscal_year.year}"

    @property
    def provinces(self) -> list[dict[str, Any]]:
        return [{**row, "url": self.province_urls.get(row["province"], "")} for row in self.ranking.rows]

    @property
    def months(self) -> list[dict[str, Any]]:
        return [{**row, "label": MONTH_NAMES[row["month"]]} for row in self.monthly.rows]


def _province_chart(rows: Sequence[dict[str, Any]], tiles: TileMap, urls: dict[str, str], average: Any) -> dict:
    fills = {tile.bps_code: tile.fill for tile in tiles.tiles}
    shown = [row for row in rows if row["persen"] is not None]
    return {
        "labels": [row["province_name"] for row in shown],
        "values": [row["persen"] for row in shown],
        "colors": [fills.get(row["province"], NO_DATA[0]) for row in shown],
        "urls": [urls.get(row["province"], "") for row in shown],
        "average": average,
        "label": _("Realisasi (%)"),
        "averageLabel": _("Rata-rata"),
    }


def _s_curve_chart(monthly: ReportResult, last_month: int) -> dict:
    return {
        "labels": [str(MONTH_NAMES[row["month"]]) for row in monthly.rows],
        "rpd": [row["rpd_kumulatif"] for row in monthly.rows],
        # Months that have not started have no realization yet: a gap, not a flat line.
        "realisasi": [row["realisasi_kumulatif"] if row["month"] <= last_month else None for row in monthly.rows],
        "rpdLabel": _("RPD kumulatif"),
        "realisasiLabel": _("Realisasi kumulatif"),
    }


def directorate_dashboard(
    *,
    user: User | AnonymousUser,
    fiscal_year: FiscalYear,
    authority: str | None,
    today: date,
    provincial: ReportResult | None = None,
) -> DirectorateDashboard:
    """KPIs, province ranking (bar chart and tile map) and S-curve of the year as of its last
    completed month, for all satkers or one authority: the approved figures only (the report
    counts come from ``with_review_counts``). Without an authority the ranking is the provincial
    one the narrative quotes (provinces are never ranked with central units)."""
    month = as_of_month(fiscal_year.year, today)
    filters = RealizationFilter(year=fiscal_year.year, month=month, authority=authority)
    if authority:
        ranking = province_ranking(filters, today=today)
    else:
        ranking = provincial or provincial_ranking(fiscal_year, today)
    measure = yardstick(fiscal_year, month)
    below: list[dict[str, Any]] = []
    if measure is not None:
        satkers = satker_report(
            replace(filters, satkers=scoped(Satker.objects.all(), user)), below=None, threshold=measure.value
        )
        below = sorted(
            (row for row in satkers.rows if row["below_threshold"]), key=lambda row: (row["persen"], row["satker"])
        )
    # The S-curve draws the whole year's plan; realization stops at the months that have started.
    monthly = monthly_report(replace(filters, month=None), fiscal_year=fiscal_year, ikpa=False)
    provinces = provinces_by_code()
    urls = province_urls(provinces, year=fiscal_year.year, authority=authority)
    tiles = tile_map(ranking.rows, provinces, urls)
    dashboard = DirectorateDashboard(
        fiscal_year=fiscal_year,
        authority=authority,
        totals=realization_total(filters),
        ranking=ranking,
        yardstick=measure,
        below_threshold=below,
        monthly=monthly,
        month=month,
        tiles=tiles,
        province_urls=urls,
        reports=report_links(year=fiscal_year.year, authority=authority),
    )
    dashboard.charts = {
        "provinces": _province_chart(ranking.rows, tiles, urls, ranking.totals["average_weighted"]),
        "scurve": _s_curve_chart(monthly, last_started_month(fiscal_year.year, today)),
    }
    return dashboard


def with_review_counts(dashboard: DirectorateDashboard, *, user: User | AnonymousUser) -> DirectorateDashboard:
    """The dashboard with the year's reports awaiting the directorate, awaiting the head, and sent
    late, of the user's scope (and the dashboard's authority)."""
    filters = RealizationFilter(year=dashboard.fiscal_year.year, authority=dashboard.authority)
    counts = scoped(
        MonthlyReport.objects.filter(fiscal_year=dashboard.fiscal_year,
                                     satker__in=Satker.objects.filter(filters.satker_q())),
        user,
    ).aggregate(
        awaiting_review=Count("pk", filter=awaiting_directorate_q()),
        awaiting_verification=Count("pk", filter=awaiting_head_q()),
        late=Count("pk", filter=Q(submitted_on_time=False)),
    )  # fmt: skip
    return replace(dashboard, **counts)


# --- The officer's home -------------------------------------------------------------------------------


@dataclass
class MonthStatus:
    year: int
    month: int
    report: MonthlyReport | None
    due_date: date
    has_fiscal_year: bool  # the month's page exists only when its fiscal year does

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month]} {self.year}"


@dataclass
class OfficerSatker:
    satker: Satker
    figures: dict[str, Any] | None  # None: no DIPA in the year
    this_month: MonthStatus
    last_month: MonthStatus


@dataclass
class OfficerDashboard:
    fiscal_year: FiscalYear
    totals: dict[str, Any]
    satkers: list[OfficerSatker]
    province_row: dict[str, Any] | None  # the province in the ranking; None when it has no DIPA
    provinces_ranked: int
    average: Decimal | None
    authority: str | None
    today: date
    reports: dict[str, str] = field(default_factory=dict)  # links to the full reports, by CONTRACT name


def officer_dashboard(
    *,
    user: User,
    fiscal_year: FiscalYear,
    today: date,
    years: dict[int, FiscalYear],
    provincial: ReportResult | None = None,
) -> OfficerDashboard:
    """The officer's satkers' figures for the year, their province's place among the provinces
    of the provincial authority, and the state of this month's and last month's reports."""
    satkers_qs = scoped(Satker.objects.order_by("code"), user)
    satkers = list(satkers_qs)
    own = RealizationFilter(year=fiscal_year.year, month=as_of_month(fiscal_year.year, today), satkers=satkers_qs)
    totals = realization_total(own)
    figures = {row["satker"]: row for row in realization_by_satker(own)}
    ranking = provincial or provincial_ranking(fiscal_year, today)
    authority = ranking.params["authority"]
    province_code = user.province.bps_code if user.province else None
    province_row = next((row for row in ranking.rows if row["province"] == province_code), None)

    this_year, this_month = today.year, today.month
    last_year, last_month = (this_year - 1, 12) if this_month == 1 else (this_year, this_month - 1)
    reports = {
        (report.satker_id, report.fiscal_year.year, report.month): report
        for report in scoped(
            MonthlyReport.objects.filter(satker__in=satkers_qs)
            .filter(Q(fiscal_year__year=this_year, month=this_month) | Q(fiscal_year__year=last_year, month=last_month))
            .select_related("fiscal_year"),
            user,
        )
    }
    due = {
        (this_year, this_month): report_due_date(this_year, this_month),
        (last_year, last_month): report_due_date(last_year, last_month),
    }

    def status(satker: Satker, year: int, month: int) -> MonthStatus:
        report = reports.get((satker.pk, year, month))
        return MonthStatus(year, month, report, report.due_date if report else due[(year, month)], year in years)

    return OfficerDashboard(
        fiscal_year=fiscal_year,
        totals=totals,
        satkers=[
            OfficerSatker(
                satker=satker,
                figures=figures.get(satker.code),
                this_month=status(satker, this_year, this_month),
                last_month=status(satker, last_year, last_month),
            )
            for satker in satkers
        ],
        province_row=province_row,
        provinces_ranked=sum(1 for row in ranking.rows if row["rank"] is not None),
        average=ranking.totals["average_weighted"],
        authority=authority,
        today=today,
        reports=report_links(year=fiscal_year.year, authority=authority),
    )


# --- The programme outputs of the narrative -------------------------------------------------------


def programme_figures(*, year: int, authority: str | None, as_of: date | None) -> ProgrammeFigures:
    """The narrative's figures: the outputs of all satkers and of the provincial authority
    (``authority``: DK or TP; None when the year has no provincial satkers), as of the same
    month as the realization (``as_of``: its last day; None when the year is over)."""
    month = as_of.month if as_of else None
    return ProgrammeFigures(
        year=year,
        directorate=output_kpis(year=year, month=month),
        authority=authority,
        provincial=output_kpis(year=year, authority=authority, month=month) if authority else None,
        as_of=as_of,
    )
