"""OVOP as it is run (Permenperin 14/2021, DOMAIN.md "Programmes"): the writes and reads of the
sentra directory, the yearly coaching of a sentra, and the award cycles.

- A **sentra** (Sentra) is kept in its province's directory, OVOP or not, legalised by a decree
  of the regent or mayor.
- **Coaching** (OvopCoaching) records that a sentra was coached in a year: the outputs indicator
  ``ovop_centres`` counts these (the published "1.574 sentra coached" of 2022).
- **Awards**: in a cycle (OvopCycle) the regencies propose IKM (an enterprise and its product,
  OvopCandidate) through the province's satker, which sits on the selection team; the
  directorate records the administrative check, the score, the recommended and the awarded
  stars. An enterprise's current stars are those of its latest award; the coaching level
  follows from them (programs.models.coaching_level_for).

Writes are keyword-only and atomic; every check runs before anything is written and problems
come back in one ValidationError keyed by the form field names. ``PermissionDenied``: the user
may not change this satker (or, for the selection results, is not the directorate's admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from budgets.models import FiscalYear, Regency, Satker
from budgets.ro_entry import DecimalError, parse_decimal
from budgets.services.common import ensure_can_edit_satker, ensure_year_open
from programs.models import (
    CommodityGroup,
    Enterprise,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    OvopGroup,
    OvopScoreBand,
    Sentra,
    coaching_level_for,
)
from programs.records.services import MAX_STARS, MAX_UNITS, MIN_STARS, Errors, _choice, _raise, _regency, _text

if TYPE_CHECKING:
    from accounts.models import User

MAX_SCORE = Decimal(100)


# -- the sentra directory ---------------------------------------------------------------------


def _stars(errors: Errors, field: str, stars: int | None) -> int | None:
    if stars is not None and not MIN_STARS <= stars <= MAX_STARS:
        errors[field] = [_("Bintang harus 1 sampai 5.")]
    return stars


def sentra_values(
    *,
    satker: Satker,
    name: str,
    regency: Regency | None,
    village: str,
    commodity: str = "",
    commodity_group: str,
    unit_count: int | None,
    decree_number: str = "",
    decree_date: date | None = None,
    decree_required: bool = True,
    exclude_pk: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The checked values of a sentra. The decree (number and date) is required of a new sentra
    entered on the web; the import and the sentra recorded before it was asked for may lack it,
    but never have half of it."""
    errors: Errors = {}
    values: dict[str, Any] = {
        "name": _text(errors, "name", name, max_length=200, required_message=_("Nama sentra wajib diisi.")),
        "regency": _regency(errors, regency, satker),
        "village": _text(errors, "village", village, max_length=120, required_message=_("Desa/kelurahan wajib diisi.")),
        "commodity": _text(errors, "commodity", commodity, max_length=120, required_message=None),
        "commodity_group": _choice(
            errors, "commodity_group", commodity_group, CommodityGroup, _("Pilih kelompok komoditas yang tersedia.")
        ),
        "unit_count": unit_count,
        "decree_number": _text(errors, "decree_number", decree_number, max_length=100, required_message=None),
        "decree_date": decree_date,
    }
    if unit_count is None:
        errors["unit_count"] = [_("Jumlah unit IKM wajib diisi.")]
    elif unit_count < Sentra.MIN_UNITS:
        errors["unit_count"] = [_("Jumlah unit terlalu sedikit: sentra minimal 5 unit IKM.")]
    elif unit_count > MAX_UNITS:
        errors["unit_count"] = [_("Jumlah unit IKM terlalu besar; periksa kembali isian.")]
    has_number, has_date = bool(values["decree_number"]), decree_date is not None
    if (decree_required or has_number) and not has_date and "decree_number" not in errors:
        errors["decree_date"] = [_("Tanggal SK bupati/wali kota pengesahan sentra wajib diisi.")]
    if (decree_required or has_date) and not has_number and "decree_number" not in errors:
        errors["decree_number"] = [_("Nomor SK bupati/wali kota pengesahan sentra wajib diisi.")]
    if has_date and decree_date > (today or timezone.localdate()):
        errors["decree_date"] = [_("Tanggal SK tidak boleh setelah hari ini.")]
    if "name" not in errors and "regency" not in errors:
        twins = Sentra.objects.filter(satker=satker, name=values["name"], regency=regency)
        if exclude_pk is not None:
            twins = twins.exclude(pk=exclude_pk)
        if twins.exists():
            errors["name"] = [_("Sentra dengan nama ini sudah tercatat di %(regency)s.") % {"regency": regency.name}]
    _raise(errors)
    return values


