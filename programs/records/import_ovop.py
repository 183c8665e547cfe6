"""Import kind `ovop`: sentra of the directory and the years OVOP coached them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import scoped
from budgets.import_kinds import REGENCY, SATKER, YEAR, regency_rows, satker_prefill, satker_row
from budgets.models import FiscalYear, Regency, Satker
from budgets.services.common import closed_year_reason
from core.formats import excerpt
from core.messages import text as msg  # an upload keeps the msgid (imports/errors.py)
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import CellError, Sheet, parse_int, parse_text
from programs.models import CommodityGroup, OvopCoaching, Sentra
from programs.records.services import MAX_STARS, MAX_UNITS, MIN_STARS

if TYPE_CHECKING:
    from accounts.models import User

# The CONTRACT's columns and what they fill: a sentra (natural key satker + nama_sentra +
# kode_kabkota, these its other fields) and its coaching of ``tahun``, with ``bintang`` the star
# level reported at the time (empty: not known). The file names no decree (nor commodity): a sentra
# it creates has none until an officer adds it on the web.
CENTRE_FIELDS = {"desa": "village", "kelompok_komoditas": "commodity_group", "jumlah_ikm": "unit_count"}


def parse_words(value: Any, *, max_length: int) -> str:
    """Required text with runs of spaces folded, as the web form stores names (the centre's
    name is part of its natural key, so "Sentra  Tenun" must find "Sentra Tenun")."""
    return " ".join(parse_text(value, max_length=max_length).split())


def parse_commodity_group(value: Any) -> str:
    """The group's code (TENUN) or its label (Kain tenun), in any letter case."""
    text = " ".join(parse_text(value, max_length=100).split()).casefold()
    for group in CommodityGroup:
        if text in (group.value.casefold(), str(group.label).casefold()):
            return group.value
    raise CellError(
        msg(
            gettext_noop("Kelompok komoditas '%(value)s' tidak dikenal; pilih salah satu: %(choices)s."),
            value=excerpt(value),
            choices=", ".join(CommodityGroup.values),
        )
    )


def parse_reported_stars(value: Any) -> int | None:
    """Stars 1-5, or None for an empty cell (the level is not always reported)."""
    return None if value is None else parse_int(value, low=MIN_STARS, high=MAX_STARS)


def parse_unit_count(value: Any) -> int:
    units = parse_int(value, low=0, high=MAX_UNITS)
    if units < Sentra.MIN_UNITS:
        raise CellError(msg(gettext_noop("Jumlah unit terlalu sedikit: sentra minimal 5 unit IKM.")))
    return units


CentreKey = tuple[int, str, int]  # (satker id, name, regency id): the model's unique constraint


@dataclass
class _Known:
    """What plan() loads once for the whole file."""

    satkers: dict[str, Satker]
    years: dict[int, FiscalYear]
    regencies: dict[str, Regency]
    centres: dict[CentreKey, Sentra]
    coachings: dict[tuple[int, int], OvopCoaching]


