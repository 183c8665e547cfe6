"""Writes of the IKM registry: recording and correcting an enterprise, with the registry's rules,
duplicate detection before anything is saved, and an optimistic version check on edits.

``enterprise_clean`` checks a record without writing (the Django admin's form uses it to show
errors on its fields); ``enterprise_save`` checks and writes in one transaction, the registry
summary's change included (programs/registry/summary.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.scoping import scoped
from budgets.models import Province, Regency, Satker
from budgets.region_lookup import province_of_record
from core.formats import MAX_RUPIAH, RupiahError, parse_rupiah
from programs.models import Enterprise, Sentra
from programs.registry.rules import (
    RuleError,
    clean_address,
    clean_kbli,
    clean_name,
    clean_nib,
    clean_owner,
    normalize_name,
    size_class_for,
)
from programs.registry.summary import RegistryChange

T = TypeVar("T")

if TYPE_CHECKING:
    from accounts.models import User

FIRST_DATA_YEAR = 2000
MAX_WORKERS = 1_000_000  # far above any enterprise; keeps a typo from overflowing the column
# Error codes the views look for: a possible duplicate may be confirmed; a stale form may not.
POSSIBLE_DUPLICATE = "possible_duplicate"
STALE = "stale"

# The keys of ``data`` (the form's field names).
FIELDS = ("nib", "name", "owner", "regency", "address", "kbli", "workers_male", "workers_female", "investment",
          "production_value", "data_year", "satker", "centre")  # fmt: skip


def officer_satker(user: User) -> Satker | None:
    """The officer's satker: the provincial (non-central) satker of their province."""
    return Satker.objects.filter(province_id=user.province_id, is_central=False).order_by("code").first()


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def check(self, field: str, rule: Callable[[], T], code: str = "invalid") -> T | None:
        """The registry rule's value, or None after adding its message to ``field``."""
        try:
            return rule()
        except RuleError as error:
            self.add(field, str(error), code)
            return None

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _resolve(model: type[Model], value: Any, **related: Any) -> Model | None:
    """A model instance from an instance or a primary key (None when absent or unknown)."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, model) else value
    try:
        return model.objects.select_related(*related.get("select_related", ())).filter(pk=pk).first()
    except (TypeError, ValueError, ValidationError):
        return None


def _count(errors: _Errors, data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.add(key, _("Isi dengan bilangan bulat."))
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.add(key, _("Isi dengan bilangan bulat, mis. 12."))
        return 0
    if number < 0:
        errors.add(key, _("Jumlah tenaga kerja tidak boleh negatif."))
    elif number > MAX_WORKERS:
        errors.add(key, _("Jumlah tenaga kerja terlalu besar; periksa kembali isian."))
    return number


def _money(errors: _Errors, data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        errors.add(key, _("Isi dengan jumlah rupiah, mis. 1.250.000."))
        return 0
    try:
        amount = parse_rupiah(value if isinstance(value, int | str) else str(value))
    except RupiahError as error:
        errors.add(key, str(error))
        return 0
    if amount > MAX_RUPIAH:
        errors.add(key, _("Jumlah terlalu besar."))
    return amount


def _data_year(errors: _Errors, data: dict[str, Any]) -> int | None:
    value = data.get("data_year")
    last = timezone.localdate().year
    if value in (None, ""):
        errors.add("data_year", _("Isi tahun pendataan."), code="required")
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if isinstance(value, bool) or year is None or not FIRST_DATA_YEAR <= year <= last:
        errors.add(
            "data_year",
            _("Tahun pendataan harus antara %(first)s dan %(last)s.") % {"first": FIRST_DATA_YEAR, "last": last},
        )
        return None
    return year


class NibHolder(NamedTuple):
    """The enterprise an NIB is registered to, as a message could name it."""

    province_id: int
    name: str
    regency: str
    province: str


def provinces_seen_by(user: User) -> frozenset[int]:
    """The provinces whose registry ``user`` reads (accounts.scoping decides): read once per
    form or file, so an import of many rows asks it once."""
    return frozenset(scoped(Province.objects.all(), user).values_list("pk", flat=True))


def nib_taken_message(nib: str, holder: NibHolder, seen: frozenset[int], *, detailed: str) -> str:
    """What a user is told about an NIB that is already registered: the one place that decides,
    for the form and the `ikm` import alike. ``detailed`` (with %(nib)s, %(name)s, %(regency)s,
    %(province)s) is said only when the holder's province is one the user reads; otherwise
    one neutral sentence that names nothing of the enterprise, not even its province. That the
    NIB exists somewhere cannot be hidden (an NIB is registered once, so the record must be
    refused), but a file of 200.000 rows must not turn into a lookup of other provinces' IKM."""
    if holder.province_id not in seen:
        return _(
            "NIB %(nib)s sudah terdaftar di registri IKM di luar provinsi Anda; satu NIB hanya boleh tercatat "
            "sekali. Bila usaha ini memang berada di provinsi Anda, hubungi admin direktorat."
        ) % {"nib": nib}
    return detailed % {"nib": nib, "name": holder.name, "regency": holder.regency, "province": holder.province}


