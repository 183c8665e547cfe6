"""Second step (its own transaction: PostgreSQL does not alter a table whose rows the same
transaction changed while deferred triggers are pending, see core/data_version.py): the year
becomes required, with the covering index by (year, report)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0030_ro_achievement_year")]

    operations = [
        migrations.AlterField(
            model_name="outputachievement",
            name="fiscal_year",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="budgets.fiscalyear"
            ),
        ),
        migrations.AddIndex(
            model_name="outputachievement",
            index=models.Index(
                fields=["fiscal_year", "report", "output", "volume", "physical_progress"], name="ro_achievement_cover"
            ),
        ),
    ]
