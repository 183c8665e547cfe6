"""Import kind `ikm`: the IKM registry, for files of up to 100.000 enterprises.

A row passes the rules of the registry's web form (``programs.registry.services``, with the
form's messages) and is upserted on its natural key: its NIB when both the row and the stored
enterprise have one, otherwise the regency and the normalised name (the form's duplicate rule:
the same name in the same regency is the same enterprise). A row never removes a stored NIB.

The form's ``enterprise_clean`` checks one record with several queries; a file of 100.000 rows
cannot afford that. Here the plan reads the master data once and the stored enterprises a chunk
of rows at a time (one query by NIB, one by regency and name per chunk), so its number of queries
does not grow with the rows; rows are kept as tuples, and ``apply`` writes in batches with their
history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history

from accounts import permissions
from accounts.scoping import scoped
from budgets.import_kinds import REGENCY, amount_help, regency_rows, satker_prefill
from budgets.models import Province, Regency, Satker
from budgets.region_lookup import RegionMap
from core.db_lookups import text_array
from core.messages import text as msg  # an upload keeps the msgid (imports/errors.py)
from imports.file_checks import ImportFileError
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import PREVIEW_ROWS, ImportPlan, PlannedRow, cell_changes, without_cyclic_gc
from imports.reader import CellError, Sheet, parse_amount
from programs.models import Enterprise
from programs.registry.rules import (
    RuleError,
    clean_address,
    clean_kbli,
    clean_name,
    clean_nib,
    clean_owner,
    size_class_for,
)
from programs.registry.services import (
    FIRST_DATA_YEAR,
    MAX_WORKERS,
    NibHolder,
    nib_taken_message,
    officer_satker,
    provinces_seen_by,
)
from programs.registry.summary import RegistryChange

if TYPE_CHECKING:
    from accounts.models import User

T = TypeVar("T")
LOOKUP_CHUNK = 5_000  # rows whose stored enterprises one query fetches
WRITE_BATCH = 2_000  # new enterprises (and as many history rows) written at once
UPDATE_BATCH = 1_000  # changed enterprises per UPDATE (20 parameters each: SQLite takes 32.766)
_GROUPED_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})+")  # Indonesian thousands: 1.200


class EnterpriseValues(NamedTuple):
    """A row's values as the Enterprise's attribute names (derived ones included)."""

    nib: str | None
    name: str
    name_normalized: str
    owner: str
    regency_id: int
    province_id: int
    address: str
    kbli: str
    workers_male: int
    workers_female: int
    investment: int
    production_value: int
    data_year: int
    size_class: str
    satker_id: int | None


# What a row sets: equal to the stored values means "unchanged". Derived fields follow these.
COMPARED = ("nib", "name", "owner", "regency_id", "address", "kbli", "workers_male", "workers_female", "investment",
            "production_value", "data_year")  # fmt: skip
# The file's column of each compared field (the preview names the changed cells by column).
CHANGE_COLUMNS = {"nib": "nib", "name": "nama_usaha", "owner": "nama_pemilik", "regency_id": "kode_kabkota",
                  "address": "alamat", "kbli": "kbli", "workers_male": "tenaga_kerja_l",
                  "workers_female": "tenaga_kerja_p", "investment": "investasi", "production_value": "nilai_produksi",
                  "data_year": "tahun_pendataan"}  # fmt: skip
UPDATED_FIELDS = [*COMPARED, "name_normalized", "province_id", "size_class", "satker_id", "version", "updated_at"]
STORED = ("pk", "version", "satker_id", *COMPARED)  # what the plan reads of a stored enterprise
_STORED_COMPARED = slice(len(STORED) - len(COMPARED), None)  # COMPARED in a Stored tuple (its end)
compared_values = attrgetter(*COMPARED)  # COMPARED of an EnterpriseValues, as a tuple


class Stored(NamedTuple):
    pk: int
    version: int
    satker_id: int | None
    nib: str | None
    name: str
    owner: str
    regency_id: int
    address: str
    kbli: str
    workers_male: int
    workers_female: int
    investment: int
    production_value: int
    data_year: int

    def compared(self) -> tuple:
        return self[_STORED_COMPARED]


# -- cells (the form's rules and messages, for spreadsheet values) -------------------------------


def _as_text(value: Any) -> str:
    """Text of a cell: a whole-number cell without ".0", a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _by_rule(rule: Callable[[Any], T]) -> Callable[[Any], T]:
    """The registry's rule (programs/registry/rules.py) as a cell parser: its message, on the cell."""

    def parse(value: Any) -> T:
        try:
            return rule(value)
        except RuleError as error:
            raise CellError(str(error)) from None

    return parse


