"""Import kinds of the monthly programme records: new entrepreneurs (`wub`), facilitations
(`fasilitasi`) and extreme-poverty activities (`kemiskinan`).

A row passes the gates of the web form (satker editable, year open, month started, the month's
report not locked) and the form's own rules (``programs.records.services``), then is upserted on
its natural key into the month's report. The plan reads everything it needs in a fixed number of
queries, whatever the number of rows; the form's rules are called without a NIB because they
would look the registry up once per row: the importer looks every NIB of the file up at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import scoped
from budgets.import_kinds import (
    MONTH,
    REGENCY,
    SATKER,
    YEAR,
    amount_help,
    regency_rows,
    satker_month_problem,
    satker_prefill,
    satker_row,
)
from budgets.models import FiscalYear, MonthlyReport, Regency, Satker
from core.formats import excerpt
from core.messages import text as msg  # an upload keeps the msgid (imports/errors.py)
from imports.kinds import Column, ImportKind, Prefill
from imports.plan import ImportPlan, PlannedRow, cell_changes
from imports.reader import CellError, Sheet, parse_amount, parse_date, parse_int, parse_text
from programs.models import Enterprise, Facilitation, FacilitationKind, NewEntrepreneur, PovertyActivity
from programs.records.services import (
    MAX_BENEFICIARIES,
    facilitation_values,
    open_month,
    touch_report,
    wub_values,
)
from programs.records.services import (
    _poverty_values as poverty_values,  # the form's rules (the service keeps the name private)
)
from programs.registry.import_kind import NIB
from programs.registry.rules import normalize_name

if TYPE_CHECKING:
    from accounts.models import User

Parser = Callable[[Any], Any]
MonthKey = tuple[str, int, int]  # satker code, year, month


# -- cells --------------------------------------------------------------------------------------


def parse_facilitation_kind(value: Any) -> str:
    kind = parse_text(value, max_length=16).upper()
    if kind not in FacilitationKind.values:
        raise CellError(msg(gettext_noop("Jenis fasilitasi %(value)s tidak dikenal; pilih salah satu: %(kinds)s."),
                            value=excerpt(value), kinds=", ".join(FacilitationKind.values)))  # fmt: skip
    return kind


def optional_text(max_length: int) -> Parser:
    # Whether the text is required is the form rule's decision (with the form's message).
    return lambda value: parse_text(value, max_length=max_length, required=False)


def optional_date(value: Any) -> date | None:
    return parse_date(value, required=False)


def parse_poverty_kind(value: Any) -> str:
    kind = parse_text(value, max_length=16).upper()
    if kind not in PovertyActivity.Kind.values:
        raise CellError(msg(gettext_noop("Jenis kegiatan %(value)s tidak dikenal; pilih salah satu: %(kinds)s."),
                            value=excerpt(value), kinds=", ".join(PovertyActivity.Kind.values)))  # fmt: skip
    return kind


class _Keep:
    """The value of an optional column the file does not have (a file made from an older
    template): the stored value stays, and the column does not count when comparing."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


# -- what the plan reads at once -----------------------------------------------------------------


@dataclass
class FileContext:
    """Everything the rows of one file are checked against, each read in one query."""

    satkers: dict[str, Satker]  # the satkers the user may edit, by code
    years: dict[int, FiscalYear]
    reports: dict[MonthKey, MonthlyReport]
    regencies: dict[str, Regency]
    enterprises: dict[str, Enterprise]  # the registry enterprises with a NIB of the file
    existing: dict[tuple, list[Any]] = field(default_factory=dict)  # stored records by natural key

    def registry_enterprise(self, nib: str, satker: Satker) -> Enterprise | None:
        """As records._registry_enterprise: a provincial satker sees only its own province's
        registry, so a NIB of another province is as unknown as a NIB never registered."""
        enterprise = self.enterprises.get(nib)
        if enterprise is None or (not satker.is_central and enterprise.province_id != satker.province_id):
            return None
        return enterprise


# -- the shared import of a monthly record -------------------------------------------------------

