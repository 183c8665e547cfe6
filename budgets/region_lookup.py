"""The region rules of budgets/regions.py applied to the tables: a regency's province on a day,
for one regency, for all of them at once (imports), and as a queryset filter (forms)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from budgets.models import Province, Regency, RegencyPeriod
from budgets.regions import existed_on, map_day


def province_id_on(regency: Regency, day: date) -> int:
    """The regency's province on ``day``: an earlier one from its periods, else today's. Reads
    the periods prefetched with ``prefetch_related("province_periods")`` (a file's regencies) or
    queries them once."""
    for period in regency.province_periods.all():
        if existed_on(period.valid_from, period.valid_to, day):
            return period.province_id
    return regency.province_id


class RegionMap:
    """Every regency's province over time, read in two queries: for a file of many rows and years."""

    def __init__(self, current: dict[int, int] | None = None) -> None:
        """``current``: regency pk -> today's province pk, when the caller has read the regencies."""
        self.current = current if current is not None else dict(Regency.objects.values_list("pk", "province_id"))
        self.periods: dict[int, list[tuple[date | None, date, int]]] = {}
        for regency_id, start, end, province_id in RegencyPeriod.objects.values_list(
            "regency_id", "valid_from", "valid_to", "province_id"
        ):
            self.periods.setdefault(regency_id, []).append((start, end, province_id))

    def province_on(self, regency_id: int, day: date) -> int:
        for start, end, province_id in self.periods.get(regency_id, ()):
            if existed_on(start, end, day):
                return province_id
        return self.current[regency_id]

    def province_of_record(self, regency_id: int, year: int) -> int:
        return self.province_on(regency_id, map_day(year))


def regencies_in(province: Province | int, year: int) -> QuerySet[Regency]:
    """The regencies of ``province`` on the map of ``year``: a 2022 form of Papua offers
    Jayawijaya (Papua Pegunungan only from July 2022)."""
    province_id = province if isinstance(province, int) else province.pk
    covering = RegencyPeriod.objects.covering(map_day(year)).filter(regency=OuterRef("pk"))
    return Regency.objects.filter(
        (Q(province_id=province_id) & ~Exists(covering)) | Exists(covering.filter(province_id=province_id))
    )


def province_of_record(regency: Regency, year: int) -> int:
    """The province a record of ``year`` placed in ``regency`` counts for (pk)."""
    return province_id_on(regency, map_day(year))