parse_nib = _by_rule(clean_nib)
parse_kbli = _by_rule(clean_kbli)
parse_name = _by_rule(lambda value: clean_name(_as_text(value)))
parse_owner = _by_rule(lambda value: clean_owner(_as_text(value)))
parse_address = _by_rule(lambda value: clean_address(_as_text(value)))

NIB = Column("nib", gettext_lazy("NIB 13 digit dari OSS (teks); kosongkan bila belum ada."), parse_nib, text=True,
             example="0220551017193")  # fmt: skip


def _whole_number(value: Any) -> int | None:
    """A whole number from a number cell or text (1200 or 1.200); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            return int(value) if value == int(value) else None
        except (OverflowError, ValueError):  # infinity, NaN
            return None
    text = _as_text(value)
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(".", "")
    try:
        return int(text)
    except ValueError:
        return None


def parse_workers(value: Any) -> int:
    if value is None:
        return 0
    number = _whole_number(value)
    if number is None:
        raise CellError(msg(gettext_noop("Isi dengan bilangan bulat, mis. 12.")))
    if number < 0:
        raise CellError(msg(gettext_noop("Jumlah tenaga kerja tidak boleh negatif.")))
    if number > MAX_WORKERS:
        raise CellError(msg(gettext_noop("Jumlah tenaga kerja terlalu besar; periksa kembali isian.")))
    return number


def year_parser(today: dt.date) -> Callable[[Any], int]:
    def parse_data_year(value: Any) -> int:
        if value is None:
            raise CellError(msg(gettext_noop("Isi tahun pendataan.")))
        year = _whole_number(value)
        if year is None or not FIRST_DATA_YEAR <= year <= today.year:
            raise CellError(msg(gettext_noop("Tahun pendataan harus antara %(first)s dan %(last)s."),
                                first=FIRST_DATA_YEAR, last=today.year))  # fmt: skip
        return year

    return parse_data_year


Accepted = tuple[int, EnterpriseValues, tuple]  # row number, values, natural key


# -- the master data a plan needs, read once -----------------------------------------------------


class RegencyInfo(NamedTuple):
    pk: int
    code: str
    name: str
    province_id: int


@dataclass
class Context:
    regencies: dict[str, RegencyInfo]  # by Kemendagri code
    regencies_by_pk: dict[int, RegencyInfo]
    regions: RegionMap  # a record's province is its regency's in the data year
    editable_provinces: set[int]
    seen_provinces: frozenset[int]  # whose enterprises a message may name (services.nib_taken_message)
    province_names: dict[int, str]
    provincial_satker: dict[int, int]  # province -> its provincial satker (lowest code)
    officer_satker: int | None  # an officer's own satker; None for admins
    writes_everywhere: bool  # chooses the satker by the regency's province (admins), else its own
    seen_keys: dict[tuple, int] = field(default_factory=dict)  # natural key in the file -> first row
    targets: dict[int, int] = field(default_factory=dict)  # stored enterprise -> the row that updates it
    # Rows planned as new or changed so far: the preview keeps only the first PREVIEW_ROWS of
    # them, so a file of 100.000 changed rows spells out the cell changes of those alone.
    written_rows: int = 0
    # (regency, data year) -> province: a file's rows share a few hundred of them, and each row
    # asks several times (its own record, a stored enterprise of its NIB).
    provinces: dict[tuple[int, int | None], int] = field(default_factory=dict)

    @classmethod
    def load(cls, user: User) -> Context:
        regencies = {
            code: RegencyInfo(pk, code, name, province_id)
            for pk, code, name, province_id in Regency.objects.values_list("pk", "kemendagri_code", "name", "province")
        }
        provincial: dict[int, int] = {}
        for pk, province_id in Satker.objects.filter(is_central=False).order_by("code").values_list("pk", "province"):
            provincial.setdefault(province_id, pk)
        everywhere = permissions.writes_everywhere(user)
        own = None if everywhere else officer_satker(user)
        return cls(
            regencies=regencies,
            regencies_by_pk={info.pk: info for info in regencies.values()},
            regions=RegionMap({info.pk: info.province_id for info in regencies.values()}),
            editable_provinces=set(scoped(Province.objects.all(), user, for_edit=True).values_list("pk", flat=True)),
            seen_provinces=provinces_seen_by(user),
            province_names=dict(Province.objects.values_list("pk", "name")),
            provincial_satker=provincial,
            officer_satker=own.pk if own is not None else None,
            writes_everywhere=everywhere,
        )

    def satker_for(self, province_id: int) -> int | None:
        """Who collected a new record: the officer's satker; for an admin, the provincial satker
        of the regency's province (as the form does when the admin does not choose)."""
        return self.provincial_satker.get(province_id) if self.writes_everywhere else self.officer_satker

    def natural_key(self, values: EnterpriseValues) -> tuple:
        """(NIB,) or (regency code, normalised name): what the preview shows of a row."""
        if values.nib is not None:
            return (values.nib,)
        return (self.regencies_by_pk[values.regency_id].code, values.name_normalized)

    def shown_values(self, values: Stored | EnterpriseValues) -> dict[str, Any]:
        """The compared fields as the file writes them, for the preview's old -> new: the regency
        by its Kemendagri code, the data year as a year (not grouped like an amount)."""
        shown = {name: getattr(values, name) for name in COMPARED}
        shown["regency_id"] = self.regencies_by_pk[values.regency_id].code
        shown["data_year"] = str(values.data_year)
        return shown

    def province_of(self, regency_id: int, data_year: int | None) -> int:
        province_id = self.provinces.get((regency_id, data_year))
        if province_id is None:
            if data_year is None:
                province_id = self.regions.current[regency_id]
            else:
                province_id = self.regions.province_of_record(regency_id, data_year)
            self.provinces[regency_id, data_year] = province_id
        return province_id

    def holder(self, stored: Stored) -> NibHolder:
        regency = self.regencies_by_pk[stored.regency_id]
        province_id = self.province_of(stored.regency_id, stored.data_year)
        return NibHolder(province_id, stored.name, regency.name, self.province_names.get(province_id, ""))


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _duplicate_message(first_row: int) -> str:
    return msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."), row=first_row)