Cleaned = tuple[dict[str, Any] | None, dict[str, list[str]]]  # the record's fields, or errors by form field


class MonthlyRecordImport(ImportKind):
    """The plan and apply shared by the monthly record kinds; a kind says how its cells parse,
    how a row becomes the record's fields (through the form's rules) and what its natural key is."""

    model: type[models.Model]
    key_column: str  # where a duplicate row is reported
    # The form field names of the rules' errors, mapped to the file's columns.
    columns_of_fields: dict[str, str]
    compared_fields: tuple[str, ...]  # the fields the file holds: equal on a stored record = "unchanged"
    related: tuple[str, ...] = ("satker", "fiscal_year")
    # Optional columns whose absence keeps the stored value (KEEP) rather than clearing it.
    kept_when_absent: tuple[str, ...] = ()
    regency_column = "kode_kabkota"

    def regency_rows(self, user: User) -> list[tuple[str, str, str]] | None:
        return regency_rows(user) if self.regency_column in self.column_names else None

    def parse_cells(self, plan: ImportPlan, number: int, cells: dict[str, Any]) -> dict[str, Any] | None:
        values = super().parse_cells(plan, number, cells)
        if values is not None:
            for name in self.kept_when_absent:
                if name not in cells:  # the file has no such column (cells hold the file's columns)
                    values[name] = KEEP
        return values

    # -- what each kind says --

    def prefill(self, *, user: User, query: Mapping[str, str], today: date) -> Prefill:
        return satker_prefill(user, query, satker_row)

    def clean(self, cells: dict[str, Any], satker: Satker, context: FileContext, today: date) -> Cleaned:
        raise NotImplementedError

    def key(self, month_key: MonthKey, fields: dict[str, Any]) -> tuple:
        raise NotImplementedError

    def stored_key(self, record: Any) -> tuple:
        raise NotImplementedError

    def updated_values(self, record: Any, fields: dict[str, Any]) -> dict[str, Any]:
        """What a changed row writes over the stored record (a column the file lacks: nothing)."""
        return {name: fields[name] for name in self.compared_fields if fields[name] is not KEEP}

    @property
    def written_fields(self) -> list[str]:
        return list(self.compared_fields)

    # -- plan --

    def plan(self, sheet: Sheet, user: User, today: date) -> ImportPlan:
        plan = ImportPlan(self.name)
        parsed = self.parsed_rows(plan, sheet)
        context = self._load(parsed, user)
        seen: dict[tuple, int] = {}
        for number, cells in parsed:
            gated = self._gate(plan, number, cells, context, today)
            if gated is None:
                continue
            satker, fiscal_year = gated
            fields, errors = self.clean(cells, satker, context, today)
            for name, messages in errors.items():
                for message in messages:
                    plan.error(number, self.columns_of_fields.get(name, ""), message)
            if fields is None:
                continue
            key = self.key((satker.code, fiscal_year.year, cells["bulan"]), fields)
            if key in seen:
                plan.error(
                    number, self.key_column, msg(gettext_noop("Baris ganda: sama dengan baris %(row)s."), row=seen[key])
                )
                continue
            seen[key] = number
            action, record = self._classify(fields, context.existing.get(key, []))
            if action is None:
                plan.error(
                    number,
                    self.key_column,
                    msg(
                        gettext_noop(
                            "Ada %(count)s catatan dengan kunci yang sama di bulan ini; perbaiki lewat formulir."
                        ),
                        count=len(context.existing[key]),
                    ),
                )
                continue
            values = {"satker": satker, "fiscal_year": fiscal_year, "month": cells["bulan"], "fields": fields}
            changes = self._changes(record, fields) if action == "changed" else []
            plan.rows.append(PlannedRow(number, key, action, {**values, "record": record}, changes))
        return plan

    def _changes(self, record: Any, fields: dict[str, Any]) -> list[list[str]]:
        """The preview's old -> new of each column the row changes (the stored record's value
        against the file's; a related object by its name, read already by _load)."""
        shown = {name: column for name, column in self.columns_of_fields.items() if name in self.compared_fields}
        new = {name: value for name, value in fields.items() if name in shown and value is not KEEP}
        old = {name: getattr(record, name) for name in new}
        return cell_changes(shown, old, new)

    def _load(self, parsed: list[tuple[int, dict[str, Any]]], user: User) -> FileContext:
        codes = {cells["kode_satker"] for _n, cells in parsed}
        years = {cells["tahun"] for _n, cells in parsed}
        regency_codes = {cells["kode_kabkota"] for _n, cells in parsed if cells.get("kode_kabkota")}
        nibs = {cells["nib"] for _n, cells in parsed if cells.get("nib")}
        editable = scoped(Satker.objects.filter(code__in=codes), user, for_edit=True).select_related("province")
        reports = MonthlyReport.objects.filter(satker__code__in=codes, fiscal_year__year__in=years)
        context = FileContext(
            satkers={satker.code: satker for satker in editable},
            years={fiscal_year.year: fiscal_year for fiscal_year in FiscalYear.objects.filter(year__in=years)},
            reports={
                (report.satker.code, report.fiscal_year.year, report.month): report
                for report in reports.select_related("satker", "fiscal_year")
            },
            regencies={
                r.kemendagri_code: r
                for r in Regency.objects.filter(kemendagri_code__in=regency_codes).prefetch_related("province_periods")
            },
            enterprises={e.nib: e for e in Enterprise.objects.filter(nib__in=nibs).only("nib", "name", "province")},
        )
        stored = self.model.objects.filter(satker__code__in=codes, fiscal_year__year__in=years)
        for record in stored.select_related(*self.related).order_by("pk"):
            context.existing.setdefault(self.stored_key(record), []).append(record)
        return context

    def _gate(
        self, plan: ImportPlan, number: int, cells: dict[str, Any], context: FileContext, today: date
    ) -> tuple[Satker, FiscalYear] | None:
        """The gates of records.open_month, in its order, each reported on its column."""
        code, year, month = cells["kode_satker"], cells["tahun"], cells["bulan"]
        problem = satker_month_problem(code, year, month, editable=context.satkers, years=context.years,
                                       reports=context.reports, today=today)  # fmt: skip
        if problem:
            plan.error(number, *problem)
            return None
        return context.satkers[code], context.years[year]

    def _classify(self, fields: dict[str, Any], stored: list[Any]) -> tuple[str | None, Any]:
        """New when nothing is stored under the key; unchanged when a stored record already holds
        these values; changed when exactly one other is stored. Records entered twice by hand
        under one key cannot be told apart (action None): the officer fixes them in the form."""
        wanted = tuple(value.pk if isinstance(value, models.Model) else value for value in self._file_values(fields))
        for record in stored:
            values = self._stored_values(record)
            if all(want is KEEP or want == value for want, value in zip(wanted, values, strict=True)):
                return "unchanged", record
        if len(stored) > 1:
            return None, None
        return ("changed", stored[0]) if stored else ("new", None)

    def _file_values(self, fields: dict[str, Any]) -> list[Any]:
        return [fields[name] for name in self.compared_fields]

    def _stored_values(self, record: Any) -> tuple:
        # Foreign keys by their id: reading the related object would cost a query per record.
        return tuple(getattr(record, self.model._meta.get_field(name).attname) for name in self.compared_fields)

    # -- apply --

    def apply(self, plan: ImportPlan, user: User, reason: str) -> None:
        """Month by month: the month's report is opened (and locked) exactly as the form opens it,
        new records are created and changed ones updated with their history, and the report gets a
        new version so that forms opened before the import are refused as stale."""
        by_month: dict[tuple[int, int, int], list[PlannedRow]] = defaultdict(list)
        for row in plan.rows:
            if row.action != "unchanged":
                values = row.values
                by_month[(values["satker"].pk, values["fiscal_year"].pk, values["month"])].append(row)
        today = timezone.localdate()
        for rows in by_month.values():
            first = rows[0].values
            # Under a targeted return only the records it named change; a new record is refused.
            adds = any(row.action == "new" for row in rows)
            report = open_month(
                satker=first["satker"],
                fiscal_year=first["fiscal_year"],
                month=first["month"],
                by=user,
                today=today,
                records=None if adds else [row.values["record"] for row in rows],
            )
            created = [self._new_record(row, report) for row in rows if row.action == "new"]
            updated = [self._updated_record(row) for row in rows if row.action == "changed"]
            if created:
                bulk_create_with_history(created, self.model, default_user=user, default_change_reason=reason)
            if updated:
                self._update(updated, user, reason)
            report._change_reason = reason
            touch_report(report, user)

    def _new_record(self, row: PlannedRow, report: MonthlyReport) -> Any:
        values = row.values
        fields = {name: value for name, value in values["fields"].items() if value is not KEEP}  # model defaults
        return self.model(
            satker=values["satker"], fiscal_year=values["fiscal_year"], month=values["month"], report=report,
            **fields,
        )  # fmt: skip

    def _updated_record(self, row: PlannedRow) -> Any:
        record = row.values["record"]
        for name, value in self.updated_values(record, row.values["fields"]).items():
            setattr(record, name, value)
        return record

    def _update(self, records: list[Any], user: User, reason: str) -> None:
        written = bulk_update_with_history(
            records, self.model, self.written_fields, default_user=user, default_change_reason=reason
        )
        # The report lock serialises the month's writers, but a record the plan read may have been
        # deleted through the form before the lock was taken.
        if written != len(records):
            raise ValidationError(_("Data bulan ini berubah sejak berkas diperiksa; unggah ulang berkas."))


