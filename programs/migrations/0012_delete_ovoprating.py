# The ratings live on as coaching records (0011).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0011_ovop_ratings_to_coaching"),
    ]

    operations = [
        migrations.DeleteModel(
            name="HistoricalOvopRating",
        ),
        migrations.DeleteModel(
            name="OvopRating",
        ),
    ]