# -- the importer --------------------------------------------------------------------------------


class EnterpriseImport(ImportKind):
    """`ikm`: nib, nama_usaha, nama_pemilik, kode_kabkota, alamat, kbli, tenaga_kerja_l,
    tenaga_kerja_p, investasi, nilai_produksi, tahun_pendataan."""

    name = "ikm"
    title = gettext_lazy("Registri IKM")
    columns = (
        NIB,
        Column("nama_usaha", gettext_lazy("Nama usaha."), parse_name, example="Keripik Sanjai Amak"),
        Column("nama_pemilik", gettext_lazy("Nama pemilik."), parse_owner, example="Siti Aminah"),
        REGENCY,
        Column("alamat", gettext_lazy("Alamat usaha."), parse_address, example="Jl. Soekarno-Hatta 12"),
        Column("kbli", gettext_lazy("KBLI 5 digit industri pengolahan (awalan 10-33)."), parse_kbli, text=True,
               example="10794"),
        Column("tenaga_kerja_l", gettext_lazy("Jumlah tenaga kerja laki-laki."), parse_workers, example="3"),
        Column("tenaga_kerja_p", gettext_lazy("Jumlah tenaga kerja perempuan."), parse_workers, example="5"),
        Column("investasi", amount_help(gettext_lazy("Investasi tanpa tanah dan bangunan. ")), parse_amount,
               example="250.000.000"),
        Column("nilai_produksi", amount_help(gettext_lazy("Nilai produksi per tahun. ")), parse_amount,
               example="600.000.000"),
        Column("tahun_pendataan", gettext_lazy("Tahun pendataan."), lambda v: year_parser(timezone.localdate())(v),
               example="2026"),
    )  # fmt: skip

    regency_column = "kode_kabkota"

    def regency_rows(self, user: User) -> list[tuple[str, str, str]]:
        return regency_rows(user)

    def prefill(self, *, user: User, query: Mapping[str, str], today: dt.date) -> Prefill:
        # No satker column: nothing to fill in; the file is named after the satker all the same.
        return satker_prefill(user, query, lambda satker: [])

    def plan(self, sheet: Sheet, user: User, today: dt.date) -> ImportPlan:
        plan = ImportPlan("ikm")
        context = Context.load(user)
        accepted: list[Accepted] = []
        parsers = self._parsers(today)
        with without_cyclic_gc():
            for number, cells in sheet.rows:
                values = self._row_values(plan, number, cells, parsers, context)
                key = self._first_in_file(plan, number, values, context) if values is not None else None
                if key is not None:
                    accepted.append((number, values, key))
            for chunk in chunks(accepted, LOOKUP_CHUNK):
                self._plan_chunk(plan, chunk, context)
        plan.errors.sort(key=lambda error: error.row)  # the stored-data checks come after the cells'
        return plan

    def _parsers(self, today: dt.date) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        """Each column's parser; the data year's bound is the plan's day."""
        return tuple((column.name, year_parser(today) if column.name == "tahun_pendataan" else column.parse)
                     for column in self.columns)  # fmt: skip

    @staticmethod
    def _row_values(
        plan: ImportPlan,
        number: int,
        cells: dict[str, Any],
        parsers: tuple[tuple[str, Callable[[Any], Any]], ...],
        context: Context,
    ) -> EnterpriseValues | None:
        """The row's values, or None after reporting every problem of its cells."""
        parsed: dict[str, Any] = {}
        for column, parse in parsers:
            try:
                parsed[column] = parse(cells.get(column))
            except CellError as error:
                plan.error(number, column, str(error))
        regency = province_id = None
        if "kode_kabkota" in parsed:
            code = parsed["kode_kabkota"]
            regency = context.regencies.get(code)
            if regency is None:
                plan.error(number, "kode_kabkota", _("Kabupaten/kota dengan kode %(code)s tidak ditemukan.")
                           % {"code": code})  # fmt: skip
            elif (
                province_id := context.province_of(regency.pk, parsed.get("tahun_pendataan"))
            ) not in context.editable_provinces:
                plan.error(
                    number,
                    "kode_kabkota",
                    _("%(regency)s berada di luar provinsi Anda; petugas hanya mendata IKM di provinsinya sendiri.")
                    % {"regency": f"{regency.name} ({regency.code})"},
                )
                regency = None
        if regency is None or len(parsed) < len(parsers):
            return None
        name, name_normalized = parsed["nama_usaha"]
        workers_male, workers_female = parsed["tenaga_kerja_l"], parsed["tenaga_kerja_p"]
        return EnterpriseValues(
            nib=parsed["nib"],
            name=name,
            name_normalized=name_normalized,
            owner=parsed["nama_pemilik"],
            regency_id=regency.pk,
            province_id=province_id,
            address=parsed["alamat"],
            kbli=parsed["kbli"],
            workers_male=workers_male,
            workers_female=workers_female,
            investment=parsed["investasi"],
            production_value=parsed["nilai_produksi"],
            data_year=parsed["tahun_pendataan"],
            size_class=str(size_class_for(workers_male + workers_female, parsed["investasi"])),
            satker_id=context.satker_for(province_id),
        )

    @staticmethod
    def _first_in_file(plan: ImportPlan, number: int, values: EnterpriseValues, context: Context) -> tuple | None:
        """The row's natural key, or None when it was already in the file: the same NIB twice,
        or the same name in the same regency twice without NIB, is one enterprise written twice,
        and the later row is an error naming the first."""
        key = context.natural_key(values)
        first = context.seen_keys.get(key)
        if first is not None:
            plan.error(number, "nib" if values.nib is not None else "nama_usaha", _duplicate_message(first))
            return None
        context.seen_keys[key] = number
        return key

    def _plan_chunk(self, plan: ImportPlan, chunk: Sequence[Accepted], context: Context) -> None:
        by_nib = {
            stored.nib: stored
            for stored in map(Stored._make, Enterprise.objects.filter(
                nib__any=[values.nib for _n, values, _k in chunk if values.nib]).values_list(*STORED))
        }  # fmt: skip
        by_name = self._stored_by_name([values for _n, values, _k in chunk if values.nib not in by_nib])
        for number, values, key in chunk:
            if values.nib is not None and values.nib in by_nib:
                stored = by_nib[values.nib]
                if context.province_of(stored.regency_id, stored.data_year) != values.province_id:
                    plan.error(number, "nib", self._nib_elsewhere_message(values.nib, stored, context))
                    continue
            else:
                stored = self._match_by_name(values, by_name.get((values.regency_id, values.name_normalized), ()))
            self._plan_row(plan, (number, values, key), stored, context)

    @staticmethod
    def _stored_by_name(rows: list[EnterpriseValues]) -> dict[tuple[int, str], list[Stored]]:
        """Stored enterprises with a regency and a normalised name of ``rows``, oldest first. The
        query crosses the regencies with the names; pairs the rows do not hold are dropped."""
        wanted = {(values.regency_id, values.name_normalized) for values in rows}
        found: dict[tuple[int, str], list[Stored]] = {}
        if not wanted:
            return found
        rows_found: Iterable[Sequence[Any]]
        if connection.vendor == "postgresql":
            rows_found = _stored_by_pairs(wanted)
        else:
            rows_found = (
                Enterprise.objects.filter(
                    regency_id__in={regency for regency, _name in wanted},
                    name_normalized__in={name for _r, name in wanted},
                )
                .order_by("pk")
                .values_list("name_normalized", *STORED)
            )
        for name_normalized, *stored_values in rows_found:
            stored = Stored._make(stored_values)
            key = (stored.regency_id, name_normalized)
            if key in wanted:
                found.setdefault(key, []).append(stored)
        return found

    @staticmethod
    def _match_by_name(values: EnterpriseValues, candidates: Sequence[Stored]) -> Stored | None:
        """A row with an NIB that is not registered completes an enterprise of the same name
        recorded without NIB; a row without NIB updates the enterprise of that name (one
        without NIB first), keeping its NIB."""
        without_nib = [stored for stored in candidates if stored.nib is None]
        if values.nib is not None:
            return without_nib[0] if without_nib else None
        return (without_nib or list(candidates) or [None])[0]

    @staticmethod
    def _nib_elsewhere_message(nib: str, stored: Stored, context: Context) -> str:
        # The form's rule of what a user may be told: an officer learns nothing of another
        # province's enterprise, in the errors, the preview and errors.xlsx alike.
        return nib_taken_message(
            nib,
            context.holder(stored),
            context.seen_provinces,
            detailed=_(
                'NIB %(nib)s sudah terdaftar atas nama "%(name)s" (%(regency)s, %(province)s), provinsi lain dari '
                "kabupaten/kota baris ini; impor hanya memperbarui usaha di provinsinya sendiri."
            ),
        )

    @staticmethod
    def _plan_row(plan: ImportPlan, row: Accepted, stored: Stored | None, context: Context) -> None:
        number, values, key = row
        if stored is None:
            context.written_rows += 1
            plan.rows.append(PlannedRow(number, key, "new", {"enterprise": values, "pk": None, "version": None}))
            return
        first = context.targets.get(stored.pk)
        if first is not None:
            plan.error(
                number,
                "nib" if values.nib else "nama_usaha",
                _('Baris ini dan baris %(row)s sama-sama mengenai usaha "%(name)s" yang sudah terdaftar.')
                % {"row": first, "name": stored.name},
            )
            return
        context.targets[stored.pk] = number
        # A row never removes an NIB; an edit keeps the satker that collected the data. (A new
        # tuple only when needed: a re-imported file would otherwise hold every row twice.)
        if (values.nib is None and stored.nib is not None) or (stored.satker_id not in (None, values.satker_id)):
            values = values._replace(nib=values.nib or stored.nib, satker_id=stored.satker_id or values.satker_id)
        same = compared_values(values) == stored.compared()
        changes: list[list[str]] = []
        if not same:
            if context.written_rows < PREVIEW_ROWS:
                changes = cell_changes(CHANGE_COLUMNS, context.shown_values(stored), context.shown_values(values))
            context.written_rows += 1
        plan.rows.append(PlannedRow(number, key, "unchanged" if same else "changed",
                                    {"enterprise": values, "pk": stored.pk, "version": stored.version},
                                    changes))  # fmt: skip

    # -- writing ---------------------------------------------------------------------------------

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        new = [row.values["enterprise"] for row in plan.rows if row.action == "new"]
        changed = [row.values for row in plan.rows if row.action == "changed"]
        # The registry summary's change of the whole file, added up per key as the batches are
        # written and stored at the end, in the import's transaction: a few upserts whatever the
        # file's size, and the summary rows stay locked only for the end of the import.
        summary = RegistryChange().adding(new)
        with without_cyclic_gc():
            try:
                with connection.wrap_database_errors:  # COPY errors come from psycopg itself
                    for batch in chunks(new, WRITE_BATCH):
                        insert_new(batch, user, reason)
                    for batch in chunks(changed, UPDATE_BATCH):
                        update_changed(batch, user, reason, summary=summary)
                    summary.apply()
            except IntegrityError:
                # An NIB recorded by someone else between the check and the write.
                raise ImportFileError(
                    _("Sementara berkas diproses, sebagian NIB-nya dicatat orang lain; unggah ulang berkas ini.")
                ) from None


