"""OutputAchievement carries its report's year and is read through one covering index by
(year, report): the RO and IKPA reports read one year's rows instead of joining every year's."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budgets", "0029_spending_type_realization")]

    operations = [
        migrations.AddField(
            model_name="outputachievement",
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
            "UPDATE budgets_outputachievement SET fiscal_year_id = (SELECT m.fiscal_year_id FROM "
            "budgets_monthlyreport m WHERE m.id = budgets_outputachievement.report_id)",
            migrations.RunSQL.noop,
        ),
    ]
