"""Helpers of the registry tests (no tests here): enterprises written straight to the database
(for lists and reports, where the service is not what is tested), with their share of the
registry summary as every writer adds it, and a valid form input."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from budgets.models import Regency
from programs.models import Enterprise
from programs.registry.rules import normalize_name, size_class_for
from programs.registry.summary import RegistryChange


def make_enterprise(regency: Regency, name: str, **fields: Any) -> Enterprise:
    values = {
        "kbli": "10792",
        "workers_male": 3,
        "workers_female": 2,
        "investment": 100_000_000,
        "production_value": 250_000_000,
        "data_year": timezone.localdate().year,
        **fields,
    }
    enterprise = Enterprise.objects.create(
        regency=regency,
        province_id=regency.province_id,
        name=name,
        name_normalized=normalize_name(name),
        size_class=size_class_for(values["workers_male"] + values["workers_female"], values["investment"]),
        **values,
    )
    RegistryChange().add(enterprise).apply()
    return enterprise


def make_many(regency: Regency, count: int, *, prefix: str = "Usaha", start: int = 0, **fields: Any) -> None:
    """``count`` enterprises named "<prefix> 00000", "<prefix> 00001"... in one insert."""
    year = fields.pop("data_year", timezone.localdate().year)
    created = Enterprise.objects.bulk_create(
        [
            Enterprise(
                regency=regency,
                province_id=regency.province_id,
                name=f"{prefix} {index:05d}",
                name_normalized=normalize_name(f"{prefix} {index:05d}"),
                kbli=fields.get("kbli", "10792"),
                workers_male=fields.get("workers_male", 4),
                workers_female=fields.get("workers_female", 1),
                investment=fields.get("investment", 50_000_000),
                production_value=fields.get("production_value", 10_000_000),
                data_year=year,
                size_class=size_class_for(5, fields.get("investment", 50_000_000)),
            )
            for index in range(start, start + count)
        ]
    )
    RegistryChange().adding(created).apply()


def form_input(regency: Regency, **changes: Any) -> dict[str, Any]:
    """What an officer types into the create form (money in the Indonesian format)."""
    data = {
        "nib": "0123456789012",
        "name": "CV. Keripik Sanjai Amak",
        "owner": "Ibu Rahmi",
        "regency": regency.pk,
        "address": "Jl. Sudirman 1",
        "centre": "",
        "kbli": "10792",
        "workers_male": "3",
        "workers_female": "4",
        "investment": "1.250.000",
        "production_value": "250.000.000",
        "data_year": str(timezone.localdate().year),
    }
    data.update(changes)
    return data