class OvopImport(ImportKind):
    """`ovop`: kode_satker, nama_sentra, kode_kabkota, desa, kelompok_komoditas, jumlah_ikm, tahun,
    bintang. A row creates or updates the sentra (natural key satker + name + regency, the
    model's unique constraint: desa, kelompok_komoditas and jumlah_ikm are its fields) and records
    its coaching in the year (natural key sentra + year), with ``bintang`` the star level reported
    at coaching time (may be empty; it is no award: awards are made in cycles, on the web).

    Rules of the web form (programs.records.ovop `sentra_values`, `ovop_coaching_set`): at
    least five IKM units, the regency in the satker's province, a known commodity group, stars
    1-5 or empty, the year known and open. One sentra may appear on several rows with different
    years; its fields must then agree (a disagreeing later row is an error naming the first). The
    same sentra and year twice is a duplicate. A row whose sentra fields and stars equal what is
    stored is unchanged and writes nothing."""

    name = "ovop"
    title = gettext_lazy("Sentra OVOP dibina")
    columns = (
        SATKER,
        Column("nama_sentra", gettext_lazy("Nama sentra."), lambda v: parse_words(v, max_length=200),
               example="Sentra Tenun Songket Bengkulu"),
        REGENCY,
        Column("desa", gettext_lazy("Desa/kelurahan."), lambda v: parse_words(v, max_length=120), example="Pasar Baru"),
        Column("kelompok_komoditas", gettext_lazy("Kelompok komoditas."), parse_commodity_group,
               choices=tuple(CommodityGroup.values), example="TENUN"),
        Column("jumlah_ikm", gettext_lazy("Jumlah unit IKM di sentra (paling sedikit 5)."), parse_unit_count,
               example="12"),
        YEAR,
        Column("bintang", gettext_lazy("Tingkat bintang IKM sentra yang dilaporkan saat pembinaan (1-5); boleh "
                                       "kosong."),
               parse_reported_stars, choices=("1", "2", "3", "4", "5"), example="3"),
    )  # fmt: skip

    regency_column = "kode_kabkota"

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        return satker_prefill(user, query, satker_row)

    def regency_rows(self, user: User) -> list[tuple[str, str, str]]:
        return regency_rows(user)

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan("ovop")
        parsed = self.parsed_rows(plan, sheet)
        known = self._load(parsed, user)
        first_of_centre: dict[CentreKey, tuple[int, dict[str, Any]]] = {}
        first_of_coaching: dict[tuple[CentreKey, int], int] = {}
        for number, values in parsed:
            found = self._lookups(plan, number, values, known)
            if found is None:
                continue
            satker, regency, fiscal_year = found
            centre_key = (satker.pk, values["nama_sentra"], regency.pk)
            fields = {field: values[column] for column, field in CENTRE_FIELDS.items()}
            if (centre_key, fiscal_year.year) in first_of_coaching:
                plan.error(number, "tahun", msg(
                    gettext_noop("Baris ganda: sentra dan tahun yang sama dengan baris %(row)s."),
                    row=first_of_coaching[(centre_key, fiscal_year.year)],
                ))  # fmt: skip
                continue
            first_of_coaching[(centre_key, fiscal_year.year)] = number
            first = first_of_centre.setdefault(centre_key, (number, fields))
            if first[1] != fields:
                column = next(c for c, f in CENTRE_FIELDS.items() if first[1][f] != fields[f])
                plan.error(number, column, msg(
                    gettext_noop("Data sentra ini berbeda dengan baris %(row)s; desa, kelompok komoditas dan jumlah "
                                 "IKM satu sentra harus sama di setiap baris."),
                    row=first[0],
                ))  # fmt: skip
                continue
            centre = known.centres.get(centre_key)
            # A centre's own changes are counted once, on its first row in the file.
            centre_changes = first[0] == number and (
                centre is None or any(getattr(centre, field) != value for field, value in fields.items())
            )
            coaching = known.coachings.get((centre.pk, fiscal_year.year)) if centre else None
            if coaching is None:
                action = "new"
            else:
                action = "changed" if centre_changes or coaching.stars != values["bintang"] else "unchanged"
            key = (satker.code, values["nama_sentra"], regency.kemendagri_code, fiscal_year.year)
            changes = self._changes(values, centre, coaching, first_of_centre=first[0] == number) if (
                action == "changed") else []  # fmt: skip
            plan.rows.append(PlannedRow(number, key, action, {
                **values, "satker": satker, "regency": regency, "fiscal_year": fiscal_year, "centre_key": centre_key,
                "fields": fields,
            }, changes))  # fmt: skip
        return plan

    @staticmethod
    def _changes(
        values: dict[str, Any], centre: Sentra, coaching: OvopCoaching, *, first_of_centre: bool
    ) -> list[list[str]]:
        """The preview's old -> new of a changed row: the centre's fields on its first row in the
        file only (where its change is counted; they are equal on its later rows), and the stars."""
        columns = {**(CENTRE_FIELDS if first_of_centre else {}), "bintang": "bintang"}
        old = {column: getattr(centre, field) for column, field in CENTRE_FIELDS.items()} | {"bintang": coaching.stars}
        return cell_changes({column: column for column in columns}, old, values)

    @staticmethod
    def _load(parsed: list[tuple[int, dict[str, Any]]], user: User) -> _Known:
        """Everything the rows refer to, in five queries whatever the file's size."""
        codes = {values["kode_satker"] for _n, values in parsed}
        satkers = {
            s.code: s
            for s in scoped(Satker.objects.filter(code__in=codes).select_related("province"), user, for_edit=True)
        }
        centres = {
            (c.satker_id, c.name, c.regency_id): c for c in Sentra.objects.filter(satker__in=list(satkers.values()))
        }
        coachings = {
            (c.sentra_id, c.year): c
            for c in OvopCoaching.objects.filter(sentra__satker_id__in=[s.pk for s in satkers.values()])
        }
        return _Known(
            satkers=satkers,
            years={fy.year: fy for fy in FiscalYear.objects.filter(year__in={v["tahun"] for _n, v in parsed})},
            regencies={
                r.kemendagri_code: r
                for r in Regency.objects.filter(kemendagri_code__in={v["kode_kabkota"] for _n, v in parsed})
            },
            centres=centres,
            coachings=coachings,
        )

    @staticmethod
    def _lookups(
        plan: ImportPlan, number: int, values: dict[str, Any], known: _Known
    ) -> tuple[Satker, Regency, FiscalYear] | None:
        """The row's satker, regency and year, or None after reporting each one that fails."""
        satker = known.satkers.get(values["kode_satker"])
        if satker is None:
            plan.error(number, "kode_satker", msg(gettext_noop("Satker %(code)s tidak ada atau di luar cakupan Anda."),
                                                  code=values["kode_satker"]))  # fmt: skip
        regency = known.regencies.get(values["kode_kabkota"])
        if regency is None:
            plan.error(number, "kode_kabkota", msg(gettext_noop("Kabupaten/kota %(code)s tidak dikenal."),
                                                   code=values["kode_kabkota"]))  # fmt: skip
        elif satker is not None and regency.province_id != satker.province_id:
            plan.error(number, "kode_kabkota", msg(
                gettext_noop("%(regency)s tidak berada di provinsi satker (%(province)s)."),
                regency=regency.name, province=satker.province.name,
            ))  # fmt: skip
            regency = None
        fiscal_year = known.years.get(values["tahun"])
        if fiscal_year is None:
            plan.error(number, "tahun", msg(gettext_noop("Tahun anggaran %(year)s tidak ada."), year=values["tahun"]))
        elif closed := closed_year_reason(fiscal_year):
            plan.error(number, "tahun", closed)
            fiscal_year = None
        if satker is None or regency is None or fiscal_year is None:
            return None
        return satker, regency, fiscal_year

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        rows = [row for row in plan.rows if row.action != "unchanged"]
        if not rows:
            return
        history = {"default_user": user, "default_change_reason": reason}
        # The web form locks the satker while it writes centres; so does the import, and it reads
        # the sentra and coachings again under that lock rather than trusting the preview.
        satker_ids = sorted({row.values["satker"].pk for row in rows})
        list(Satker.objects.select_for_update().filter(pk__in=satker_ids).order_by("pk"))
        centres = self._write_centres(rows, satker_ids, history)
        coachings = {(c.sentra_id, c.year): c for c in OvopCoaching.objects.filter(sentra__in=list(centres.values()))}
        to_create, to_update = [], []
        for row in rows:
            centre, year, stars = (
                centres[row.values["centre_key"]],
                row.values["fiscal_year"].year,
                row.values["bintang"],
            )
            coaching = coachings.get((centre.pk, year))
            if coaching is None:
                to_create.append(OvopCoaching(sentra=centre, year=year, stars=stars))
            elif coaching.stars != stars:
                coaching.stars = stars
                to_update.append(coaching)
        if to_create:
            bulk_create_with_history(to_create, OvopCoaching, **history)
        if to_update:
            bulk_update_with_history(to_update, OvopCoaching, ["stars"], **history)

    @staticmethod
    def _write_centres(
        rows: list[PlannedRow], satker_ids: list[int], history: dict[str, Any]
    ) -> dict[CentreKey, Sentra]:
        """Create or update each centre the rows name; every centre of ``rows``, by natural key."""
        stored = {(c.satker_id, c.name, c.regency_id): c for c in Sentra.objects.filter(satker_id__in=satker_ids)}
        wanted = {row.values["centre_key"]: row for row in reversed(rows)}  # first row of each centre wins
        to_create, to_update = [], []
        for key, row in wanted.items():
            centre = stored.get(key)
            if centre is None:
                to_create.append(Sentra(satker=row.values["satker"], name=key[1], regency=row.values["regency"],
                                            **row.values["fields"]))  # fmt: skip
            elif any(getattr(centre, field) != value for field, value in row.values["fields"].items()):
                for field, value in row.values["fields"].items():
                    setattr(centre, field, value)
                to_update.append(centre)
        if to_update:
            bulk_update_with_history(to_update, Sentra, list(CENTRE_FIELDS.values()), **history)
        created = bulk_create_with_history(to_create, Sentra, **history) if to_create else []
        for centre in created:
            stored[(centre.satker_id, centre.name, centre.regency_id)] = centre
        return {key: stored[key] for key in wanted}
