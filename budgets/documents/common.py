"""What every official document of a satker carries: its letterhead (kop) and the head's
signature block, from what the Satker, Province and the report's verification hold. The monthly
report (monthly.py) and the quarterly report build on these."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts.models import Delegation
from budgets.models import Satker
from core.documents import Signature

CENTRAL_KOP = [
    "KEMENTERIAN PERINDUSTRIAN REPUBLIK INDONESIA",
    "DIREKTORAT JENDERAL INDUSTRI KECIL, MENENGAH, DAN ANEKA",
]
HEAD_TITLE = "Kepala Dinas"
ACTING_PREFIX = {Delegation.Kind.PLH: "Plh.", Delegation.Kind.PLT: "Plt."}


def office_name(satker: Satker) -> str:
    """The service as its letterhead names it: the satker's name, "Dinas ..." (as the DIPA names
    a provincial service), with "Dinas" put in front when the name lacks it."""
    name = satker.name.strip()
    return name if satker.is_central or name.lower().startswith("dinas") else f"Dinas {name}"


def kop_lines(satker: Satker) -> list[str]:
    """PEMERINTAH PROVINSI <province> / DINAS ... for a provincial service; the ministry and the
    directorate general above a central unit's name."""
    if satker.is_central:
        return [*CENTRAL_KOP, satker.name.upper()]
    return [f"PEMERINTAH PROVINSI {satker.province.name.upper()}", office_name(satker).upper()]


def signature_place(satker: Satker) -> str:
    """Where the head signs: the province (the models hold no seat of the service), Jakarta for
    the directorate's own units."""
    return "Jakarta" if satker.is_central else satker.province.name


def head_title(delegation: Delegation | None) -> str:
    """ "Kepala Dinas", or "Plh. Kepala Dinas" / "Plt. Kepala Dinas" for an acting head."""
    if delegation is None:
        return HEAD_TITLE
    return f"{ACTING_PREFIX.get(delegation.kind, 'Plh.')} {HEAD_TITLE}"


def head_signature(*, satker: Satker, signer, at: datetime | None, delegation: Delegation | None) -> Signature:
    """The block of a document the head (or the acting head under ``delegation``) verified at
    ``at``; unsigned when ``signer`` or ``at`` is missing."""
    place = signature_place(satker)
    if signer is None or at is None:
        return Signature(place=place, signed=False)
    return Signature(
        place=place, signed=True, day=timezone.localtime(at).date(), title=head_title(delegation),
        name=signer.get_full_name() or signer.get_username(), nip=signer.nip, organisation=office_name(satker),
    )  # fmt: skip
