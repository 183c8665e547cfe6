"""factory-boy factories for the master data and the personas."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from budgets.models import Authority, FiscalYear, Province, Regency, Satker, SatkerAuthority

TEST_PASSWORD = "correct-horse-battery-7"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("bps_code",)

    bps_code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    kemendagri_code = factory.SelfAttribute("bps_code")
    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    name_en = factory.LazyAttribute(lambda o: f"Test Province {o.bps_code}")
    iso_code = factory.LazyAttribute(lambda o: f"ID-T{chr(65 + int(o.bps_code) % 26)}{o.bps_code}"[:6])


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency

    province = factory.SubFactory(ProvinceFactory)
    kemendagri_code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.kemendagri_code}.{(n % 99) + 1:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = Regency.Kind.KABUPATEN


class SatkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Satker

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.LazyAttribute(lambda o: f"Dinas Perindustrian {o.province.name}")
    is_central = False


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)

    year = 2023


class SatkerAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatkerAuthority

    satker = factory.SubFactory(SatkerFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    authority = Authority.DK


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "VIEWER"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