@transaction.atomic
def sentra_create(*, satker: Satker, by: User, today: date | None = None, **fields: Any) -> Sentra:
    """A sentra in the satker's directory: at least five IKM units, in the satker's province,
    with the decree that legalised it. ``fields``: those of ``sentra_values``."""
    ensure_can_edit_satker(by, satker)
    Satker.objects.select_for_update().get(pk=satker.pk)
    sentra = Sentra(satker=satker, **sentra_values(satker=satker, today=today, **fields))
    sentra._history_user = by
    sentra.save()
    return sentra


@transaction.atomic
def sentra_update(*, sentra: Sentra, by: User, today: date | None = None, **fields: Any) -> Sentra:
    """Change a sentra. One recorded without a decree may stay without; once it has one, it keeps one."""
    satker = sentra.satker
    ensure_can_edit_satker(by, satker)
    Satker.objects.select_for_update().get(pk=satker.pk)
    values = sentra_values(satker=satker, decree_required=bool(sentra.decree_number), exclude_pk=sentra.pk,
                           today=today, **fields)  # fmt: skip
    for field, value in values.items():
        setattr(sentra, field, value)
    sentra._history_user = by
    sentra.save()
    return sentra


# -- coaching (sentra dibina) -----------------------------------------------------------------


@transaction.atomic
def ovop_coaching_set(*, sentra: Sentra, fiscal_year: FiscalYear, stars: int | None, by: User) -> OvopCoaching:
    """Record that the sentra was coached in the year (once per sentra and year: setting again
    replaces the reported star level; ``stars`` may be None, the level is not always known)."""
    ensure_can_edit_satker(by, sentra.satker)
    ensure_year_open(fiscal_year)
    errors: Errors = {}
    _stars(errors, "stars", stars)
    _raise(errors)
    Sentra.objects.select_for_update().get(pk=sentra.pk)
    coaching = OvopCoaching.objects.filter(sentra=sentra, year=fiscal_year.year).first()
    if coaching is None:
        coaching = OvopCoaching(sentra=sentra, year=fiscal_year.year, stars=stars)
    elif coaching.stars == stars:
        return coaching
    coaching.stars = stars
    coaching._history_user = by
    coaching.save()
    return coaching


@transaction.atomic
def ovop_coaching_delete(*, sentra: Sentra, fiscal_year: FiscalYear, by: User) -> None:
    """The sentra was not coached in the year after all."""
    ensure_can_edit_satker(by, sentra.satker)
    ensure_year_open(fiscal_year)
    coaching = OvopCoaching.objects.select_for_update().filter(sentra=sentra, year=fiscal_year.year).first()
    if coaching is not None:
        coaching._history_user = by
        coaching.delete()


# -- award cycles ------------------------------------------------------------------------------


def stars_for_score(cycle: OvopCycle, score: Decimal | None) -> int | None:
    """The stars the cycle's score bands give ``score`` (the highest band reached), or None
    without a score or bands."""
    if score is None:
        return None
    reached = OvopScoreBand.objects.filter(cycle=cycle, min_score__lte=score).order_by("-stars").first()
    return reached.stars if reached else None


def current_awards(enterprise_ids: Iterable[int]) -> dict[int, OvopCandidate]:
    """Each enterprise's current award: its awarded stars of the latest cycle that awarded it
    any (of two products starred in that cycle, the higher). Enterprises never starred are absent."""
    awards = (
        OvopCandidate.objects.filter(enterprise_id__in=list(enterprise_ids), awarded_stars__isnull=False)
        .select_related("cycle")
        .order_by("enterprise_id", "-cycle__year", "-awarded_stars", "-pk")
    )
    current: dict[int, OvopCandidate] = {}
    for award in awards:
        current.setdefault(award.enterprise_id, award)
    return current


def current_stars(enterprise: Enterprise) -> int | None:
    award = current_awards([enterprise.pk]).get(enterprise.pk)
    return award.awarded_stars if award else None


def current_coaching_level(enterprise: Enterprise) -> str | None:
    """Who coaches the enterprise now (CoachingLevel), from its current stars; None if never starred."""
    stars = current_stars(enterprise)
    return coaching_level_for(stars) if stars else None


