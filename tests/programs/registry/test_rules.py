"""The registry's shared rules: size class by DOMAIN.md, normalised names, manufacturing KBLI."""

from __future__ import annotations

import pytest

from programs.registry.rules import is_manufacturing_kbli, normalize_name, size_class_for


@pytest.mark.parametrize(
    ("workers", "investment", "size"),
    [
        (5, 999_999_999, "KECIL"),
        (19, 999_999_999, "KECIL"),
        (19, 1_000_000_000, "MENENGAH"),
        (3, 20_000_000_000, "MENENGAH"),
        (20, 500_000_000, "MENENGAH"),
        (150, 15_000_000_000, "MENENGAH"),
        (20, 15_000_000_001, "BESAR"),
    ],
)
def test_size_class(workers: int, investment: int, size: str) -> None:
    assert size_class_for(workers, investment) == size


def test_normalized_name_ignores_legal_form_case_and_punctuation() -> None:
    assert normalize_name('CV. Keripik  Sanjai "Amak"') == "keripik sanjai amak"
    assert normalize_name("PT Tenun Songket Palembang, Tbk") == "tenun songket palembang"
    assert normalize_name("Kopi Gayo Ãrabika") == "kopi gayo arabika"


FULLWIDTH_DIGITS = "\uff14\uff15\uff16\uff17\uff18"


@pytest.mark.parametrize(
    ("kbli", "ok"),
    [("10792", True), ("33121", True), ("09100", False), ("34000", False), ("1079", False), ("1079a", False),
     (FULLWIDTH_DIGITS, False)],
)  # fmt: skip
def test_manufacturing_kbli(kbli: str, ok: bool) -> None:
    assert is_manufacturing_kbli(kbli) is ok
