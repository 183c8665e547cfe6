"""Officers' entry of programme records: the monthly records (WUB, extreme-poverty activities,
facilitations) and the output targets admins set (OVOP: programs.records.ovop).

Monthly records belong to their month's MonthlyReport and follow it: they can be written only
while the report is a draft or returned, exactly like realization. Every write here therefore
locks the satker row, gets (or creates, as a draft) the month's report, locks it, and bumps its
``version`` so that a realization form opened before a programme record changed is refused as
stale: the reviewer approves one consistent month.

Every check runs before anything is written; problems come back in one ValidationError keyed by
the form field names. ``PermissionDenied`` means the user may not change this satker at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from budgets.models import FiscalYear, MonthlyReport, Regency, Satker
from budgets.region_lookup import province_of_record
from budgets.services.common import ensure_can_edit_satker, ensure_year_open, report_new_version
from budgets.services.editability import ensure_month_editable, record_lock, returned_targets
from budgets.services.realization import lock_report, report_get_or_create
from core.formats import RupiahError, parse_rupiah
from programs.models import (
    CERTIFIED_KINDS,
    VALUED_KINDS,
    Enterprise,
    Facilitation,
    FacilitationKind,
    NewEntrepreneur,
    OutputIndicator,
    OutputTarget,
    PovertyActivity,
)
from programs.records import output_summary
from programs.registry.rules import RuleError, clean_nib

if TYPE_CHECKING:
    from accounts.models import User

MIN_STARS, MAX_STARS = 1, 5
# Far above any real centre or activity: they keep a typing slip (or a crafted post) from reaching
# the integer column, where it was a server error (PostgreSQL's integer ends at 2.147.483.647).
MAX_UNITS = 1_000_000
MAX_BENEFICIARIES = 10_000_000

Errors = dict[str, list[str]]


# -- shared checks ----------------------------------------------------------------------------


def open_month(
    *, satker: Satker, fiscal_year: FiscalYear, month: int, by: User, today: date, records: Iterable[Any] | None = None
) -> MonthlyReport:
    """The month's report, locked for this transaction, once every gate in front of a monthly
    record has passed (in this order: may edit the satker, year open, month started, report
    a draft or returned, and under a return that named targets, the records it named).

    ``records``: the stored records about to be changed or deleted; None: a record is added
    (refused under a targeted return: editability.record_lock)."""
    ensure_can_edit_satker(by, satker)
    if not 1 <= month <= 12:
        raise ValidationError(_("Bulan harus 1 sampai 12."))
    ensure_month_editable(fiscal_year=fiscal_year, month=month, report=None, today=today)
    # The satker row serialises the first save of a month (as realization_set does), so two
    # officers cannot both create its report.
    Satker.objects.select_for_update().get(pk=satker.pk)
    report, _created = report_get_or_create(satker=satker, fiscal_year=fiscal_year, month=month)
    report = lock_report(report, None)
    ensure_month_editable(fiscal_year=fiscal_year, month=month, report=report, today=today)
    targets = returned_targets(report)
    for record in [None] if records is None else records:
        locked = record_lock(targets, record)
        if locked:
            raise ValidationError(locked)
    return report


def touch_report(report: MonthlyReport, by: User) -> None:
    """The report's programme records changed: its output figures are computed again, in this
    transaction (programs/records/output_summary.py), and the report is a new version (forms
    opened before are refused as stale)."""
    output_summary.refresh([report.pk])
    report_new_version(report, by)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _text(errors: Errors, field: str, value: str | None, *, max_length: int, required_message: str | None) -> str:
    text = " ".join((value or "").split())
    if not text and required_message:
        errors[field] = [required_message]
    elif len(text) > max_length:
        errors[field] = [_("Paling banyak %(max)s karakter.") % {"max": max_length}]
    return text


def _regency(errors: Errors, regency: Regency | None, satker: Satker, year: int | None = None) -> Regency | None:
    """The regency, which must lie in the satker's province on the map of the record's ``year``
    (a 2022 record of Papua may be in Jayawijaya); without a year (the sentra directory), today's."""
    if regency is None:
        errors["regency"] = [_("Kabupaten/kota wajib diisi.")]
    elif (regency.province_id if year is None else province_of_record(regency, year)) != satker.province_id:
        errors["regency"] = [
            _("%(regency)s tidak berada di provinsi satker (%(province)s).")
            % {"regency": regency.name, "province": satker.province.name}
        ]
    return regency


def _nib(errors: Errors, value: str | None) -> str | None:
    """The registry's NIB rule (programs/registry/rules.py), or None when empty."""
    try:
        return clean_nib(value)
    except RuleError as error:
        errors["nib"] = [str(error)]
        return None


