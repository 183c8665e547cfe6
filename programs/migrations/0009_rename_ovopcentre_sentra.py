# The OVOP "centre" is the provincial directory's sentra IKM, which exists whether or not OVOP
# coaches it: renamed (not recreated) so its rows, its history and the foreign keys to it stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_report_output_cover"),
    ]

    operations = [
        migrations.RenameModel("OvopCentre", "Sentra"),
        migrations.RenameModel("HistoricalOvopCentre", "HistoricalSentra"),
    ]
