"""The data version's model moves to core (core 0001 takes over its state; the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0007_component_realization_cover"),
        ("core", "0001_data_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
            database_operations=[],
        ),
    ]