def _rule_errors(rules: Callable[[], dict[str, Any]], found: dict[str, str]) -> Cleaned:
    """The form rule's values, or its errors keyed by form field. ``found`` are the importer's
    own findings (a code not found): they replace the rule's message for that field, since the
    rule only saw the field empty."""
    try:
        values = rules()
    except ValidationError as error:
        return None, {**error.message_dict, **{name: [message] for name, message in found.items()}}
    if found:
        return None, {name: [message] for name, message in found.items()}
    return values, {}


# -- wub ------------------------------------------------------------------------------------------


class NewEntrepreneurImport(MonthlyRecordImport):
    """`wub`: kode_satker, tahun, bulan, nama, kode_kabkota, jenis_usaha, nib, tanggal_nib
    (optional: files of the older template stay readable and keep the stored date). Natural key:
    satker + year + month + normalised name + regency. A NIB links the registry enterprise with
    that NIB when there is one (as the form does)."""

    name = "wub"
    title = gettext_lazy("Wirausaha baru (WUB)")
    columns = (
        SATKER, YEAR, MONTH,
        Column("nama", gettext_lazy("Nama wirausaha baru."), optional_text(200), example="Rahmat Hidayat"),
        REGENCY,
        Column("jenis_usaha", gettext_lazy("Jenis usaha, mis. keripik pisang."), optional_text(200),
               example="Keripik pisang"),
        NIB,
        Column("tanggal_nib", gettext_lazy(
            "Tanggal memperoleh NIB (legalitas), mis. 17-08-2026; hanya bila NIB diisi. Kosongkan bila belum ada."),
            optional_date, optional=True, example="17-08-2026"),
    )  # fmt: skip
    model = NewEntrepreneur
    key_column = "nama"
    columns_of_fields = {"name": "nama", "regency": "kode_kabkota", "business_type": "jenis_usaha", "nib": "nib",
                         "legalized_on": "tanggal_nib"}  # fmt: skip
    compared_fields = ("name", "regency", "business_type", "nib", "enterprise", "legalized_on")
    related = ("satker", "fiscal_year", "regency")
    kept_when_absent = ("tanggal_nib",)

    def clean(self, cells: dict[str, Any], satker: Satker, context: FileContext, today: date) -> Cleaned:
        regency = context.regencies.get(cells["kode_kabkota"])
        legal = cells["tanggal_nib"]
        found = {}
        if regency is None:
            found["regency"] = msg(gettext_noop("Kabupaten/kota %(code)s tidak dikenal."), code=cells["kode_kabkota"])
        fields, errors = _rule_errors(
            lambda: wub_values(
                satker=satker, year=cells["tahun"], name=cells["nama"], regency=regency,
                business_type=cells["jenis_usaha"],
                nib=cells["nib"], legalized_on=None if legal is KEEP else legal, today=today,
                find_enterprise=context.registry_enterprise,
            ),
            found,
        )  # fmt: skip
        if fields is not None and legal is KEEP:
            fields["legalized_on"] = KEEP
        return fields, errors

    def key(self, month_key: MonthKey, fields: dict[str, Any]) -> tuple:
        return (*month_key, normalize_name(fields["name"]), fields["regency"].kemendagri_code)

    def stored_key(self, record: NewEntrepreneur) -> tuple:
        month_key = (record.satker.code, record.fiscal_year.year, record.month)
        return (*month_key, normalize_name(record.name), record.regency.kemendagri_code)

    def updated_values(self, record: NewEntrepreneur, fields: dict[str, Any]) -> dict[str, Any]:
        values = super().updated_values(record, fields)
        if fields["legalized_on"] is KEEP:
            # A file without the date column: a stored date stays while the record keeps a NIB
            # (the form's rule: a date only with a NIB).
            values["legalized_on"] = record.legalized_on if fields["nib"] else None
        return values


