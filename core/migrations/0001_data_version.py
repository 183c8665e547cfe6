"""The data version's model comes to core from budgets, which created its table (budgets 0004):
the state only, the table keeps its name and rows."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("budgets", "0004_data_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        ("name", models.CharField(max_length=30, primary_key=True, serialize=False, verbose_name="nama")),
                        ("version", models.BigIntegerField(default=0, verbose_name="versi")),
                    ],
                    options={
                        "verbose_name": "versi data",
                        "verbose_name_plural": "versi data",
                        "db_table": "budgets_dataversion",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
