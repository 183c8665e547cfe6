"""Second step (its own transaction: PostgreSQL does not alter a table whose rows the same
transaction changed while deferred triggers are pending, see core/data_version.py): the year
becomes required, and the covering index by (year, report) replaces the report's own index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0007_report_output_year"), ("budgets", "0007_component_realization_cover")]

    operations = [
        migrations.AlterField(
            model_name="reportoutput",
            name="fiscal_year",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="budgets.fiscalyear"
            ),
        ),
        migrations.AlterField(
            model_name="reportoutput",
            name="report",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outputs",
                to="budgets.monthlyreport",
            ),
        ),
        migrations.AddIndex(
            model_name="reportoutput",
            index=models.Index(fields=["fiscal_year", "report", "indicator", "amount"], name="report_output_cover"),
        ),
    ]
