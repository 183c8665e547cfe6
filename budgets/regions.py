"""Regions over time: which map a fiscal year or a record follows, and whether a satker can hold
the directorate's money in a year.

Indonesia had 34 provinces until Papua Selatan, Papua Tengah and Papua Pegunungan (laws of
25 July 2022) and Papua Barat Daya (8 December 2022) were carved out of Papua and Papua Barat.
A year's budget and its records follow the map the year began with: the 2022 DIPA predates the
new provinces, and a 2022 record in Jayawijaya counts for Papua (DOMAIN.md, "Regions"). The
queries that apply these rules to the tables are in budgets/region_lookup.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.formats import format_date


def map_day(year: int) -> date:
    """The day whose map a year's budget and records follow: the year's first day (its DIPA was
    issued before it began)."""
    return date(year, 1, 1)


def existed_on(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def satker_absence(satker: Any, year: int) -> str | None:
    """Why ``satker`` cannot hold the directorate's money in ``year`` (None: it can): its province
    did not exist when the year began, or its first year with a DIPA of the directorate is later."""
    province = satker.province
    if not existed_on(province.valid_from, province.valid_to, map_day(year)):
        if province.valid_from and province.valid_from > map_day(year):
            return _("Provinsi %(province)s baru dibentuk pada %(day)s: belum ada pada awal TA %(year)s.") % {
                "province": province.name,
                "day": format_date(province.valid_from),
                "year": year,
            }
        return _("Provinsi %(province)s tidak ada lagi pada TA %(year)s.") % {"province": province.name, "year": year}
    if satker.first_year and year < satker.first_year:
        return _("Satker %(code)s baru menerima DIPA Ditjen IKMA mulai TA %(first)s.") % {
            "code": satker.code,
            "first": satker.first_year,
        }
    return None