def _stored_by_pairs(wanted: set[tuple[int, str]]) -> list[tuple[Any, ...]]:
    """("name_normalized", *STORED) of the stored enterprises of these (regency, normalised name)
    pairs, oldest first: the pairs joined as two arrays, one index lookup each. (Filtering the
    regencies and the names as two lists made PostgreSQL 15 look up every regency with every
    name: 5 s of a 100.000-row plan.)"""
    meta = Enterprise._meta
    quote = connection.ops.quote_name
    fields = [meta.pk if name == "pk" else meta.get_field(name) for name in ("name_normalized", *STORED)]
    columns = ", ".join(f"e.{quote(field.column)}" for field in fields)
    pairs = list(wanted)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} e "  # noqa: S608 (names only)
        "JOIN UNNEST(%s::bigint[], %s::text[]) AS w (regency_id, name_normalized) "
        "ON e.regency_id = w.regency_id AND e.name_normalized = w.name_normalized ORDER BY e.id"
    )
    with connection.cursor() as cursor:
        # The arrays as literals (core.db_lookups: psycopg would quote 5.000 elements one by one).
        regencies = "{" + ",".join(str(regency) for regency, _name in pairs) + "}"
        cursor.execute(sql, [regencies, text_array(name for _regency, name in pairs)])
        return cursor.fetchall()


