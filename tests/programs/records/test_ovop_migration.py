"""An existing database keeps its OVOP data: each centre becomes a sentra of the directory (the
same row, its members still linked) and each yearly rating the coaching record of that sentra and
year, its stars kept as the reported level; no award is invented from them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("programs", "0008_report_output_cover")]
AFTER = [("programs", "0012_delete_ovoprating")]


@pytest.mark.django_db(transaction=True)
def test_ratings_become_coaching_records_and_centres_sentra() -> None:
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Province, Regency, Satker = (old.get_model("budgets", name) for name in ("Province", "Regency", "Satker"))
        province = Province.objects.create(
            bps_code="97", kemendagri_code="97", iso_code="ID-ZZ", name="Uji", name_en="Test"
        )
        regency = Regency.objects.create(kemendagri_code="97.01", province=province, name="Kab Uji", kind="kabupaten")
        satker = Satker.objects.create(code="979797", name="Dinas Uji", province=province)
        centre = old.get_model("programs", "OvopCentre").objects.create(
            satker=satker, name="Sentra Tenun", regency=regency, village="Desa", commodity_group="TENUN", unit_count=9
        )
        member = old.get_model("programs", "Enterprise").objects.create(
            name="Tenun Uji", name_normalized="tenun uji", regency=regency, province=province, kbli="13121",
            data_year=2022, size_class="KECIL", centre=centre,
        )  # fmt: skip
        Rating = old.get_model("programs", "OvopRating")
        Rating.objects.create(centre=centre, year=2022, stars=3)
        Rating.objects.create(centre=centre, year=2023, stars=4)

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        sentra = new.get_model("programs", "Sentra").objects.get()
        assert (sentra.pk, sentra.name, sentra.unit_count, sentra.decree_number, sentra.decree_date) == (
            centre.pk,
            "Sentra Tenun",
            9,
            "",
            None,
        )
        assert new.get_model("programs", "Enterprise").objects.get(pk=member.pk).centre_id == sentra.pk
        coaching = new.get_model("programs", "OvopCoaching").objects.order_by("year")
        assert list(coaching.values_list("sentra_id", "year", "stars")) == [(sentra.pk, 2022, 3), (sentra.pk, 2023, 4)]
        assert not new.get_model("programs", "OvopCandidate").objects.exists()
        assert not new.get_model("programs", "OvopCycle").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