# -- fasilitasi -----------------------------------------------------------------------------------


class FacilitationImport(MonthlyRecordImport):
    """`fasilitasi`: kode_satker, tahun, bulan, jenis, nib, nama_usaha, nilai, keterangan,
    nomor_sertifikat, tanggal_sertifikat (both optional: an older file keeps the stored ones).
    Natural key: satker + year + month + kind + (NIB, or the normalised name without one). A NIB
    must be in the registry (whose name fills an empty nama_usaha); exhibitions and restructuring
    carry a value above 0, the other kinds none (the form's rules)."""

    name = "fasilitasi"
    title = gettext_lazy("Fasilitasi IKM")
    columns = (
        SATKER, YEAR, MONTH,
        Column("jenis", gettext_lazy("Jenis fasilitasi."), parse_facilitation_kind,
               choices=tuple(FacilitationKind.values), example="SNI"),
        NIB,
        Column("nama_usaha", gettext_lazy("Nama usaha (boleh kosong bila NIB terdaftar)."), optional_text(200),
               example="Batik Besurek Rafflesia"),
        Column("nilai", amount_help(gettext_lazy(
            "Nilai transaksi (PAMERAN) atau nilai penggantian (RESTRUKTURISASI); 0 untuk lainnya. ")),
            parse_amount, example="0"),
        Column("keterangan", gettext_lazy("Keterangan."), optional_text(300), example="Pendampingan 3 hari"),
        Column("nomor_sertifikat", gettext_lazy(
            "Nomor sertifikat atau pendaftaran; hanya untuk SNI, ISO, HACCP, HALAL dan HKI."),
            optional_text(100), optional=True, example="SNI 01-2345"),
        Column("tanggal_sertifikat", gettext_lazy(
            "Tanggal sertifikat atau pendaftaran, mis. 17-08-2026; hanya untuk SNI, ISO, HACCP, HALAL dan HKI."),
            optional_date, optional=True, example="17-08-2026"),
    )  # fmt: skip
    model = Facilitation
    key_column = "jenis"
    columns_of_fields = {
        "kind": "jenis", "nib": "nib", "enterprise_name": "nama_usaha", "value": "nilai", "note": "keterangan",
        "certificate_number": "nomor_sertifikat", "certificate_date": "tanggal_sertifikat",
    }  # fmt: skip
    compared_fields = ("enterprise_name", "value", "note", "nib", "enterprise", "certificate_number",
                       "certificate_date")  # fmt: skip
    kept_when_absent = ("nomor_sertifikat", "tanggal_sertifikat")

    def clean(self, cells: dict[str, Any], satker: Satker, context: FileContext, today: date) -> Cleaned:
        number, day = cells["nomor_sertifikat"], cells["tanggal_sertifikat"]
        fields, errors = _rule_errors(
            lambda: facilitation_values(
                satker=satker, kind=cells["jenis"], nib=cells["nib"], enterprise_name=cells["nama_usaha"],
                value=cells["nilai"], certificate_number="" if number is KEEP else number,
                certificate_date=None if day is KEEP else day, note=cells["keterangan"],
                today=today, find_enterprise=context.registry_enterprise,
            ),
            {},
        )  # fmt: skip
        if fields is None:
            return None, errors
        fields["certificate_number"] = KEEP if number is KEEP else fields["certificate_number"]
        fields["certificate_date"] = KEEP if day is KEEP else fields["certificate_date"]
        return {name: fields[name] for name in ("kind", *self.compared_fields)}, {}

    def key(self, month_key: MonthKey, fields: dict[str, Any]) -> tuple:
        return (*month_key, fields["kind"], fields["nib"] or normalize_name(fields["enterprise_name"]))

    def stored_key(self, record: Facilitation) -> tuple:
        month_key = (record.satker.code, record.fiscal_year.year, record.month)
        return (*month_key, record.kind, record.nib or normalize_name(record.enterprise_name))


