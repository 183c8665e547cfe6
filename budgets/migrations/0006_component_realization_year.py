"""ComponentRealization carries its report's year and is read through one covering index by
(year, report): the reports read one year's sums instead of every year's."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0005_realization_summary")]

    operations = [
        migrations.AddField(
            model_name="componentrealization",
            name="fiscal_year",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="budgets.fiscalyear",
            ),
        ),
        migrations.RunSQL(
            "UPDATE budgets_componentrealization SET fiscal_year_id = (SELECT m.fiscal_year_id FROM "
            "budgets_monthlyreport m WHERE m.id = budgets_componentrealization.report_id)",
            migrations.RunSQL.noop,
        ),
    ]