def _nib_taken_message(existing: Enterprise, by: User) -> str:
    return nib_taken_message(
        existing.nib,
        NibHolder(existing.province_id, existing.name, existing.regency.name, existing.province.name),
        provinces_seen_by(by),
        detailed=_(
            'NIB %(nib)s sudah terdaftar atas nama "%(name)s" (%(regency)s, %(province)s). Satu NIB hanya boleh '
            "tercatat sekali: ubah data usaha tersebut, jangan membuat data baru."
        ),
    )


def enterprise_clean(
    *, by: User, data: dict[str, Any], enterprise: Enterprise | None = None, confirm_duplicate: bool = False
) -> dict[str, Any]:
    """The record's values, checked and derived (province, size class, normalised name, satker);
    raises ValidationError keyed by field with every problem found. Writes nothing."""
    errors = _Errors()
    own_pk = enterprise.pk if enterprise is not None else None

    nib = errors.check("nib", lambda: clean_nib(data.get("nib")))

    name = _text(data, "name")
    name_normalized = normalize_name(name)
    errors.check("name", lambda: clean_name(name), code="required" if not name else "invalid")
    owner = _text(data, "owner")
    errors.check("owner", lambda: clean_owner(owner))
    address = _text(data, "address")
    errors.check("address", lambda: clean_address(address))

    typed_kbli = _text(data, "kbli")
    kbli = errors.check("kbli", lambda: clean_kbli(typed_kbli), code="invalid" if typed_kbli else "required") or ""

    workers_male = _count(errors, data, "workers_male")
    workers_female = _count(errors, data, "workers_female")
    investment = _money(errors, data, "investment")
    production_value = _money(errors, data, "production_value")
    data_year = _data_year(errors, data)

    regency = _resolve(Regency, data.get("regency"), select_related=("province",))
    if data.get("regency") in (None, ""):
        errors.add("regency", _("Pilih kabupaten/kota."), code="required")
    elif regency is None:
        errors.add("regency", _("Kabupaten/kota tidak ditemukan."))
    # The record counts for the regency's province in its data year (a 2022 record in Jayawijaya
    # is Papua's: Papua Pegunungan was created in July 2022).
    province_id = None
    if regency is not None:
        province_id = province_of_record(regency, data_year) if data_year else regency.province_id
    if province_id is not None and not scoped(Province.objects.filter(pk=province_id), by, for_edit=True).exists():
        errors.add(
            "regency",
            _("%(regency)s berada di luar provinsi Anda; petugas hanya mendata IKM di provinsinya sendiri.")
            % {"regency": regency.name},
        )
        regency = province_id = None

    satker = _satker(errors, by, data, regency, enterprise, province_id)

    centre = _resolve(Sentra, data.get("centre"), select_related=("regency",))
    if data.get("centre") not in (None, "") and centre is None:
        errors.add("centre", _("Sentra tidak ditemukan."))
    elif centre is not None and regency is not None and centre.regency.province_id != regency.province_id:
        errors.add("centre", _("Sentra harus berada di provinsi yang sama dengan usaha ini."))

    # Duplicates, before anything is written: an NIB is unique; the same name in the same
    # regency is probably the same enterprise unless the officer says otherwise.
    if nib is not None:
        taken = Enterprise.objects.filter(nib=nib).select_related("regency", "province")
        existing = (taken.exclude(pk=own_pk) if own_pk else taken).first()
        if existing is not None:
            errors.add("nib", _nib_taken_message(existing, by), code="duplicate")
    if name_normalized and regency is not None and not confirm_duplicate:
        similar = Enterprise.objects.filter(regency=regency, name_normalized=name_normalized)
        existing = (similar.exclude(pk=own_pk) if own_pk else similar).order_by("id").first()
        if existing is not None:
            errors.add(
                "name",
                _(
                    'Sudah ada usaha bernama "%(name)s" di %(regency)s (NIB %(nib)s). Bila ini usaha yang berbeda, '
                    'centang "saya yakin ini usaha yang berbeda" lalu simpan lagi.'
                )
                % {"name": existing.name, "regency": regency.name, "nib": existing.nib or "-"},
                code=POSSIBLE_DUPLICATE,
            )

    errors.raise_if_any()
    workers = workers_male + workers_female
    return {
        "nib": nib,
        "name": name,
        "name_normalized": name_normalized,
        "owner": owner,
        "regency": regency,
        "province_id": province_id,
        "address": address,
        "kbli": kbli,
        "workers_male": workers_male,
        "workers_female": workers_female,
        "investment": investment,
        "production_value": production_value,
        "data_year": data_year,
        "satker": satker,
        "centre": centre,
        "size_class": size_class_for(workers, investment),
    }