def _money(errors: Errors, field: str, value: int | str | None) -> int:
    """Whole rupiah; accepts Indonesian formatting (1.250.000). Empty is 0."""
    try:
        return parse_rupiah(value)
    except RupiahError as error:
        errors[field] = [str(error)]
        return 0


def _not_future(errors: Errors, field: str, value: date | None, today: date, message: str) -> date | None:
    if value is not None and value > today:
        errors[field] = [message]
    return value


def _registry_enterprise(nib: str, satker: Satker) -> Enterprise | None:
    """The registry enterprise with this NIB. A provincial satker looks only in its own
    province's registry: a NIB typed on the form must not reveal another province's records."""
    enterprises = Enterprise.objects.filter(nib=nib)
    if not satker.is_central:
        enterprises = enterprises.filter(province_id=satker.province_id)
    return enterprises.first()


def _choice(errors: Errors, field: str, value: str | None, choices: type, message: str) -> str:
    if value not in choices.values:
        errors[field] = [message]
    return value or ""


# -- monthly records: the rules of each kind ---------------------------------------------------


def wub_values(
    *,
    satker: Satker,
    year: int,
    name: str,
    regency: Regency | None,
    business_type: str,
    nib: str | None,
    legalized_on: date | None,
    today: date,
    find_enterprise: Callable[[str, Satker], Enterprise | None] | None = None,
) -> dict[str, Any]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "name": _text(errors, "name", name, max_length=200, required_message=_("Nama WUB wajib diisi.")),
        "regency": _regency(errors, regency, satker, year),
        "business_type": _text(
            errors, "business_type", business_type, max_length=200, required_message=_("Jenis usaha wajib diisi.")
        ),
        "nib": _nib(errors, nib),
        "legalized_on": _not_future(
            errors, "legalized_on", legalized_on, today, _("Tanggal memperoleh NIB tidak boleh di masa depan.")
        ),
    }
    # Legality is the NIB itself; its date only makes sense with one.
    if legalized_on is not None and not (nib or "").strip() and "legalized_on" not in errors:
        errors["legalized_on"] = [_("Tanggal memperoleh NIB hanya diisi bila NIB diisi.")]
    _raise(errors)
    find_enterprise = find_enterprise or _registry_enterprise
    values["enterprise"] = find_enterprise(values["nib"], satker) if values["nib"] else None
    return values


def _poverty_values(
    *,
    satker: Satker,
    year: int,
    regency: Regency | None,
    kind: str,
    description: str,
    beneficiaries: int | None,
    value: int | str | None,
) -> dict[str, Any]:
    errors: Errors = {}
    values: dict[str, Any] = {
        "regency": _regency(errors, regency, satker, year),
        "kind": _choice(errors, "kind", kind, PovertyActivity.Kind, _("Pilih jenis kegiatan yang tersedia.")),
        "description": _text(errors, "description", description, max_length=300, required_message=None),
        "beneficiaries": beneficiaries,
        "value": _money(errors, "value", value),
    }
    if beneficiaries is None:
        errors["beneficiaries"] = [_("Jumlah penerima manfaat wajib diisi.")]
    elif beneficiaries < 1:
        errors["beneficiaries"] = [_("Jumlah penerima manfaat minimal 1 orang.")]
    elif beneficiaries > MAX_BENEFICIARIES:
        errors["beneficiaries"] = [_("Jumlah penerima manfaat terlalu besar; periksa kembali isian.")]
    _raise(errors)
    return values