# -- writing in bulk, with history -----------------------------------------------------------------
#
# simple_history's bulk_create_with_history / bulk_update_with_history spend about 200 us a row in
# Django's per-field preparation, and bulk_update's CASE WHEN grows with the square of the batch
# (5.000 changed rows took 70 s on PostgreSQL). So on PostgreSQL new enterprises and every history
# row go in by COPY (the enterprises' ids drawn from their sequence first), and each batch of
# changes is one UPDATE joined to its new values. Elsewhere (SQLite in development) new rows go
# through bulk_create_with_history and history rows through simple_history's bulk_history_create.
# Either way each written enterprise gets the history row simple_history would write: its values,
# history_date now, history_user the importer, history_change_reason the upload's reason.

HISTORY = Enterprise.history.model
HISTORY_EXTRA = ("history_date", "history_change_reason", "history_type", "history_user_id")
TRACKED = [field.attname for field in HISTORY.tracked_fields]
NUMBER_TYPES = {"ForeignKey", "IntegerField", "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
                "SmallIntegerField"}  # fmt: skip


def _copy_history_possible() -> bool:
    columns = {field.attname for field in HISTORY._meta.concrete_fields}
    return columns == {*TRACKED, *HISTORY_EXTRA, HISTORY._meta.pk.attname}


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _history_rows(rows: Iterable[Sequence[Any]], user: User, reason: str, history_type: str) -> Iterator[list[Any]]:
    """``rows`` in TRACKED order, as history rows (TRACKED then HISTORY_EXTRA)."""
    now = timezone.now()
    for row in rows:
        yield [*row, now, reason, history_type, user.pk]


