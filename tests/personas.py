"""The personas of DESIGN.md as plain functions: tests/conftest.py makes fixtures of them for
one test, and a module that builds its world once (the access matrix) calls them directly.

officer (Bengkulu, 17), other_officer (Aceh, 11), reviewer, viewer, admin. Each province has its
provincial satker; the officer's province also holds a central unit (as DKI Jakarta does) that
no officer may see."""

from __future__ import annotations

from typing import Any

from budgets.models import Province, Satker
from tests.factories import ProvinceFactory, SatkerFactory, UserFactory


def bengkulu() -> Province:
    return ProvinceFactory(bps_code="17", kemendagri_code="17", name="Bengkulu", name_en="Bengkulu", iso_code="ID-BE")


def aceh() -> Province:
    return ProvinceFactory(bps_code="11", kemendagri_code="11", name="Aceh", name_en="Aceh", iso_code="ID-AC")


def bengkulu_satker(province: Province) -> Satker:
    return SatkerFactory(province=province, code="170019", name="Dinas Perindustrian Provinsi Bengkulu")


def aceh_satker(province: Province) -> Satker:
    return SatkerFactory(province=province, code="110019", name="Dinas Perindustrian Provinsi Aceh")


def central_unit(province: Province) -> Satker:
    return SatkerFactory(province=province, code="019101", name="Sekretariat Ditjen IKMA", is_central=True)


def officer_of(province: Province) -> Any:
    return UserFactory(username=f"officer-{province.bps_code}", role="OFFICER", province=province)


def head_of(province: Province) -> Any:
    """The province's Kepala Dinas, with the name and NIP the reports' signature prints."""
    return UserFactory(username=f"head-{province.bps_code}", role="HEAD", province=province, first_name="Kepala Dinas",
                       last_name=province.name, nip=f"197501012000031{province.bps_code:0>3}")  # fmt: skip


def directorate(role: str) -> Any:
    """The directorate's reviewer, viewer or admin (named after the role, as the demo accounts are)."""
    return UserFactory(username=role.lower(), role=role)


def head_verifies(report: Any) -> Any:
    """The report as its province's head verified it (the head is made when the test has none)."""
    from django.contrib.auth import get_user_model

    from budgets.services import report_verify

    province = report.satker.province
    head = get_user_model().objects.filter(role="HEAD", province=province).first() or head_of(province)
    return report_verify(report=report, by=head)