def parse_score(value: Decimal | int | str | None) -> Decimal | None:
    """A score 0-100 with at most two decimals, typed as volumes are (``85,5``, ``85.5``:
    budgets.ro_entry.parse_decimal); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = parse_decimal(value, label=_("Nilai"))
    except DecimalError as error:
        raise ValidationError({"score": [str(error)]}) from error
    if not 0 <= score <= MAX_SCORE:
        raise ValidationError({"score": [_("Nilai harus 0 sampai 100, paling banyak dua angka desimal.")]})
    return score


def _in_province(errors: Errors, field: str, province_id: int | None, satker: Satker, message: str) -> None:
    if province_id is not None and province_id != satker.province_id:
        errors[field] = [message]


@transaction.atomic
def candidate_propose(
    *,
    cycle: OvopCycle,
    satker: Satker,
    enterprise: Enterprise | None,
    product: str,
    group: str,
    regency: Regency | None,
    sentra: Sentra | None = None,
    re_evaluates: OvopCandidate | None = None,
    by: User,
) -> OvopCandidate:
    """A regency's proposal of an IKM (enterprise and product) for the cycle, entered by the
    province's satker (its seat on the selection team). A re-evaluation names the earlier award
    of the same enterprise."""
    ensure_can_edit_satker(by, satker)
    errors: Errors = {}
    if satker.is_central:
        errors["__all__"] = [_("Usulan OVOP diajukan melalui satker provinsi.")]
    if enterprise is None:
        errors["enterprise"] = [_("Pilih IKM dari registri.")]
    else:
        _in_province(errors, "enterprise", enterprise.province_id, satker,
                     _("IKM ini tidak berada di provinsi satker."))  # fmt: skip
    values = {
        "product": _text(errors, "product", product, max_length=200, required_message=_("Nama produk wajib diisi.")),
        "group": _choice(errors, "group", group, OvopGroup, _("Pilih salah satu dari lima kelompok OVOP.")),
        "regency": _regency(errors, regency, satker),
    }
    if sentra is not None:
        _in_province(errors, "sentra", sentra.satker.province_id, satker,
                     _("Sentra harus berada di provinsi satker."))  # fmt: skip
    if re_evaluates is not None:
        # As stored now, not as the caller read it: its award may have been recorded since.
        re_evaluates = OvopCandidate.objects.select_related("cycle").get(pk=re_evaluates.pk)
    if re_evaluates is not None and enterprise is not None:
        if re_evaluates.enterprise_id != enterprise.pk:
            errors["re_evaluates"] = [_("Penghargaan yang dievaluasi ulang harus milik IKM yang sama.")]
        elif re_evaluates.cycle.year >= cycle.year or re_evaluates.awarded_stars is None:
            errors["re_evaluates"] = [_("Yang dievaluasi ulang harus bintang yang ditetapkan pada siklus sebelumnya.")]
    Satker.objects.select_for_update().get(pk=satker.pk)
    twins = OvopCandidate.objects.filter(cycle=cycle, enterprise=enterprise, product=values["product"])
    if enterprise is not None and "product" not in errors and twins.exists():
        errors["product"] = [_("Produk IKM ini sudah diusulkan pada siklus %(year)s.") % {"year": cycle.year}]
    _raise(errors)
    candidate = OvopCandidate(cycle=cycle, satker=satker, enterprise=enterprise, sentra=sentra,
                              re_evaluates=re_evaluates, **values)  # fmt: skip
    candidate._history_user = by
    candidate.save()
    return candidate


@transaction.atomic
def candidate_withdraw(*, candidate: OvopCandidate, by: User) -> None:
    """A proposal withdrawn before the administrative check."""
    ensure_can_edit_satker(by, candidate.satker)
    if candidate.admin_check_passed is not None:
        raise ValidationError(_("Usulan yang sudah diperiksa tidak dapat ditarik."))
    candidate._history_user = by
    candidate.delete()


@transaction.atomic
def candidate_evaluate(
    *,
    candidate: OvopCandidate,
    admin_check_passed: bool | None,
    score: Decimal | int | str | None = None,
    recommended_stars: int | None = None,
    awarded_stars: int | None = None,
    by: User,
) -> OvopCandidate:
    """The selection's results for a candidate, recorded by the directorate: the administrative
    check, the score, the recommended stars (from the cycle's score bands when left empty) and
    the awarded stars. Stars only for a candidate that passed the check."""
    if not permissions.writes_everywhere(by):
        raise PermissionDenied(_("Hanya admin direktorat yang mencatat hasil seleksi OVOP."))
    errors: Errors = {}
    try:
        score = parse_score(score)
    except ValidationError as error:
        errors.update(error.message_dict)
        score = None
    _stars(errors, "recommended_stars", recommended_stars)
    _stars(errors, "awarded_stars", awarded_stars)
    if admin_check_passed is not True:
        for field, value in (("score", score), ("recommended_stars", recommended_stars),
                             ("awarded_stars", awarded_stars)):  # fmt: skip
            if value is not None and field not in errors:
                errors[field] = [_("Nilai dan bintang hanya untuk calon yang lolos seleksi administrasi.")]
    _raise(errors)
    if recommended_stars is None and admin_check_passed:
        recommended_stars = stars_for_score(candidate.cycle, score)
    locked = OvopCandidate.objects.select_for_update().get(pk=candidate.pk)
    locked.admin_check_passed = admin_check_passed
    locked.score = score
    locked.recommended_stars = recommended_stars
    locked.awarded_stars = awarded_stars
    locked._history_user = by
    locked.save()
    return locked