def insert_new(batch: Sequence[EnterpriseValues], user: User, reason: str) -> None:
    if connection.vendor != "postgresql" or not _copy_history_possible():
        bulk_create_with_history([Enterprise(**values._asdict()) for values in batch], Enterprise,
                                 batch_size=WRITE_BATCH, default_user=user, default_change_reason=reason)  # fmt: skip
        return
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(batch)])  # fmt: skip
        ids = [pk for (pk,) in cursor.fetchall()]
    now = timezone.now()
    rows = []
    for pk, values in zip(ids, batch, strict=True):
        record = values._asdict()
        record.update(id=pk, centre_id=None, version=1, updated_at=now)
        rows.append([record[name] for name in TRACKED])
    _copy(table, TRACKED, rows)
    _copy(HISTORY._meta.db_table, [*TRACKED, *HISTORY_EXTRA], _history_rows(rows, user, reason, "+"))


def update_changed(batch: Sequence[dict[str, Any]], user: User, reason: str, *, summary: RegistryChange) -> None:
    """Write the changed rows, unless someone changed one of them since the plan read it (the
    form's optimistic version check, for a whole file). ``summary`` gets each row's change: its
    stored figures out, its new ones in."""
    stored = Enterprise.objects.select_for_update().in_bulk([planned["pk"] for planned in batch])
    now = timezone.now()
    enterprises = []
    for planned in batch:
        enterprise = stored.get(planned["pk"])
        if enterprise is None or enterprise.version != planned["version"]:
            raise ImportFileError(
                _("Sebagian data IKM di berkas ini diubah orang lain sementara berkas diproses; unggah ulang berkas.")
            )
        summary.remove(enterprise)
        for name, value in planned["enterprise"]._asdict().items():
            setattr(enterprise, name, value)
        summary.add(enterprise)
        enterprise.version += 1
        enterprise.updated_at = now
        enterprises.append(enterprise)
    _update_rows(enterprises, now)
    if connection.vendor == "postgresql" and _copy_history_possible():
        rows = ([getattr(enterprise, name) for name in TRACKED] for enterprise in enterprises)
        _copy(HISTORY._meta.db_table, [*TRACKED, *HISTORY_EXTRA], _history_rows(rows, user, reason, "~"))
    else:
        Enterprise.history.bulk_history_create(enterprises, batch_size=WRITE_BATCH, update=True, default_user=user,
                                               default_change_reason=reason)  # fmt: skip


