"""ReportOutput carries its report's year and is read through one covering index by
(year, report): the outputs report reads one year's figures instead of every year's."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_component_realization_year"), ("programs", "0006_output_summary")]

    operations = [
        migrations.AddField(
            model_name="reportoutput",
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
            "UPDATE programs_reportoutput SET fiscal_year_id = (SELECT m.fiscal_year_id FROM "
            "budgets_monthlyreport m WHERE m.id = programs_reportoutput.report_id)",
            migrations.RunSQL.noop,
        ),
    ]