def facilitation_values(
    *,
    satker: Satker,
    kind: str,
    nib: str | None,
    enterprise_name: str,
    value: int | str | None,
    certificate_number: str,
    certificate_date: date | None,
    note: str,
    today: date,
    find_enterprise: Callable[[str, Satker], Enterprise | None] | None = None,
) -> dict[str, Any]:
    errors: Errors = {}
    kind = _choice(errors, "kind", kind, FacilitationKind, _("Pilih jenis fasilitasi yang tersedia."))
    clean_nib = _nib(errors, nib)
    name = _text(errors, "enterprise_name", enterprise_name, max_length=200, required_message=None)
    amount = _money(errors, "value", value)
    number = _text(errors, "certificate_number", certificate_number, max_length=100, required_message=None)
    _not_future(errors, "certificate_date", certificate_date, today,
                _("Tanggal sertifikat/pendaftaran tidak boleh di masa depan."))  # fmt: skip
    enterprise = None
    if clean_nib:
        # An import passes a lookup over the NIBs of its whole file (one query, not one per row).
        enterprise = (find_enterprise or _registry_enterprise)(clean_nib, satker)
        if enterprise is None:
            errors["nib"] = [_("NIB %(nib)s tidak ditemukan di registri IKM.") % {"nib": clean_nib}]
        elif not name:
            name = enterprise.name
    elif not name and "nib" not in errors:
        errors["enterprise_name"] = [_("Nama usaha wajib diisi bila NIB kosong.")]
    if kind in VALUED_KINDS and "value" not in errors and amount <= 0:
        errors["value"] = [
            _("Nilai wajib diisi (lebih dari 0) untuk %(kind)s.") % {"kind": FacilitationKind(kind).label.lower()}
        ]
    elif kind and kind not in VALUED_KINDS and amount:
        errors["value"] = [
            _("Nilai hanya diisi untuk fasilitasi pameran (transaksi) dan restrukturisasi (penggantian).")
        ]
    if kind and kind not in CERTIFIED_KINDS:
        only_certified = _("Hanya untuk sertifikasi SNI, ISO, HACCP, halal dan pendaftaran HKI.")
        if number:
            errors["certificate_number"] = [only_certified]
        if certificate_date is not None:
            errors["certificate_date"] = [only_certified]
    _raise(errors)
    return {
        "kind": kind,
        "nib": clean_nib,
        "enterprise": enterprise,
        "enterprise_name": name,
        "value": amount,
        "certificate_number": number,
        "certificate_date": certificate_date,
        "note": " ".join((note or "").split())[:300],
    }


def _save(record: Any, report: MonthlyReport, by: User) -> None:
    record.report = report
    record._history_user = by
    record.save()
    touch_report(report, by)


def _reload(model: type, record: Any) -> Any:
    """The stored record (after the report lock): someone may have deleted it meanwhile."""
    fresh = model.objects.select_related("satker__province", "fiscal_year").filter(pk=record.pk).first()
    if fresh is None:
        raise ValidationError(_("Catatan ini sudah dihapus orang lain; muat ulang halaman."))
    return fresh


def _update(model: type, record: Any, values_of: Any, by: User, today: date | None, **fields: Any) -> Any:
    today = today or timezone.localdate()
    report = open_month(satker=record.satker, fiscal_year=record.fiscal_year, month=record.month, by=by, today=today,
                        records=[record])  # fmt: skip
    record = _reload(model, record)
    values = values_of(satker=record.satker, **fields)
    for name, value in values.items():
        setattr(record, name, value)
    _save(record, report, by)
    return record


def _delete(model: type, record: Any, by: User, today: date | None) -> None:
    today = today or timezone.localdate()
    report = open_month(satker=record.satker, fiscal_year=record.fiscal_year, month=record.month, by=by, today=today,
                        records=[record])  # fmt: skip
    record = _reload(model, record)
    record._history_user = by
    record.delete()
    touch_report(report, by)


# -- WUB --------------------------------------------------------------------------------------


@transaction.atomic
def new_entrepreneur_create(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    name: str,
    regency: Regency | None,
    business_type: str,
    nib: str | None = None,
    legalized_on: date | None = None,
    by: User,
    today: date | None = None,
) -> NewEntrepreneur:
    """Record a new entrepreneur (WUB) in the month; a NIB makes it legal and links the
    registry enterprise with that NIB when there is one."""
    today = today or timezone.localdate()
    report = open_month(satker=satker, fiscal_year=fiscal_year, month=month, by=by, today=today)
    values = wub_values(satker=satker, year=fiscal_year.year, name=name, regency=regency,
                        business_type=business_type, nib=nib, legalized_on=legalized_on, today=today)  # fmt: skip
    record = NewEntrepreneur(satker=satker, fiscal_year=fiscal_year, month=month, **values)
    _save(record, report, by)
    return record


@transaction.atomic
def new_entrepreneur_update(
    *,
    record: NewEntrepreneur,
    name: str,
    regency: Regency | None,
    business_type: str,
    nib: str | None = None,
    legalized_on: date | None = None,
    by: User,
    today: date | None = None,
) -> NewEntrepreneur:
    return _update(
        NewEntrepreneur, record,
        lambda **kw: wub_values(year=record.fiscal_year.year, today=today or timezone.localdate(), **kw), by, today,
        name=name, regency=regency, business_type=business_type, nib=nib, legalized_on=legalized_on,
    )  # fmt: skip


@transaction.atomic
def new_entrepreneur_delete(*, record: NewEntrepreneur, by: User, today: date | None = None) -> None:
    _delete(NewEntrepreneur, record, by, today)


# -- extreme poverty --------------------------------------------------------------------------