# -- kemiskinan -----------------------------------------------------------------------------------


def optional_count(value: Any) -> int | None:
    # Whether the count is required, and its bounds, are the form rule's (with the form's message).
    return None if value is None else parse_int(value, low=0, high=MAX_BENEFICIARIES * 10)


class PovertyActivityImport(MonthlyRecordImport):
    """`kemiskinan`: kode_satker, tahun, bulan, kode_kabkota, jenis, uraian, penerima_manfaat,
    nilai. Natural key: satker + year + month + regency + kind + normalised description (several
    activities of one kind in one regency a month differ by their description). The regency must
    be the satker's province's in that year (the form's rule)."""

    name = "kemiskinan"
    title = gettext_lazy("Penanganan kemiskinan ekstrem")
    columns = (
        SATKER, YEAR, MONTH, REGENCY,
        Column("jenis", gettext_lazy("Jenis kegiatan."), parse_poverty_kind,
               choices=tuple(PovertyActivity.Kind.values), example="PELATIHAN"),
        Column("uraian", gettext_lazy("Uraian kegiatan (boleh kosong)."), optional_text(300),
               example="Pelatihan pengolahan ikan"),
        Column("penerima_manfaat", gettext_lazy("Jumlah penerima manfaat (orang), minimal 1."), optional_count,
               example="25"),
        Column("nilai", amount_help(gettext_lazy("Nilai kegiatan; 0 bila tidak ada. ")), parse_amount, example="0"),
    )  # fmt: skip
    model = PovertyActivity
    key_column = "jenis"
    columns_of_fields = {
        "regency": "kode_kabkota", "kind": "jenis", "description": "uraian", "beneficiaries": "penerima_manfaat",
        "value": "nilai",
    }  # fmt: skip
    compared_fields = ("regency", "kind", "description", "beneficiaries", "value")
    related = ("satker", "fiscal_year", "regency")

    def clean(self, cells: dict[str, Any], satker: Satker, context: FileContext, today: date) -> Cleaned:
        regency = context.regencies.get(cells["kode_kabkota"])
        found = {}
        if regency is None:
            found["regency"] = msg(gettext_noop("Kabupaten/kota %(code)s tidak dikenal."), code=cells["kode_kabkota"])
        return _rule_errors(
            lambda: poverty_values(
                satker=satker, year=cells["tahun"], regency=regency, kind=cells["jenis"],
                description=cells["uraian"], beneficiaries=cells["penerima_manfaat"], value=cells["nilai"],
            ),
            found,
        )  # fmt: skip

    def key(self, month_key: MonthKey, fields: dict[str, Any]) -> tuple:
        return (*month_key, fields["regency"].kemendagri_code, fields["kind"], normalize_name(fields["description"]))

    def stored_key(self, record: PovertyActivity) -> tuple:
        month_key = (record.satker.code, record.fiscal_year.year, record.month)
        return (*month_key, record.regency.kemendagri_code, record.kind, normalize_name(record.description))
