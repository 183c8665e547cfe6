"""PostgreSQL storage of RegistrySummary (no model change)."""

from django.db import migrations

SUMMARY_FILLFACTOR = 50


def summary_fillfactor(apps, schema_editor):
    """RegistrySummary's rows are updated in place by every write of the registry: with half of
    each page free, PostgreSQL keeps the new row versions on the same page (HOT updates, no index
    entries), so the small table does not bloat between autovacuums."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE programs_registrysummary SET (fillfactor = {SUMMARY_FILLFACTOR})")


def default_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE programs_registrysummary RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_programme_record_covering_indexes")]

    operations = [migrations.RunPython(summary_fillfactor, default_fillfactor)]