@transaction.atomic
def poverty_activity_create(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    regency: Regency | None,
    kind: str,
    beneficiaries: int | None,
    description: str = "",
    value: int | str | None = 0,
    by: User,
    today: date | None = None,
) -> PovertyActivity:
    today = today or timezone.localdate()
    report = open_month(satker=satker, fiscal_year=fiscal_year, month=month, by=by, today=today)
    values = _poverty_values(satker=satker, year=fiscal_year.year, regency=regency, kind=kind,
                             description=description, beneficiaries=beneficiaries, value=value)  # fmt: skip
    record = PovertyActivity(satker=satker, fiscal_year=fiscal_year, month=month, **values)
    _save(record, report, by)
    return record


@transaction.atomic
def poverty_activity_update(
    *,
    record: PovertyActivity,
    regency: Regency | None,
    kind: str,
    beneficiaries: int | None,
    description: str = "",
    value: int | str | None = 0,
    by: User,
    today: date | None = None,
) -> PovertyActivity:
    return _update(
        PovertyActivity, record, lambda **kw: _poverty_values(year=record.fiscal_year.year, **kw), by, today,
        regency=regency, kind=kind, description=description, beneficiaries=beneficiaries, value=value,
    )  # fmt: skip


@transaction.atomic
def poverty_activity_delete(*, record: PovertyActivity, by: User, today: date | None = None) -> None:
    _delete(PovertyActivity, record, by, today)


# -- facilitations ----------------------------------------------------------------------------


@transaction.atomic
def facilitation_create(
    *,
    satker: Satker,
    fiscal_year: FiscalYear,
    month: int,
    kind: str,
    nib: str | None = None,
    enterprise_name: str = "",
    value: int | str | None = 0,
    certificate_number: str = "",
    certificate_date: date | None = None,
    note: str = "",
    by: User,
    today: date | None = None,
) -> Facilitation:
    """Record a facilitation of an IKM. With a NIB the enterprise must be in the registry (its
    name is taken from there when none is typed); exhibitions and restructuring carry a value."""
    today = today or timezone.localdate()
    report = open_month(satker=satker, fiscal_year=fiscal_year, month=month, by=by, today=today)
    values = facilitation_values(
        satker=satker, kind=kind, nib=nib, enterprise_name=enterprise_name, value=value,
        certificate_number=certificate_number, certificate_date=certificate_date, note=note, today=today,
    )  # fmt: skip
    record = Facilitation(satker=satker, fiscal_year=fiscal_year, month=month, **values)
    _save(record, report, by)
    return record


@transaction.atomic
def facilitation_update(
    *,
    record: Facilitation,
    kind: str,
    nib: str | None = None,
    enterprise_name: str = "",
    value: int | str | None = 0,
    certificate_number: str = "",
    certificate_date: date | None = None,
    note: str = "",
    by: User,
    today: date | None = None,
) -> Facilitation:
    return _update(
        Facilitation, record, lambda **kw: facilitation_values(today=today or timezone.localdate(), **kw), by, today,
        kind=kind, nib=nib, enterprise_name=enterprise_name, value=value, certificate_number=certificate_number,
        certificate_date=certificate_date, note=note,
    )  # fmt: skip


@transaction.atomic
def facilitation_delete(*, record: Facilitation, by: User, today: date | None = None) -> None:
    _delete(Facilitation, record, by, today)


# -- output targets ---------------------------------------------------------------------------


@transaction.atomic
def output_targets_set(
    *, satker: Satker, fiscal_year: FiscalYear, targets: Mapping[str, int | str | None], by: User
) -> dict[str, int]:
    """Set a satker-year's targets per indicator (key = OutputIndicator value); an empty value
    removes the target. Only directorate admins set targets. Returns the stored targets."""
    if not permissions.may_set_targets(by):
        raise PermissionDenied(_("Hanya admin direktorat yang dapat menetapkan target output."))
    ensure_year_open(fiscal_year)
    errors: Errors = {}
    wanted: dict[str, int | None] = {}
    for key, raw in targets.items():
        if key not in OutputIndicator.values:
            errors.setdefault("__all__", []).append(_("Indikator %(key)s tidak dikenal.") % {"key": key})
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            wanted[key] = None
            continue
        try:
            wanted[key] = parse_rupiah(raw)
        except RupiahError as error:
            errors[key] = [str(error)]
    _raise(errors)

    Satker.objects.select_for_update().get(pk=satker.pk)
    stored = {t.indicator: t for t in OutputTarget.objects.filter(satker=satker, fiscal_year=fiscal_year)}
    for key, target in wanted.items():
        row = stored.get(key)
        if target is None:
            if row is not None:
                row._history_user = by
                row.delete()
                del stored[key]
            continue
        if row is None:
            row = stored[key] = OutputTarget(satker=satker, fiscal_year=fiscal_year, indicator=key, target=target)
        elif row.target == target:
            continue
        row.target = target
        row._history_user = by
        row.save()
    return {key: row.target for key, row in stored.items()}