def _satker(
    errors: _Errors,
    by: User,
    data: dict[str, Any],
    regency: Regency | None,
    enterprise: Enterprise | None,
    province_id: int | None,
) -> Satker | None:
    """Who collected the data. An officer records for their own satker (an edit keeps the
    satker that collected it); an admin chooses, or gets the provincial satker of the regency."""
    if not permissions.writes_everywhere(by):
        if enterprise is not None and enterprise.satker_id is not None:
            return enterprise.satker
        return officer_satker(by)
    chosen = data.get("satker")
    if chosen in (None, ""):
        if province_id is None:
            return None
        return Satker.objects.filter(province_id=province_id, is_central=False).order_by("code").first()
    satker = _resolve(Satker, chosen)
    if satker is None:
        errors.add("satker", _("Satker tidak ditemukan."))
    elif province_id is not None and not satker.is_central and satker.province_id != province_id:
        errors.add(
            "satker",
            _("Satker pendata harus satker provinsi %(province)s atau unit pusat.")
            % {"province": Province.objects.get(pk=province_id).name},
        )
    return satker


@transaction.atomic
def enterprise_save(
    *,
    by: User,
    data: dict[str, Any],
    enterprise: Enterprise | None = None,
    expected_version: int | None = None,
    confirm_duplicate: bool = False,
) -> Enterprise:
    """Record a new enterprise (``enterprise`` None) or correct one, and return it.

    ``data`` holds the form's values by field name (see FIELDS; regency, satker and centre as
    instances or primary keys, money as whole rupiah or Indonesian text). ``expected_version``
    is the version the edit form was built on: a different stored version means someone saved
    in between, and nothing is written. A name already used in the same regency is refused
    with code ``possible_duplicate`` unless ``confirm_duplicate``; an NIB already registered is
    always refused. Raises PermissionDenied for users who may not write, ValidationError keyed
    by field otherwise; on error nothing changes.
    """
    if not permissions.may_write(by):
        raise PermissionDenied(_("Peran Anda hanya dapat membaca registri IKM."))
    locked: Enterprise | None = None
    if enterprise is not None:
        locked = scoped(Enterprise.objects.select_for_update(), by, for_edit=True).filter(pk=enterprise.pk).first()
        if locked is None:
            raise PermissionDenied(_("Anda tidak berhak mengubah data IKM ini."))
        if expected_version is not None and locked.version != expected_version:
            last = locked.history.select_related("history_user").first()
            who = getattr(last.history_user, "username", None) if last else None
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        _(
                            "Data IKM ini sudah diubah orang lain%(who)s sejak halaman ini dibuka. Perubahan Anda "
                            "tidak disimpan; muat ulang halaman untuk melihat data terbaru, lalu ulangi perubahan."
                        )
                        % {"who": f" ({who})" if who else ""},
                        code=STALE,
                    )
                }
            )
    # Two officers recording the same new enterprise at once: the second waits here and then
    # sees the first one's row in the duplicate check.
    regency_pk = data.get("regency").pk if isinstance(data.get("regency"), Regency) else data.get("regency")
    if isinstance(regency_pk, int):
        list(Regency.objects.select_for_update().filter(pk=regency_pk).values_list("pk"))

    values = enterprise_clean(by=by, data=data, enterprise=locked, confirm_duplicate=confirm_duplicate)
    # The registry summary loses the stored record's figures and gains the saved ones, in this
    # transaction (an edit that changes no summarised field writes nothing there).
    summary = RegistryChange()
    if locked is not None:
        summary.remove(locked)
    target = locked if locked is not None else Enterprise()
    for field, value in values.items():
        setattr(target, field, value)
    if locked is not None:
        target.version = locked.version + 1
    target._history_user = by
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        # The unique NIB, taken by a concurrent save after the duplicate check.
        existing = Enterprise.objects.filter(nib=values["nib"]).select_related("regency", "province").first()
        if values["nib"] and existing is not None:
            raise ValidationError(
                {"nib": ValidationError(_nib_taken_message(existing, by), code="duplicate")}
            ) from None
        raise
    summary.add(target).apply()
    return target


@transaction.atomic
def enterprises_delete(*, enterprises: QuerySet[Enterprise], by: User) -> int:
    """Delete these enterprises (those the user may change) and take their figures out of the
    registry summary, in one transaction; the number deleted. An enterprise that a facilitation
    or an OVOP candidacy still names is protected: nothing is deleted then (Django's ProtectedError)."""
    if not permissions.may_write(by):
        raise PermissionDenied(_("Peran Anda hanya dapat membaca registri IKM."))
    doomed = list(scoped(enterprises.select_for_update(), by, for_edit=True))
    for enterprise in doomed:
        enterprise._history_user = by
        enterprise.delete()
    RegistryChange().removing(doomed).apply()
    return len(doomed)
