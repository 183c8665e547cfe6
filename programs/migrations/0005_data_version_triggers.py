"""The programme records join the reports' data version (core.data_version): their writes
raise it, so cached dashboard and output report pages show them in the next request."""

from django.db import migrations

from core.data_version import watch_app


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0004_data_version"),
        ("programs", "0004_registry_summary_fillfactor"),
    ]

    operations = [watch_app("programs")]
