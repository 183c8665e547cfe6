"""Data-quality rules of a month's programme records (named in settings,
``MONTHLY_REPORT_QUALITY_CHECKS``; budgets/services/quality.py stores and reconciles the flags).

What the issue's rules were mapped to (programs/models/records.py):

- ``WUB_DUPLICATE``: a WUB (NewEntrepreneur) of the report whose name (normalised as the
  registry normalises names: programs.registry.rules.normalize_name), regency and NIB (absent =
  empty) match another WUB of the same fiscal year, anywhere (any satker, any month).
- ``NIB_TWO_PROVINCES``: a NIB of the report's records (WUB or facilitation) also used, in the
  same fiscal year, by a record (WUB or facilitation) of a provincial satker of another province.
  The same year only: the records' indexes lead with the year, and a business that moved years
  ago is not this month's question.
- ``EXHIBITION_VALUE_CAP``: an exhibition facilitation (FacilitationKind.EXHIBITION: one record
  per IKM, its ``value`` the IKM's transactions) above ``QUALITY_EXHIBITION_VALUE_PER_IKM_CAP``
  rupiah (a setting, default Rp500.000.000); exactly the cap does not fire.
- ``CERTIFIED_NO_NUMBER``: a facilitation of a certified kind (CERTIFIED_KINDS: SNI, ISO, HACCP,
  halal, HKI) without a certificate or registration number.

Five queries, whatever the number of records.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext_noop

from budgets.models import MonthlyReport
from budgets.quality import Finding, target_key_of
from core.formats import format_rupiah
from core.messages import Params, joined, message, month, msgid_of, spaced, text, words
from programs.models import CERTIFIED_KINDS, Facilitation, FacilitationKind, NewEntrepreneur
from programs.registry.rules import normalize_name

WUB_DUPLICATE = "WUB_DUPLICATE"
NIB_TWO_PROVINCES = "NIB_TWO_PROVINCES"
EXHIBITION_VALUE_CAP = "EXHIBITION_VALUE_CAP"
CERTIFIED_NO_NUMBER = "CERTIFIED_NO_NUMBER"

DEFAULT_EXHIBITION_VALUE_PER_IKM_CAP = 500_000_000
# How many other places a reason names before "and N more".
NAMED = 3


def exhibition_cap() -> int:
    return int(getattr(settings, "QUALITY_EXHIBITION_VALUE_PER_IKM_CAP", DEFAULT_EXHIBITION_VALUE_PER_IKM_CAP))


def wub_identity(name: str, regency_id: int, nib: str | None) -> tuple[str, int, str]:
    return normalize_name(name), regency_id, (nib or "").strip()


# The reasons' message ids, rendered in the reader's language when shown (core/messages.py).
WUB_DUPLICATE_REASON = gettext_noop(
    "WUB %(name)s (%(regency)s, NIB %(nib)s) tercatat %(count)s kali tahun ini: juga di %(places)s."
)
NIB_TWO_PROVINCES_REASON = gettext_noop(
    "NIB %(nib)s (%(names)s, %(province)s) juga dipakai catatan provinsi %(others)s tahun ini."
)
EXHIBITION_VALUE_CAP_REASON = gettext_noop("Nilai transaksi pameran %(name)s %(value)s melebihi batas %(cap)s per IKM.")
CERTIFIED_NO_NUMBER_REASON = gettext_noop("%(kind)s untuk %(name)s dicatat tanpa nomor sertifikat/pendaftaran.")
MORE_PLACES = gettext_noop("%(places)s, dan %(count)s lainnya")
NO_NIB = gettext_noop("tanpa NIB")


def _named(places: list[tuple[str, int]]) -> Params:
    """(satker code, month) places: 'a, b, c, dan 2 lainnya' past ``NAMED`` places."""
    shown = [spaced(code, month(number)) for code, number in sorted(set(places))]
    if len(shown) > NAMED:
        return message(MORE_PLACES, places=joined(shown[:NAMED], ", "), count=len(shown) - NAMED)
    return words(shown)


def _wub_label(record: NewEntrepreneur) -> str:
    return text(gettext_noop("WUB %(name)s"), name=record.name)


def _wub_findings(report: MonthlyReport, wubs: list[NewEntrepreneur]) -> list[Finding]:
    if not wubs:
        return []
    regencies = {record.regency_id for record in wubs}
    by_identity: dict[tuple, list[tuple]] = defaultdict(list)
    rows = NewEntrepreneur.objects.filter(fiscal_year_id=report.fiscal_year_id, regency_id__in=regencies).values_list(
        "pk", "name", "regency_id", "nib", "satker__code", "month"
    )
    for pk, name, regency_id, nib, satker_code, number in rows:
        by_identity[wub_identity(name, regency_id, nib)].append((pk, satker_code, number))
    findings = []
    for record in wubs:
        others = [row for row in by_identity[wub_identity(record.name, record.regency_id, record.nib)]
                  if row[0] != record.pk]  # fmt: skip
        if not others:
            continue
        places = _named([(code, number) for _pk, code, number in others])
        params = {"name": record.name, "regency": record.regency.name, "nib": record.nib or message(NO_NIB),
                  "count": len(others) + 1, "places": places}  # fmt: skip
        findings.append(Finding(WUB_DUPLICATE, target_key_of(record), _wub_label(record), WUB_DUPLICATE_REASON,
                                params, record))  # fmt: skip
    return findings


def _nib_findings(
    report: MonthlyReport, wubs: list[NewEntrepreneur], facilitations: list[Facilitation]
) -> list[Finding]:
    records = [record for record in [*wubs, *facilitations] if record.nib]
    if not records or report.satker.is_central:
        return []
    nibs = {record.nib for record in records}
    elsewhere = {
        "fiscal_year_id": report.fiscal_year_id, "nib__in": nibs, "satker__is_central": False,
    }  # fmt: skip
    provinces: dict[str, set[str]] = defaultdict(set)
    for model in (NewEntrepreneur, Facilitation):
        rows = (
            model.objects.filter(**elsewhere)
            .exclude(satker__province_id=report.satker.province_id)
            .values_list("nib", "satker__province__name")
            .distinct()
        )
        for nib, province in rows:
            provinces[nib].add(province)
    findings = []
    for nib in sorted(nibs):
        if not provinces[nib]:
            continue
        here = [record for record in records if record.nib == nib]
        names = words(sorted({getattr(record, "name", None) or record.enterprise_name for record in here}))
        params = {"nib": nib, "names": names, "province": report.satker.province.name,
                  "others": words(sorted(provinces[nib]))}  # fmt: skip
        findings.append(Finding(NIB_TWO_PROVINCES, f"nib:{nib}", text(gettext_noop("NIB %(nib)s"), nib=nib),
                                NIB_TWO_PROVINCES_REASON, params))  # fmt: skip
    return findings


def _facilitation_label(record: Facilitation) -> str:
    # The kind follows the reader's language, the enterprise's name stays as written.
    return text("%(kind)s: %(name)s", kind=message(msgid_of(FacilitationKind(record.kind).label)),
                name=record.enterprise_name)  # fmt: skip


def _facilitation_findings(facilitations: list[Facilitation]) -> list[Finding]:
    cap = exhibition_cap()
    findings = []
    for record in facilitations:
        if record.kind == FacilitationKind.EXHIBITION and record.value > cap:
            params = {"name": record.enterprise_name, "value": format_rupiah(record.value), "cap": format_rupiah(cap)}
            findings.append(Finding(EXHIBITION_VALUE_CAP, target_key_of(record), _facilitation_label(record),
                                    EXHIBITION_VALUE_CAP_REASON, params, record))  # fmt: skip
        if record.kind in CERTIFIED_KINDS and not record.certificate_number.strip():
            params = {"kind": message(msgid_of(FacilitationKind(record.kind).label)), "name": record.enterprise_name}
            findings.append(Finding(CERTIFIED_NO_NUMBER, target_key_of(record), _facilitation_label(record),
                                    CERTIFIED_NO_NUMBER_REASON, params, record))  # fmt: skip
    return findings


def record_findings(report: MonthlyReport) -> list[Finding]:
    """The month's programme records' findings (settings.MONTHLY_REPORT_QUALITY_CHECKS)."""
    where = {"satker_id": report.satker_id, "fiscal_year_id": report.fiscal_year_id, "month": report.month}
    wubs = list(NewEntrepreneur.objects.filter(**where).select_related("regency").order_by("name", "pk"))
    facilitations = list(Facilitation.objects.filter(**where).order_by("kind", "enterprise_name", "pk"))
    return [
        *_wub_findings(report, wubs),
        *_nib_findings(report, wubs, facilitations),
        *_facilitation_findings(facilitations),
    ]
