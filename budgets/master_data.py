"""Reading and checking the master data files in ``budgets/data/``.

Everything is parsed and checked before anything is written, so a malformed file changes
nothing; every problem is reported with its file, line and column.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


class MasterDataError(Exception):
    """One or more rows of the master data files are malformed; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Invalid(ValueError):
    pass


def code(pattern: str, description: str) -> Callable[[str], str]:
    regex = re.compile(pattern)

    def parse(value: str) -> str:
        if not regex.fullmatch(value):
            raise _Invalid(f"'{value}' bukan {description}")
        return value

    return parse


def text(value: str) -> str:
    if not value:
        raise _Invalid("tidak boleh kosong")
    return value


def percent(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Invalid(f"'{value}' bukan angka") from None
    if not Decimal(0) <= number <= Decimal(100):
        raise _Invalid(f"{value} harus di antara 0 dan 100")
    return number


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise _Invalid(f"'{value}' harus salah satu dari: {', '.join(choices)}")
        return value

    return parse


def flag(value: str) -> bool:
    return one_of("0", "1")(value) == "1"


def year(value: str) -> int:
    if not re.fullmatch(r"20[0-9]{2}", value):
        raise _Invalid(f"'{value}' bukan tahun (2000-2099)")
    return int(value)


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"'{value}' bukan tanggal (YYYY-MM-DD)") from None


def optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An empty cell is None; anything else goes through ``parse``."""

    def parse_optional(value: str) -> Any:
        return parse(value) if value else None

    return parse_optional


def quarter_number(value: str) -> int:
    return int(one_of("1", "2", "3", "4")(value))


IKPA_INDICATORS = (
    "DIPA_REVISION",
    "PAGE3_DEVIATION",
    "ABSORPTION",
    "CONTRACT",
    "INVOICE",
    "PETTY_CASH",
    "OUTPUT",
    "DISPENSATION",
)


def revision_codes(value: str) -> str:
    """Treasury revision codes "201,211,212" (spaces around commas tolerated), stored sorted."""
    codes = sorted({part.strip() for part in value.split(",") if part.strip()})
    for part in codes:
        if not re.fullmatch(r"[0-9]{3}", part):
            raise _Invalid(f"'{part}' bukan kode revisi 3 digit")
    return ",".join(codes)


def count(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,3}", value):
        raise _Invalid(f"'{value}' bukan bilangan bulat 0-999")
    return int(value)


def non_negative(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Invalid(f"'{value}' bukan angka") from None
    if number < 0 or number >= Decimal(1_000_000):
        raise _Invalid(f"{value} harus di antara 0 dan 999999,99")
    return number


RO_CODE = code(r"[0-9]{4}\.[A-Z]{3}\.[0-9]{3}", "kode RO (kegiatan.KRO.RO, mis. 6503.RBS.001)")

# file name -> column -> parser. The columns must be exactly these (in any order).
SPECS: dict[str, dict[str, Callable[[str], Any]]] = {
    "provinces.csv": {
        "bps_code": code(r"[0-9]{2}", "kode BPS 2 digit"),
        "kemendagri_code": code(r"[0-9]{2}", "kode Kemendagri 2 digit"),
        "name": text,
        "name_en": text,
        "iso_3166_2": code(r"ID-[A-Z]{2}", "kode ISO 3166-2 (ID-XX)"),
        "valid_from": optional(iso_date),
        "valid_to": optional(iso_date),
    },
    "regencies_kemendagri.csv": {
        "kemendagri_code": code(r"[0-9]{2}\.[0-9]{2}", "kode kabupaten/kota Kemendagri (PP.RR)"),
        "province_kemendagri_code": code(r"[0-9]{2}", "kode provinsi Kemendagri 2 digit"),
        "name": text,
        "kind": one_of("kabupaten", "kota"),
    },
    "regency_history.csv": {
        "kemendagri_code": code(r"[0-9]{2}\.[0-9]{2}", "kode kabupaten/kota Kemendagri (PP.RR)"),
        "province_bps_code": code(r"[0-9]{2}", "kode BPS provinsi 2 digit"),
        "valid_from": optional(iso_date),
        "valid_to": iso_date,
        "source": text,
    },
    "satkers.csv": {
        "code": code(r"[0-9]{6}", "kode satker 6 digit"),
        "name": text,
        "province_bps_code": code(r"[0-9]{2}", "kode BPS provinsi 2 digit"),
        "is_central": flag,
        "first_year": optional(year),
    },
    "spending_types.csv": {
        "code": code(r"5[0-9]", "kode jenis belanja 2 digit (5x)"),
        "name": text,
        "name_en": text,
    },
    "components.csv": {
        "code": code(r"[0-9]{3}", "kode komponen 3 digit"),
        "name": text,
        "name_en": text,
        "ro": optional(RO_CODE),
    },
    "outputs.csv": {
        "ro": RO_CODE,
        "activity_name": text,
        "activity_name_en": text,
        "kro_name": text,
        "name": text,
        "name_en": text,
        "unit": text,
        "cumulative": flag,
        "measured_by": optional(code(r"[a-z0-9_]{1,24}", "kunci indikator output (mis. wub)")),
    },
    "accounts.csv": {
        "code": code(r"[0-9]{6}", "kode akun 6 digit"),
        "name": text,
    },
    "fiscal_years.csv": {
        "year": year,
        "below_average_threshold": percent,
        "target_q1": percent,
        "target_q2": percent,
        "target_q3": percent,
        "target_q4": percent,
        "deviation_tolerance": percent,
    },
    "ikpa_weights.csv": {
        "year": year,
        "indicator": one_of(*IKPA_INDICATORS),
        "weight": percent,
    },
    "ikpa_year_rules.csv": {
        "year": year,
        "dispensation_deducts": flag,
        "deviation_weighted_by_pagu": flag,
        "counted_revision_codes": revision_codes,
        "revision_limit_per_semester": count,
        "revision_penalty": percent,
        "output_timeliness_share": percent,
    },
    "ikpa_deviation_curve.csv": {
        "year": year,
        "deviation": non_negative,
        "score": percent,
    },
    "ikpa_absorption_targets.csv": {
        "year": year,
        "quarter": quarter_number,
        "spending_type": code(r"5[0-9]", "kode jenis belanja 2 digit (5x)"),
        "target": percent,
    },
    "holidays.csv": {
        "date": iso_date,
        "name": text,
        "kind": one_of("libur", "cuti_bersama"),
    },
    "rpd_cutoffs.csv": {
        "year": year,
        "quarter": quarter_number,
        "closes_on": iso_date,
        "source": text,
    },
}


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


def read_file(data_dir: Path, name: str, problems: list[str]) -> list[Row]:
    """Parse one file; append every problem to ``problems`` and return the good rows."""
    spec = SPECS[name]
    path = data_dir / name
    if not path.exists():
        problems.append(f"{name}: berkas tidak ditemukan di {data_dir}")
        return []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [column.strip() for column in reader.fieldnames or []]
        if sorted(header) != sorted(spec):
            problems.append(f"{name} baris 1: kolom harus {', '.join(spec)}; ditemukan {', '.join(header)}")
            return []
        rows: list[Row] = []
        for line, raw in enumerate(reader, start=2):
            values: dict[str, Any] = {}
            row_ok = True
            for column, parse in spec.items():
                cell = (raw.get(column) or "").strip()
                try:
                    values[column] = parse(cell)
                except _Invalid as problem:
                    problems.append(f"{name} baris {line}, kolom {column}: {problem}")
                    row_ok = False
            if row_ok:
                rows.append(Row(line, values))
    return rows


def _unique(name: str, rows: list[Row], column: str, problems: list[str]) -> None:
    seen: dict[Any, int] = {}
    for row in rows:
        key = row.values[column]
        if key in seen:
            problems.append(f"{name} baris {row.line}, kolom {column}: '{key}' sudah ada di baris {seen[key]}")
        seen.setdefault(key, row.line)


@dataclass(frozen=True)
class MasterData:
    provinces: list[Row]
    regencies: list[Row]
    regency_history: list[Row]
    satkers: list[Row]
    spending_types: list[Row]
    components: list[Row]
    outputs: list[Row]
    accounts: list[Row]
    fiscal_years: list[Row]
    ikpa_weights: list[Row]
    ikpa_year_rules: list[Row]
    ikpa_deviation_curve: list[Row]
    ikpa_absorption_targets: list[Row]
    holidays: list[Row]
    rpd_cutoffs: list[Row]


def read_master_data(data_dir: Path = DATA_DIR) -> MasterData:
    """All master data files, checked within and across files; raises MasterDataError."""
    problems: list[str] = []
    data = MasterData(
        **{
            field: read_file(data_dir, name, problems)
            for field, name in [
                ("provinces", "provinces.csv"),
                ("regencies", "regencies_kemendagri.csv"),
                ("regency_history", "regency_history.csv"),
                ("satkers", "satkers.csv"),
                ("spending_types", "spending_types.csv"),
                ("components", "components.csv"),
                ("outputs", "outputs.csv"),
                ("accounts", "accounts.csv"),
                ("fiscal_years", "fiscal_years.csv"),
                ("ikpa_weights", "ikpa_weights.csv"),
                ("ikpa_year_rules", "ikpa_year_rules.csv"),
                ("ikpa_deviation_curve", "ikpa_deviation_curve.csv"),
                ("ikpa_absorption_targets", "ikpa_absorption_targets.csv"),
                ("holidays", "holidays.csv"),
                ("rpd_cutoffs", "rpd_cutoffs.csv"),
            ]
        }
    )
    for name, rows, column in [
        ("provinces.csv", data.provinces, "bps_code"),
        ("provinces.csv", data.provinces, "kemendagri_code"),
        ("provinces.csv", data.provinces, "iso_3166_2"),
        ("regencies_kemendagri.csv", data.regencies, "kemendagri_code"),
        ("satkers.csv", data.satkers, "code"),
        ("spending_types.csv", data.spending_types, "code"),
        ("components.csv", data.components, "code"),
        ("outputs.csv", data.outputs, "ro"),
        ("accounts.csv", data.accounts, "code"),
        ("fiscal_years.csv", data.fiscal_years, "year"),
        ("ikpa_year_rules.csv", data.ikpa_year_rules, "year"),
        ("holidays.csv", data.holidays, "date"),
    ]:
        _unique(name, rows, column, problems)

    kemendagri_codes = {row.values["kemendagri_code"] for row in data.provinces}
    for row in data.regencies:
        parent = row.values["province_kemendagri_code"]
        if parent not in kemendagri_codes:
            problems.append(
                f"regencies_kemendagri.csv baris {row.line}, kolom province_kemendagri_code: "
                f"provinsi '{parent}' tidak ada di provinces.csv"
            )
        elif not row.values["kemendagri_code"].startswith(parent + "."):
            problems.append(
                f"regencies_kemendagri.csv baris {row.line}, kolom kemendagri_code: "
                f"'{row.values['kemendagri_code']}' tidak diawali kode provinsinya '{parent}'"
            )
    _check_periods(data, problems)
    bps_codes = {row.values["bps_code"] for row in data.provinces}
    for row in data.satkers:
        if row.values["province_bps_code"] not in bps_codes:
            problems.append(
                f"satkers.csv baris {row.line}, kolom province_bps_code: "
                f"provinsi '{row.values['province_bps_code']}' tidak ada di provinces.csv"
            )
    ro_codes = {row.values["ro"] for row in data.outputs}
    for row in data.components:
        if row.values["ro"] and row.values["ro"] not in ro_codes:
            problems.append(f"components.csv baris {row.line}, kolom ro: '{row.values['ro']}' tidak ada di outputs.csv")
    spending_codes = {row.values["code"] for row in data.spending_types}
    for row in data.accounts:
        if row.values["code"][:2] not in spending_codes:
            problems.append(
                f"accounts.csv baris {row.line}, kolom code: dua digit pertama '{row.values['code'][:2]}' "
                "bukan jenis belanja di spending_types.csv"
            )
    for row in data.fiscal_years:
        targets = [row.values[f"target_q{quarter}"] for quarter in range(1, 5)]
        if targets != sorted(targets):
            problems.append(
                f"fiscal_years.csv baris {row.line}: target penyerapan harus kumulatif (TW I <= ... <= TW IV)"
            )
    seen_cutoffs: dict[tuple[int, int], int] = {}
    for row in data.rpd_cutoffs:
        key = (row.values["year"], row.values["quarter"])
        if key in seen_cutoffs:
            problems.append(
                f"rpd_cutoffs.csv baris {row.line}: TW {key[1]} tahun {key[0]} sudah ada di baris {seen_cutoffs[key]}"
            )
        seen_cutoffs.setdefault(key, row.line)
        opens_on = date(key[0], 3 * key[1] - 2, 1)
        if not opens_on <= row.values["closes_on"] <= date(key[0], 12, 31):
            problems.append(
                f"rpd_cutoffs.csv baris {row.line}, kolom closes_on: {row.values['closes_on']} harus di antara "
                f"{opens_on} (jendela dibuka) dan akhir tahun {key[0]}"
            )
    _check_ikpa(data, spending_codes, problems)
    if problems:
        raise MasterDataError(problems)
    return data


def _check_ikpa(data: MasterData, spending_codes: set[str], problems: list[str]) -> None:
    """IKPA files: weights summing to 100 per year, one curve point per deviation with scores
    falling as deviation rises, one target per year, quarter and type, cumulative over quarters."""
    weight_sums: dict[int, Decimal] = {}
    for row in data.ikpa_weights:
        weight_sums[row.values["year"]] = weight_sums.get(row.values["year"], Decimal(0)) + row.values["weight"]
    for listed_year, total in sorted(weight_sums.items()):
        if total != 100:
            problems.append(f"ikpa_weights.csv: bobot tahun {listed_year} berjumlah {total}, harus 100")
    curves: dict[int, list[Row]] = {}
    for row in data.ikpa_deviation_curve:
        curves.setdefault(row.values["year"], []).append(row)
    for listed_year, rows in sorted(curves.items()):
        points = sorted(rows, key=lambda r: r.values["deviation"])
        for before, after in itertools.pairwise(points):
            if before.values["deviation"] == after.values["deviation"]:
                problems.append(
                    f"ikpa_deviation_curve.csv baris {after.line}: deviasi {after.values['deviation']} tahun "
                    f"{listed_year} sudah ada di baris {before.line}"
                )
            elif after.values["score"] > before.values["score"]:
                problems.append(
                    f"ikpa_deviation_curve.csv baris {after.line}: nilai tidak boleh naik saat deviasi naik"
                )
    targets: dict[tuple[int, str], dict[int, Row]] = {}
    for row in data.ikpa_absorption_targets:
        spending_type = row.values["spending_type"]
        if spending_type not in spending_codes:
            problems.append(
                f"ikpa_absorption_targets.csv baris {row.line}, kolom spending_type: '{spending_type}' "
                "tidak ada di spending_types.csv"
            )
        by_quarter = targets.setdefault((row.values["year"], spending_type), {})
        if row.values["quarter"] in by_quarter:
            problems.append(
                f"ikpa_absorption_targets.csv baris {row.line}: TW {row.values['quarter']} jenis {spending_type} "
                f"tahun {row.values['year']} sudah ada di baris {by_quarter[row.values['quarter']].line}"
            )
        by_quarter.setdefault(row.values["quarter"], row)
    for (listed_year, spending_type), by_quarter in sorted(targets.items()):
        values = [by_quarter[q].values["target"] for q in sorted(by_quarter)]
        if values != sorted(values):
            problems.append(
                f"ikpa_absorption_targets.csv: target jenis {spending_type} tahun {listed_year} harus kumulatif"
            )


def _check_periods(data: MasterData, problems: list[str]) -> None:
    """Validity dates in order; a regency's earlier province existed then and the regency's
    periods end before its current province begins and do not overlap."""
    provinces = {row.values["bps_code"]: row.values for row in data.provinces}
    for row in data.provinces:
        start, end = row.values["valid_from"], row.values["valid_to"]
        if start and end and end < start:
            problems.append(f"provinces.csv baris {row.line}, kolom valid_to: {end} sebelum valid_from {start}")
    current = {row.values["kemendagri_code"]: row.values["province_kemendagri_code"] for row in data.regencies}
    by_kemendagri = {values["kemendagri_code"]: values for values in provinces.values()}
    ends: dict[str, list[tuple[date | None, date]]] = {}
    for row in data.regency_history:
        where = f"regency_history.csv baris {row.line}"
        regency, start, end = row.values["kemendagri_code"], row.values["valid_from"], row.values["valid_to"]
        province = provinces.get(row.values["province_bps_code"])
        if regency not in current:
            problems.append(f"{where}, kolom kemendagri_code: '{regency}' tidak ada di regencies_kemendagri.csv")
            continue
        if province is None:
            problems.append(f"{where}, kolom province_bps_code: '{row.values['province_bps_code']}' tidak ada")
            continue
        if start and end < start:
            problems.append(f"{where}, kolom valid_to: {end} sebelum valid_from {start}")
        if province["valid_from"] and (start is None or start < province["valid_from"]):
            problems.append(f"{where}: provinsi {province['name']} baru ada sejak {province['valid_from']}")
        today_from = by_kemendagri[current[regency]]["valid_from"]
        if today_from and end >= today_from:
            problems.append(f"{where}, kolom valid_to: harus sebelum {today_from} (provinsi sekarang berdiri)")
        for other_start, other_end in ends.get(regency, []):
            if (start is None or start <= other_end) and (other_start is None or other_start <= end):
                problems.append(f"{where}: periode bertumpang tindih dengan periode lain {regency}")
        ends.setdefault(regency, []).append((start, end))
    for regency, parent in sorted(current.items()):
        created = by_kemendagri.get(parent, {}).get("valid_from")
        if created and not any(end == created - timedelta(days=1) for _start, end in ends.get(regency, [])):
            problems.append(
                f"regency_history.csv: {regency} ada di provinsi yang berdiri {created}; "
                f"provinsinya sampai {created - timedelta(days=1)} harus dicatat"
            )