def _update_rows(enterprises: Sequence[Enterprise], now: dt.datetime) -> None:
    """One UPDATE for the batch, joined to the new values: on PostgreSQL an UNNEST of one array
    per column, each cast to its column's type (a fixed number of parameters whatever the batch);
    elsewhere a VALUES list (SQL that SQLite 3.33+ runs) whose numbers are cast (a column of NULLs
    would be text) but not its text (SQLite turns '2026-...' cast to a date type into 2026)."""
    fields = [Enterprise._meta.get_field(name) for name in UPDATED_FIELDS if name != "updated_at"]
    quote = connection.ops.quote_name
    table = quote(Enterprise._meta.db_table)
    columns = ["id", *(quote(field.column) for field in fields)]
    pk_type = Enterprise._meta.pk.cast_db_type(connection)
    # The values are text, whole numbers and NULLs already (set from the plan's tuples).
    rows = [[enterprise.pk, *(enterprise.__dict__[field.attname] for field in fields)] for enterprise in enterprises]
    updated_at = Enterprise._meta.get_field("updated_at").get_db_prep_save(now, connection)
    if connection.vendor == "postgresql":
        arrays = ", ".join([f"%s::{pk_type}[]", *(f"%s::{field.cast_db_type(connection)}[]" for field in fields)])
        source = f"UNNEST({arrays}) AS v ({', '.join(columns)})"
        assignments = [f"{quote(field.column)} = v.{quote(field.column)}" for field in fields]
        sql = (
            f"UPDATE {table} SET {', '.join(assignments)}, {quote('updated_at')} = %s "  # noqa: S608 (names only)
            f"FROM {source} WHERE {table}.id = v.id"
        )
        params = [updated_at, *([row[index] for row in rows] for index in range(len(columns)))]
    else:
        row_placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        values = ", ".join([row_placeholders] * len(rows))
        assignments = [
            f"{quote(field.column)} = CAST(v.{quote(field.column)} AS {field.cast_db_type(connection)})"
            if field.get_internal_type() in NUMBER_TYPES
            else f"{quote(field.column)} = v.{quote(field.column)}"
            for field in fields
        ]
        sql = (
            f"WITH v ({', '.join(columns)}) AS (VALUES {values}) "  # noqa: S608 (column names only)
            f"UPDATE {table} SET {', '.join(assignments)}, {quote('updated_at')} = %s FROM v WHERE {table}.id = v.id"
        )
        params = [value for row in rows for value in row] + [updated_at]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
